package dev.veil.server.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_valid_policy_exits_zero_and_says_no_errors() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));

        CliRun run = CliRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("0 errors, 0 warnings");
    }

    @Test
    void an_error_exits_one_and_names_the_yaml_path_and_line() {
        // ip: pass needs a BAA; the line of `ip:` in the file is 24.
        String yaml =
                Fixtures.policy(dir).replace("      userAgent: drop\n", "      userAgent: drop\n      ip: pass\n");
        Path file = Fixtures.write(dir.resolve("policy.yaml"), yaml);

        CliRun run = CliRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("destinations[0].context.ip")
                .contains("line " + lineOf(yaml, "      ip: pass"))
                .contains("1 error");
    }

    @Test
    void warnings_alone_exit_zero_and_are_printed_with_path_and_line() {
        String yaml = Fixtures.policy(dir).replace("      userAgent: drop\n", "      userAgent: drop\n      ip: geo\n");
        Path file = Fixtures.write(dir.resolve("policy.yaml"), yaml);

        CliRun run = CliRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("destinations[0].context.ip")
                .contains("privacy.geo.database")
                .contains("line " + lineOf(yaml, "      ip: geo"))
                .contains("0 errors, 1 warning");
    }

    @Test
    void an_unknown_connector_type_is_an_error() {
        String yaml = Fixtures.policy(dir).replace("type: ga4", "type: no-such-vendor");
        Path file = Fixtures.write(dir.resolve("policy.yaml"), yaml);

        CliRun run = CliRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("destinations[0].type");
    }

    @Test
    void a_missing_file_exits_one_and_a_missing_argument_is_a_usage_error() {
        CliRun missing = CliRun.policy("validate", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yaml: no such file");

        assertThat(CliRun.policy("validate").exitCode()).isEqualTo(2);
        assertThat(CliRun.policy().exitCode()).isEqualTo(2);
    }

    static int lineOf(String text, String line) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(line)) {
                return i + 1;
            }
        }
        throw new AssertionError("fixture has no line " + line);
    }
}
