package dev.veil.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token-bucket rate: {@code tokens} per {@code period}, with room for {@code burst} tokens at once. Written in
 * configuration as {@code 200/s}, {@code 10/min} or {@code 5000/h} (burst: two seconds' worth, at least one
 * period's {@code tokens}… capped below) or as {@code {rate: 200/s, burst: 1000}}.
 *
 * @param tokens tokens added per period
 * @param period the refill period
 * @param burst the bucket's capacity
 */
public record Rate(long tokens, Duration period, long burst) {

    private static final Pattern TEXT =
            Pattern.compile("\\s*(\\d{1,12})\\s*/\\s*(s|sec|second|m|min|minute|h|hour)\\s*");

    public Rate {
        Objects.requireNonNull(period, "period");
        if (tokens < 1 || burst < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(
                    "a rate needs a positive number per positive period and a positive burst");
        }
    }

    /**
     * Parses {@code N/s}, {@code N/min} or {@code N/h}; the burst is {@code 2 × N} per second for {@code /s},
     * {@code N} otherwise (a minute's or an hour's worth).
     */
    public static Rate parse(String text) {
        Matcher m = TEXT.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "rate must look like 200/s, 10/min or 5000/h (a whole number per second, minute or hour)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s", "sec", "second" -> new Rate(n, Duration.ofSeconds(1), Math.max(1, 2 * n));
            case "m", "min", "minute" -> new Rate(n, Duration.ofMinutes(1), n);
            default -> new Rate(n, Duration.ofHours(1), n);
        };
    }

    /** The same rate with another burst. */
    public Rate withBurst(long value) {
        return new Rate(tokens, period, value);
    }

    @Override
    public String toString() {
        String unit = period.equals(Duration.ofSeconds(1))
                ? "s"
                : period.equals(Duration.ofMinutes(1))
                        ? "min"
                        : period.equals(Duration.ofHours(1)) ? "h" : period.toString();
        return tokens + "/" + unit + " (burst " + burst + ")";
    }
}
