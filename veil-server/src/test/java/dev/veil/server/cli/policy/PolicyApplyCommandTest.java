package dev.veil.server.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyApplyCommandTest {

    @TempDir
    Path dir;

    private Path dataDir() {
        return dir.resolve("veil-data");
    }

    private boolean approvalsSwitched;

    /** Most tests are about a single-operator install: the two-person rule off. */
    private CliRun apply(Path file, String... extra) {
        if (!approvalsSwitched) {
            approvalsSwitched = true;
            CliRun off =
                    CliRun.policy("approvals", "off", "--data-dir", dataDir().toString());
            assertThat(off.out()).contains("two-person rule: off");
        }
        return applyAsIs(file, extra);
    }

    private CliRun applyAsIs(Path file, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "apply";
        args[1] = file.toString();
        args[2] = "--data-dir";
        args[3] = dataDir().toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.policy(args);
    }

    private List<PolicyVersion> history() {
        try (SqliteConfigStore store = SqliteConfigStore.open(dataDir(), MasterKey.load(dataDir()))) {
            return store.policyHistory();
        }
    }

    @Test
    void apply_stores_a_version_with_author_and_comment_and_prints_what_starts_flowing() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));

        CliRun run = apply(file, "--author", "alice", "--comment", "first policy");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("applied version 1 by alice")
                .contains("ga4-marketing: starts receiving event `Appointment Booked`");
        List<PolicyVersion> history = history();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).author()).isEqualTo("alice");
        assertThat(history.get(0).comment()).isEqualTo("first policy");
        assertThat(history.get(0).yaml()).isEqualTo(Fixtures.policy(dir));
    }

    @Test
    void applying_the_same_file_twice_says_no_changes_and_stores_nothing() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));
        assertThat(apply(file).exitCode()).isZero();

        CliRun again = apply(file);

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("no changes");
        assertThat(history()).hasSize(1);
    }

    @Test
    void a_second_apply_prints_the_diff_it_applied() {
        Path first = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));
        Path second = Fixtures.write(dir.resolve("b.yaml"), Fixtures.policyWithoutServiceLine(dir));
        apply(first);

        CliRun run = apply(second, "--comment", "stop service line");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("applied version 2")
                .contains("ga4-marketing: stops receiving property `service_line` of event `Appointment Booked`");
        assertThat(history()).extracting(PolicyVersion::version).containsExactly(2, 1);
    }

    @Test
    void a_stored_version_that_no_longer_validates_does_not_block_applying_a_fixed_policy() {
        try (SqliteConfigStore store = SqliteConfigStore.open(dataDir(), MasterKey.load(dataDir()))) {
            store.savePolicy("version: 1\ndestinations:\n  - id: old\n    type: removed-vendor\n", "alice", "");
        }
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));

        CliRun run = apply(file);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("applied version 1 no longer validates");
        assertThat(run.out()).contains("applied version 2");
        assertThat(history()).hasSize(2);
    }

    @Test
    void an_invalid_policy_is_refused_with_its_errors() {
        String yaml =
                Fixtures.policy(dir).replace("      userAgent: drop\n", "      userAgent: drop\n      ip: pass\n");
        Path file = Fixtures.write(dir.resolve("policy.yaml"), yaml);

        CliRun run = apply(file);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("invalid policy").contains("destinations[0].context.ip");
        assertThat(history()).isEmpty();
    }

    @Test
    void unresolved_secret_references_are_named_and_refused_without_values() throws Exception {
        Path secret = dir.resolve("ga4-api-secret");
        String yaml = Fixtures.policy(dir);
        Files.delete(secret);
        Path file = Fixtures.write(dir.resolve("policy.yaml"), yaml);

        CliRun run = apply(file);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("secret references do not resolve")
                .contains("destinations[0].settings.apiSecret")
                .doesNotContain("not-a-real-secret");
        assertThat(history()).isEmpty();
    }

    @Test
    void history_lists_versions_newest_first_with_author_time_and_comment() {
        Path first = Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir));
        Path second = Fixtures.write(dir.resolve("b.yaml"), Fixtures.policyWithoutServiceLine(dir));
        apply(first, "--author", "alice", "--comment", "initial");
        apply(second, "--author", "bob", "--comment", "less data");

        CliRun run = CliRun.policy("history", "--data-dir", dataDir().toString());

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("2").contains("bob").contains("less data");
        assertThat(lines.get(2)).startsWith("1").contains("alice").contains("initial");
        assertThat(lines.get(2)).contains(history().get(1).createdAt().toString());
    }

    @Test
    void export_prints_complete_yaml_with_secret_references_that_applies_as_no_change() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));
        apply(file);

        CliRun export = CliRun.policy("export", "--data-dir", dataDir().toString());

        assertThat(export.exitCode()).isZero();
        assertThat(export.out())
                .contains("${file:" + dir.resolve("ga4-api-secret") + "}")
                .doesNotContain("not-a-real-secret")
                .contains("pageTitle: drop"); // defaults are written out
        Path exported = Fixtures.write(dir.resolve("exported.yaml"), export.out());
        CliRun reapply = apply(exported);
        assertThat(reapply.out()).contains("no changes");
        assertThat(history()).hasSize(1);
    }

    @Test
    void export_of_an_older_version_and_of_a_missing_one() {
        apply(Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir)));
        apply(Fixtures.write(dir.resolve("b.yaml"), Fixtures.policyWithoutServiceLine(dir)));

        CliRun v1 = CliRun.policy("export", "--data-dir", dataDir().toString(), "--version", "1");
        CliRun latest = CliRun.policy("export", "--data-dir", dataDir().toString());
        CliRun v9 = CliRun.policy("export", "--data-dir", dataDir().toString(), "--version", "9");

        assertThat(v1.out()).contains("service_line");
        assertThat(latest.out()).doesNotContain("service_line");
        assertThat(v9.exitCode()).isEqualTo(1);
        assertThat(v9.err()).contains("no policy version 9");
    }

    @Test
    void reading_commands_do_not_create_a_workspace_where_there_is_none() {
        CliRun run = CliRun.policy("history", "--data-dir", dataDir().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no Veil workspace");
        assertThat(dataDir()).doesNotExist();
    }

    @Test
    void a_store_written_under_another_master_key_is_a_storage_failure() throws Exception {
        apply(Fixtures.write(dir.resolve("a.yaml"), Fixtures.policy(dir)));
        Path keyFile = dataDir().resolve(MasterKey.FILE_NAME);
        Files.write(keyFile, MasterKey.random().bytes());
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        CliRun run = CliRun.policy("history", "--data-dir", dataDir().toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("master key does not match");
    }

    @Test
    void with_the_two_person_rule_on_apply_saves_a_draft_and_publishes_nothing() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));

        CliRun run = applyAsIs(file, "--author", "alice");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("two-person rule is on: saved as draft 1 (revision 1); nothing was published")
                .contains("ga4-marketing: starts receiving event `Appointment Booked`");
        assertThat(history()).isEmpty();
        try (Workspace ws = Workspace.stores(dataDir(), false)) {
            assertThat(ws.stores().drafts().draft(1).orElseThrow().author()).isEqualTo("alice");
            assertThat(ws.stores().audit().latest(5, "policy.")).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("policy.draft_create");
                assertThat(e.actor()).isEqualTo("cli:alice");
            });
        }
    }

    @Test
    void apply_is_audited_with_who_and_the_changes() {
        Path file = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));

        apply(file, "--author", "alice");

        try (Workspace ws = Workspace.stores(dataDir(), false)) {
            assertThat(ws.stores().audit().latest(5, "policy.apply"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.actor()).isEqualTo("cli:alice");
                        assertThat(e.target()).isEqualTo("policy:1");
                        assertThat(e.detail())
                                .contains("starts receiving event `Appointment Booked`")
                                .contains("\"after\":1");
                    });
            assertThat(ws.stores().audit().verify().intact()).isTrue();
        }
    }
}
