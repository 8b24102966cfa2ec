package dev.veil.server.cli.policy;

/**
 * A command failure with the exit code it maps to; its message is printed as is, so it must never hold secrets
 * or event values.
 */
public final class CliFailure extends RuntimeException {

    /** Invalid input: a policy with errors, a bad event file, an unknown destination. */
    public static final int INVALID_INPUT = 1;

    /** The config store or master key could not be read or written. */
    public static final int STORAGE = 3;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static CliFailure invalid(String message) {
        return new CliFailure(INVALID_INPUT, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
