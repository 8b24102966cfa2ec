package dev.veil.core.engine;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
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
import org.jspecify.annotations.Nullable;

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

    /**
     * What a scan found: the text with matches redacted, how many matches each detector had, which decoding
     * revealed each detector's matches, and how many spans could not be decoded unambiguously.
     *
     * @param via for a detector whose matches were all found in a decoded form, the decodings (e.g.
     *     {@code percent-decoding}); detectors that matched the text as sent are absent
     * @param undecodable spans still percent-encoded after every decoding round, redacted as
     *     {@value #UNDECODABLE}
     */
    public record Result(String text, Map<Detector, Integer> counts, Map<Detector, String> via, int undecodable) {
        public Result {
            counts = counts.isEmpty() ? Map.of() : Collections.unmodifiableMap(counts);
            via = via.isEmpty() ? Map.of() : Collections.unmodifiableMap(via);
        }

        public Result(String text, Map<Detector, Integer> counts) {
            this(text, counts, Map.of(), 0);
        }

        public boolean matched() {
            return !counts.isEmpty() || undecodable > 0;
        }

        /** The detector with the first match, for traces; null when only undecodable text matched. */
        public @Nullable Detector firstDetector() {
            return counts.isEmpty() ? null : counts.keySet().iterator().next();
        }
    }

    /** The token that replaces a span that cannot be decoded unambiguously. */
    public static final String UNDECODABLE = "[REDACTED:encoding]";

    private static final String MONTH =
            "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
                    + "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    private static final String IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    /** Letters and digits of any script, as in internationalized e-mail addresses ({@code josé@bücher.de}). */
    private static final String EMAIL_CHAR = "[\\p{L}\\p{N}._%+\\-]";

    static final Pattern EMAIL = Pattern.compile(EMAIL_CHAR + "+(?:@|%40)[\\p{L}\\p{N}\\-]+(?:\\.[\\p{L}\\p{N}\\-]+)*"
            + "\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9\\-]+)");
    /** "jane at example dot org", "jane [at] example [dot] org", "jane(at)example.org". */
    static final Pattern OBFUSCATED_EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}])[\\p{L}\\p{N}._+\\-]+\\s*(?:[(\\[{]\\s*at\\s*[)\\]}]|\\s+at\\s+)\\s*"
                    + "[\\p{L}\\p{N}\\-]+(?:\\s*(?:[(\\[{]\\s*dot\\s*[)\\]}]|\\s+dot\\s+|\\.)\\s*[\\p{L}\\p{N}\\-]+)+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    static final Pattern IPV4 =
            Pattern.compile("(?<![\\w.])(?<!\\w/)" + IPV4_OCTET + "(?:\\." + IPV4_OCTET + "){3}(?!\\.?\\d)");
    static final Pattern IPV6_CANDIDATE =
            Pattern.compile("(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:" + "\\.\\d{1,3}){0,3}");
    /** Dashes, spaces or dots between 3, 2 and 4 digits; area, group and serial as the SSA issues them. */
    static final Pattern SSN = Pattern.compile(
            "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- .])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\d-]|\\.\\d)");
    /** Nine digits on their own; an SSN unless its field or the word before it says it is an id. */
    static final Pattern SSN_BARE = Pattern.compile(
            "(?<![\\w.,$\\-:#/@])(?!000|666|9\\d\\d)\\d{3}(?!00)\\d{2}(?!0000)\\d{4}(?![\\w]|[.,]\\d|-\\d)");

    static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:"
            + "\\+[1-9]\\d{7,14}(?!\\d)"
            + "|(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ ./-])\\d{3}[ .-]\\d{4}(?![\\d-])"
            + "|\\+\\d{1,3}(?:[ .-]\\d{1,4}){2,5}(?![\\d-])"
            + ")");
    static final Pattern DATE = Pattern.compile(
            "(?<![\\d.])(?:"
                    + "(?:19|20)\\d\\d([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])"
                    + "|(?:0?[1-9]|[12]\\d|3[01])([-/.])(?:0?[1-9]|[12]\\d|3[01])\\2(?:19|20)\\d\\d"
                    + "|(?:0?[1-9]|[12]\\d|3[01])/(?:0?[1-9]|[12]\\d|3[01])/\\d\\d"
                    + ")(?![\\d]|\\.\\d)"
                    + "|\\b" + MONTH + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+(?:(?:19|20)\\d\\d\\b|'\\d\\d(?!\\d))"
                    + "|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\.?,?\\s+(?:19|20)\\d\\d\\b"
                    + "|\\b\\d{1,2}([-/ ])" + MONTH + "\\.?\\3(?:19|20)\\d\\d\\b"
                    + "|(?<![\\w.,$\\-:#/])(?:19|20)\\d\\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(?![\\w]|[.,]\\d)",
            Pattern.CASE_INSENSITIVE);
    static final Pattern DEFAULT_MRN = Pattern.compile("\\bMRN\\s*[-:#]?\\s*\\d{6,10}\\b", Pattern.CASE_INSENSITIVE);
    /** Account, member, policy and chart numbers with flexible separators ({@code acct-62752855}). */
    static final Pattern DEFAULT_ACCOUNT = Pattern.compile(
            "(?<![\\p{L}])(?:acct|account|member|policy|chart|patient)(?:\\s*(?:no|num|number|id|#)\\.?)?"
                    + "\\s*[-:#_]?\\s*\\d{6,12}(?!\\d)",
            Pattern.CASE_INSENSITIVE);

    static final List<Pattern> DEFAULT_MRNS = List.of(DEFAULT_MRN, DEFAULT_ACCOUNT);
    static final Pattern ZIP = Pattern.compile("(?<![\\w.,$\\-:#/@])\\d{5}(?:-\\d{4})?(?![\\w]|[.,:]\\d|-\\d|%)");

    /** File extensions that are no top-level domain: {@code hero@2x.png} is an image, not an address. */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "pdf", "css", "js", "mjs",
            "json", "html", "htm", "txt", "csv", "xml", "woff", "woff2", "ttf", "mp3", "mp4", "webm", "heic");

    /** Top-level domains an obfuscated address must end in, so "meet at noon dot" is not one. */
    private static final Set<String> OBFUSCATED_TLDS = Set.of(
            "com", "org", "net", "edu", "gov", "mil", "io", "co", "us", "info", "biz", "health", "care", "me", "uk",
            "ca", "de", "fr", "au", "nl", "es", "it", "ch", "mx", "in");

    /** Default region for phone numbers written without a country code. */
    private static final String PHONE_REGION = "US";

    private final Set<Detector> enabled;
    private final List<Pattern> mrnPatterns;
    private final List<String> mrnLiterals;
    private final boolean defaultMrn;

    private PhiScanner(Set<Detector> enabled, List<Pattern> mrnPatterns) {
        this.enabled = enabled.isEmpty() ? Set.of() : Collections.unmodifiableSet(java.util.EnumSet.copyOf(enabled));
        this.mrnPatterns = List.copyOf(mrnPatterns);
        this.mrnLiterals = mrnLiterals(this.mrnPatterns);
        this.defaultMrn = this.mrnPatterns.equals(DEFAULT_MRNS);
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
                .map(p -> p == DEFAULT_MRN ? "MRN" : p == DEFAULT_ACCOUNT ? "" : requiredPrefix(p.pattern()))
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
     * digits, an SSN 9 digits and two separators (or a run of 9), a card 13 digits, a phone a {@code +} and 3
     * digits or 10 digits and two separators (the phone number library: 10 digits, or 7 with a {@code +}), a
     * numeric date 4 digits and two of {@code - / .}, a written date a 4-digit run and a letter or an apostrophe
     * and a letter, a ZIP code a 5-digit run, the default MRN patterns a run of 6. Detectors run on the text with
     * earlier matches masked, where a run can be a part of an original run: hence "at least" lengths.
     */
    private static final class Features {
        /** Run every regex (the reference for tests). */
        boolean exhaustive;

        int digits;
        boolean at;
        boolean atWord;
        boolean ipv6;
        boolean whitespace;
        boolean letters;
        boolean apostrophe;
        boolean dashOrSlash;
        int maxRun;
        boolean ipv4;
        boolean ssn;
        boolean card;
        boolean phone;
        boolean phoneLibrary;
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
            f.at = f.atWord = f.ipv6 = f.whitespace = f.letters = f.apostrophe = f.dashOrSlash = true;
            f.ipv4 = f.ssn = f.card = f.phone = f.phoneLibrary = f.numericDate = true;
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
                        f.dashOrSlash = true;
                        f.clusterSsnSeps++;
                        f.clusterDateSeps++;
                        f.clusterSeps++;
                    }
                    case '.' -> {
                        f.clusterDots++;
                        f.clusterDateSeps++;
                        f.clusterSsnSeps++;
                        f.clusterSeps++;
                    }
                    case '/' -> {
                        f.dashOrSlash = true;
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
                        } else if (c == '\'') {
                            f.apostrophe = true;
                        } else if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                            f.whitespace = true;
                        } else if ((c | 0x20) == 't' && i > 0 && (text.charAt(i - 1) | 0x20) == 'a') {
                            f.atWord |= i > 1 && beforeAtWord(text.charAt(i - 2));
                        }
                        f.letters |= Character.isLetter(c);
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
                phoneLibrary |= clusterDigits >= 10 || (clusterPlus && clusterDigits >= 7);
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

    /** A scanner with the given detectors; {@code mrnPatterns} empty means the default MRN patterns. */
    public static PhiScanner of(Set<Detector> detectors, List<String> mrnPatterns) {
        return new PhiScanner(detectors, compileMrn(mrnPatterns));
    }

    /** Compiles MRN patterns (case-insensitive); the default patterns when none are given. */
    static List<Pattern> compileMrn(List<String> mrnPatterns) {
        if (mrnPatterns.isEmpty()) {
            return DEFAULT_MRNS;
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

    /** A scanner with every detector and the default MRN patterns. */
    public static PhiScanner defaults() {
        return of(Set.of(Detector.values()), List.of());
    }

    /** The compiled MRN patterns (the URL sanitizer also uses them for path segments). */
    public List<Pattern> mrnPatterns() {
        return mrnPatterns;
    }

    /** Scans {@code text}; when nothing matches the result holds the same string and no counts. */
    public Result scan(String text) {
        return scan(text, null);
    }

    /**
     * Scans {@code text} that travels in {@code field} (a path such as {@code properties.clinic_zip}, or null):
     * the field's name is context for the ZIP, IP and bare-SSN rules.
     */
    public Result scan(String text, @Nullable Object field) {
        if (enabled.isEmpty()) {
            return new Result(text, Map.of());
        }
        return mayMatch(text) ? scanCandidate(text, field) : new Result(text, Map.of());
    }

    /** {@link #scan} for a string {@link #mayMatch} already accepted. */
    Result scanCandidate(String text, @Nullable Object field) {
        return scan(text, field, false);
    }

    /**
     * False when no detector can match {@code text}, as for most outgoing strings (names, categories, URLs without
     * digits): no digit, no {@code @}, fewer than two colons, no "at" written as a word, and nothing that can be
     * an encoding ({@link TextDecoder#mayBeEncoded}). Tight loops, no allocation.
     */
    public boolean mayMatch(String text) {
        if (enabled.isEmpty()) {
            return false;
        }
        // One pass for both questions: can a detector match the text as sent, and can the text hold an encoding
        // (the conditions of TextDecoder.mayBeEncoded, which the tests hold this loop to)?
        int colons = 0;
        int run = 0;
        boolean lower = false;
        boolean letter = false;
        boolean digit = false;
        boolean mixedCase = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '@' || c == '+' || c >= 0x80 || (c == ':' && ++colons >= 2)) {
                return true;
            }
            if ((c | 0x20) == 't' && i > 1 && (text.charAt(i - 1) | 0x20) == 'a' && beforeAtWord(text.charAt(i - 2))) {
                return true;
            }
            if ((c == '%' || c == '&') && TextDecoder.mayBeEncoded(text)) {
                return true;
            }
            if (c >= 'A' && c <= 'Z') {
                letter = true;
                mixedCase |= lower;
            } else if (c >= 'a' && c <= 'z') {
                letter = lower = true;
            } else if (c != '/' && c != '_' && c != '-' && c != '=') {
                run = 0;
                lower = letter = digit = mixedCase = false;
                continue;
            }
            if (++run >= TextDecoder.MIN_BASE64 && (mixedCase || (digit && letter))) {
                return true;
            }
        }
        return false;
    }

    /** What can stand before an "at" written as a word ({@code jane at}, {@code jane [at]}). */
    private static boolean beforeAtWord(char c) {
        return c == ' ' || c == '(' || c == '[' || c == '{' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
                || c == 0x0B;
    }

    /** Scans with every enabled detector's regex, without the shortcuts: the reference for tests. */
    Result scanWithoutShortcuts(String text) {
        if (enabled.isEmpty()) {
            return new Result(text, Map.of());
        }
        return scan(text, null, true);
    }

    /** A match: the span of the text as sent, its detector (null: undecodable), and the decodings that revealed it. */
    private record Span(
            int start,
            int end,
            @Nullable Detector detector,
            @Nullable String via) {}

    private Result scan(String text, @Nullable Object field, boolean exhaustive) {
        List<Span> spans = new ArrayList<>(2);
        Leaf leaf = new Leaf(field);
        detect(text, exhaustive ? Features.everything() : Features.of(text), leaf, spans, null, null, null);
        if (exhaustive || TextDecoder.mayBeEncoded(text)) {
            for (TextDecoder.Form form : TextDecoder.forms(text)) {
                Features f = exhaustive ? Features.everything() : Features.of(form.text());
                detect(form.text(), f, leaf, spans, form.from(), form.to(), form.via());
                if (form.undecodableFrom() >= 0) {
                    spans.add(new Span(form.undecodableFrom(), form.undecodableTo(), null, null));
                }
            }
        }
        if (spans.isEmpty()) {
            return new Result(text, Map.of());
        }
        return redact(text, spans);
    }

    /** The field name, normalized once and only when a context rule needs it. */
    private static final class Leaf {
        private final @Nullable Object field;
        private @Nullable String name;

        Leaf(@Nullable Object field) {
            this.field = field;
        }

        String get() {
            if (name == null) {
                name = ContextWords.leaf(field);
            }
            return name;
        }
    }

    /**
     * Runs the enabled detectors over {@code text} in order, each on the text with earlier matches masked, and adds
     * their spans to {@code out}: as they are, or mapped back to the original text through {@code from/to} when
     * {@code text} is a decoded form.
     */
    private void detect(
            String text,
            Features f,
            Leaf leaf,
            List<Span> out,
            int @Nullable [] from,
            int @Nullable [] to,
            @Nullable String via) {
        if (f.digits == 0 && !f.at && !f.ipv6 && !f.atWord) {
            return;
        }
        Masked m = new Masked(text, from, to, via, out);
        if (enabled.contains(Detector.EMAIL)) {
            if (f.at || (f.digits > 0 && text.contains("%40"))) {
                m.find(EMAIL, Detector.EMAIL, (t, s, e) -> !looksLikeFile(t, s, e));
            }
            if (f.atWord) {
                m.find(OBFUSCATED_EMAIL, Detector.EMAIL, PhiScanner::isObfuscatedEmail);
            }
        }
        if (enabled.contains(Detector.IP)) {
            if (f.ipv4) {
                m.find(IPV4, Detector.IP, (t, s, e) -> !ContextWords.isVersion(t, s, leaf.get()));
            }
            if (f.ipv6) {
                m.find(IPV6_CANDIDATE, Detector.IP, (t, s, e) -> IpLiterals.isIpv6(t.substring(s, e)));
            }
        }
        if (enabled.contains(Detector.SSN)) {
            if (f.ssn) {
                m.find(SSN, Detector.SSN, null);
            }
            if (f.maxRun >= 9) {
                m.find(SSN_BARE, Detector.SSN, (t, s, e) -> !ContextWords.isIdNumber(t, s, leaf.get()));
            }
        }
        if (enabled.contains(Detector.CREDIT_CARD) && f.card) {
            m.find(CARD_CANDIDATE, Detector.CREDIT_CARD, (t, s, e) -> isCardNumber(t.substring(s, e)));
        }
        if (enabled.contains(Detector.PHONE)) {
            if (f.phone) {
                m.find(PHONE, Detector.PHONE, null);
            }
            if (f.phoneLibrary) {
                m.findPhoneNumbers();
            }
        }
        if (enabled.contains(Detector.DATE)
                && (f.numericDate
                        || f.maxRun >= 8
                        || (f.maxRun >= 4 && f.letters && (f.whitespace || f.dashOrSlash))
                        || (f.apostrophe && f.letters && f.whitespace))) {
            m.find(
                    DATE,
                    Detector.DATE,
                    (t, s, e) -> !ContextWords.dateInIdentifier(t, s, e) && !ContextWords.isVersion(t, s, leaf.get()));
        }
        if (enabled.contains(Detector.MRN) && f.digits > 0 && (!defaultMrn || f.maxRun >= 6)) {
            for (int i = 0; i < mrnPatterns.size(); i++) {
                Pattern p = mrnPatterns.get(i);
                if (f.exhaustive
                        || (p == DEFAULT_ACCOUNT
                                ? mayNameAnAccount(m.text())
                                : mayContain(m.text(), mrnLiterals.get(i)))) {
                    m.find(mrnPatterns.get(i), Detector.MRN, null);
                }
            }
        }
        if (enabled.contains(Detector.ZIP) && f.maxRun >= 5) {
            m.find(ZIP, Detector.ZIP, (t, s, e) -> ContextWords.isZip(t, s, e, leaf.get()));
        }
    }

    /** Whether {@code text} has a word {@link #DEFAULT_ACCOUNT} starts with (ASCII case ignored). */
    private static boolean mayNameAnAccount(String text) {
        return containsIgnoreAsciiCase(text, "acc")
                || containsIgnoreAsciiCase(text, "member")
                || containsIgnoreAsciiCase(text, "policy")
                || containsIgnoreAsciiCase(text, "chart")
                || containsIgnoreAsciiCase(text, "patient");
    }

    /** Accepts or rejects a regex match at {@code [start, end)} of {@code text}. */
    private interface Check {
        boolean accept(String text, int start, int end);
    }

    /**
     * The text a detector sees: the original with earlier matches masked by {@code █} (same length, so positions
     * hold and a masked span matches nothing), recording each match as a {@link Span} of the original text.
     */
    private static final class Masked {
        private final int @Nullable [] from;
        private final int @Nullable [] to;
        private final @Nullable String via;
        private final List<Span> out;
        private String text;
        private char @Nullable [] chars;

        Masked(String text, int @Nullable [] from, int @Nullable [] to, @Nullable String via, List<Span> out) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.via = via;
            this.out = out;
        }

        String text() {
            return text;
        }

        void find(Pattern p, Detector d, @Nullable Check check) {
            Matcher matcher = p.matcher(text);
            boolean any = false;
            while (matcher.find()) {
                int s = matcher.start();
                int e = matcher.end();
                if (e > s && (check == null || check.accept(text, s, e))) {
                    mask(s, e, d);
                    any = true;
                }
            }
            if (any) {
                text = new String(chars);
            }
        }

        /** Phone numbers in any national or international format, by Google's libphonenumber. */
        void findPhoneNumbers() {
            boolean any = false;
            for (PhoneNumberMatch match : PHONE_NUMBERS.findNumbers(text, PHONE_REGION, Leniency.VALID, 64)) {
                if (isPhoneSpan(text, match.start(), match.end())) {
                    mask(match.start(), match.end(), Detector.PHONE);
                    any = true;
                }
            }
            if (any) {
                text = new String(chars);
            }
        }

        private void mask(int s, int e, Detector d) {
            if (chars == null) {
                chars = text.toCharArray();
            }
            for (int i = s; i < e; i++) {
                chars[i] = '\u2588';
            }
            out.add(from == null ? new Span(s, e, d, null) : new Span(from[s], to[e - 1], d, via));
        }
    }

    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    /**
     * A number the library found counts when it has 10 digits, or 7 after a {@code +}, and does not continue a
     * word, path or version ({@code Chrome/131.0.0.000}): the conditions {@link Features#phoneLibrary} promises.
     */
    static boolean isPhoneSpan(String text, int start, int end) {
        if (start > 0) {
            char p = text.charAt(start - 1);
            if (Character.isLetterOrDigit(p) || p == '/' || p == '.' || p == '_' || p == '-') {
                return false;
            }
        }
        int digits = 0;
        boolean plus = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            digits += c >= '0' && c <= '9' ? 1 : 0;
            plus |= c == '+';
        }
        return digits >= 10 || (plus && digits >= 7);
    }

    /** {@code hero@2x.png}, {@code logo@3x.webp}: image names, not addresses. */
    private static boolean looksLikeFile(String text, int start, int end) {
        int dot = text.lastIndexOf('.', end - 1);
        return dot > start
                && FILE_EXTENSIONS.contains(text.substring(dot + 1, end).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * An obfuscated address needs a known top-level domain at the end and either a spelled-out "dot" or a
     * bracketed "at": "you at example.org" stays (a sentence), "jane at example dot org" goes.
     */
    private static boolean isObfuscatedEmail(String text, int start, int end) {
        String match = text.substring(start, end).toLowerCase(java.util.Locale.ROOT);
        int i = end;
        while (i > start && Character.isLetterOrDigit(text.charAt(i - 1))) {
            i--;
        }
        String tld = text.substring(i, end).toLowerCase(java.util.Locale.ROOT);
        boolean spelled = match.matches("(?s).*(?:\\s|[)\\]}])dot(?:\\s|[(\\[{]).*")
                || match.matches("(?s).*[(\\[{]\\s*at\\s*[)\\]}].*");
        return spelled && OBFUSCATED_TLDS.contains(tld);
    }

    /** Replaces each span (merged where they overlap) by its detector's token; counts per detector. */
    private static Result redact(String text, List<Span> spans) {
        spans.sort(java.util.Comparator.comparingInt(Span::start).thenComparingInt(sp -> -sp.end()));
        EnumMap<Detector, Integer> counts = new EnumMap<>(Detector.class);
        EnumMap<Detector, String> via = new EnumMap<>(Detector.class);
        java.util.EnumSet<Detector> raw = java.util.EnumSet.noneOf(Detector.class);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int undecodable = 0;
        int last = 0;
        Span open = null;
        int openEnd = -1;
        for (Span sp : spans) {
            if (open != null && sp.start() < openEnd) {
                openEnd = Math.max(openEnd, sp.end()); // overlapping: one token, the first span's detector
                continue;
            }
            if (open != null) {
                sb.append(open.detector() == null ? UNDECODABLE : redaction(open.detector()));
                last = openEnd;
            }
            sb.append(text, last, sp.start());
            open = sp;
            openEnd = sp.end();
            if (sp.detector() == null) {
                undecodable++;
            } else {
                counts.merge(sp.detector(), 1, Integer::sum);
                if (sp.via() == null) {
                    raw.add(sp.detector());
                } else {
                    via.putIfAbsent(sp.detector(), sp.via());
                }
            }
        }
        sb.append(open.detector() == null ? UNDECODABLE : redaction(open.detector()));
        sb.append(text, openEnd, text.length());
        raw.forEach(via::remove);
        return new Result(sb.toString(), counts, via, undecodable);
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
