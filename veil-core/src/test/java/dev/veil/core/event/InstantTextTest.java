package dev.veil.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    private static final long MIN = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void writes_what_instant_to_string_writes_for_edges() {
        for (String s : new String[] {
            "1970-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2026-12-02T17:40:00.100Z",
            "2026-12-02T17:40:00.000100Z",
            "2026-12-02T17:40:00.000000100Z",
            "2024-02-29T23:59:59.123456Z",
            "1969-12-31T23:59:59.999Z",
            "1900-03-01T00:00:00.5Z",
        }) {
            Instant t = Instant.parse(s);
            assertThat(InstantText.of(t)).isEqualTo(t.toString()).isEqualTo(s.replace(".5Z", ".500Z"));
        }
        // Outside years 0001-9999 the general formatter answers (expanded years, signs).
        for (Instant t :
                new Instant[] {Instant.MIN, Instant.MAX, Instant.ofEpochSecond(MIN - 1), Instant.ofEpochSecond(MAX + 1)
                }) {
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void writes_what_instant_to_string_writes_for_random_instants() {
        SplittableRandom random = new SplittableRandom(20261202L);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(MIN, MAX + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
    }
}
