package dev.veil.core.engine;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the encodings PHI hides in before the scanner decides: percent-encoding (repeated, up to
 * {@value #MAX_ROUNDS} rounds, with {@code +} read both literally and as a space), HTML character references,
 * Unicode compatibility forms (NFKC per character: full-width {@code ＠} and digits, ligatures) with every dash
 * and space variant folded to {@code -} and space and invisible characters removed, and base64 / base64url
 * tokens that decode to printable text. Stateless and thread-safe.
 *
 * <p>Design note: each decoded form remembers, for every one of its characters, the span of the original text it
 * came from. The scanner runs its detectors on the decoded form and redacts the original span of each match, so
 * {@code jane%2540example.org} is redacted whole although the e-mail detector only ever sees
 * {@code jane@example.org}, and a base64 token is redacted whole when its decoded text holds PHI.
 *
 * <p>{@link #mayBeEncoded} is one tight loop over the text; most outgoing strings (names, categories, plain URLs)
 * fail it and cost nothing more.
 */
final class TextDecoder {

    /** Decoding rounds before a value still percent-encoded counts as undecodable. */
    static final int MAX_ROUNDS = 6;

    /**
     * Shortest base64 run that is decoded: 10 characters, 7 bytes, enough for the shortest IPv4 address; shorter
     * runs (SKUs, coupon codes) are not tried, so a bare 5-digit ZIP code in base64 is not decoded.
     */
    static final int MIN_BASE64 = 10;

    /** A decoding, named as the trace names it ("after percent-decoding"). */
    enum Step {
        PERCENT("percent-decoding"),
        PLUS("reading '+' as a space"),
        HTML("HTML entity decoding"),
        UNICODE("Unicode normalization"),
        BASE64("base64-decoding");

        final String words;

        Step(String words) {
            this.words = words;
        }
    }

    /**
     * A decoded form of a text.
     *
     * @param text the decoded text
     * @param from for each character of {@code text}, where its source span starts in the original text
     * @param to for each character, where its source span ends (exclusive)
     * @param steps the decodings that changed something
     * @param undecodableFrom start of a span still percent-encoded after {@link #MAX_ROUNDS} rounds, or -1
     * @param undecodableTo end of that span
     */
    record Form(String text, int[] from, int[] to, Set<Step> steps, int undecodableFrom, int undecodableTo) {
        String via() {
            StringBuilder sb = new StringBuilder();
            for (Step s : steps) {
                sb.append(sb.isEmpty() ? "" : ", ").append(s.words);
            }
            return sb.toString();
        }
    }

    private TextDecoder() {}

    /**
     * Whether {@code s} can hold an encoding: a {@code %}, {@code &}, {@code +} or non-ASCII character, or a run of
     * {@value #MIN_BASE64}+ base64 characters with letters and digits or an upper-case letter after a lower-case
     * one (base64 of text looks like that; capitalized words do not).
     */
    static boolean mayBeEncoded(String s) {
        int run = 0;
        boolean lower = false;
        boolean letter = false;
        boolean digit = false;
        boolean mixedCase = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '+' || c >= 0x80) {
                return true;
            }
            if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                return true;
            }
            if (c == '&' && entityAt(s, i) != null) {
                return true;
            }
            boolean b64 = true;
            if (c >= 'A' && c <= 'Z') {
                letter = true;
                mixedCase |= lower;
            } else if (c >= 'a' && c <= 'z') {
                letter = lower = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '/' && c != '_' && c != '-' && c != '=') {
                b64 = false;
            }
            if (b64) {
                if (++run >= MIN_BASE64 && (mixedCase || (digit && letter))) {
                    return true;
                }
            } else {
                run = 0;
                lower = letter = digit = mixedCase = false;
            }
        }
        return false;
    }

    /**
     * The decoded forms of {@code s} that differ from it: one with {@code +} kept, and, when a {@code +} shows,
     * those with the {@code +}s read as spaces in the first, second or third decoding round (form-encoded text,
     * possibly percent-encoded again). Empty when nothing decodes.
     */
    static List<Form> forms(String s) {
        List<Form> out = new ArrayList<>(2);
        Form literal = decode(identityOf(s), -1);
        if (literal != null) {
            out.add(literal);
        }
        if (s.indexOf('+') >= 0 || (literal != null && literal.text().indexOf('+') >= 0)) {
            // '+' is a space in form-encoded text, decoded in the first round, or in the second or third when the
            // form-encoded text was encoded again; each reading is scanned.
            for (int plusRound = 0; plusRound < 3; plusRound++) {
                Form spaced = decode(identityOf(s), plusRound);
                if (spaced != null && out.stream().noneMatch(f -> f.text().equals(spaced.text()))) {
                    out.add(spaced);
                }
            }
        }
        return out;
    }

    /** A form of {@code s} whose character spans are built only when a decoding needs them. */
    private static Form identityOf(String s) {
        return new Form(s, NO_SPANS, NO_SPANS, EnumSet.noneOf(Step.class), -1, -1);
    }

    private static final int[] NO_SPANS = new int[0];

    private static Form spans(Form f) {
        return f.from() == NO_SPANS ? identity(f.text()) : f;
    }

    private static Form identity(String s) {
        int n = s.length();
        int[] from = new int[n];
        int[] to = new int[n];
        for (int i = 0; i < n; i++) {
            from[i] = i;
            to[i] = i + 1;
        }
        return new Form(s, from, to, EnumSet.noneOf(Step.class), -1, -1);
    }

    /**
     * Decodes until nothing changes, at most {@value #MAX_ROUNDS} rounds: a round is a text pass (percent, HTML,
     * Unicode), or a base64 pass once the text pass changes nothing. Null when nothing changed at all.
     */
    private static @Nullable Form decode(Form start, int plusRound) {
        if (!textPassChanges(start.text(), plusRound == 0) && !hasBase64Text(start.text())) {
            return null; // the common case: nothing to decode, decided without building a form
        }
        Form f = spans(start);
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            Form next = textPass(f, rounds == plusRound);
            if (next == null) {
                next = base64Pass(f);
            }
            if (next == null) {
                break;
            }
            f = next;
            rounds++;
        }
        if (rounds == 0) {
            return null;
        }
        int[] left = stillPercentEncoded(f);
        return left == null ? f : new Form(f.text(), f.from(), f.to(), f.steps(), left[0], left[1]);
    }

    /** Where a valid {@code %XX} escape is left in {@code f}, as an original span; null when none. */
    private static int @Nullable [] stillPercentEncoded(Form f) {
        String t = f.text();
        for (int i = t.indexOf('%'); i >= 0 && i + 2 < t.length(); i = t.indexOf('%', i + 1)) {
            if (hex(t.charAt(i + 1)) >= 0 && hex(t.charAt(i + 2)) >= 0) {
                return new int[] {f.from()[i], f.to()[i + 2]};
            }
        }
        return null;
    }

    /** Builds a form character by character, each with its original span. */
    private static final class Builder {
        final StringBuilder text;
        int[] from;
        int[] to;
        int size;

        Builder(int capacity) {
            text = new StringBuilder(capacity);
            from = new int[capacity];
            to = new int[capacity];
        }

        void add(char c, int f, int t) {
            if (size == from.length) {
                from = java.util.Arrays.copyOf(from, size * 2 + 8);
                to = java.util.Arrays.copyOf(to, size * 2 + 8);
            }
            text.append(c);
            from[size] = f;
            to[size] = t;
            size++;
        }

        void add(CharSequence chars, int f, int t) {
            for (int i = 0; i < chars.length(); i++) {
                add(chars.charAt(i), f, t);
            }
        }

        Form build(Set<Step> steps) {
            return new Form(
                    text.toString(),
                    java.util.Arrays.copyOf(from, size),
                    java.util.Arrays.copyOf(to, size),
                    steps,
                    -1,
                    -1);
        }
    }

    /** The text of the HTML character reference starting at {@code t[i] == '&'}, or null. */
    static @Nullable String entityAt(String t, int i) {
        int semi = t.indexOf(';', i + 2);
        return semi > 0 && semi - i <= 10 ? entity(t.substring(i + 1, semi)) : null;
    }

    /** Whether a text pass would change anything: cheap, so most strings skip building a new form. */
    private static boolean textPassChanges(String t, boolean plusAsSpace) {
        for (int i = 0, n = t.length(); i < n; i++) {
            char c = t.charAt(i);
            if ((c == '%' && i + 2 < n && hex(t.charAt(i + 1)) >= 0 && hex(t.charAt(i + 2)) >= 0)
                    || (c == '+' && plusAsSpace)
                    || (c == '&' && entityAt(t, i) != null)
                    || (c >= 0x80 && fold(c) != null)) {
                return true;
            }
        }
        return false;
    }

    /** One round of percent-decoding, HTML references and Unicode folding; null when nothing changed. */
    private static @Nullable Form textPass(Form f, boolean plusAsSpace) {
        String t = f.text();
        if (!textPassChanges(t, plusAsSpace)) {
            return null;
        }
        int n = t.length();
        Builder b = new Builder(n);
        EnumSet<Step> steps = EnumSet.noneOf(Step.class);
        steps.addAll(f.steps());
        boolean changed = false;
        int i = 0;
        while (i < n) {
            char c = t.charAt(i);
            if (c == '%' && i + 2 < n && hex(t.charAt(i + 1)) >= 0 && hex(t.charAt(i + 2)) >= 0) {
                int j = i;
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                while (j + 2 < n && t.charAt(j) == '%' && hex(t.charAt(j + 1)) >= 0 && hex(t.charAt(j + 2)) >= 0) {
                    bytes.write(hex(t.charAt(j + 1)) * 16 + hex(t.charAt(j + 2)));
                    j += 3;
                }
                b.add(utf8OrLatin1(bytes.toByteArray()), f.from()[i], f.to()[j - 1]);
                steps.add(Step.PERCENT);
                changed = true;
                i = j;
                continue;
            }
            if (c == '+' && plusAsSpace) {
                b.add(' ', f.from()[i], f.to()[i]);
                steps.add(Step.PLUS);
                changed = true;
                i++;
                continue;
            }
            if (c == '&') {
                int semi = t.indexOf(';', i + 2);
                if (semi > 0 && semi - i <= 10) {
                    String decoded = entity(t.substring(i + 1, semi));
                    if (decoded != null) {
                        b.add(decoded, f.from()[i], f.to()[semi]);
                        steps.add(Step.HTML);
                        changed = true;
                        i = semi + 1;
                        continue;
                    }
                }
            }
            if (c >= 0x80) {
                String folded = fold(c);
                if (folded != null) {
                    b.add(folded, f.from()[i], f.to()[i]);
                    steps.add(Step.UNICODE);
                    changed = true;
                    i++;
                    continue;
                }
            }
            b.add(c, f.from()[i], f.to()[i]);
            i++;
        }
        return changed ? b.build(steps) : null;
    }

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("quot", "\""),
            Map.entry("apos", "'"),
            Map.entry("nbsp", " "),
            Map.entry("commat", "@"),
            Map.entry("period", "."),
            Map.entry("hyphen", "-"),
            Map.entry("dash", "-"),
            Map.entry("ndash", "-"),
            Map.entry("mdash", "-"),
            Map.entry("minus", "-"),
            Map.entry("plus", "+"),
            Map.entry("num", "#"),
            Map.entry("lpar", "("),
            Map.entry("rpar", ")"),
            Map.entry("sol", "/"),
            Map.entry("colon", ":"),
            Map.entry("lowbar", "_"),
            Map.entry("percnt", "%"),
            Map.entry("equals", "="));

    /** The text of an HTML character reference's name ({@code #64}, {@code #x40}, {@code commat}), or null. */
    static @Nullable String entity(String name) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp > 0 ? new String(Character.toChars(cp)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return NAMED.get(name);
    }

    /**
     * The ASCII-friendly form of a non-ASCII character: dashes and hyphens become {@code -}, spaces a space,
     * invisible characters nothing, anything else its NFKC form; null when the character stays as it is.
     */
    static @Nullable String fold(char c) {
        switch (c) {
            case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff' -> {
                return "";
            }
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe58', '\ufe63', '\uff0d' -> {
                return "-";
            }
            case '\u00a0', '\u2007', '\u202f', '\u3000' -> {
                return " ";
            }
            default -> {
                if (Character.isSurrogate(c)) {
                    return null;
                }
                String s = String.valueOf(c);
                String n = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
                return n.equals(s) ? null : n;
            }
        }
    }

    /** Whether {@code t} has a base64 run that decodes to printable text (what {@link #base64Pass} decodes). */
    private static boolean hasBase64Text(String t) {
        int n = t.length();
        int i = 0;
        while (i < n) {
            if (!isBase64(t.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && isBase64(t.charAt(j))) {
                j++;
            }
            if (j - i >= MIN_BASE64 && mixed(t, i, j)) {
                String run = t.substring(i, j);
                if (printableBase64(run) != null) {
                    return true;
                }
                int slash = run.indexOf('/');
                if (slash >= 0) {
                    i = i + slash + 1;
                    continue;
                }
            }
            i = j;
        }
        return false;
    }

    /** Base64 and base64url runs that decode to printable text, decoded; null when there are none. */
    private static @Nullable Form base64Pass(Form f) {
        String t = f.text();
        int n = t.length();
        Builder b = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (!isBase64(t.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && isBase64(t.charAt(j))) {
                j++;
            }
            int end = j;
            while (end < n && end - j < 2 && t.charAt(end) == '=') {
                end++;
            }
            String decoded = j - i >= MIN_BASE64 && mixed(t, i, j) ? printableBase64(t.substring(i, j)) : null;
            if (decoded == null && j - i >= MIN_BASE64 && t.substring(i, j).indexOf('/') >= 0) {
                // A run can span URL path segments: try each segment on its own.
                i = i + t.substring(i, j).indexOf('/') + 1;
                continue;
            }
            if (decoded != null) {
                if (b == null) {
                    b = new Builder(n);
                }
                for (int k = copied; k < i; k++) {
                    b.add(t.charAt(k), f.from()[k], f.to()[k]);
                }
                b.add(decoded, f.from()[i], f.to()[end - 1]);
                copied = end;
            }
            i = end;
        }
        if (b == null) {
            return null;
        }
        for (int k = copied; k < n; k++) {
            b.add(t.charAt(k), f.from()[k], f.to()[k]);
        }
        EnumSet<Step> steps = EnumSet.noneOf(Step.class);
        steps.addAll(f.steps());
        steps.add(Step.BASE64);
        return b.build(steps);
    }

    /**
     * Whether {@code t[i, j)} has an upper-case letter after a lower-case one, or letters and digits, as base64
     * of text does (and {@link #mayBeEncoded} requires): a word such as {@code Appointment} is never decoded.
     */
    private static boolean mixed(String t, int i, int j) {
        boolean lower = false;
        boolean letter = false;
        boolean digit = false;
        boolean mixedCase = false;
        for (int k = i; k < j; k++) {
            char c = t.charAt(k);
            if (c >= 'A' && c <= 'Z') {
                letter = true;
                mixedCase |= lower;
            } else if (c >= 'a' && c <= 'z') {
                letter = lower = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            }
        }
        return mixedCase || (digit && letter);
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '/'
                || c == '-'
                || c == '_';
    }

    private static final byte[] BASE64_VALUES = new byte[128];

    static {
        java.util.Arrays.fill(BASE64_VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
        }
        BASE64_VALUES['+'] = 62;
        BASE64_VALUES['-'] = 62;
        BASE64_VALUES['/'] = 63;
        BASE64_VALUES['_'] = 63;
    }

    /**
     * The text a base64 or base64url run decodes to when that is printable UTF-8 text; else null. Written out
     * without exceptions: most runs tried are ordinary tokens (click ids, hashes) that decode to garbage, and
     * this runs on the hot path.
     */
    static @Nullable String printableBase64(String run) {
        boolean standard = run.indexOf('+') >= 0 || run.indexOf('/') >= 0;
        boolean url = run.indexOf('-') >= 0 || run.indexOf('_') >= 0;
        int n = run.length();
        if ((standard && url) || n % 4 == 1) {
            return null;
        }
        byte[] bytes = new byte[n * 3 / 4];
        int len = 0;
        int acc = 0;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            char c = run.charAt(i);
            int v = c < 128 ? BASE64_VALUES[c] : -1;
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                byte b = (byte) (acc >> bits);
                int u = b & 0xff;
                if (u < 0x20 ? u != '\t' && u != '\n' && u != '\r' : u == 0x7f) {
                    return null; // a control character: not text
                }
                bytes[len++] = b;
            }
        }
        String text = validUtf8(bytes, len);
        if (text == null) {
            return null;
        }
        int alnum = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (Character.isISOControl(c)) {
                return null;
            }
            if (Character.isLetterOrDigit(c)) {
                alnum++;
            }
        }
        return alnum * 2 >= text.length() ? text : null;
    }

    /** The UTF-8 text of {@code b[0, len)} when it is well-formed, else null (checked by hand: no exceptions). */
    private static @Nullable String validUtf8(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            int u = b[i] & 0xff;
            int more = u < 0x80
                    ? 0
                    : u >= 0xc2 && u <= 0xdf ? 1 : u >= 0xe0 && u <= 0xef ? 2 : u >= 0xf0 && u <= 0xf4 ? 3 : -1;
            if (more < 0 || i + more >= len) {
                return null;
            }
            for (int k = 1; k <= more; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return null;
                }
            }
            i += more + 1;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    private static String utf8OrLatin1(byte[] bytes) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
