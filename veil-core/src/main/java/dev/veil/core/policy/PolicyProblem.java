package dev.veil.core.policy;

/**
 * One error or warning about a policy document, located by YAML path and line. The detail never contains a
 * value from the policy that could be a secret or PHI.
 *
 * @param severity whether the policy is refused ({@link Severity#ERROR}) or only flagged
 * @param path the YAML path, e.g. {@code destinations[0].context.ip}; empty for the whole document
 * @param line the 1-based line in the source, or 0 when unknown
 * @param detail what is wrong, e.g. {@code 'pass' needs baa: true}
 */
public record PolicyProblem(Severity severity, String path, int line, String detail) {

    /** How serious a problem is. */
    public enum Severity {
        ERROR,
        WARNING
    }

    public PolicyProblem {
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
    }

    static PolicyProblem error(String path, int line, String detail) {
        return new PolicyProblem(Severity.ERROR, path, line, detail);
    }

    static PolicyProblem warning(String path, int line, String detail) {
        return new PolicyProblem(Severity.WARNING, path, line, detail);
    }

    /** The message shown to people: {@code destinations[0].context.ip: 'pass' needs baa: true (line 41)}. */
    public String message() {
        String where = path.isEmpty() ? "policy" : path;
        return where + ": " + detail + (line > 0 ? " (line " + line + ")" : "");
    }

    @Override
    public String toString() {
        return (severity == Severity.ERROR ? "error: " : "warning: ") + message();
    }
}
