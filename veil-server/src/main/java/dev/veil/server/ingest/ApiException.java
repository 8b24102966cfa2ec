package dev.veil.server.ingest;

import java.util.List;

/**
 * A request is refused with an HTTP status and one JSON error shape:
 * {@code {"error": {"code": "...", "message": "..."}}}. The message names the field path, the limit or the
 * problem, never a submitted value.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Rejection> rejected;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(int status, String code, String message, List<Rejection> rejected) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.rejected = List.copyOf(rejected);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** For a batch whose every message was refused: why each one was. */
    public List<Rejection> rejected() {
        return rejected;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "payload_too_large", message);
    }
}
