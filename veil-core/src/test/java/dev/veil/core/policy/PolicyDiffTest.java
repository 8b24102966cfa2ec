package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {

    private static List<String> diff(String from, String to) {
        return PolicyDiff.between(Yaml.parse(from), Yaml.parse(to)).stream()
                .map(PolicyDiff.Change::toString)
                .toList();
    }

    private static String example(String find, String replace) {
        String yaml = Yaml.example();
        assertThat(yaml).contains(find);
        return yaml.replace(find, replace);
    }

    @Test
    void equal_policies_have_no_changes() {
        assertThat(diff(Yaml.example(), Yaml.example())).isEmpty();
    }

    @Test
    void an_exported_policy_has_no_changes_from_its_source() {
        Policy p = Yaml.parse(Yaml.example());
        assertThat(PolicyDiff.between(p, Yaml.parse(PolicyExporter.export(p)))).isEmpty();
    }

    @Test
    void a_new_property_on_an_event_starts_flowing() {
        String to = example(
                "            currency: pass\n", "            currency: pass\n            doctor_specialty: pass\n");
        assertThat(diff(Yaml.example(), to))
                .containsExactly(
                        "ga4-marketing: starts receiving property `doctor_specialty` of event `Appointment Booked`");
        assertThat(diff(to, Yaml.example()))
                .containsExactly(
                        "ga4-marketing: stops receiving property `doctor_specialty` of event `Appointment Booked`");
    }

    @Test
    void the_spec_sentence_for_service_line() {
        String from = example("            service_line: pass\n", "");
        assertThat(diff(from, Yaml.example()))
                .containsExactly(
                        "ga4-marketing: starts receiving property `service_line` of event `Appointment Booked`");
    }

    @Test
    void a_changed_transform_is_shown_from_and_to() {
        String to = example("      zip: zip3\n", "      zip: {transform: pass, reason: \"a ZIP alone is coarse\"}\n");
        assertThat(diff(Yaml.example(), to)).containsExactly("ga4-marketing: trait `zip`: zip3 → pass");
    }

    @Test
    void events_that_start_and_stop_flowing_and_renames() {
        String to = example(
                        "        - name: \"Signed Up\"\n",
                        "        - name: \"Form Submitted\"\n          as: generate_lead\n")
                .replace("as: book_appointment", "as: purchase");
        assertThat(diff(Yaml.example(), to))
                .containsExactly(
                        "ga4-marketing: event `Appointment Booked` is now sent as `purchase` (was `book_appointment`)",
                        "ga4-marketing: starts receiving event `Form Submitted` as `generate_lead`",
                        "ga4-marketing: stops receiving event `Signed Up`");
    }

    @Test
    void destination_wide_properties_and_traits() {
        String to = example("      plan: pass\n", "      plan: pass\n      member_tier: pass\n")
                .replace("      age: age90\n", "");
        assertThat(diff(Yaml.example(), to))
                .containsExactly(
                        "ga4-marketing: starts receiving property `member_tier` on every allowed event",
                        "ga4-marketing: stops receiving trait `age`");
    }

    @Test
    void context_identity_consent_baa_and_enabled_changes() {
        String to = example("      ip: geo ", "      ip: pass ")
                .replace("clickIds: [gclid, gbraid, wbraid]", "clickIds: [gclid, fbclid]")
                .replace("      userId: mask   ", "      userId: drop   ")
                .replace("consent: [analytics]", "consent: [analytics, advertising]")
                .replace("baa: false  ", "baa: true   ")
                .replace("enabled: true", "enabled: false")
                .replace("      identify: true", "      identify: false");
        assertThat(diff(Yaml.example(), to))
                .containsExactly(
                        "ga4-marketing: disabled: stops receiving everything",
                        "ga4-marketing: baa: false → true",
                        "ga4-marketing: now also needs consent `advertising`",
                        "ga4-marketing: identity userId: mask → drop",
                        "ga4-marketing: context ip: geo → pass",
                        "ga4-marketing: starts receiving click id `fbclid`",
                        "ga4-marketing: stops receiving click id `gbraid`",
                        "ga4-marketing: stops receiving click id `wbraid`",
                        "ga4-marketing: stops receiving identify calls");
    }

    @Test
    void settings_changes_never_show_values() {
        String to = example("measurementId: G-ABC123DEF", "measurementId: G-XYZ999")
                .replace("${env:GA4_API_SECRET}", "${env:GA4_SECRET_V2}");
        List<String> changes = diff(Yaml.example(), to);
        assertThat(changes)
                .containsExactly(
                        "ga4-marketing: setting `measurementId` changed", "ga4-marketing: setting `apiSecret` changed");
        assertThat(String.join("\n", changes)).doesNotContain("G-XYZ", "GA4_SECRET_V2");
    }

    @Test
    void added_and_removed_destinations() {
        String added = Yaml.example()
                + "  - id: meta-ads\n    type: meta\n    events:\n      allow:\n        - name: Lead\n"
                + "          properties: {value: pass}\n    context: {clickIds: [fbclid]}\n";
        assertThat(diff(Yaml.example(), added))
                .containsExactly(
                        "meta-ads: added (type meta)",
                        "meta-ads: starts receiving click id `fbclid`",
                        "meta-ads: starts receiving event `Lead`",
                        "meta-ads: starts receiving property `value` of event `Lead`");
        assertThat(diff(added, Yaml.example())).containsExactly("meta-ads: removed: stops receiving everything");
    }

    @Test
    void privacy_and_source_changes() {
        String to = example("utm_content, utm_id]", "utm_content]")
                .replace("onMatch: redact ", "onMatch: dropEvent ")
                .replace("honorGpc: true", "honorGpc: false")
                .replace(
                        "detectors: [email, phone, ssn, date, mrn, ip, creditCard, zip]",
                        "detectors: [email, phone, ssn, date, mrn, ip, creditCard]")
                .replace(
                        "action: dropEvent  ",
                        "action: dropEvent\n      - match: \"/billing/**\"\n        action: dropEvent  ")
                .replace(
                        "allowedOrigins: [\"https://www.example-health.org\"]",
                        "allowedOrigins: [\"https://portal.example-health.org\"]");
        assertThat(diff(Yaml.example(), to))
                .containsExactly(
                        "privacy: no longer keeps query parameter `utm_id`",
                        "privacy: new sensitive page `/billing/**`: events are dropped",
                        "privacy: stops scanning with detector `zip`",
                        "privacy: scanner onMatch: redact → dropEvent",
                        "privacy: stops honoring Sec-GPC",
                        "source website: starts accepting origin `https://portal.example-health.org`",
                        "source website: stops accepting origin `https://www.example-health.org`");
    }
}
