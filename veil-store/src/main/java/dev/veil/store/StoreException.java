package dev.veil.store;

/** A storage operation failed; the message names the operation, never event contents. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
