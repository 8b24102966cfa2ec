package dev.veil.core.engine;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a caller's event id is an opaque random token that may be passed to a destination with
 * {@code eventId: passOpaque} (for pixel deduplication). Stateless.
 *
 * <p>The rule, in order; the first that fails is the reason the derived id is used instead:
 *
 * <ol>
 *   <li>16 to 64 characters, each a letter, digit, {@code -} or {@code _};
 *   <li>after at most two leading words of 1-8 letters followed by {@code -} or {@code _} (client prefixes such
 *       as {@code ajs-next-} or {@code evt_}), the rest is one random-looking token: a UUID
 *       ({@code 8-4-4-4-12} hex digits), or 16+ hex digits with at least one letter and one digit, or 16+
 *       characters of {@code A-Z a-z 0-9 - _} with an upper-case letter, a lower-case letter and a digit and no
 *       run of 5 or more digits (a ZIP code, a phone number, a record number or a timestamp);
 *   <li>it does not contain the event's user, anonymous, group or previous id (an id plus a counter would
 *       defeat masking);
 *   <li>the PHI scanner, with its decoders (an e-mail address in base64 is printable text), finds nothing.
 * </ol>
 *
 * Anything else (e-mail addresses with a timestamp, {@code MRN51293564-1111}, {@code node-next-<millis>-…})
 * falls back to the derived id, which still deduplicates retries.
 */
final class OpaqueEventIds {

    static final int MIN = 16;
    static final int MAX = 64;

    private OpaqueEventIds() {}

    /** Null when {@code id} is opaque, else a PHI-free reason for the trace. */
    static @Nullable String problem(String id, String[] eventIds, PhiScanner scanner) {
        int n = id.length();
        if (n < MIN || n > MAX || !tokenChars(id, 0, n)) {
            return "is not 16-64 letters, digits, '-' or '_'";
        }
        int start = skipPrefixWords(id);
        String rest = id.substring(start);
        if (!(isUuid(rest) || isHexToken(rest) || isRandomToken(rest))) {
            return "is not a UUID or random token";
        }
        String lower = id.toLowerCase(Locale.ROOT);
        for (String own : eventIds) {
            if (own != null && own.length() >= 4 && lower.contains(own.toLowerCase(Locale.ROOT))) {
                return "contains the event's user or anonymous id";
            }
        }
        if (scanner.scan(id).matched()) {
            return "matched the PHI scanner";
        }
        return null;
    }

    private static boolean tokenChars(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Skips up to two words of 1-8 letters each followed by {@code -} or {@code _}, keeping 16+ characters. */
    private static int skipPrefixWords(String s) {
        int pos = 0;
        for (int word = 0; word < 2; word++) {
            int i = pos;
            while (i < s.length() && isLetter(s.charAt(i))) {
                i++;
            }
            int len = i - pos;
            if (len < 1 || len > 8 || i >= s.length() || (s.charAt(i) != '-' && s.charAt(i) != '_')) {
                break;
            }
            if (s.length() - (i + 1) < MIN) {
                break;
            }
            pos = i + 1;
        }
        return pos;
    }

    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexToken(String s) {
        if (s.length() < MIN) {
            return false;
        }
        boolean digit = false;
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isHex(c)) {
                return false;
            }
            digit |= isDigit(c);
            lower |= c >= 'a' && c <= 'f';
            upper |= c >= 'A' && c <= 'F';
        }
        // One case only: a hex digest is written in one case; mixed case is a random token (checked next).
        return (lower || upper) && digit && !(lower && upper);
    }

    private static boolean isRandomToken(String s) {
        if (s.length() < MIN) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                digit = true;
                if (++run >= 5) {
                    return false;
                }
                continue;
            }
            run = 0;
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        return lower && upper && digit;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
