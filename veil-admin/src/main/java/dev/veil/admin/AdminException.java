package dev.veil.admin;

/**
 * A refused admin operation with its HTTP status and error code; the API writes it as
 * {@code {"error": {"code": "...", "message": "..."}}}. Messages name fields, ids and limits, never a submitted
 * value or a secret.
 */
public final class AdminException extends RuntimeException {

    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static AdminException badRequest(String code, String message) {
        return new AdminException(400, code, message);
    }

    public static AdminException notFound(String what) {
        return new AdminException(404, "not_found", what + " does not exist");
    }

    public static AdminException conflict(String code, String message) {
        return new AdminException(409, code, message);
    }

    public static AdminException forbidden(String message) {
        return new AdminException(403, "forbidden", message);
    }

    public static AdminException unauthorized(String message) {
        return new AdminException(401, "unauthorized", message);
    }
}
