package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

    private static final String GA4_SETTINGS =
            "settings:\n  measurementId: G-1\n  apiSecret: ${env:GA4_API_SECRET}\nevents:\n  allow: [A]\n";

    private static ValidationReport load(String yaml) {
        return PolicyLoader.load(yaml, "test.yaml", FakeConnectors.ALL);
    }

    private static List<String> errors(String yaml) {
        return load(yaml).errors().stream().map(PolicyProblem::message).toList();
    }

    private static List<String> warnings(String yaml) {
        return load(yaml).warnings().stream().map(PolicyProblem::message).toList();
    }

    @Test
    void the_spec_example_is_valid_with_no_warnings() {
        ValidationReport report = load(Yaml.example());
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.valid()).isTrue();
        assertThat(report.maybePolicy()).isPresent();
    }

    @Test
    void pass_on_an_id_without_a_baa_is_an_error_for_every_identity_field() {
        String yaml = Yaml.withDestination(
                GA4_SETTINGS + "identity:\n  userId: pass\n  anonymousId: pass\n  groupId: pass\n  previousId: pass\n");
        assertThat(errors(yaml))
                .hasSize(4)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].identity.userId: 'pass' needs baa: true")
                        .endsWith("(line 11)"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].identity.anonymousId: 'pass' needs baa: true")
                        .endsWith("(line 12)"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].identity.groupId: 'pass' needs baa: true")
                        .endsWith("(line 13)"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].identity.previousId: 'pass' needs baa: true")
                        .endsWith("(line 14)"));
        assertThat(load(yaml).maybePolicy()).isEmpty();
    }

    @Test
    void pass_on_ip_page_url_or_referrer_without_a_baa_is_an_error() {
        String yaml = Yaml.withDestination(GA4_SETTINGS + "context:\n  ip: pass\n  pageUrl: pass\n  referrer: pass\n");
        assertThat(errors(yaml))
                .hasSize(3)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].context.ip: 'pass' needs baa: true")
                        .endsWith("(line 11)"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].context.pageUrl: 'pass' needs baa: true")
                        .endsWith("(line 12)"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].context.referrer: 'pass' needs baa: true")
                        .endsWith("(line 13)"));
    }

    @Test
    void a_baa_unlocks_pass_for_ids_ip_and_urls() {
        String yaml = Yaml.withDestination(GA4_SETTINGS
                + "baa: true\nidentity: {userId: pass, anonymousId: pass}\ncontext: {ip: pass, referrer: pass}\n");
        assertThat(errors(yaml)).isEmpty();
    }

    @Test
    void page_url_pass_on_a_baa_destination_is_a_warning() {
        String yaml = Yaml.withDestination(GA4_SETTINGS + "baa: true\ncontext:\n  pageUrl: pass\n");
        assertThat(errors(yaml)).isEmpty();
        assertThat(warnings(yaml))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("destinations[0].context.pageUrl: 'pass' sends full URLs")
                .endsWith("(line 12)");
    }

    @Test
    void a_literal_secret_setting_is_an_error_that_does_not_show_the_secret() {
        String yaml = Yaml.withDestination(
                "settings:\n  measurementId: G-1\n  apiSecret: sk_live_123456\nevents: {pages: true}\n");
        ValidationReport report = load(yaml);
        assertThat(report.errors())
                .singleElement()
                .extracting(PolicyProblem::message, org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .isEqualTo(
                        "destinations[0].settings.apiSecret: is a secret: write ${env:NAME}, ${file:/path} or ${secret:NAME}"
                                + " instead of the value (line 7)");
        assertThat(report.format()).doesNotContain("sk_live");
    }

    @Test
    void an_unknown_destination_type_is_an_error() {
        String yaml = "version: 1\ndestinations:\n  - id: x\n    type: snapchat\n    events: {pages: true}\n";
        assertThat(errors(yaml))
                .containsExactly(
                        "destinations[0].type: unknown destination type 'snapchat'; expected ga4, meta or webhook"
                                + " (line 4)");
    }

    @Test
    void a_missing_required_setting_is_an_error_but_one_with_a_default_is_not() {
        String yaml = Yaml.withDestination("settings:\n  apiSecret: ${env:S}\nevents: {pages: true}\n");
        assertThat(errors(yaml))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("destinations[0].settings: missing required setting 'measurementId' for type ga4")
                .endsWith("(line 5)");
    }

    @Test
    void an_unknown_setting_is_an_error() {
        String yaml = Yaml.withDestination(
                "settings:\n  measurementId: G-1\n  measurementID: G-2\n  apiSecret: ${env:S}\nevents: {pages: true}\n");
        assertThat(errors(yaml))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("destinations[0].settings.measurementID: unknown setting 'measurementID' for type ga4;"
                        + " expected measurementId, apiSecret or endpoint")
                .endsWith("(line 7)");
    }

    @Test
    void pass_on_an_identifier_named_key_is_an_error_for_every_spec_name() {
        for (String key : List.of(
                "email",
                "phone",
                "name",
                "first_name",
                "last_name",
                "full_name",
                "dob",
                "birth_date",
                "birthdate",
                "ssn",
                "address",
                "street",
                "mrn",
                "medical_record_number",
                "insurance_id",
                "member_id",
                "ip")) {
            String yaml = Yaml.withDestination(GA4_SETTINGS + "properties:\n  " + key + ": pass\n");
            assertThat(errors(yaml))
                    .as(key)
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("destinations[0].properties." + key + ": 'pass' on a key that names an identifier")
                    .endsWith("(line 11)");
        }
    }

    @Test
    void identifier_names_are_found_in_the_leaf_of_dotted_keys_in_any_case_and_in_traits_and_events() {
        String yaml = Yaml.withDestination("settings:\n  measurementId: G-1\n  apiSecret: ${env:S}\n"
                + "events:\n  allow:\n    - name: A\n      properties:\n        patient.email: pass\n"
                + "traits:\n  Email: pass\n  firstName: pass\ngroupTraits:\n  address: pass\n");
        assertThat(errors(yaml))
                .containsExactly(
                        "destinations[0].events.allow[0].properties.patient.email: 'pass' on a key that names an"
                                + " identifier needs baa: true, a mask transform, or {transform: pass, reason: \"why this"
                                + " is not PHI\"} (line 12)",
                        "destinations[0].traits.Email: 'pass' on a key that names an identifier needs baa: true, a mask"
                                + " transform, or {transform: pass, reason: \"why this is not PHI\"} (line 14)",
                        "destinations[0].traits.firstName: 'pass' on a key that names an identifier needs baa: true, a"
                                + " mask transform, or {transform: pass, reason: \"why this is not PHI\"} (line 15)",
                        "destinations[0].groupTraits.address: 'pass' on a key that names an identifier needs baa: true,"
                                + " a mask transform, or {transform: pass, reason: \"why this is not PHI\"} (line 17)");
    }

    @Test
    void a_reason_or_a_baa_or_a_non_pass_transform_allows_identifier_named_keys() {
        String withReason = Yaml.withDestination(
                GA4_SETTINGS + "properties:\n  name: {transform: pass, reason: \"the product name, not a person\"}\n");
        String masked = Yaml.withDestination(GA4_SETTINGS + "properties:\n  email: mask\n");
        String baa = Yaml.withDestination(GA4_SETTINGS + "baa: true\nproperties:\n  email: pass\n");
        String lookalike = Yaml.withDestination(GA4_SETTINGS + "properties:\n  email_opt_in: pass\n  zip: pass\n");
        assertThat(errors(withReason)).isEmpty();
        assertThat(errors(masked)).isEmpty();
        assertThat(errors(baa)).isEmpty();
        assertThat(errors(lookalike)).isEmpty();
    }

    @Test
    void a_destination_with_no_allowed_events_is_a_warning() {
        String yaml = Yaml.withDestination("settings:\n  measurementId: G-1\n  apiSecret: ${env:S}\n");
        assertThat(warnings(yaml))
                .containsExactly(
                        "destinations[0].events: allows no events: this destination receives nothing (line 3)");
        assertThat(load(yaml).valid()).isTrue();
    }

    @Test
    void allowed_properties_never_seen_in_traffic_are_warnings() {
        String yaml = Yaml.withDestination(GA4_SETTINGS.replace(
                        "allow: [A]",
                        "allow:\n    - name: A\n      properties:\n"
                                + "        value: pass\n        product: pass\n        currency: pass\n    - name: B\n")
                + "properties:\n  plan: pass\n  tier: pass\n");
        ObservedTraffic traffic = new ObservedTraffic(Map.of("A", Set.of("value", "product.category", "plan")));
        List<String> warnings = PolicyLoader.load(yaml, "t.yaml", FakeConnectors.ALL, traffic).warnings().stream()
                .map(PolicyProblem::message)
                .toList();
        assertThat(warnings)
                .containsExactly(
                        "destinations[0].events.allow[0].properties.currency: allowed but never seen on this event in"
                                + " recent traffic (line 14)",
                        "destinations[0].events.allow[1]: this event was never seen in recent traffic (check the name's"
                                + " spelling) (line 15)",
                        "destinations[0].properties.tier: allowed but never seen in recent traffic (line 19)");
    }

    @Test
    void extra_checks_warn_about_settings_without_effect() {
        String yaml = "version: 1\nprivacy:\n  scanner:\n    detectors: []\ndestinations:\n  - id: d1\n    type: ga4\n"
                + GA4_SETTINGS
                        .replace("allow: [A]", "allow:\n    - {name: A, as: x}\n    - {name: B, as: x}\n")
                        .indent(4)
                + "    context: {ip: geo}\n    groupTraits: {plan: pass}\n";
        assertThat(warnings(yaml))
                .containsExactly(
                        "privacy.scanner.detectors: no detectors: nothing that leaves is scanned for PHI (line 4)",
                        "destinations[0].context.ip: 'geo' yields nothing without privacy.geo.database (line 16)",
                        "destinations[0].groupTraits: has no effect: events.group is false (line 17)",
                        "destinations[0].events.allow[1]: is sent under the same event name as events.allow[0]; the"
                                + " vendor cannot tell them apart (line 14)");
    }

    @Test
    void errors_from_parsing_and_validation_are_formatted_for_the_cli() {
        ValidationReport report = load(Yaml.withDestination("context: {ip: pass}\n"));
        assertThat(report.format())
                .contains("test.yaml: error: destinations[0].context.ip: 'pass' needs baa: true")
                .contains("test.yaml: error: destinations[0].settings: missing required setting 'measurementId'")
                .endsWith("test.yaml: 3 errors, 1 warning");
    }
}
