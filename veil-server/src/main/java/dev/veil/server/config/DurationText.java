package dev.veil.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as operators write them in the config file: {@code 24h}, {@code 7d}, {@code 90s}, {@code 15m}. */
final class DurationText {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SYNTAX.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expected a duration like 24h, 7d, 30m or 90s");
        }
    }
}
