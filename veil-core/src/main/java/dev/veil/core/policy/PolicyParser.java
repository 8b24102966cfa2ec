package dev.veil.core.policy;

import dev.veil.core.policy.NodeReader.Fields;
import dev.veil.core.policy.PrivacySettings.Consent;
import dev.veil.core.policy.PrivacySettings.ConsentDefault;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.Geo;
import dev.veil.core.policy.PrivacySettings.Money;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import dev.veil.core.policy.PrivacySettings.Scanner;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import dev.veil.core.policy.PrivacySettings.Url;
import dev.veil.core.policy.YamlTree.Node;
import dev.veil.core.policy.YamlTree.Scalar;
import dev.veil.core.policy.YamlTree.ScalarKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a policy YAML document (shared spec/policy.md) into a {@link Policy}, applying every default of the
 * spec and reporting every structural problem at once, each with its YAML path and line.
 *
 * <p>Structural problems are found here: unknown keys, wrong types, unknown words (transforms, actions,
 * detectors, click ids), duplicate ids, invalid regexes and path templates, malformed secret references.
 * Checks that need more than the document (connector descriptors, traffic) are {@link PolicyValidator}'s.
 * Stateless and thread-safe; {@link #parse} never throws.
 */
public final class PolicyParser {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\*");
    /** A host name of two or more labels, lower case, as a cookie's Domain attribute takes it. */
    private static final Pattern DOMAIN =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    private PolicyParser() {}

    /**
     * Parses {@code yaml}.
     *
     * @param sourceName where the text came from (a file name), used only in {@link PolicyParseResult#sourceName}
     */
    public static PolicyParseResult parse(String yaml, String sourceName) {
        NodeReader r = new NodeReader();
        Node root;
        try {
            root = YamlTree.read(yaml);
        } catch (YamlTree.SyntaxError e) {
            r.error(e.path, e.line, e.getMessage());
            return new PolicyParseResult(sourceName, null, r.errors, r.lines.build());
        }
        if (root == null) {
            r.error("", 0, "the document is empty; expected at least 'version: 1'");
            return new PolicyParseResult(sourceName, null, r.errors, r.lines.build());
        }
        Policy policy = null;
        try {
            policy = readPolicy(r, root);
        } catch (RuntimeException e) {
            // A bug here must not crash a CLI or the console; report it as a problem without any value.
            r.error(
                    "",
                    0,
                    "internal error while reading the policy (" + e.getClass().getSimpleName() + ")");
        }
        return new PolicyParseResult(sourceName, r.errors.isEmpty() ? policy : null, r.errors, r.lines.build());
    }

    private static @Nullable Policy readPolicy(NodeReader r, Node root) {
        Fields f = r.fields(root, "", "version", "privacy", "sources", "destinations");
        if (f == null) {
            return null;
        }
        int version = readVersion(r, f);
        PrivacySettings privacy = f.object(
                "privacy",
                PrivacySettings.DEFAULTS,
                p -> readPrivacy(r, p),
                "url",
                "scanner",
                "geo",
                "consent",
                "money");
        List<SourceSpec> sources = readUniqueIds(r, f, "sources", PolicyParser::readSource, SourceSpec::id);
        List<DestinationPolicy> destinations =
                readUniqueIds(r, f, "destinations", DestinationReader::read, DestinationPolicy::id);
        return new Policy(version, privacy, sources, destinations);
    }

    private static int readVersion(NodeReader r, Fields f) {
        Node n = f.node("version");
        if (n == null) {
            r.error("", f.map.line(), "missing required key 'version'; expected version: 1");
            return 1;
        }
        r.lines.put("version", n.line());
        if (n instanceof Scalar s && s.kind() == ScalarKind.INTEGER && s.text().equals("1")) {
            return 1;
        }
        r.error("version", n.line(), "unsupported version; this Veil reads version 1");
        return 1;
    }

    /** Reads one list item with access to the problem collector; returns null after reporting. */
    @FunctionalInterface
    interface ItemReader<T> {
        @Nullable
        T read(NodeReader r, Node node, String path);
    }

    /** Reads a list of items with ids, reporting duplicate ids at the later item. */
    private static <T> List<T> readUniqueIds(
            NodeReader r, Fields f, String key, ItemReader<T> reader, Function<T, String> id) {
        Node n = f.node(key);
        if (n == null) {
            return List.of();
        }
        r.lines.put(key, n.line());
        if (!(n instanceof YamlTree.ListNode list)) {
            r.error(key, n.line(), "expected a list, found " + NodeReader.typeName(n));
            return List.of();
        }
        List<T> items = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = Paths.item(key, i);
            r.lines.put(path, item.line());
            T value = reader.read(r, item, path);
            if (value == null) {
                continue;
            }
            Integer first = firstIndex.putIfAbsent(id.apply(value), i);
            if (first != null) {
                String idPath = Paths.child(path, "id");
                r.error(idPath, r.lines.lineOf(idPath), "duplicate id; " + Paths.item(key, first) + " has it");
                continue;
            }
            items.add(value);
        }
        return items;
    }

    static @Nullable String readId(NodeReader r, Fields f) {
        String id = f.requiredString("id");
        if (id != null && !ID.matcher(id).matches()) {
            r.error(
                    f.path("id"),
                    f.map.entries().get("id").keyLine(),
                    "an id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            return null;
        }
        return id;
    }

    private static PrivacySettings readPrivacy(NodeReader r, Fields f) {
        PrivacySettings d = PrivacySettings.DEFAULTS;
        Url url = f.object("url", d.url(), u -> readUrl(r, u), "keepQueryParams", "redactPaths", "sensitivePages");
        Scanner scanner =
                f.object("scanner", d.scanner(), s -> readScanner(r, s), "detectors", "mrnPatterns", "onMatch");
        Geo geo = f.object("geo", d.geo(), g -> new Geo(g.optionalString("database")), "database");
        Consent consent = f.object(
                "consent",
                d.consent(),
                c -> new Consent(
                        c.enumValue("default", ConsentDefault.class, ConsentDefault.DENIED), c.bool("honorGpc", true)),
                "default",
                "honorGpc");
        Money money = f.object("money", d.money(), m -> readMoney(r, m), "fields", "maximum");
        return new PrivacySettings(url, scanner, geo, consent, money);
    }

    private static Money readMoney(NodeReader r, Fields f) {
        List<String> fields = f.node("fields") == null ? Money.DEFAULT_FIELDS : f.stringList("fields");
        java.math.BigDecimal maximum = Money.DEFAULT_MAXIMUM;
        Node n = f.node("maximum");
        if (n != null) {
            r.lines.put(f.path("maximum"), n.line());
            if (n instanceof Scalar s
                    && (s.kind() == ScalarKind.INTEGER || s.kind() == ScalarKind.FLOAT)
                    && s.number() != null
                    && new java.math.BigDecimal(s.number().toString()).signum() > 0) {
                maximum = new java.math.BigDecimal(s.number().toString()).stripTrailingZeros();
            } else {
                r.error(f.path("maximum"), n.line(), "expected a positive number, found " + NodeReader.typeName(n));
            }
        }
        return new Money(fields, maximum);
    }

    private static Url readUrl(NodeReader r, Fields f) {
        List<String> keep = f.stringList("keepQueryParams");
        List<String> redact = new ArrayList<>();
        Node redactNode = f.node("redactPaths");
        if (redactNode != null) {
            List<String> read = r.list(redactNode, f.path("redactPaths"), true, (n, p) -> template(r, n, p));
            redact = read == null ? List.of() : read;
        }
        List<SensitivePage> pages = List.of();
        Node pagesNode = f.node("sensitivePages");
        if (pagesNode != null) {
            List<SensitivePage> read =
                    r.list(pagesNode, f.path("sensitivePages"), false, (n, p) -> sensitivePage(r, n, p));
            pages = read == null ? List.of() : read;
        }
        return new Url(keep, redact, pages);
    }

    private static @Nullable String template(NodeReader r, Node n, String path) {
        String s = r.string(n, path);
        if (s == null) {
            return null;
        }
        try {
            PathTemplate.parse(s);
            return s;
        } catch (IllegalArgumentException e) {
            r.error(path, n.line(), "invalid path template: " + e.getMessage());
            return null;
        }
    }

    private static @Nullable SensitivePage sensitivePage(NodeReader r, Node n, String path) {
        Fields f = r.fields(n, path, "match", "replaceWith", "action");
        if (f == null) {
            return null;
        }
        Node matchNode = f.node("match");
        String match = null;
        if (matchNode == null) {
            r.error(path, n.line(), "missing required key 'match'");
        } else {
            match = template(r, matchNode, f.path("match"));
        }
        String replaceWith = null;
        Node replaceNode = f.node("replaceWith");
        if (replaceNode != null) {
            replaceWith = r.string(replaceNode, f.path("replaceWith"));
            if (replaceWith != null && (!replaceWith.startsWith("/") || !replaceWith.matches("[^?#\\s]*"))) {
                r.error(
                        f.path("replaceWith"),
                        replaceNode.line(),
                        "must be a path starting with '/', without query," + " fragment or spaces");
                replaceWith = null;
            }
        }
        SensitiveAction action = f.enumValue(
                "action",
                SensitiveAction.class,
                replaceNode == null ? SensitiveAction.DROP_EVENT : SensitiveAction.REPLACE);
        if (f.node("action") == null && replaceNode == null) {
            r.error(path, n.line(), "needs either replaceWith: <path> or action: dropEvent");
            return null;
        }
        if (action == SensitiveAction.REPLACE && replaceNode == null) {
            r.error(f.path("action"), n.line(), "action replace needs replaceWith: <path>");
            return null;
        }
        if (action == SensitiveAction.DROP_EVENT && replaceNode != null) {
            r.error(f.path("replaceWith"), replaceNode.line(), "is not used with action: dropEvent; remove it");
            return null;
        }
        if (match == null || (action == SensitiveAction.REPLACE && replaceWith == null)) {
            return null;
        }
        return new SensitivePage(match, replaceWith, action);
    }

    private static Scanner readScanner(NodeReader r, Fields f) {
        Set<Detector> detectors = Set.of(Detector.values());
        Node dn = f.node("detectors");
        if (dn != null) {
            List<Detector> read = r.list(dn, f.path("detectors"), true, (n, p) -> r.enumValue(n, p, Detector.class));
            detectors = read == null ? detectors : new LinkedHashSet<>(read);
        }
        List<String> mrn = new ArrayList<>();
        Node mn = f.node("mrnPatterns");
        if (mn != null) {
            List<String> read = r.list(mn, f.path("mrnPatterns"), true, (n, p) -> regex(r, n, p));
            mrn = read == null ? List.of() : read;
        }
        OnMatch onMatch = f.enumValue("onMatch", OnMatch.class, OnMatch.REDACT);
        return new Scanner(detectors, mrn, onMatch);
    }

    private static @Nullable String regex(NodeReader r, Node n, String path) {
        String s = r.string(n, path);
        if (s == null) {
            return null;
        }
        try {
            Pattern.compile(s);
            return s;
        } catch (PatternSyntaxException e) {
            // getDescription() is the reason alone ("Unclosed group"), without the pattern text.
            r.error(path, n.line(), "invalid regular expression: " + e.getDescription() + " at index " + e.getIndex());
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            r.error(path, n.line(), "invalid regular expression");
            return null;
        }
    }

    private static @Nullable SourceSpec readSource(NodeReader r, Node n, String path) {
        Fields f = r.fields(n, path, "id", "name", "writeKey", "allowedOrigins", "identityCookie", "trustedServer");
        if (f == null) {
            return null;
        }
        String id = readId(r, f);
        String name = f.optionalString("name");
        SecretRef writeKey = null;
        Node wk = f.node("writeKey");
        if (wk != null) {
            writeKey = secretOnly(r, wk, f.path("writeKey"));
        }
        List<String> origins = f.stringList("allowedOrigins");
        for (int i = 0; i < origins.size(); i++) {
            if (!ORIGIN.matcher(origins.get(i)).matches()) {
                String p = Paths.item(f.path("allowedOrigins"), i);
                r.error(p, r.lines.lineOf(p), "not an origin; expected scheme://host[:port] without a path");
            }
        }
        SourceSpec.IdentityCookie cookie = readIdentityCookie(r, f);
        boolean trustedServer = f.bool("trustedServer", false);
        if (trustedServer && !origins.isEmpty()) {
            // A browser page could then send with this key, and its context.ip/userAgent would be believed.
            r.error(
                    f.path("allowedOrigins"),
                    r.lines.lineOf(f.path("allowedOrigins")),
                    "a trusted server source accepts no browser origin; use a separate source for browsers");
        }
        if (id == null) {
            return null;
        }
        return new SourceSpec(id, name == null ? id : name, writeKey, origins, cookie, trustedServer);
    }

    /** {@code identityCookie: true | false | {domain: example.org}}; absent or false is off. */
    private static SourceSpec.@Nullable IdentityCookie readIdentityCookie(NodeReader r, Fields source) {
        Node n = source.node("identityCookie");
        if (n == null) {
            return null;
        }
        String path = source.path("identityCookie");
        if (n instanceof Scalar) {
            Boolean on = r.bool(n, path);
            return Boolean.TRUE.equals(on) ? new SourceSpec.IdentityCookie(null) : null;
        }
        Fields f = r.fields(n, path, "domain");
        if (f == null) {
            return null;
        }
        String domain = f.optionalString("domain");
        if (domain != null && !DOMAIN.matcher(domain).matches()) {
            r.error(
                    f.path("domain"),
                    r.lines.lineOf(f.path("domain")),
                    "not a domain; expected a host name such as example.org (no scheme, port or leading dot)");
            return null;
        }
        return new SourceSpec.IdentityCookie(domain);
    }

    /** A value that must be a secret reference: a literal here would put a credential in the policy file. */
    static @Nullable SecretRef secretOnly(NodeReader r, Node n, String path) {
        r.lines.put(path, n.line());
        if (!(n instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            r.error(
                    path,
                    n.line(),
                    "expected a ${env:NAME} or ${file:/path} reference, found " + NodeReader.typeName(n));
            return null;
        }
        SecretRef ref = secretRef(r, s, path);
        if (ref != null && ref.kind() == SecretRef.Kind.SECRET) {
            // Write keys are looked up by hash at ingest; a stored secret would need decrypting per key.
            r.error(path, n.line(), "a write key cannot be a ${secret:…} reference; use ${env:NAME} or ${file:/path}");
            return null;
        }
        if (ref == null && !SecretRef.looksLikeReference(s.text())) {
            r.error(path, n.line(), "a literal secret is not allowed here; use ${env:NAME} or ${file:/path}");
        }
        return ref;
    }

    /** Parses a reference, reporting a malformed one; null (unreported) when the text is not meant as one. */
    static @Nullable SecretRef secretRef(NodeReader r, Scalar s, String path) {
        if (!SecretRef.looksLikeReference(s.text())) {
            return null;
        }
        try {
            var ref = SecretRef.parse(s.text());
            if (ref.isEmpty()) {
                r.error(
                        path,
                        s.line(),
                        "malformed secret reference; expected ${env:NAME}, ${file:/path} or ${secret:NAME}");
                return null;
            }
            return ref.get();
        } catch (IllegalArgumentException e) {
            r.error(path, s.line(), "malformed secret reference: " + e.getMessage());
            return null;
        }
    }
}
