package dev.veil.server.ingest;

/**
 * One message of a batch that was refused, reported in the response's {@code rejected} list.
 *
 * @param index position in the batch (0-based)
 * @param code machine-readable reason ({@code invalid_message}, {@code message_too_large}, ...)
 * @param message the field path and the problem, never the value
 */
public record Rejection(int index, String code, String message) {}
