package dev.veil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class VeilCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = VeilCommand.newCommandLine(cfg -> {
            throw new StoreException("open " + cfg.dataDir() + ": test store refuses");
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "demo", "policy", "preview", "keys", "dlq"})
    void every_subcommand_has_help(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: veil " + command);
    }

    @Test
    void top_level_help_lists_the_commands_and_version_prints() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve", "demo", "policy", "preview", "keys", "dlq");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("veil ");
    }

    @Test
    void usage_errors_exit_2_with_a_message() {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void an_invalid_config_exits_1_naming_the_key_and_line(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("veil.yaml");
        Files.writeString(config, "listen:\n  prot: 8080\n");

        assertThat(run("serve", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("listen.prot: unknown key 'prot'").contains("(line 2)");
    }

    @Test
    void a_store_failure_exits_3(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("veil.yaml");
        Files.writeString(config, "dataDir: data\n");

        assertThat(run("serve", "--config", config.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("storage failed").contains("test store refuses");
    }
}
