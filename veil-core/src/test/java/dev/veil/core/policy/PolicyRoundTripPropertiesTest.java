package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.PrivacySettings.Consent;
import dev.veil.core.policy.PrivacySettings.ConsentDefault;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.Geo;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import dev.veil.core.policy.PrivacySettings.Scanner;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import dev.veil.core.policy.PrivacySettings.Url;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For any policy: parse(export(p)) equals p, and exporting again gives the same text. */
class PolicyRoundTripPropertiesTest {

    @Property(tries = 300)
    void export_then_parse_gives_the_same_policy(@ForAll("policies") Policy policy) {
        String yaml = PolicyExporter.export(policy);
        PolicyParseResult parsed = PolicyParser.parse(yaml, "exported.yaml");
        assertThat(parsed.errors()).as(yaml).isEmpty();
        assertThat(parsed.policy()).as(yaml).isEqualTo(policy);
        assertThat(PolicyExporter.export(parsed.orThrow())).isEqualTo(yaml);
        assertThat(PolicyDiff.between(policy, parsed.orThrow())).isEmpty();
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<List<SourceSpec>> sources = source().list().ofMaxSize(3).uniqueElements(SourceSpec::id);
        Arbitrary<List<DestinationPolicy>> destinations =
                destination().list().ofMaxSize(3).uniqueElements(DestinationPolicy::id);
        return Combinators.combine(privacy(), sources, destinations).as((p, s, d) -> new Policy(1, p, s, d));
    }

    /** Free text with the characters and words that make YAML scalars tricky. */
    private static Arbitrary<String> text() {
        Arbitrary<String> tricky = Arbitraries.of(
                "true",
                "False",
                "null",
                "~",
                "yes",
                "no",
                "on",
                "off",
                "1",
                "-1",
                "1.5",
                "1e3",
                "0x1F",
                ".inf",
                "NaN",
                "a: b",
                "#x",
                "- item",
                "'q'",
                "\"dq\"",
                "{a}",
                "[b]",
                "&anchor",
                "*alias",
                "!tag",
                "|",
                ">",
                "%x",
                "@x",
                "`x`",
                " lead",
                "trail ",
                "line\nbreak",
                "tab\there",
                "é ü 日本",
                "x,y",
                "a #b",
                "?",
                "---",
                "...");
        Arbitrary<String> random = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars(" :#-'\"{}[],&*!|>%@`?é.")
                .ofMinLength(1)
                .ofMaxLength(12);
        return Arbitraries.oneOf(tricky, random).filter(s -> !s.isBlank());
    }

    private static Arbitrary<String> id() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .withChars("-_.")
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(s -> PolicyParser.ID.matcher(s).matches());
    }

    private static Arbitrary<String> key() {
        return Arbitraries.oneOf(
                text().filter(s -> !s.startsWith(".") && !s.endsWith(".") && !s.contains("..")),
                Arbitraries.of("product.category", "email", "patient.zip", "value"));
    }

    private static Arbitrary<String> template() {
        Arbitrary<String> segment = Arbitraries.of("a", "b-c", "x.y", "*", "{id}", "{patientId}", "appointments");
        return segment.list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .uniqueElements()
                .map(segs -> "/" + String.join("/", segs))
                .flatMap(t -> Arbitraries.of(t, t + "/**"));
    }

    private static Arbitrary<SecretRef> secretRef() {
        return Arbitraries.oneOf(
                Arbitraries.of("GA4_API_SECRET", "A", "_x1").map(n -> new SecretRef(SecretRef.Kind.ENV, n)),
                Arbitraries.of("/run/secrets/a", "/etc/veil/key file", "/x:y")
                        .map(n -> new SecretRef(SecretRef.Kind.FILE, n)));
    }

    private static Arbitrary<PrivacySettings> privacy() {
        Arbitrary<SensitivePage> page = Combinators.combine(
                        template(), template(), Arbitraries.of(SensitiveAction.class))
                .as((m, r, a) -> new SensitivePage(m, a == SensitiveAction.REPLACE ? r : null, a));
        Arbitrary<Url> url = Combinators.combine(
                        Arbitraries.of("utm_source", "utm_medium", "gclid", "q")
                                .list()
                                .uniqueElements()
                                .ofMaxSize(4),
                        template().list().uniqueElements().ofMaxSize(3),
                        page.list().ofMaxSize(3))
                .as(Url::new);
        Arbitrary<Scanner> scanner = Combinators.combine(
                        Arbitraries.of(Detector.class).set(),
                        Arbitraries.of("MRN[- ]?\\d{6,10}", "\\bP\\d{7}\\b", "[A-Z]{2}-\\d+")
                                .list()
                                .uniqueElements()
                                .ofMaxSize(2),
                        Arbitraries.of(OnMatch.class))
                .as(Scanner::new);
        Arbitrary<Geo> geo = Arbitraries.of("/etc/veil/GeoLite2-City.mmdb", "/data/geo db.mmdb")
                .injectNull(0.5)
                .map(Geo::new);
        Arbitrary<Consent> consent = Combinators.combine(
                        Arbitraries.of(ConsentDefault.class), Arbitraries.of(true, false))
                .as(Consent::new);
        return Combinators.combine(url, scanner, geo, consent).as(PrivacySettings::new);
    }

    private static Arbitrary<SourceSpec> source() {
        return Combinators.combine(
                        id(),
                        text(),
                        secretRef().injectNull(0.3),
                        Arbitraries.of("https://www.example.org", "http://localhost:8080", "*")
                                .list()
                                .uniqueElements()
                                .ofMaxSize(2))
                .as(SourceSpec::new);
    }

    private static Arbitrary<Map<String, FieldRule>> rules() {
        Arbitrary<FieldRule> rule = Combinators.combine(Arbitraries.of(Transform.class), text().injectNull(0.7))
                .as(FieldRule::new);
        return Arbitraries.maps(key(), rule)
                .ofMaxSize(4)
                .map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)));
    }

    private static Arbitrary<Map<String, SettingValue>> settings() {
        Arbitrary<SettingValue> literal = Arbitraries.oneOf(
                        text().filter(s -> !SecretRef.looksLikeReference(s)).map(s -> (Object) s),
                        Arbitraries.longs().map(l -> (Object) l),
                        Arbitraries.of(true, false).map(b -> (Object) b),
                        Arbitraries.doubles().between(-1e9, 1e9).ofScale(3).map(d -> (Object) d.doubleValue()))
                .map(SettingValue.Literal::new);
        Arbitrary<SettingValue> secret = secretRef().map(SettingValue.Secret::new);
        return Arbitraries.maps(key(), Arbitraries.oneOf(literal, secret)).ofMaxSize(3);
    }

    private static Arbitrary<DestinationPolicy> destination() {
        Arbitrary<Identity> identity = Arbitraries.of(IdAction.class)
                .list()
                .ofSize(4)
                .map(a -> new Identity(a.get(0), a.get(1), a.get(2), a.get(3)));
        Arbitrary<List<Toggle>> toggles = Arbitraries.of(Toggle.class).list().ofSize(4);
        Arbitrary<Context> context = Combinators.combine(
                        Arbitraries.of(IpAction.class),
                        Arbitraries.of(UserAgentAction.class),
                        Arbitraries.of(UrlAction.class),
                        Arbitraries.of(UrlAction.class),
                        toggles,
                        Arbitraries.of(DestinationPolicy.KNOWN_CLICK_IDS)
                                .list()
                                .uniqueElements()
                                .ofMaxSize(4))
                .as((ip, ua, page, ref, t, clicks) ->
                        new Context(ip, ua, page, ref, t.get(0), t.get(1), t.get(2), t.get(3), clicks));
        Arbitrary<AllowedEvent> allowed =
                Combinators.combine(text(), text().injectNull(0.5), rules()).as(AllowedEvent::new);
        Arbitrary<Events> events = Combinators.combine(
                        Arbitraries.of(true, false).list().ofSize(4),
                        allowed.list().ofMaxSize(3).uniqueElements(AllowedEvent::name))
                .as((f, allow) -> new Events(f.get(0), f.get(1), f.get(2), f.get(3), allow));
        Arbitrary<DestinationPolicy> head = Combinators.combine(
                        id(),
                        Arbitraries.of("ga4", "meta", "webhook"),
                        text(),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of("analytics", "advertising", "x y")
                                .list()
                                .uniqueElements()
                                .ofMaxSize(2),
                        settings())
                .as((id, type, name, enabled, baa, consent, settings) -> new DestinationPolicy(
                        id,
                        type,
                        name,
                        enabled,
                        baa,
                        consent,
                        settings,
                        Identity.DEFAULTS,
                        Context.DEFAULTS,
                        Events.NONE,
                        Map.of(),
                        Map.of(),
                        Map.of()));
        return Combinators.combine(head, identity, context, events, rules(), rules(), rules())
                .as((h, i, c, e, p, t, g) -> new DestinationPolicy(
                        h.id(), h.type(), h.name(), h.enabled(), h.baa(), h.consent(), h.settings(), i, c, e, p, t, g));
    }
}
