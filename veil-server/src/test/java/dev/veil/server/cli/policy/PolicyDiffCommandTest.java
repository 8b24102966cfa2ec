package dev.veil.server.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyDiffCommandTest {

    @TempDir
    Path dir;

    @Test
    void diff_against_another_file_prints_plain_words_per_destination() {
        Path from = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));
        Path to = Fixtures.write(dir.resolve("b.yaml"), Fixtures.policyWithoutServiceLine(dir));

        CliRun run = CliRun.policy("diff", to.toString(), "--against", from.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip())
                .isEqualTo("ga4-marketing: stops receiving property `service_line` of event `Appointment Booked`");
    }

    @Test
    void diff_of_equal_policies_says_no_changes() {
        Path from = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));

        CliRun run = CliRun.policy("diff", from.toString(), "--against", from.toString());

        assertThat(run.out().strip()).isEqualTo("no changes");
    }

    @Test
    void diff_against_the_applied_policy_in_the_data_dir() {
        Path dataDir = dir.resolve("veil-data");
        Path applied = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));
        Path proposed = Fixtures.write(dir.resolve("b.yaml"), Fixtures.policyWithoutServiceLine(dir));
        CliRun.policy("approvals", "off", "--data-dir", dataDir.toString());
        assertThat(CliRun.policy("apply", applied.toString(), "--data-dir", dataDir.toString())
                        .exitCode())
                .isZero();

        CliRun run = CliRun.policy("diff", proposed.toString(), "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("comparing applied version 1")
                .contains("ga4-marketing: stops receiving property `service_line` of event `Appointment Booked`");
    }

    @Test
    void diff_against_an_empty_workspace_shows_everything_as_new() {
        Path dataDir = dir.resolve("veil-data");
        // keys rotate creates the workspace without applying a policy.
        assertThat(CliRun.of(new KeysCommand(), "rotate", "--data-dir", dataDir.toString())
                        .exitCode())
                .isZero();
        Path proposed = Fixtures.write(dir.resolve("b.yaml"), Fixtures.policy(dir));

        CliRun run = CliRun.policy("diff", proposed.toString(), "--data-dir", dataDir.toString());

        assertThat(run.out())
                .contains("no policy applied yet")
                .contains("ga4-marketing: starts receiving event `Signed Up`");
    }

    @Test
    void an_invalid_proposed_policy_exits_one_and_both_bases_at_once_is_a_usage_error() {
        Path bad = Fixtures.write(dir.resolve("bad.yaml"), "version: 1\ndestinations: 42\n");
        Path good = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));

        assertThat(CliRun.policy("diff", bad.toString(), "--against", good.toString())
                        .exitCode())
                .isEqualTo(1);
        assertThat(CliRun.policy("diff", good.toString(), "--against", good.toString(), "--data-dir", "x")
                        .exitCode())
                .isEqualTo(2);
    }
}
