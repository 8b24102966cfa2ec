package dev.veil.core.engine;

/**
 * Names taken from events (property keys, event names) made fit to store or show where values must never go,
 * such as the console's data dictionary: a name is kept when it reads like a name and no PHI detector matches
 * it, and replaced by a marker otherwise. Keys follow the same rule as the engine's traces. Thread-safe.
 */
public final class SafeNames {

    /** What replaces a key name that is not a plain identifier or looks like PHI. */
    public static final String UNNAMED_KEY = FieldPath.UNNAMED;

    /** What replaces an event name that looks like PHI or is not printable text. */
    public static final String WITHHELD_EVENT = "<event name withheld>";

    /** Longest event name kept. */
    public static final int MAX_EVENT_NAME = 128;

    private final PhiScanner scanner;

    private SafeNames(PhiScanner scanner) {
        this.scanner = scanner;
    }

    /** With every detector on, whatever the policy enables: a name is stored for good, so err on the safe side. */
    public static SafeNames strict() {
        return new SafeNames(PhiScanner.defaults());
    }

    /** The key, or {@link #UNNAMED_KEY} when it is not a plain identifier (64 characters at most) or looks like PHI. */
    public String key(String key) {
        return FieldPath.safeKey(key, scanner);
    }

    /** The event name, or {@link #WITHHELD_EVENT} when it is too long, has control characters or looks like PHI. */
    public String eventName(String name) {
        if (name.isBlank() || name.length() > MAX_EVENT_NAME) {
            return WITHHELD_EVENT;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return WITHHELD_EVENT;
            }
        }
        return scanner.scan(name).matched() ? WITHHELD_EVENT : name;
    }
}
