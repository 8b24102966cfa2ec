package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Fuzzes the ingest body parser and, for every message it yields, the normalizer: for any bytes they either
 * produce messages or refuse with a 400 naming the problem (never another exception, which would answer 500 for
 * the whole batch and make Segment clients retry forever). A normalized message always carries its type,
 * messageId, timestamp and receivedAt and never the write key. Seeds in {@code IngestParserFuzzTestInputs/};
 * {@code ./veil test} fuzzes it for a bounded time (README, "Tests").
 */
class IngestParserFuzzTest {

    private static final int MAX_DEPTH = 32;
    private static final Instant RECEIVED = Instant.parse("2026-12-02T12:00:00Z");

    private final PayloadParser parser = new PayloadParser(MAX_DEPTH);
    private final MessageNormalizer normalizer = new MessageNormalizer();

    @FuzzTest(maxDuration = "20s")
    void parses_and_normalizes_or_refuses_with_400(byte[] body) {
        try {
            PayloadParser.Batch batch = parser.parseBatch(body, 100);
            assertThat(batch.elements()).hasSizeLessThanOrEqualTo(100);
            for (PayloadParser.Element e : batch.elements()) {
                if (e.node() instanceof ObjectNode msg) {
                    normalizeOrRefuse(msg, "batch[" + e.index() + "]", batch.envelope());
                }
            }
        } catch (ApiException e) {
            assertRefusal(e);
        }
        try {
            normalizeOrRefuse(parser.parseSingle(body), "", null);
        } catch (ApiException e) {
            assertRefusal(e);
        }
    }

    private void normalizeOrRefuse(ObjectNode msg, String path, ObjectNode envelope) {
        try {
            MessageNormalizer.Normalized n = normalizer.normalize(msg, path, null, envelope, RECEIVED);
            JsonNode out = n.message();
            assertThat(out.has("writeKey")).isFalse();
            assertThat(out.path("type").isTextual()).isTrue();
            assertThat(out.path("messageId").asText()).isEqualTo(n.messageId());
            assertThat(out.path("timestamp").isTextual()).isTrue();
            assertThat(out.path("receivedAt").isTextual()).isTrue();
        } catch (ApiException e) {
            assertRefusal(e);
            assertThat(e.getMessage()).as("a message's error names its path").startsWith(path);
        }
    }

    private static void assertRefusal(ApiException e) {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isNotBlank();
    }
}
