package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

    private final Map<String, String> env = Map.of("GA4_API_SECRET", "s3cr3t-value", "EMPTY", "");
    private final Map<Path, String> files = Map.of(Path.of("/run/secrets/meta"), "tok-123\n");

    private final SecretResolver resolver = new SecretResolver(env::get, path -> {
        String content = files.get(path);
        if (content == null) {
            throw new NoSuchFileException(path.toString());
        }
        return content;
    });

    @Test
    void resolves_an_environment_variable() {
        assertThat(resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "GA4_API_SECRET")))
                .isEqualTo("s3cr3t-value");
    }

    @Test
    void resolves_a_file_without_its_trailing_line_break() {
        assertThat(resolver.resolve(new SecretRef(SecretRef.Kind.FILE, "/run/secrets/meta")))
                .isEqualTo("tok-123");
    }

    @Test
    void an_unset_variable_names_the_reference() {
        assertThatThrownBy(() -> resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "MISSING")))
                .isInstanceOf(UnresolvedSecretException.class)
                .hasMessage("${env:MISSING} is not set");
    }

    @Test
    void an_empty_variable_is_refused() {
        assertThatThrownBy(() -> resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "EMPTY")))
                .hasMessage("${env:EMPTY} is empty");
    }

    @Test
    void an_unreadable_file_names_the_reference_and_the_failure_kind() {
        assertThatThrownBy(() -> resolver.resolve(new SecretRef(SecretRef.Kind.FILE, "/nope")))
                .hasMessage("${file:/nope} cannot be read (NoSuchFileException)");
    }

    @Test
    void checks_every_reference_of_a_policy_without_showing_values() {
        Policy policy = Yaml.parse(Yaml.example());
        assertThat(resolver.check(policy)).containsExactly("sources[0].writeKey: ${env:WEBSITE_WRITE_KEY} is not set");
    }

    @Test
    void a_malformed_reference_cannot_be_built() {
        assertThatThrownBy(() -> new SecretRef(SecretRef.Kind.ENV, "A-B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment variable name");
        assertThatThrownBy(() -> new SecretRef(SecretRef.Kind.FILE, "relative")).hasMessageContaining("absolute path");
    }
}
