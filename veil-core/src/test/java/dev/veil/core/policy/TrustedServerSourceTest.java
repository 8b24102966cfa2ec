package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code sources[].trustedServer}: a relay whose messages' context.ip and userAgent are believed. */
class TrustedServerSourceTest {

    private static final String RELAY = """
            version: 1
            sources:
              - id: backend
                name: Booking backend
                trustedServer: true
              - id: website
                allowedOrigins: ["https://www.example.org"]
            """;

    @Test
    void a_source_is_a_browser_source_unless_marked_and_the_mark_round_trips_through_export() {
        Policy p = Yaml.parse(RELAY);

        assertThat(p.sources()).extracting(SourceSpec::trustedServer).containsExactly(true, false);
        assertThat(PolicyExporter.export(p)).contains("trustedServer: true");
        assertThat(Yaml.parse(PolicyExporter.export(p))).isEqualTo(p);
    }

    @Test
    void a_trusted_server_source_accepts_no_browser_origin() {
        assertThat(Yaml.errors(
                        RELAY.replace("trustedServer: true", "trustedServer: true\n    allowedOrigins: [\"*\"]")))
                .singleElement()
                .asString()
                .startsWith("sources[0].allowedOrigins: a trusted server source accepts no browser origin");
    }

    @Test
    void the_diff_says_when_a_source_starts_being_believed() {
        Policy before = Yaml.parse(RELAY.replace("trustedServer: true", "trustedServer: false"));

        assertThat(PolicyDiff.between(before, Yaml.parse(RELAY)))
                .extracting(Object::toString)
                .anySatisfy(c -> assertThat(c).contains("source backend").contains("starts believing"));
    }
}
