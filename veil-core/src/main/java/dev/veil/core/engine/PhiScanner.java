package dev.veil.core.engine;

import dev.veil.core.policy.PrivacySettings.Detector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds PHI patterns in outgoing strings and redacts them. Immutable and thread-safe.
 *
 * <p>Detectors run in a fixed order (email, ip, ssn, creditCard, phone, date, mrn, zip) over the text as already
 * redacted by the earlier ones, so a span is reported once, by the most specific detector. Choices made to keep
 * data quality (documented in {@code docs/performance.md} and the engine Javadoc):
 *
 * <ul>
 *   <li>Only strings are scanned. JSON numbers and booleans pass unscanned: without separators a number cannot be
 *       told from a price, count or session id, and identifiers should not be allowlisted as numbers.
 *   <li>{@code phone} needs separators or a leading {@code +} (US {@code (555) 123-4567}, {@code 555-123-4567},
 *       {@code +1 555 123 4567}, E.164 {@code +15551234567}); bare digit runs are not phones.
 *   <li>{@code ssn} needs dashes or spaces ({@code 123-45-6789}); {@code zip} is a standalone 5-digit group or
 *       ZIP+4, never part of a longer number or decimal.
 *   <li>{@code ip} skips dotted numbers glued to a word or to {@code name/} ({@code Chrome/131.0.0.0},
 *       {@code v1.2.3.4}): those are versions, not addresses.
 *   <li>{@code creditCard} needs a real issuer prefix, 13-19 digits and a valid Luhn checksum.
 *   <li>{@code date} finds calendar dates (ISO, US numeric, month names), the kind that could be a birth or visit
 *       date; the engine's own timestamps are never scanned.
 *   <li>{@code mrn} uses the configured patterns, or {@code MRN[-:# ]?\d{6,10}} when none are configured.
 * </ul>
 *
 * <p>Each detector runs only when one pass over the string shows it can match (see {@code Features}: e.g. a
 * cluster of 9 digits with two separators for an SSN, a run of 5 digits for a ZIP code, an {@code @}
 * for an e-mail address); configured MRN patterns are assumed to need a digit. Most outgoing strings therefore
 * skip every regex. A property test checks that these shortcuts never change a result.
 */
public final class PhiScanner {

    /** What a scan found: the text with matches redacted, and how many matches each detector had. */
    public record Result(String text, Map<Detector, Integer> counts) {
        public Result {
            counts = counts.isEmpty() ? Map.of() : Collections.unmodifiableMap(counts);
        }

        public boolean matched() {
            return !counts.isEmpty();
        }

        /** The detector with the first match, for traces. */
        public Detector firstDetector() {
            return counts.keySet().iterator().next();
        }
    }

    private static final String MONTH =
            "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
                    + "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    private static final String IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+\\-]+(?:@|%40)[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}");
    static final Pattern IPV4 =
            Pattern.compile("(?<![\\w.])(?<!\\w/)" + IPV4_OCTET + "(?:\\." + IPV4_OCTET + "){3}(?!\\.?\\d)");
    static final Pattern IPV6_CANDIDATE =
            Pattern.compile("(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:" + "\\.\\d{1,3}){0,3}");
    static final Pattern SSN = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- ])\\d{2}\\1\\d{4}(?![\\d-])");
    static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:"
            + "\\+[1-9]\\d{7,14}(?!\\d)"
            + "|(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?![\\d-])"
            + "|\\+\\d{1,3}(?:[ .-]\\d{1,4}){2,5}(?![\\d-])"
            + ")");
    static final Pattern DATE = Pattern.compile(
            "(?<![\\d.])(?:"
                    + "(?:19|20)\\d\\d([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])"
                    + "|(?:0?[1-9]|[12]\\d|3[01])([-/.])(?:0?[1-9]|[12]\\d|3[01])\\2(?:19|20)\\d\\d"
                    + "|(?:0?[1-9]|[12]\\d|3[01])/(?:0?[1-9]|[12]\\d|3[01])/\\d\\d"
                    + ")(?![\\d]|\\.\\d)"
                    + "|\\b" + MONTH + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+(?:19|20)\\d\\d\\b"
                    + "|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\.?,?\\s+(?:19|20)\\d\\d\\b",
            Pattern.CASE_INSENSITIVE);
    static final Pattern DEFAULT_MRN = Pattern.compile("\\bMRN[-:# ]?\\d{6,10}\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern ZIP = Pattern.compile("(?<![\\w.,$\\-:#])\\d{5}(?:-\\d{4})?(?![\\d]|[.,]\\d|-\\d)");

    private final Set<Detector> enabled;
    private final List<Pattern> mrnPatterns;
    private final List<String> mrnLiterals;
    private final boolean defaultMrn;

    private PhiScanner(Set<Detector> enabled, List<Pattern> mrnPatterns) {
        this.enabled = enabled.isEmpty() ? Set.of() : Collections.unmodifiableSet(java.util.EnumSet.copyOf(enabled));
        this.mrnPatterns = List.copyOf(mrnPatterns);
        this.mrnLiterals = mrnLiterals(this.mrnPatterns);
        this.defaultMrn = this.mrnPatterns.equals(List.of(DEFAULT_MRN));
    }

    /**
     * The literal text every match of {@code regex} starts with, or "" when that is not obvious: the leading run
     * of letters, digits and {@code _ - : # space}, minus its last character when a quantifier follows, and
     * nothing at all when the pattern has an alternation anywhere. MRN patterns such as {@code MRN[- ]?\d{6,10}}
     * then run only on strings that contain {@code MRN} (compared ignoring ASCII case, like the pattern).
     */
    static String requiredPrefix(String regex) {
        if (regex.indexOf('|') >= 0) {
            return "";
        }
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            boolean literal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == ':'
                    || c == '#'
                    || c == ' ';
            if (!literal) {
                break;
            }
            i++;
        }
        if (i < regex.length() && "?*{".indexOf(regex.charAt(i)) >= 0) {
            i--; // the last literal character is optional
        }
        return i <= 0 ? "" : regex.substring(0, i);
    }

    /** For each MRN pattern, the literal text its matches start with ({@link #requiredPrefix}), or "". */
    static List<String> mrnLiterals(List<Pattern> patterns) {
        return patterns.stream()
                .map(p -> p == DEFAULT_MRN ? "MRN" : requiredPrefix(p.pattern()))
                .toList();
    }

    /** Whether a pattern whose matches start with {@code literal} ("" when unknown) can match {@code text}. */
    static boolean mayContain(String text, String literal) {
        return literal.isEmpty() || containsIgnoreAsciiCase(text, literal);
    }

    /** Whether {@code text} contains {@code literal}, ASCII letters compared case-insensitively. */
    static boolean containsIgnoreAsciiCase(String text, String literal) {
        int m = literal.length();
        outer:
        for (int i = 0, last = text.length() - m; i <= last; i++) {
            for (int j = 0; j < m; j++) {
                if (foldAscii(text.charAt(i + j)) != foldAscii(literal.charAt(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /**
     * What one pass over a string tells about which detectors can match. Each flag is a necessary condition read
     * off the detector's regex, so a detector whose flag is false cannot match and its regex is skipped.
     *
     * <p>A "cluster" is a maximal span of digits and the separators the numeric detectors allow (space,
     * {@code - . ( ) + /}); a "run" is a maximal span of digits. An IPv4 address needs a cluster with 3 dots and 4
     * digits, an SSN 9 digits and two {@code -} or spaces, a card 13 digits, a phone a {@code +} and 3 digits or
     * 10 digits and two separators, a numeric date 4 digits and two of {@code - / .}, a written date a 4-digit
     * run (the year) and whitespace, a ZIP code a 5-digit run, the default MRN pattern a run of 6. Detectors run
     * on the text as redacted by earlier ones, where a run can be a part of an original run: hence "at least"
     * lengths, never "exactly".
     */
    private static final class Features {
        /** Run every regex (the reference for tests). */
        boolean exhaustive;

        int digits;
        boolean at;
        boolean ipv6;
        boolean whitespace;
        int maxRun;
        boolean ipv4;
        boolean ssn;
        boolean card;
        boolean phone;
        boolean numericDate;

        private int run;
        private int clusterDigits;
        private int clusterDots;
        private int clusterSsnSeps;
        private int clusterDateSeps;
        private int clusterSeps;
        private boolean clusterPlus;

        static Features everything() {
            Features f = new Features();
            f.exhaustive = true;
            f.digits = Integer.MAX_VALUE;
            f.at = f.ipv6 = f.whitespace = true;
            f.ipv4 = f.ssn = f.card = f.phone = f.numericDate = true;
            f.maxRun = Integer.MAX_VALUE;
            return f;
        }

        static Features of(String text) {
            Features f = new Features();
            int colons = 0;
            for (int i = 0, n = text.length(); i < n; i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    f.digits++;
                    f.run++;
                    f.clusterDigits++;
                    continue;
                }
                f.endRun();
                switch (c) {
                    case ' ' -> {
                        f.whitespace = true;
                        f.clusterSsnSeps++;
                        f.clusterSeps++;
                    }
                    case '-' -> {
                        f.clusterSsnSeps++;
                        f.clusterDateSeps++;
                        f.clusterSeps++;
                    }
                    case '.' -> {
                        f.clusterDots++;
                        f.clusterDateSeps++;
                        f.clusterSeps++;
                    }
                    case '/' -> {
                        f.clusterDateSeps++;
                        f.clusterSeps++;
                    }
                    case '(', ')' -> f.clusterSeps++;
                    case '+' -> {
                        f.clusterPlus = true;
                        f.clusterSeps++;
                    }
                    default -> {
                        f.endCluster();
                        if (c == ':') {
                            colons++;
                        } else if (c == '@') {
                            f.at = true;
                        } else if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                            f.whitespace = true;
                        }
                    }
                }
            }
            f.endRun();
            f.endCluster();
            f.ipv6 = colons >= 2;
            return f;
        }

        private void endRun() {
            if (run > 0) {
                maxRun = Math.max(maxRun, run);
                run = 0;
            }
        }

        private void endCluster() {
            if (clusterDigits > 0) {
                ipv4 |= clusterDots >= 3 && clusterDigits >= 4;
                ssn |= clusterDigits >= 9 && clusterSsnSeps >= 2;
                card |= clusterDigits >= 13;
                phone |= (clusterPlus && clusterDigits >= 3) || (clusterDigits >= 10 && clusterSeps >= 2);
                numericDate |= clusterDigits >= 4 && clusterDateSeps >= 2;
            }
            clusterDigits = 0;
            clusterDots = 0;
            clusterSsnSeps = 0;
            clusterDateSeps = 0;
            clusterSeps = 0;
            clusterPlus = false;
        }
    }

    /** A scanner with the given detectors; {@code mrnPatterns} empty means the default MRN pattern. */
    public static PhiScanner of(Set<Detector> detectors, List<String> mrnPatterns) {
        return new PhiScanner(detectors, compileMrn(mrnPatterns));
    }

    /** Compiles MRN patterns (case-insensitive); the default pattern when none are given. */
    static List<Pattern> compileMrn(List<String> mrnPatterns) {
        if (mrnPatterns.isEmpty()) {
            return List.of(DEFAULT_MRN);
        }
        List<Pattern> out = new ArrayList<>();
        for (int i = 0; i < mrnPatterns.size(); i++) {
            try {
                out.add(Pattern.compile(mrnPatterns.get(i), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "privacy.scanner.mrnPatterns[" + i + "]: invalid regex (" + e.getDescription() + ")", e);
            }
        }
        return out;
    }

    /** A scanner with every detector and the default MRN pattern. */
    public static PhiScanner defaults() {
        return of(Set.of(Detector.values()), List.of());
    }

    /** The compiled MRN patterns (the URL sanitizer also uses them for path segments). */
    public List<Pattern> mrnPatterns() {
        return mrnPatterns;
    }

    /** Scans {@code text}; when nothing matches the result holds the same string and no counts. */
    public Result scan(String text) {
        if (enabled.isEmpty()) {
            return new Result(text, Map.of());
        }
        return mayMatch(text) ? scanCandidate(text) : new Result(text, Map.of());
    }

    /** {@link #scan} for a string {@link #mayMatch} already accepted. */
    Result scanCandidate(String text) {
        return scan(text, Features.of(text));
    }

    /**
     * False when no detector can match {@code text}: it has no digit, no {@code @} and fewer than two colons, as
     * most outgoing strings (names, categories, URLs without digits). One tight loop, no allocation.
     */
    public boolean mayMatch(String text) {
        if (enabled.isEmpty()) {
            return false;
        }
        int colons = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '@' || (c == ':' && ++colons >= 2)) {
                return true;
            }
        }
        return false;
    }

    /** Scans with every enabled detector's regex, without the shortcuts: the reference for tests. */
    Result scanWithoutShortcuts(String text) {
        if (enabled.isEmpty()) {
            return new Result(text, Map.of());
        }
        return scan(text, Features.everything());
    }

    private Result scan(String text, Features f) {
        if (f.digits == 0 && !f.at && !f.ipv6) {
            return new Result(text, Map.of());
        }
        EnumMap<Detector, Integer> counts = new EnumMap<>(Detector.class);
        String t = text;
        if (enabled.contains(Detector.EMAIL) && (f.at || (f.digits > 0 && t.contains("%40")))) {
            t = replaceAll(t, EMAIL, Detector.EMAIL, counts, null);
        }
        if (enabled.contains(Detector.IP)) {
            if (f.ipv4) {
                t = replaceAll(t, IPV4, Detector.IP, counts, null);
            }
            if (f.ipv6) {
                t = replaceAll(t, IPV6_CANDIDATE, Detector.IP, counts, IpLiterals::isIpv6);
            }
        }
        if (enabled.contains(Detector.SSN) && f.ssn) {
            t = replaceAll(t, SSN, Detector.SSN, counts, null);
        }
        if (enabled.contains(Detector.CREDIT_CARD) && f.card) {
            t = replaceAll(t, CARD_CANDIDATE, Detector.CREDIT_CARD, counts, PhiScanner::isCardNumber);
        }
        if (enabled.contains(Detector.PHONE) && f.phone) {
            t = replaceAll(t, PHONE, Detector.PHONE, counts, null);
        }
        if (enabled.contains(Detector.DATE) && (f.numericDate || (f.maxRun >= 4 && f.whitespace))) {
            t = replaceAll(t, DATE, Detector.DATE, counts, null);
        }
        if (enabled.contains(Detector.MRN) && f.digits > 0 && (!defaultMrn || f.maxRun >= 6)) {
            for (int i = 0; i < mrnPatterns.size(); i++) {
                String literal = mrnLiterals.get(i);
                if (f.exhaustive || mayContain(t, literal)) {
                    t = replaceAll(t, mrnPatterns.get(i), Detector.MRN, counts, null);
                }
            }
        }
        if (enabled.contains(Detector.ZIP) && f.maxRun >= 5) {
            t = replaceAll(t, ZIP, Detector.ZIP, counts, null);
        }
        return counts.isEmpty() ? new Result(text, Map.of()) : new Result(t, counts);
    }

    /** The token that replaces a match. */
    public static String redaction(Detector d) {
        return "[REDACTED:" + wireName(d) + "]";
    }

    /** The detector's name as written in the policy ({@code creditCard}, {@code ssn}, ...). */
    public static String wireName(Detector d) {
        return switch (d) {
            case EMAIL -> "email";
            case PHONE -> "phone";
            case SSN -> "ssn";
            case DATE -> "date";
            case MRN -> "mrn";
            case IP -> "ip";
            case CREDIT_CARD -> "creditCard";
            case ZIP -> "zip";
        };
    }

    private interface Check {
        boolean accept(String candidate);
    }

    private static String replaceAll(
            String text, Pattern p, Detector d, EnumMap<Detector, Integer> counts, Check check) {
        Matcher m = p.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        int found = 0;
        while (m.find()) {
            if (m.end() == m.start() || (check != null && !check.accept(m.group()))) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length() + 16);
            }
            sb.append(text, last, m.start()).append(redaction(d));
            last = m.end();
            found++;
        }
        if (found == 0) {
            return text;
        }
        sb.append(text, last, text.length());
        counts.merge(d, found, Integer::sum);
        return sb.toString();
    }

    /** Issuer prefix, length and Luhn checksum of a card number written with optional spaces or dashes. */
    static boolean isCardNumber(String candidate) {
        StringBuilder digits = new StringBuilder(19);
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        int n = digits.length();
        if (n < 13 || n > 19 || !hasIssuerPrefix(digits)) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = n - 1; i >= 0; i--) {
            int v = digits.charAt(i) - '0';
            if (dbl) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private static boolean hasIssuerPrefix(CharSequence d) {
        int two = Integer.parseInt(d.subSequence(0, 2).toString());
        int four = Integer.parseInt(d.subSequence(0, 4).toString());
        int three = four / 10;
        return d.charAt(0) == '4' // Visa
                || (two >= 51 && two <= 55)
                || (four >= 2221 && four <= 2720) // Mastercard
                || two == 34
                || two == 37 // Amex
                || four == 6011
                || two == 65
                || (three >= 644 && three <= 649) // Discover
                || two == 36
                || two == 38
                || (three >= 300 && three <= 305) // Diners
                || two == 35 // JCB
                || two == 62; // UnionPay
    }
}
