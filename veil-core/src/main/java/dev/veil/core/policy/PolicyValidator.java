package dev.veil.core.policy;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The semantic checks of shared spec/policy.md ("Validation") on a parsed policy: BAA-only {@code pass}es,
 * literal secrets, identifier-named keys, connector types and settings, plus warnings (nothing allowed,
 * allowed but never seen in traffic, full URLs to BAA vendors, settings that have no effect).
 *
 * <p>Structural checks are {@link PolicyParser}'s; {@link PolicyLoader} runs both. Immutable and thread-safe.
 */
public final class PolicyValidator {

    /**
     * Key names that identify a person (spec list), compared after lower-casing and removing everything but
     * letters and digits, so {@code firstName}, {@code First-Name} and {@code first_name} are all caught.
     */
    static final Set<String> IDENTIFIER_NAMES = Set.of(
            "email",
            "phone",
            "name",
            "firstname",
            "lastname",
            "fullname",
            "dob",
            "birthdate",
            "ssn",
            "address",
            "street",
            "mrn",
            "medicalrecordnumber",
            "insuranceid",
            "memberid",
            "ip");

    /**
     * Key names of fields that usually hold free text, where names, addresses and conditions hide that no pattern
     * finds; compared like {@link #IDENTIFIER_NAMES}.
     */
    static final Set<String> FREE_TEXT_NAMES = Set.of(
            "notes",
            "note",
            "message",
            "msg",
            "query",
            "search",
            "searchterm",
            "searchquery",
            "q",
            "comment",
            "comments",
            "description",
            "feedback",
            "reason",
            "details",
            "text",
            "body",
            "symptoms",
            "symptom",
            "question",
            "answer",
            "freetext",
            "subject",
            "remarks",
            "bio",
            "content",
            "summary",
            "input");

    private final Map<String, ConnectorDescriptor> connectors;

    /** @param connectors the known connector types by {@link ConnectorDescriptor#type()} */
    public PolicyValidator(Map<String, ConnectorDescriptor> connectors) {
        this.connectors = Map.copyOf(connectors);
    }

    /** Validates without traffic information (no "never seen" warnings). */
    public List<PolicyProblem> validate(Policy policy, LineIndex lines) {
        return validate(policy, lines, null);
    }

    /**
     * Validates {@code policy}.
     *
     * @param lines where each YAML path is (from {@link PolicyParseResult#lines()}), or {@link LineIndex#EMPTY}
     * @param traffic recent traffic, or null to skip the "never seen in traffic" warnings
     * @return errors and warnings in document order
     */
    public List<PolicyProblem> validate(Policy policy, LineIndex lines, @Nullable ObservedTraffic traffic) {
        Check check = new Check(lines);
        if (policy.privacy().scanner().detectors().isEmpty()) {
            check.warn("privacy.scanner.detectors", "no detectors: nothing that leaves is scanned for PHI");
        }
        for (int i = 0; i < policy.destinations().size(); i++) {
            DestinationPolicy d = policy.destinations().get(i);
            String path = Paths.item("destinations", i);
            connector(check, d, path);
            baaOnly(check, d, path);
            identifierKeys(check, d, path);
            warnings(check, policy, d, path, traffic);
        }
        return check.problems;
    }

    private void connector(Check check, DestinationPolicy d, String path) {
        ConnectorDescriptor c = connectors.get(d.type());
        if (c == null) {
            check.error(
                    Paths.child(path, "type"),
                    "unknown destination type " + Paths.quoteIfWord(d.type()) + "; expected "
                            + (connectors.isEmpty()
                                    ? "a known connector type"
                                    : YamlNames.orList(new ArrayList<>(new TreeSet<>(connectors.keySet())))));
            return;
        }
        String settingsPath = Paths.child(path, "settings");
        for (SettingSpec spec : c.settings()) {
            if (spec.required()
                    && spec.defaultValue().isEmpty()
                    && !d.settings().containsKey(spec.key())) {
                check.error(
                        settingsPath,
                        "missing required setting '" + spec.key() + "' for type " + d.type() + " (" + spec.description()
                                + ")");
            }
        }
        for (Map.Entry<String, SettingValue> e : d.settings().entrySet()) {
            String p = Paths.child(settingsPath, e.getKey());
            var spec = c.setting(e.getKey());
            if (spec.isEmpty()) {
                List<String> known = c.settings().stream().map(SettingSpec::key).toList();
                check.error(
                        p,
                        "unknown setting " + Paths.quoteIfWord(e.getKey()) + " for type " + d.type()
                                + (known.isEmpty() ? "" : "; expected " + YamlNames.orList(known)));
            } else if (spec.get().secret() && e.getValue() instanceof SettingValue.Literal) {
                check.error(p, "is a secret: write ${env:NAME}, ${file:/path} or ${secret:NAME} instead of the value");
            }
        }
    }

    private static void baaOnly(Check check, DestinationPolicy d, String path) {
        if (d.baa()) {
            return;
        }
        String identity = Paths.child(path, "identity");
        var id = d.identity();
        needsBaa(check, id.userId() == IdAction.PASS, Paths.child(identity, "userId"));
        needsBaa(check, id.anonymousId() == IdAction.PASS, Paths.child(identity, "anonymousId"));
        needsBaa(check, id.groupId() == IdAction.PASS, Paths.child(identity, "groupId"));
        needsBaa(check, id.previousId() == IdAction.PASS, Paths.child(identity, "previousId"));
        String context = Paths.child(path, "context");
        needsBaa(check, d.context().ip() == IpAction.PASS, Paths.child(context, "ip"));
        needsBaa(check, d.context().pageUrl() == UrlAction.PASS, Paths.child(context, "pageUrl"));
        needsBaa(check, d.context().referrer() == UrlAction.PASS, Paths.child(context, "referrer"));
    }

    private static void needsBaa(Check check, boolean isPass, String path) {
        if (isPass) {
            check.error(path, "'pass' needs baa: true; use mask/drop (ids), geo/drop (ip) or sanitize/drop (URLs)");
        }
    }

    private static void identifierKeys(Check check, DestinationPolicy d, String path) {
        if (d.baa()) {
            return;
        }
        identifierKeys(check, d.properties(), Paths.child(path, "properties"));
        for (int j = 0; j < d.events().allow().size(); j++) {
            identifierKeys(
                    check,
                    d.events().allow().get(j).properties(),
                    Paths.child(Paths.item(Paths.child(path, "events.allow"), j), "properties"));
        }
        identifierKeys(check, d.traits(), Paths.child(path, "traits"));
        identifierKeys(check, d.groupTraits(), Paths.child(path, "groupTraits"));
    }

    private static void identifierKeys(Check check, Map<String, FieldRule> rules, String path) {
        rules.forEach((key, rule) -> {
            if (rule.transform() == Transform.PASS && rule.reason() == null && isIdentifierName(key)) {
                check.error(
                        Paths.child(path, key),
                        "'pass' on a key that names an identifier needs baa: true, a mask transform, or"
                                + " {transform: pass, reason: \"why this is not PHI\"}");
            }
        });
    }

    private static void freeText(Check check, Map<String, FieldRule> rules, String path) {
        rules.forEach((key, rule) -> {
            if (rule.transform() == Transform.PASS && rule.reason() == null && isFreeTextName(key)) {
                check.warn(
                        Paths.child(path, key),
                        "'pass' on a field that looks like free text: names, addresses and conditions in it are not"
                                + " found by the PHI scanner's patterns; prefer drop, or give a reason");
            }
        });
    }

    /** Whether the last part of a (dotted) key names a free-text field, e.g. {@code search_query}. */
    static boolean isFreeTextName(String key) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        return FREE_TEXT_NAMES.contains(leaf.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""));
    }

    /** Whether the last part of a (dotted) key names an identifier, e.g. {@code patient.Email}. */
    static boolean isIdentifierName(String key) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        String normalized = leaf.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return IDENTIFIER_NAMES.contains(normalized);
    }

    private static void warnings(
            Check check, Policy policy, DestinationPolicy d, String path, @Nullable ObservedTraffic traffic) {
        var ev = d.events();
        if (ev.allow().isEmpty() && !ev.pages() && !ev.identify() && !ev.group() && !ev.alias()) {
            check.warn(Paths.child(path, "events"), "allows no events: this destination receives nothing");
        }
        if (d.baa() && d.context().pageUrl() == UrlAction.PASS) {
            check.warn(
                    Paths.child(path, "context.pageUrl"),
                    "'pass' sends full URLs with every query parameter; prefer sanitize even with a BAA");
        }
        if (d.context().ip() == IpAction.GEO && policy.privacy().geo().database() == null) {
            check.warn(Paths.child(path, "context.ip"), "'geo' yields nothing without privacy.geo.database");
        }
        if (!d.groupTraits().isEmpty() && !ev.group()) {
            check.warn(Paths.child(path, "groupTraits"), "has no effect: events.group is false");
        }
        Map<String, Integer> sentNames = new HashMap<>();
        for (int j = 0; j < ev.allow().size(); j++) {
            AllowedEvent a = ev.allow().get(j);
            String sent = a.as() == null ? a.name() : a.as();
            Integer first = sentNames.putIfAbsent(sent, j);
            if (first != null) {
                check.warn(
                        Paths.item(Paths.child(path, "events.allow"), j),
                        "is sent under the same event name as events.allow[" + first + "]; the vendor cannot tell"
                                + " them apart");
            }
        }
        freeText(check, d.properties(), Paths.child(path, "properties"));
        for (int j = 0; j < ev.allow().size(); j++) {
            freeText(
                    check,
                    ev.allow().get(j).properties(),
                    Paths.child(Paths.item(Paths.child(path, "events.allow"), j), "properties"));
        }
        freeText(check, d.traits(), Paths.child(path, "traits"));
        freeText(check, d.groupTraits(), Paths.child(path, "groupTraits"));
        if (traffic != null) {
            neverSeen(check, d, path, traffic);
        }
    }

    private static void neverSeen(Check check, DestinationPolicy d, String path, ObservedTraffic traffic) {
        for (int j = 0; j < d.events().allow().size(); j++) {
            AllowedEvent a = d.events().allow().get(j);
            String eventPath = Paths.item(Paths.child(path, "events.allow"), j);
            if (!traffic.propertiesByEvent().containsKey(a.name())) {
                check.warn(eventPath, "this event was never seen in recent traffic (check the name's spelling)");
                continue;
            }
            for (String key : a.properties().keySet()) {
                if (!traffic.seen(a.name(), key)) {
                    check.warn(
                            Paths.child(Paths.child(eventPath, "properties"), key),
                            "allowed but never seen on this event in recent traffic");
                }
            }
        }
        for (String key : d.properties().keySet()) {
            if (!traffic.seenOnAnyEvent(key)) {
                check.warn(
                        Paths.child(Paths.child(path, "properties"), key), "allowed but never seen in recent traffic");
            }
        }
    }

    /** Problems found so far. Mutable, confined to one validation. */
    private static final class Check {
        final List<PolicyProblem> problems = new ArrayList<>();
        final LineIndex lines;

        Check(LineIndex lines) {
            this.lines = lines;
        }

        void error(String path, String detail) {
            problems.add(PolicyProblem.error(path, lines.lineOf(path), detail));
        }

        void warn(String path, String detail) {
            problems.add(PolicyProblem.warning(path, lines.lineOf(path), detail));
        }
    }
}
