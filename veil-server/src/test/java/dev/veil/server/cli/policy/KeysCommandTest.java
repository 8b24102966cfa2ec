package dev.veil.server.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.ConfigStore.MaskingSecret;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @TempDir
    Path dir;

    private CliRun keys(String... args) {
        return CliRun.of(new KeysCommand(), args);
    }

    private List<MaskingSecret> secrets(Path dataDir) {
        try (SqliteConfigStore store = SqliteConfigStore.open(dataDir, MasterKey.load(dataDir))) {
            return store.maskingSecrets();
        }
    }

    @Test
    void rotate_starts_version_two_and_prints_its_activation_time_but_never_the_key() {
        Path dataDir = dir.resolve("veil-data");

        CliRun run = keys("rotate", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<MaskingSecret> secrets = secrets(dataDir);
        assertThat(secrets).extracting(MaskingSecret::version).containsExactlyInAnyOrder(1, 2);
        MaskingSecret v2 =
                secrets.stream().filter(s -> s.version() == 2).findFirst().orElseThrow();
        assertThat(run.out())
                .contains("masking key version 2 active from " + v2.activatedAt())
                .doesNotContain(HexFormat.of().formatHex(v2.secret()));
    }

    @Test
    void list_shows_every_version_with_its_time_and_which_is_current() {
        Path dataDir = dir.resolve("veil-data");
        keys("rotate", "--data-dir", dataDir.toString());
        keys("rotate", "--data-dir", dataDir.toString());

        CliRun run = keys("list", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("1").contains("kept for earlier events");
        assertThat(lines.get(3)).startsWith("3").contains("current");
        for (MaskingSecret s : secrets(dataDir)) {
            assertThat(run.out()).contains(s.activatedAt().toString());
        }
    }

    @Test
    void keys_alone_is_a_usage_error_and_list_needs_an_existing_workspace() {
        assertThat(keys().exitCode()).isEqualTo(2);
        CliRun list = keys("list", "--data-dir", dir.resolve("none").toString());
        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("no Veil workspace");
    }
}
