package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import org.junit.jupiter.api.Test;

class PolicyParserErrorsTest {

    @Test
    void an_unknown_context_value_names_path_line_and_choices() {
        String yaml = Yaml.withDestination("context:\n  ip: geolocate\n");
        assertThat(Yaml.errors(yaml))
                .containsExactly(
                        "destinations[0].context.ip: unknown value 'geolocate'; expected drop, geo or pass (line 6)");
    }

    @Test
    void an_unknown_key_at_the_top_is_an_error() {
        assertThat(Yaml.errors("version: 1\ndestination: []\n"))
                .singleElement(STRING)
                .contains("destination: unknown key 'destination'; expected version, privacy, sources or destinations")
                .contains("(line 2)");
    }

    @Test
    void unknown_keys_in_nested_blocks_are_errors() {
        assertThat(Yaml.errors(Yaml.withDestination("context:\n  ipAddress: drop\nevents:\n  pagez: true\n")))
                .hasSize(2)
                .anySatisfy(m -> assertThat(m)
                        .contains("destinations[0].context.ipAddress: unknown key")
                        .contains("(line 6)"))
                .anySatisfy(m -> assertThat(m)
                        .contains("destinations[0].events.pagez: unknown key")
                        .contains("(line 8)"));
    }

    @Test
    void many_errors_are_reported_at_once() {
        String yaml = Yaml.withDestination(
                "baa: yes please\ncontext:\n  ip: nope\n  pageUrl: everything\nidentity:\n  userId: hash\n");
        assertThat(Yaml.errors(yaml)).hasSize(4);
    }

    @Test
    void a_wrong_type_names_what_was_expected_and_found() {
        assertThat(Yaml.errors(Yaml.withDestination("baa: \"true\"\n")))
                .containsExactly("destinations[0].baa: expected true or false, found a string (line 5)");
        assertThat(Yaml.errors(Yaml.withDestination("consent: analytics\n")))
                .containsExactly("destinations[0].consent: expected a list, found a string (line 5)");
        assertThat(Yaml.errors("version: 1\ndestinations: {}\n"))
                .containsExactly("destinations: expected a list, found a mapping (line 2)");
    }

    @Test
    void an_unknown_transform_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("traits:\n  zip: zip5\n")))
                .containsExactly(
                        "destinations[0].traits.zip: unknown value 'zip5'; expected pass, mask, zip3, year, age90 or drop (line 6)");
    }

    @Test
    void an_unknown_transform_in_the_long_form_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("traits:\n  zip: {transform: hash, reason: x}\n")))
                .singleElement(STRING)
                .contains("destinations[0].traits.zip.transform: unknown value 'hash'")
                .contains("(line 6)");
    }

    @Test
    void a_long_form_without_transform_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("traits:\n  zip: {reason: x}\n")))
                .containsExactly("destinations[0].traits.zip: missing required key 'transform' (line 6)");
    }

    @Test
    void unknown_identity_and_detector_and_on_match_words_are_errors() {
        assertThat(Yaml.errors(Yaml.withDestination("identity:\n  userId: hash\n")))
                .containsExactly(
                        "destinations[0].identity.userId: unknown value 'hash'; expected mask, drop or pass (line 6)");
        assertThat(Yaml.errors("version: 1\nprivacy:\n  scanner:\n    detectors: [email, creditcard]\n"))
                .singleElement(STRING)
                .contains("privacy.scanner.detectors[1]: unknown value 'creditcard'; expected email, phone, ssn,"
                        + " date, mrn, ip, creditCard or zip (line 4)");
        assertThat(Yaml.errors("version: 1\nprivacy:\n  scanner:\n    onMatch: block\n"))
                .containsExactly("privacy.scanner.onMatch: unknown value 'block'; expected redact, dropProperty or"
                        + " dropEvent (line 4)");
    }

    @Test
    void an_unknown_click_id_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("context:\n  clickIds: [gclid, yclid]\n")))
                .singleElement(STRING)
                .contains("destinations[0].context.clickIds[1]: unknown click id 'yclid'; expected gclid")
                .contains("(line 6)");
    }

    @Test
    void duplicate_destination_ids_are_errors() {
        String yaml = "version: 1\ndestinations:\n  - id: a\n    type: ga4\n  - id: a\n    type: meta\n";
        assertThat(Yaml.errors(yaml))
                .containsExactly("destinations[1].id: duplicate id; destinations[0] has it (line 5)");
    }

    @Test
    void duplicate_source_ids_are_errors() {
        String yaml = "version: 1\nsources:\n  - id: web\n  - id: web\n";
        assertThat(Yaml.errors(yaml)).containsExactly("sources[1].id: duplicate id; sources[0] has it (line 4)");
    }

    @Test
    void a_duplicate_allowed_event_is_an_error() {
        String yaml = Yaml.withDestination("events:\n  allow:\n    - name: A\n    - name: B\n    - name: A\n");
        assertThat(Yaml.errors(yaml))
                .containsExactly(
                        "destinations[0].events.allow[2].name: event already allowed at destinations[0].events.allow[0] (line 9)");
    }

    @Test
    void a_duplicate_yaml_key_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("baa: false\nbaa: true\n")))
                .containsExactly("destinations[0].baa: duplicate key (line 6)");
    }

    @Test
    void an_invalid_mrn_regex_is_an_error_that_does_not_quote_the_pattern() {
        assertThat(Yaml.errors("version: 1\nprivacy:\n  scanner:\n    mrnPatterns: [\"MRN(\\\\d+\"]\n"))
                .singleElement(STRING)
                .startsWith("privacy.scanner.mrnPatterns[0]: invalid regular expression: Unclosed group")
                .endsWith("(line 4)")
                .doesNotContain("MRN");
    }

    @Test
    void invalid_path_templates_are_errors() {
        String yaml = "version: 1\nprivacy:\n  url:\n    redactPaths: [\"patients/{id}\", \"/a/**/b\", \"/a/{1x}\","
                + " \"/a//b\", \"/a/{id}/{id}\"]\n    sensitivePages:\n      - match: \"/c?x=1\"\n        action: dropEvent\n";
        assertThat(Yaml.errors(yaml))
                .containsExactly(
                        "privacy.url.redactPaths[0]: invalid path template: a path template must start with '/' (line 4)",
                        "privacy.url.redactPaths[1]: invalid path template: '**' is only allowed as the last segment (line 4)",
                        "privacy.url.redactPaths[2]: invalid path template: segment 2: a {name} must be a letter followed"
                                + " by letters, digits or '_' (line 4)",
                        "privacy.url.redactPaths[3]: invalid path template: segment 2 is empty ('//') (line 4)",
                        "privacy.url.redactPaths[4]: invalid path template: segment 3: {id} is used twice (line 4)",
                        "privacy.url.sensitivePages[0].match: invalid path template: segment 1 is neither a literal,"
                                + " {name}, * nor ** (braces, '*', '?', '#' and spaces are not allowed inside a literal) (line 6)");
    }

    @Test
    void a_sensitive_page_needs_replace_with_or_drop_event() {
        assertThat(Yaml.errors("version: 1\nprivacy:\n  url:\n    sensitivePages:\n      - match: /a/**\n"))
                .containsExactly(
                        "privacy.url.sensitivePages[0]: needs either replaceWith: <path> or action: dropEvent (line 5)");
        assertThat(Yaml.errors("version: 1\nprivacy:\n  url:\n    sensitivePages:\n      - match: /a/**\n"
                        + "        replaceWith: /a\n        action: dropEvent\n"))
                .containsExactly(
                        "privacy.url.sensitivePages[0].replaceWith: is not used with action: dropEvent; remove it (line 6)");
    }

    @Test
    void a_missing_id_or_type_is_an_error() {
        assertThat(Yaml.errors("version: 1\ndestinations:\n  - type: ga4\n  - id: x\n"))
                .containsExactly(
                        "destinations[0]: missing required key 'id' (line 3)",
                        "destinations[1]: missing required key 'type' (line 4)");
    }

    @Test
    void a_missing_or_unsupported_version_is_an_error() {
        assertThat(Yaml.errors("destinations: []\n")).singleElement(STRING).contains("missing required key 'version'");
        assertThat(Yaml.errors("version: 2\n"))
                .containsExactly("version: unsupported version; this Veil reads version 1 (line 1)");
    }

    @Test
    void an_empty_document_is_an_error() {
        assertThat(Yaml.errors("# nothing\n")).singleElement(STRING).contains("the document is empty");
    }

    @Test
    void broken_yaml_names_the_line_but_not_the_text() {
        assertThat(Yaml.errors("version: 1\ndestinations:\n  - id: \"secret-s3cr3t\n"))
                .singleElement(STRING)
                .contains("not valid YAML")
                .doesNotContain("s3cr3t");
    }

    @Test
    void aliases_and_multiple_documents_are_refused() {
        assertThat(Yaml.errors("version: 1\nsources:\n  - &w {id: a}\n  - *w\n"))
                .singleElement(STRING)
                .contains("anchors");
        assertThat(Yaml.errors("version: 1\n---\nversion: 1\n"))
                .singleElement(STRING)
                .contains("only one YAML document");
    }

    @Test
    void a_literal_write_key_is_an_error_that_does_not_show_the_key() {
        assertThat(Yaml.errors("version: 1\nsources:\n  - id: web\n    writeKey: wk_live_abcdef\n"))
                .containsExactly("sources[0].writeKey: a literal secret is not allowed here; use ${env:NAME} or"
                        + " ${file:/path} (line 4)");
    }

    @Test
    void malformed_secret_references_are_errors() {
        String yaml = Yaml.withDestination(
                "settings:\n  a: ${env:}\n  b: ${vault:x}\n  c: ${file:relative/path}\n  d: ${env:A-B}\n");
        assertThat(Yaml.errors(yaml))
                .hasSize(4)
                .allSatisfy(m -> assertThat(m).contains("malformed secret reference"))
                .anySatisfy(m ->
                        assertThat(m).startsWith("destinations[0].settings.c:").endsWith("(line 8)"));
    }

    @Test
    void a_setting_that_is_not_a_scalar_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("settings:\n  a: [1, 2]\n  b:\n")))
                .containsExactly(
                        "destinations[0].settings.a: expected a string, number or boolean, found a list (line 6)",
                        "destinations[0].settings.b: has no value (line 7)");
    }

    @Test
    void an_origin_with_a_path_is_an_error() {
        assertThat(Yaml.errors("version: 1\nsources:\n  - id: web\n    allowedOrigins: [\"https://a.org/x\"]\n"))
                .singleElement(STRING)
                .startsWith("sources[0].allowedOrigins[0]: not an origin")
                .endsWith("(line 4)");
    }

    @Test
    void an_id_with_spaces_is_an_error() {
        assertThat(Yaml.errors("version: 1\nsources:\n  - id: my web\n"))
                .singleElement(STRING)
                .startsWith("sources[0].id: an id must be");
    }

    @Test
    void an_empty_dotted_key_part_is_an_error() {
        assertThat(Yaml.errors(Yaml.withDestination("properties:\n  \"product..name\": pass\n")))
                .singleElement(STRING)
                .startsWith("destinations[0].properties.product..name: a key must be non-empty");
    }

    @Test
    void a_typed_value_that_looks_like_data_is_not_quoted() {
        assertThat(Yaml.errors(Yaml.withDestination("context:\n  ip: jane.doe@example.org\n")))
                .singleElement(STRING)
                .contains("unknown value (not shown)")
                .doesNotContain("jane");
    }

    @Test
    void or_throw_carries_every_error() {
        PolicyParseResult result = PolicyParser.parse(Yaml.withDestination("baa: 1\nenabled: 2\n"), "p.yaml");
        assertThat(result.maybePolicy()).isEmpty();
        assertThatThrownBy(result::orThrow)
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("policy p.yaml has 2 errors")
                .hasMessageContaining("destinations[0].baa: expected true or false, found an integer (line 5)")
                .hasMessageContaining("destinations[0].enabled: expected true or false, found an integer (line 6)");
    }
}
