package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageNormalizerTimeTest {

    @Test
    void parses_every_form_to_the_same_instant_as_the_general_iso_parser() {
        for (String text : List.of(
                "2026-11-29T12:00:00Z",
                "2026-11-29T12:00:00.5Z",
                "2026-11-29T12:00:00.123Z",
                "2026-11-29T12:00:00.123456789Z",
                "2024-02-29T23:59:59.999Z",
                "0001-01-01T00:00:00Z",
                "2026-11-29T12:00:00+02:00",
                "2026-11-29T12:00:00.250-05:30",
                "2026-11-29T12:00:00.Z",
                "2026-11-29T12:00Z")) {
            assertThat(MessageNormalizer.parseTime(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void reads_a_time_without_offset_as_utc() {
        assertThat(MessageNormalizer.parseTime("2026-11-29T12:00:00.5"))
                .isEqualTo(LocalDateTime.parse("2026-11-29T12:00:00.5").toInstant(ZoneOffset.UTC));
    }

    @Test
    void refuses_what_the_general_parser_refuses() {
        for (String text : List.of(
                "2026-13-01T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2025-02-29T00:00:00Z",
                "2026-11-29T24:00:00Z",
                "2026-11-29T12:00:00.1234567890Z",
                "2026-11-29T12:0a:00Z",
                "2026-11-29 12:00:00Z",
                "+2026-11-29T12:00:00Z",
                "not a time")) {
            assertThatThrownBy(() -> MessageNormalizer.parseTime(text))
                    .as(text)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }
}
