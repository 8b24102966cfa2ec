package dev.veil.core.engine;

import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Sanitizes page URLs and referrers (spec {@code pageUrl|referrer: sanitize}). Immutable and thread-safe; never
 * throws on any input.
 *
 * <p>Steps: remove control characters and treat {@code \} as {@code /} (as browsers do); drop the fragment, the
 * userinfo, path parameters ({@code ;jsessionid=…}) and every query parameter whose decoded name is not in
 * {@code keepQueryParams}; rewrite {@code redactPaths} template variables to {@code {name}}; replace id-like
 * segments (all digits of length ≥ 4, UUIDs, e-mail addresses, MRN patterns, long hex or letter+digit tokens)
 * with {@code {id}}; then apply {@code sensitivePages}. Only {@code http}, {@code https}, scheme-relative and
 * root-relative ({@code /path}) URLs are kept; anything else ({@code javascript:}, {@code data:}, malformed hosts) is dropped whole.
 * Literal path segments in templates match case-insensitively so {@code /Patients/} cannot slip past.
 */
public final class UrlSanitizer {

    /**
     * The outcome of sanitizing one URL.
     *
     * @param url the sanitized URL, or null when the URL was dropped (unparseable or not http)
     * @param path the sanitized path, or null when there is no URL
     * @param dropEvent whether a {@code sensitivePages} rule with {@code action: dropEvent} matched
     * @param rules what was changed, as PHI-free trace rules (e.g. {@code fragment}, {@code query param})
     */
    public record Outcome(@Nullable String url, @Nullable String path, boolean dropEvent, List<String> rules) {
        public Outcome {
            rules = List.copyOf(rules);
        }
    }

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*):(.*)", Pattern.DOTALL);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-_]+)(:\\d{1,5})?");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");
    private static final Pattern MIXED_TOKEN = Pattern.compile("(?=[^/]*\\d)(?=[^/]*[A-Za-z])[A-Za-z0-9_\\-]{16,}");

    private final Set<String> keepQueryParams;
    private final boolean keepsClickIds;
    private final List<String[]> redactTemplates;
    private final List<SensitivePage> sensitivePages;
    private final List<String[]> sensitivePatterns;
    private final List<Pattern> mrnPatterns;
    private final List<String> mrnLiterals;
    private final @Nullable PhiScanner scanner;

    /** A sanitizer whose id rules also run {@code scanner} on each path segment (decoded), when not null. */
    public UrlSanitizer(PrivacySettings.Url settings, PhiScanner scanner) {
        this(settings, scanner.mrnPatterns(), scanner);
    }

    public UrlSanitizer(PrivacySettings.Url settings, List<Pattern> mrnPatterns) {
        this(settings, mrnPatterns, null);
    }

    private UrlSanitizer(PrivacySettings.Url settings, List<Pattern> mrnPatterns, @Nullable PhiScanner scanner) {
        this.scanner = scanner;
        this.keepQueryParams = Set.copyOf(new LinkedHashSet<>(settings.keepQueryParams()));
        this.keepsClickIds = DestinationPolicy.KNOWN_CLICK_IDS.stream().anyMatch(keepQueryParams::contains);
        this.redactTemplates =
                settings.redactPaths().stream().map(UrlSanitizer::segments).toList();
        this.sensitivePages = settings.sensitivePages();
        this.sensitivePatterns =
                sensitivePages.stream().map(p -> segments(p.match())).toList();
        this.mrnPatterns = List.copyOf(mrnPatterns);
        this.mrnLiterals = PhiScanner.mrnLiterals(this.mrnPatterns);
    }

    /** Sanitizes {@code raw}; see the class comment for the steps. */
    public Outcome sanitize(String raw) {
        List<String> rules = new ArrayList<>(4);
        String s = clean(raw);
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
            rules.add("fragment");
        }
        String query = null;
        int q = s.indexOf('?');
        if (q >= 0) {
            query = s.substring(q + 1);
            s = s.substring(0, q);
        }
        String prefix = "";
        String path = s;
        Matcher scheme = SCHEME.matcher(s);
        if (scheme.matches() && !s.startsWith("/")) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            String rest = scheme.group(2);
            if (!(name.equals("http") || name.equals("https")) || !rest.startsWith("//")) {
                return new Outcome(null, null, false, List.of("not an http url"));
            }
            prefix = name + ":";
            path = rest;
        }
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            String authority = slash < 0 ? path.substring(2) : path.substring(2, slash);
            path = slash < 0 ? "" : path.substring(slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
                rules.add("userinfo");
            }
            if (!HOST_PORT.matcher(authority).matches()) {
                return new Outcome(null, null, false, List.of("invalid host"));
            }
            prefix = prefix + "//" + authority.toLowerCase(Locale.ROOT);
            if (path.isEmpty()) {
                path = "/";
            }
        } else if (!prefix.isEmpty()) {
            return new Outcome(null, null, false, List.of("invalid host"));
        } else if (!path.startsWith("/")) {
            // Neither absolute nor root-relative: nothing a browser reports as a page, and ambiguous to resolve.
            return new Outcome(null, null, false, List.of("not an http url"));
        }
        String newPath = sanitizePath(path, rules);
        boolean dropEvent = false;
        String[] segs = segments(newPath);
        for (int i = 0; i < sensitivePatterns.size(); i++) {
            if (matches(sensitivePatterns.get(i), 0, segs, 0, null)) {
                SensitivePage page = sensitivePages.get(i);
                rules.add("sensitivePages[" + i + "]");
                if (page.action() == SensitiveAction.DROP_EVENT) {
                    dropEvent = true;
                } else if (page.replaceWith() != null) {
                    newPath = sanitizePath(page.replaceWith(), new ArrayList<>());
                }
                break;
            }
        }
        String keptQuery = query == null ? "" : filterQuery(query, rules);
        String url = prefix + newPath + (keptQuery.isEmpty() ? "" : "?" + keptQuery);
        return new Outcome(url, newPath, dropEvent, rules);
    }

    private static String clean(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        String t = raw.strip();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                continue;
            }
            sb.append(c == '\\' ? '/' : c);
        }
        return sb.toString();
    }

    private String sanitizePath(String rawPath, List<String> rules) {
        // Templates and id rules apply to decoded segments: /patients%2F84502731%2Fresults is three segments.
        String path = rawPath;
        for (int round = 0; round < TextDecoder.MAX_ROUNDS && path.indexOf('%') >= 0; round++) {
            String d = decode(path, false).replace('\\', '/');
            if (d.equals(path)) {
                break;
            }
            path = d;
            addOnce(rules, "decoded path");
        }
        String[] segs = segments(path);
        boolean absolute = path.startsWith("/");
        for (int i = 0; i < segs.length; i++) {
            int semi = segs[i].indexOf(';');
            if (semi >= 0) {
                segs[i] = segs[i].substring(0, semi);
                addOnce(rules, "path parameter");
            }
        }
        boolean[] fixed = new boolean[segs.length];
        for (String[] tpl : redactTemplates) {
            String[] out = segs.clone();
            if (matches(tpl, 0, segs, 0, out)) {
                for (int i = 0; i < segs.length; i++) {
                    if (!out[i].equals(segs[i])) {
                        fixed[i] = true;
                    }
                }
                segs = out;
                addOnce(rules, "redactPaths");
                break;
            }
        }
        for (int i = 0; i < segs.length; i++) {
            if (!fixed[i] && looksLikeId(segs[i])) {
                segs[i] = "{id}";
                addOnce(rules, "id segment");
            } else if (!fixed[i]) {
                segs[i] = encodeSegment(segs[i]);
            }
        }
        String joined = String.join("/", segs);
        String out = absolute ? "/" + joined : joined;
        // Stripping path parameters can empty the first segments ("/;x/evil.com"); a path must never start
        // with "//", which would turn it into a scheme-relative URL pointing at another host.
        int i = 0;
        while (i + 1 < out.length() && out.charAt(i) == '/' && out.charAt(i + 1) == '/') {
            i++;
        }
        return out.substring(i);
    }

    private static boolean stillEncoded(String s) {
        for (int i = s.indexOf('%'); i >= 0 && i + 2 < s.length(); i = s.indexOf('%', i + 1)) {
            if (Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int longestDigitRun(String s) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            run = c >= '0' && c <= '9' ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /** A decoded segment written back for a URL: RFC 3986 {@code pchar}s as they are, anything else escaped. */
    static String encodeSegment(String segment) {
        StringBuilder sb = null;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@{}".indexOf(c) >= 0;
            if (plain && sb == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(segment.length() + 8).append(segment, 0, i);
            }
            if (plain) {
                sb.append(c);
            } else {
                int cp = segment.codePointAt(i);
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%')
                            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
                i += Character.charCount(cp) - 1;
            }
        }
        return sb == null ? segment : sb.toString();
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static void addOnce(List<String> rules, String rule) {
        if (!rules.contains(rule)) {
            rules.add(rule);
        }
    }

    private boolean looksLikeId(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        String d = segment;
        if (stillEncoded(d)) {
            return true; // still percent-encoded after every round: cannot be decoded unambiguously
        }
        if (longestDigitRun(d) >= 6) {
            return true; // account and record numbers: acct-62752855, invoice_1234567
        }
        if (scanner != null && scanner.scan(d).matched()) {
            return true; // PHI, also once decoded (a base64 e-mail address)
        }
        if (d.length() >= 4 && d.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        // The three token patterns need at least 16 characters; most segments ("appointments", "book") are
        // shorter and skip them.
        if (d.length() >= 16
                && (UUID.matcher(d).matches()
                        || LONG_HEX.matcher(d).matches()
                        || MIXED_TOKEN.matcher(d).matches())) {
            return true;
        }
        if (d.indexOf('@') >= 0 && PhiScanner.EMAIL.matcher(d).find()) {
            return true;
        }
        // As in the PHI scanner, MRN patterns need a digit and run only on text with their literal prefix.
        if (!hasDigit(d)) {
            return false;
        }
        for (int i = 0; i < mrnPatterns.size(); i++) {
            if (PhiScanner.mayContain(d, mrnLiterals.get(i))
                    && mrnPatterns.get(i).matcher(d).find()) {
                return true;
            }
        }
        return false;
    }

    private String filterQuery(String query, List<String> rules) {
        StringBuilder kept = new StringBuilder();
        boolean dropped = false;
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            if (keepQueryParams.contains(name)) {
                kept.append(kept.isEmpty() ? "" : "&").append(encodeName(name));
                if (eq >= 0) {
                    kept.append('=').append(pair, eq + 1, pair.length());
                }
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            rules.add("query param");
        }
        return kept.toString();
    }

    private static String encodeName(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** Splits a path into segments, without the empty segment before a leading {@code /}. */
    static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /**
     * Matches template segments ({@code literal}, {@code *}, {@code **}, {@code {name}}) against path segments,
     * writing {@code {name}} into {@code out} for variable segments when {@code out} is given.
     */
    private static boolean matches(String[] tpl, int ti, String[] segs, int si, String @Nullable [] out) {
        if (ti == tpl.length) {
            return si == segs.length || (si == segs.length - 1 && segs[si].isEmpty());
        }
        String t = tpl[ti];
        if (t.equals("**")) {
            for (int k = si; k <= segs.length; k++) {
                if (matches(tpl, ti + 1, segs, k, out)) {
                    return true;
                }
            }
            return false;
        }
        if (si >= segs.length) {
            return false;
        }
        boolean variable = t.length() > 2 && t.startsWith("{") && t.endsWith("}");
        boolean ok = t.equals("*") || (variable && !segs[si].isEmpty()) || t.equalsIgnoreCase(segs[si]);
        if (!ok && !variable && !t.equals("*")) {
            ok = t.equalsIgnoreCase(decode(segs[si], false));
        }
        if (!ok) {
            return false;
        }
        String before = out == null ? null : out[si];
        if (out != null && variable) {
            out[si] = t;
        }
        if (matches(tpl, ti + 1, segs, si + 1, out)) {
            return true;
        }
        if (out != null) {
            out[si] = before;
        }
        return false;
    }

    /** Percent-decodes {@code s} (and {@code +} as space in query names); malformed escapes stay as they are. */
    static String decode(String s, boolean plusAsSpace) {
        if (s.indexOf('%') < 0 && !(plusAsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            if (c == '+' && plusAsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Whether {@code keepQueryParams} keeps a known click id (which advertising denial must strip again). */
    boolean keepsClickIds() {
        return keepsClickIds;
    }

    /** {@code url} without the query parameters named in {@code names} (names compared decoded). */
    static String withoutQueryParams(String url, java.util.Collection<String> names) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : url.substring(q + 1).split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            if (!pair.isEmpty() && !names.contains(name)) {
                kept.append(kept.isEmpty() ? "" : "&").append(pair);
            }
        }
        return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept);
    }

    @Override
    public String toString() {
        return "UrlSanitizer[keep=" + keepQueryParams + ", redactPaths=" + redactTemplates.size() + ", sensitivePages="
                + sensitivePages.size() + "]";
    }
}
