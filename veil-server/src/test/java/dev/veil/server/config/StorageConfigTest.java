package dev.veil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.core.policy.SecretRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code storage:} block of veil.yaml: sqlite (default) or postgres, with precise, value-free errors. */
class StorageConfigTest {

    private static final Path BASE = Path.of("/etc/veil");

    private static ServerConfig parse(String yaml) {
        return ServerConfigLoader.parse(yaml, "veil.yaml", BASE);
    }

    @Test
    void sqlite_is_the_default_and_can_be_named_either_way() {
        assertThat(parse("listen: {port: 1}\n").storage()).isEqualTo(ServerConfig.Storage.SQLITE);
        assertThat(parse("storage: sqlite\n").storage()).isEqualTo(ServerConfig.Storage.SQLITE);
        assertThat(parse("storage: {kind: sqlite}\n").storage()).isEqualTo(ServerConfig.Storage.SQLITE);
    }

    @Test
    void reads_a_postgres_block_with_defaults() {
        ServerConfig c = parse("""
                storage:
                  kind: postgres
                  url: jdbc:postgresql://db.internal:5432/veil
                  user: veil
                  password: ${file:/run/secrets/pg}
                """);

        assertThat(c.storage())
                .isEqualTo(new ServerConfig.Storage.Postgres(
                        "jdbc:postgresql://db.internal:5432/veil",
                        "veil",
                        new SecretRef(SecretRef.Kind.FILE, "/run/secrets/pg"),
                        "veil",
                        8,
                        "config veil.yaml"));
        ServerConfig.Storage.Postgres full =
                (ServerConfig.Storage.Postgres) parse("""
                storage: {kind: postgres, url: "jdbc:postgresql://db/veil?sslmode=require", user: veil,
                          password: "${env:VEIL_PG_PASSWORD}", schema: veil_eu, maxPoolSize: 4}
                """).storage();
        assertThat(full.password()).isEqualTo(new SecretRef(SecretRef.Kind.ENV, "VEIL_PG_PASSWORD"));
        assertThat(full.schema()).isEqualTo("veil_eu");
        assertThat(full.maxPoolSize()).isEqualTo(4);
        assertThat(((ServerConfig.Storage.Postgres)
                                parse("storage: {kind: postgres, url: 'jdbc:postgresql://db/veil', user: veil}\n")
                                        .storage())
                        .password())
                .as("no password: trust or peer authentication")
                .isNull();
    }

    @Test
    void names_the_key_the_allowed_values_and_the_line() {
        assertThatThrownBy(() -> parse("listen: {port: 1}\nstorage: kafka\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config veil.yaml storage: must be one of [sqlite, postgres] or a mapping with 'kind'"
                        + " (line 2)");
        assertThatThrownBy(() -> parse("storage:\n  kind: kafka\n"))
                .hasMessage("config veil.yaml storage.kind: must be one of [sqlite, postgres] (line 2)");
        assertThatThrownBy(() -> parse("storage:\n  url: jdbc:postgresql://db/veil\n"))
                .hasMessageStartingWith("config veil.yaml storage.kind: required, one of [sqlite, postgres]");
        assertThatThrownBy(() -> parse("storage: postgres\n"))
                .hasMessageStartingWith("config veil.yaml storage: postgres needs its connection");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  user: veil\n"))
                .hasMessageStartingWith("config veil.yaml storage.url: required for kind postgres");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/veil\n"))
                .hasMessageStartingWith("config veil.yaml storage.user: required for kind postgres");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:mysql://db/veil\n  user: v\n"))
                .hasMessage("config veil.yaml storage.url: must start with 'jdbc:postgresql:' (line 3)");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/v\n  user: v\n"
                        + "  schema: Veil-Prod\n"))
                .hasMessage("config veil.yaml storage.schema: must be 1-63 lower-case letters, digits or '_', not"
                        + " starting with a digit (line 5)");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/v\n  user: v\n"
                        + "  maxPoolSize: 0\n"))
                .hasMessage("config veil.yaml storage.maxPoolSize: must be a whole number from 1 to 1000 (line 5)");
        assertThatThrownBy(() -> parse(
                        "storage:\n  kind: postgres\n  url: jdbc:postgresql://db/v\n  user: v\n" + "  host: db\n"))
                .hasMessage("config veil.yaml storage.host: unknown key 'host' for kind postgres (known: kind,"
                        + " maxPoolSize, password, schema, url, user) (line 5)");
        assertThatThrownBy(() -> parse("storage: {kind: sqlite, url: 'jdbc:postgresql://db/v'}\n"))
                .hasMessageStartingWith(
                        "config veil.yaml storage.url: unknown key 'url' for kind sqlite (known: kind)");
    }

    @Test
    void refuses_a_password_in_the_url_or_in_the_file_without_showing_it() {
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n"
                        + "  url: jdbc:postgresql://db/veil?user=veil&password=Hunter2Secret\n  user: veil\n"))
                .hasMessageStartingWith("config veil.yaml storage.url: must not carry the password")
                .hasMessageContaining("(line 3)")
                .hasMessageNotContaining("Hunter2Secret");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/veil\n  user: veil\n"
                        + "  password: Hunter2Secret\n"))
                .hasMessage("config veil.yaml storage.password: must be ${env:NAME} or ${file:/absolute/path}, never"
                        + " the password itself (line 5)");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/veil\n  user: veil\n"
                        + "  password: ${secret:pg}\n"))
                .hasMessageStartingWith("config veil.yaml storage.password: must be ${env:NAME} or ${file:");
        assertThatThrownBy(() -> parse("storage:\n  kind: postgres\n  url: jdbc:postgresql://db/veil\n  user: veil\n"
                        + "  password: ${file:relative/pg}\n"))
                .hasMessage("config veil.yaml storage.password: a secret file must be an absolute path (line 5)");
    }
}
