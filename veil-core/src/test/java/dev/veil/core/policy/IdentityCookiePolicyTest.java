package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code identityCookie} source key: off by default, {@code true} or a domain, errors, export and diff. */
class IdentityCookiePolicyTest {

    private static SourceSpec source(String yaml) {
        return Yaml.parse("version: 1\nsources:\n  - id: web\n" + yaml)
                .sources()
                .getFirst();
    }

    @Test
    void off_unless_the_source_turns_it_on() {
        assertThat(source("").identityCookie()).isNull();
        assertThat(source("    identityCookie: false\n").identityCookie()).isNull();
        assertThat(source("    identityCookie: true\n").identityCookie())
                .isEqualTo(new SourceSpec.IdentityCookie(null));
        assertThat(source("    identityCookie: {domain: example-health.org}\n").identityCookie())
                .isEqualTo(new SourceSpec.IdentityCookie("example-health.org"));
    }

    @Test
    void a_domain_that_a_cookie_cannot_take_is_an_error() {
        for (String bad :
                new String[] {"https://example.org", ".example.org", "example.org:443", "localhost", "EX.org"}) {
            assertThat(Yaml.errors(
                            "version: 1\nsources:\n  - id: web\n    identityCookie: {domain: \"" + bad + "\"}\n"))
                    .as(bad)
                    .containsExactly("sources[0].identityCookie.domain: not a domain; expected a host name such as"
                            + " example.org (no scheme, port or leading dot) (line 4)");
        }
        assertThat(Yaml.errors("version: 1\nsources:\n  - id: web\n    identityCookie: {path: /}\n"))
                .singleElement()
                .asString()
                .isEqualTo("sources[0].identityCookie.path: unknown key 'path'; expected domain (line 4)");
        assertThat(Yaml.errors("version: 1\nsources:\n  - id: web\n    identityCookie: yes please\n"))
                .singleElement()
                .asString()
                .startsWith("sources[0].identityCookie: expected true or false");
    }

    @Test
    void round_trips_through_export_and_shows_in_diffs() {
        Policy off = Yaml.parse("version: 1\nsources:\n  - id: web\n");
        Policy on = Yaml.parse("version: 1\nsources:\n  - id: web\n    identityCookie: true\n");
        Policy domain = Yaml.parse("version: 1\nsources:\n  - id: web\n    identityCookie: {domain: example.org}\n");
        assertThat(Yaml.parse(PolicyExporter.export(on))).isEqualTo(on);
        assertThat(Yaml.parse(PolicyExporter.export(domain))).isEqualTo(domain);
        assertThat(PolicyDiff.between(off, on))
                .extracting(PolicyDiff.Change::toString)
                .containsExactly("source web: starts setting the identity cookie");
        assertThat(PolicyDiff.between(on, domain))
                .extracting(PolicyDiff.Change::toString)
                .containsExactly("source web: identity cookie domain changed");
    }
}
