package dev.veil.server.delivery.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code --since}: a relative age ({@code 30m}, {@code 24h}, {@code 7d}), a date or an instant (UTC). */
final class Since {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    private Since() {}

    static Instant parse(String text, Clock clock) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(age);
        }
        try {
            return LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("dlq --since: '" + text
                        + "' is neither an age (30m, 24h, 7d), a date (2026-11-29) nor an instant"
                        + " (2026-11-29T05:00:00Z)");
            }
        }
    }
}
