package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/**
 * Any combination of client times, from year -999,999,999 to +999,999,999 with any offset, either normalizes to a
 * timestamp destinations can take or refuses that one message with a 400 naming the field: never another
 * exception (which would fail the whole batch with a 5xx).
 */
class ExtremeTimesPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-29T12:00:00Z");
    private final MessageNormalizer normalizer = new MessageNormalizer();

    @Provide
    Arbitrary<@Nullable String> times() {
        Arbitrary<String> any = Combinators.combine(
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(-999_999_999, 999_999_999),
                                Arbitraries.of(-999_999_999, 999_999_999, 0, 1, 9999, 10_000, 1970, 2026)),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 59),
                        Arbitraries.integers().between(0, 999_999_999),
                        Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(s -> s / 900 * 900))
                .as((y, mo, d, h, mi, n, off) -> LocalDateTime.of(y, mo, d, h, mi, 59, n)
                        .atOffset(ZoneOffset.ofTotalSeconds(off))
                        .toString());
        return Arbitraries.oneOf(
                any,
                Arbitraries.of(
                        "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59.999999999-18:00",
                        "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z"),
                Arbitraries.just(null));
    }

    @Property(tries = 2_000)
    void a_message_with_any_times_is_normalized_or_refused_alone_with_a_400(
            @ForAll("times") @Nullable String timestamp,
            @ForAll("times") @Nullable String sentAt,
            @ForAll("times") @Nullable String originalTimestamp,
            @ForAll boolean sentAtOnTheBatch) {
        ObjectNode msg =
                JSON.createObjectNode().put("type", "track").put("userId", "u").put("event", "E");
        ObjectNode envelope = JSON.createObjectNode();
        put(msg, "timestamp", timestamp);
        put(msg, "originalTimestamp", originalTimestamp);
        put(sentAtOnTheBatch ? envelope : msg, "sentAt", sentAt);
        try {
            MessageNormalizer.Normalized n = normalizer.normalize(msg, "batch[0]", null, envelope, RECEIVED);
            assertThat(n.timestamp())
                    .isBetween(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"));
            assertThat(Instant.parse(n.message().get("timestamp").asText())).isEqualTo(n.timestamp());
            n.timestamp().toEpochMilli(); // what stores and destinations compute
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_message");
            assertThat(e.getMessage()).matches("batch\\[0]\\.(timestamp|sentAt|originalTimestamp): .*");
        }
    }

    private static void put(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
