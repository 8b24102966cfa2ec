package dev.veil.server.config;

/** The server configuration is invalid; the message names the file, the key path and the line. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
