package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyExporterTest {

    @Test
    void the_spec_example_round_trips() {
        Policy policy = Yaml.parse(Yaml.example());
        String exported = PolicyExporter.export(policy);
        assertThat(Yaml.parse(exported)).isEqualTo(policy);
    }

    @Test
    void exporting_twice_gives_the_same_text() {
        Policy policy = Yaml.parse(Yaml.example());
        String once = PolicyExporter.export(policy);
        assertThat(PolicyExporter.export(Yaml.parse(once))).isEqualTo(once);
    }

    @Test
    void writes_secret_references_never_values() {
        String exported = PolicyExporter.export(Yaml.parse(Yaml.example()));
        assertThat(exported)
                .contains("apiSecret: \"${env:GA4_API_SECRET}\"")
                .contains("writeKey: \"${env:WEBSITE_WRITE_KEY}\"");
    }

    @Test
    void writes_keys_in_the_spec_order_with_defaults_spelled_out() {
        String exported = PolicyExporter.export(Yaml.parse(Yaml.withDestination("")));
        assertThat(exported)
                .containsSubsequence(
                        "version: 1",
                        "privacy:",
                        "url:",
                        "scanner:",
                        "detectors:",
                        "- creditCard",
                        "onMatch: redact",
                        "consent:",
                        "default: denied",
                        "honorGpc: true",
                        "destinations:",
                        "- id: d1",
                        "type: ga4",
                        "name: d1",
                        "enabled: true",
                        "baa: false",
                        "identity:",
                        "userId: mask",
                        "context:",
                        "ip: drop",
                        "events:",
                        "pages: false",
                        "allow: []",
                        "properties: {}",
                        "traits: {}",
                        "groupTraits: {}");
    }

    @Test
    void quotes_strings_that_would_read_back_as_other_types() {
        String yaml = Yaml.withDestination(
                "name: \"true\"\nsettings:\n  a: \"123\"\n  b: \"null\"\n  c: \"1.5\"\n"
                        + "  d: 1.0\n  e: 12345678901234567890123\n  f: \"yes\"\n  h: \"1e3\"\n  i: \".inf\"\n  g: \"# not a comment\"\n"
                        + "events:\n  allow:\n    - name: \"a: b\"\n      as: \"- x\"\n"
                        + "traits:\n  \"key with: colon\": {transform: pass, reason: \"multi\\nline 'quoted' \\\"text\\\"\"}\n");
        Policy policy = Yaml.parse(yaml);
        assertThat(Yaml.parse(PolicyExporter.export(policy))).isEqualTo(policy);
    }

    @Test
    void round_trips_sensitive_pages_of_both_kinds_and_long_form_rules() {
        String yaml = "version: 1\nprivacy:\n  url:\n    sensitivePages:\n      - {match: /a/**, replaceWith: /a/*}\n"
                + "      - {match: \"/b/{x}\", action: dropEvent}\n  scanner:\n    detectors: [zip, email]\n"
                + "  consent: {default: granted, honorGpc: false}\n";
        Policy policy = Yaml.parse(yaml);
        assertThat(Yaml.parse(PolicyExporter.export(policy))).isEqualTo(policy);
    }
}
