package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ${secret:NAME}} reference kind: secrets set through the admin API and kept in the config store. */
class StoredSecretRefTest {

    @Test
    void parses_and_writes_back_a_stored_secret_reference() {
        SecretRef ref = SecretRef.parse("${secret:destination.ga4.apiSecret}").orElseThrow();

        assertThat(ref.kind()).isEqualTo(SecretRef.Kind.SECRET);
        assertThat(ref.name()).isEqualTo("destination.ga4.apiSecret");
        assertThat(ref.asYaml()).isEqualTo("${secret:destination.ga4.apiSecret}");
    }

    @Test
    void refuses_a_malformed_stored_secret_name() {
        assertThatThrownBy(() -> SecretRef.parse("${secret:has space}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letters, digits");
    }

    @Test
    void resolves_from_the_stored_lookup_and_names_a_missing_one() {
        SecretResolver resolver = new SecretResolver(name -> null, path -> "", Map.of("a.b", "s3cr3t-value")::get);

        assertThat(resolver.resolve(SecretRef.parse("${secret:a.b}").orElseThrow()))
                .isEqualTo("s3cr3t-value");
        assertThatThrownBy(() ->
                        resolver.resolve(SecretRef.parse("${secret:other}").orElseThrow()))
                .isInstanceOf(UnresolvedSecretException.class)
                .hasMessageContaining("${secret:other} is not set in the secret store");
    }

    @Test
    void a_policy_setting_may_reference_a_stored_secret_and_exports_the_reference() {
        var parsed = PolicyParser.parse(
                "version: 1\ndestinations:\n  - id: hook\n    type: webhook\n    settings:\n"
                        + "      signingSecret: ${secret:destination.hook.signingSecret}\n",
                "p.yaml");
        assertThat(parsed.errors()).isEmpty();
        var setting = parsed.policy().destinations().get(0).settings().get("signingSecret");
        assertThat(setting).isInstanceOf(SettingValue.Secret.class);
        assertThat(PolicyExporter.export(parsed.policy())).contains("${secret:destination.hook.signingSecret}");
    }

    @Test
    void a_source_write_key_cannot_be_a_stored_secret() {
        var parsed =
                PolicyParser.parse("version: 1\nsources:\n  - id: web\n    writeKey: ${secret:web.key}\n", "p.yaml");

        assertThat(parsed.errors())
                .singleElement()
                .asString()
                .contains("sources[0].writeKey: a write key cannot be a ${secret:…} reference");
    }
}
