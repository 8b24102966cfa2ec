package dev.veil.server.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as written in the config file: a plain number of bytes or a number with a unit {@code B},
 * {@code KB}, {@code MB} (binary: 1 KB = 1,024 bytes, as Segment counts its limits).
 */
public record ByteSize(long bytes) {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*(B|KB|K|MB|M)?");

    public ByteSize {
        if (bytes < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte, was " + bytes);
        }
    }

    public static ByteSize ofKilobytes(long kb) {
        return new ByteSize(kb * 1024);
    }

    /** Parses {@code 32KB}, {@code 1 MB}, {@code 500}; throws {@link IllegalArgumentException} otherwise. */
    public static ByteSize parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size like 32KB, 1MB or a number of bytes");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "KB", "K" -> 1024L;
            case "MB", "M" -> 1024L * 1024;
            default -> 1L;
        };
        return new ByteSize(Math.multiplyExact(n, factor));
    }

    /** Human form used in error messages: {@code 500 KB}, {@code 2.5 MB}, {@code 612 B}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024L * 1024) {
            return trim(bytes / 1024.0) + " KB";
        }
        return trim(bytes / (1024.0 * 1024)) + " MB";
    }

    private static String trim(double v) {
        double rounded = Math.round(v * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }

    @Override
    public String toString() {
        return format(bytes);
    }
}
