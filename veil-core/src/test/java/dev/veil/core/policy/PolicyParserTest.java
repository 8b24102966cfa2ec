package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.PrivacySettings.ConsentDefault;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private final Policy policy = Yaml.parse(Yaml.example());

    @Test
    void reads_the_privacy_block() {
        PrivacySettings p = policy.privacy();
        assertThat(p.url().keepQueryParams())
                .containsExactly("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id");
        assertThat(p.url().redactPaths()).containsExactly("/patients/{patientId}/**", "/appointments/{id}");
        assertThat(p.url().sensitivePages())
                .containsExactly(
                        new SensitivePage("/conditions/**", "/conditions/*", SensitiveAction.REPLACE),
                        new SensitivePage("/portal/**", null, SensitiveAction.DROP_EVENT));
        assertThat(p.scanner().detectors()).containsExactlyInAnyOrder(Detector.values());
        assertThat(p.scanner().mrnPatterns()).containsExactly("MRN[- ]?\\d{6,10}");
        assertThat(p.scanner().onMatch()).isEqualTo(OnMatch.REDACT);
        assertThat(p.geo().database()).isEqualTo("/etc/veil/GeoLite2-City.mmdb");
        assertThat(p.consent().defaultConsent()).isEqualTo(ConsentDefault.DENIED);
        assertThat(p.consent().honorGpc()).isTrue();
    }

    @Test
    void reads_the_source_with_its_write_key_as_a_reference() {
        assertThat(policy.sources())
                .containsExactly(new SourceSpec(
                        "website",
                        "Patient website",
                        new SecretRef(SecretRef.Kind.ENV, "WEBSITE_WRITE_KEY"),
                        List.of("https://www.example-health.org")));
    }

    @Test
    void reads_the_destination() {
        DestinationPolicy d = policy.destination("ga4-marketing").orElseThrow();
        assertThat(d.type()).isEqualTo("ga4");
        assertThat(d.name()).isEqualTo("GA4 (marketing)");
        assertThat(d.enabled()).isTrue();
        assertThat(d.baa()).isFalse();
        assertThat(d.consent()).containsExactly("analytics");
        assertThat(d.settings())
                .containsExactly(
                        Map.entry("measurementId", new SettingValue.Literal("G-ABC123DEF")),
                        Map.entry(
                                "apiSecret",
                                new SettingValue.Secret(new SecretRef(SecretRef.Kind.ENV, "GA4_API_SECRET"))));
        assertThat(d.identity()).isEqualTo(Identity.DEFAULTS);
        assertThat(d.context())
                .isEqualTo(new Context(
                        IpAction.GEO,
                        UserAgentAction.GENERALIZE,
                        UrlAction.SANITIZE,
                        UrlAction.SANITIZE,
                        Toggle.DROP,
                        Toggle.PASS,
                        Toggle.PASS,
                        Toggle.PASS,
                        List.of("gclid", "gbraid", "wbraid")));
        assertThat(d.events().pages()).isTrue();
        assertThat(d.events().identify()).isTrue();
        assertThat(d.events().group()).isFalse();
        assertThat(d.events().alias()).isFalse();
        assertThat(d.events().allow())
                .containsExactly(
                        new AllowedEvent(
                                "Appointment Booked",
                                "book_appointment",
                                Map.of(
                                        "service_line", FieldRule.of(Transform.PASS),
                                        "value", FieldRule.of(Transform.PASS),
                                        "currency", FieldRule.of(Transform.PASS),
                                        "clinic_zip", FieldRule.of(Transform.ZIP3))),
                        new AllowedEvent("Signed Up", null, Map.of()));
        assertThat(d.properties()).containsExactly(Map.entry("plan", FieldRule.of(Transform.PASS)));
        assertThat(d.traits().keySet()).containsExactly("birth_date", "zip", "age");
        assertThat(d.traits().get("age")).isEqualTo(FieldRule.of(Transform.AGE90));
        assertThat(d.groupTraits()).isEmpty();
    }

    @Test
    void keeps_yaml_order_of_properties() {
        AllowedEvent booked = policy.destinations().get(0).events().allow().get(0);
        assertThat(booked.properties().keySet()).containsExactly("service_line", "value", "currency", "clinic_zip");
    }

    @Test
    void a_policy_with_only_a_version_has_the_default_privacy_settings_and_nothing_else() {
        Policy p = Yaml.parse("version: 1\n");
        assertThat(p.privacy()).isEqualTo(PrivacySettings.DEFAULTS);
        assertThat(p.privacy().scanner().detectors()).isEqualTo(Set.of(Detector.values()));
        assertThat(p.privacy().scanner().onMatch()).isEqualTo(OnMatch.REDACT);
        assertThat(p.privacy().consent().defaultConsent()).isEqualTo(ConsentDefault.DENIED);
        assertThat(p.privacy().consent().honorGpc()).isTrue();
        assertThat(p.privacy().geo().database()).isNull();
        assertThat(p.sources()).isEmpty();
        assertThat(p.destinations()).isEmpty();
    }

    @Test
    void a_bare_destination_forwards_nothing_and_masks_every_id() {
        DestinationPolicy d =
                Yaml.parse(Yaml.withDestination("")).destinations().get(0);
        assertThat(d.name()).isEqualTo("d1");
        assertThat(d.enabled()).isTrue();
        assertThat(d.baa()).isFalse();
        assertThat(d.consent()).isEmpty();
        assertThat(d.settings()).isEmpty();
        assertThat(d.identity()).isEqualTo(new Identity(IdAction.MASK, IdAction.MASK, IdAction.MASK, IdAction.MASK));
        assertThat(d.context()).isEqualTo(Context.DEFAULTS);
        assertThat(d.context().ip()).isEqualTo(IpAction.DROP);
        assertThat(d.context().userAgent()).isEqualTo(UserAgentAction.DROP);
        assertThat(d.context().pageUrl()).isEqualTo(UrlAction.DROP);
        assertThat(d.context().clickIds()).isEmpty();
        assertThat(d.events()).isEqualTo(DestinationPolicy.Events.NONE);
        assertThat(d.properties()).isEmpty();
        assertThat(d.traits()).isEmpty();
        assertThat(d.groupTraits()).isEmpty();
    }

    @Test
    void partly_written_blocks_default_the_rest() {
        DestinationPolicy d = Yaml.parse(Yaml.withDestination("identity: {userId: drop}\ncontext: {ip: geo}\n"))
                .destinations()
                .get(0);
        assertThat(d.identity()).isEqualTo(new Identity(IdAction.DROP, IdAction.MASK, IdAction.MASK, IdAction.MASK));
        assertThat(d.context().ip()).isEqualTo(IpAction.GEO);
        assertThat(d.context().referrer()).isEqualTo(UrlAction.DROP);
    }

    @Test
    void a_source_without_name_or_write_key_uses_its_id_and_no_key() {
        SourceSpec s =
                Yaml.parse("version: 1\nsources:\n  - id: app\n").sources().get(0);
        assertThat(s).isEqualTo(new SourceSpec("app", "app", null, List.of()));
    }

    @Test
    void reads_the_long_form_with_a_reason() {
        DestinationPolicy d = Yaml.parse(
                        Yaml.withDestination(
                                "properties:\n  email: {transform: mask, reason: \"joins CRM\"}\n  \"product.category\": pass\n"))
                .destinations()
                .get(0);
        assertThat(d.properties())
                .containsEntry("email", new FieldRule(Transform.MASK, "joins CRM"))
                .containsEntry("product.category", FieldRule.of(Transform.PASS));
    }

    @Test
    void reads_an_allowed_event_written_as_a_plain_name() {
        DestinationPolicy d = Yaml.parse(Yaml.withDestination("events:\n  allow: [\"Signed Up\"]\n"))
                .destinations()
                .get(0);
        assertThat(d.events().allow()).containsExactly(new AllowedEvent("Signed Up", null, Map.of()));
    }

    @Test
    void reads_literal_settings_with_their_yaml_types() {
        DestinationPolicy d = Yaml.parse(
                        Yaml.withDestination(
                                "settings:\n  s: text\n  n: 42\n  f: 1.5\n  b: true\n  q: \"true\"\n  file: ${file:/run/secrets/ga4}\n"))
                .destinations()
                .get(0);
        assertThat(d.settings())
                .containsEntry("s", new SettingValue.Literal("text"))
                .containsEntry("n", new SettingValue.Literal(42L))
                .containsEntry("f", new SettingValue.Literal(1.5d))
                .containsEntry("b", new SettingValue.Literal(true))
                .containsEntry("q", new SettingValue.Literal("true"))
                .containsEntry("file", new SettingValue.Secret(new SecretRef(SecretRef.Kind.FILE, "/run/secrets/ga4")));
    }
}
