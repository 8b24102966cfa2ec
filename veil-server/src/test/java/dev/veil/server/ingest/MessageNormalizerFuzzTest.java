package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes the message normalizer with well-formed JSON built from the fields it reads (types, ids, times, objects)
 * so the fuzzer spends its time on normalization rather than on JSON syntax: it either normalizes or refuses the
 * message with a 400 naming the field, never another exception. Seeds in {@code MessageNormalizerFuzzTestInputs/};
 * {@code ./veil test} fuzzes it for a bounded time (README, "Tests").
 */
class MessageNormalizerFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of(
            "type",
            "event",
            "name",
            "category",
            "userId",
            "anonymousId",
            "groupId",
            "previousId",
            "messageId",
            "timestamp",
            "sentAt",
            "originalTimestamp",
            "properties",
            "traits",
            "context",
            "integrations",
            "writeKey");
    private static final List<String> TIMES = List.of(
            "2026-12-02T11:59:58Z",
            "2026-12-02T11:59:58.123+01:00",
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-12-02 11:59:58");

    private final MessageNormalizer normalizer = new MessageNormalizer();

    @FuzzTest(maxDuration = "20s")
    void normalizes_or_refuses_with_400(FuzzedDataProvider data) {
        ObjectNode msg = message(data);
        ObjectNode envelope = data.consumeBoolean() ? message(data) : null;
        Instant received = Instant.ofEpochMilli(data.consumeLong(0, 253_402_300_799_000L));
        try {
            MessageNormalizer.Normalized n = normalizer.normalize(msg, "batch[0]", null, envelope, received);
            assertThat(n.message().has("writeKey")).isFalse();
            assertThat(n.message().path("receivedAt").isTextual()).isTrue();
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("batch[0].");
        }
    }

    private static ObjectNode message(FuzzedDataProvider data) {
        ObjectNode msg = JSON.createObjectNode();
        int fields = data.consumeInt(0, 10);
        for (int i = 0; i < fields; i++) {
            String field = data.pickValue(FIELDS);
            switch (data.consumeInt(0, 6)) {
                case 0 -> msg.put(field, data.consumeString(40));
                case 1 -> msg.put(field, data.pickValue(TIMES));
                case 2 -> msg.put(field, data.consumeLong());
                case 3 -> msg.put(field, data.consumeDouble());
                case 4 -> msg.putObject(field).put(data.consumeString(10), data.consumeString(20));
                case 5 -> msg.putNull(field);
                default ->
                    msg.put(field, data.pickValue(List.of("track", "identify", "page", "screen", "group", "alias")));
            }
        }
        return msg;
    }
}
