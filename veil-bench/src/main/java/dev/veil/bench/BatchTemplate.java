package dev.veil.bench;

import java.nio.charset.StandardCharsets;

/**
 * A {@code /v1/batch} body built once per connection, whose messageIds are rewritten in place for each request:
 * each id ends in a fixed-width decimal sequence number, so the next body costs a few digit writes instead of
 * building and encoding JSON again (the generator shares the server's cores, so its CPU is taken from Veil).
 * Every body is valid JSON and every messageId is unique per (process, connection, sequence). Not thread-safe:
 * one template per connection.
 */
final class BatchTemplate {

    /** Digits of the per-message sequence number: 10^12 messages per connection before it wraps. */
    static final int SEQ_DIGITS = 12;

    private final byte[] body;
    private final int[] seqOffsets;
    private long next;

    /** A template of {@code size} track events for connection {@code conn} of the process {@code pid}. */
    BatchTemplate(long pid, int conn, int size) {
        this(pid, conn, size, false);
    }

    /**
     * A template for {@code /v1/batch} ({@code single} false: {@code {"batch":[…]}} of {@code size} events) or for
     * {@code /v1/track} ({@code single} true: one event, {@code size} must be 1).
     */
    BatchTemplate(long pid, int conn, int size, boolean single) {
        if (size < 1 || (single && size != 1)) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + size);
        }
        String zeros = "0".repeat(SEQ_DIGITS);
        StringBuilder sb = new StringBuilder(size * 300).append(single ? "" : "{\"batch\":[");
        int[] marks = new int[size];
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(single ? "{" : "{\"type\":\"track\",")
                    .append("\"event\":\"Appointment Booked\",\"userId\":\"user-")
                    .append((conn * 7919L + i) % 5000)
                    .append("\",\"messageId\":\"lg-")
                    .append(pid)
                    .append('-')
                    .append(conn)
                    .append('-');
            marks[i] = sb.length(); // ASCII so far: char index == byte index
            sb.append(zeros)
                    .append("\",\"properties\":{\"service_line\":\"dermatology\",\"value\":120,\"currency\":\"USD\"},")
                    .append("\"context\":{\"page\":{\"path\":\"/book\",\"title\":\"Book\"},\"locale\":\"en-US\"},")
                    .append("\"timestamp\":\"2026-11-29T12:00:00Z\"}");
        }
        if (!single) {
            sb.append("],\"sentAt\":\"2026-11-29T12:00:00Z\"}");
        }
        this.body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        this.seqOffsets = marks;
    }

    /** The body for the next request: the previous body's bytes with fresh sequence numbers (same array). */
    byte[] next() {
        for (int offset : seqOffsets) {
            long v = next++;
            for (int d = offset + SEQ_DIGITS - 1; d >= offset; d--) {
                body[d] = (byte) ('0' + (v % 10));
                v /= 10;
            }
        }
        return body;
    }
}
