package dev.veil.server.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.cli.policy.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code veil users} and {@code veil audit verify|export} against a real data directory. */
class AdminCliTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    private Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run users(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dir.toString();
        return run(new UsersCommand(), all);
    }

    private Run audit(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dir.toString();
        return run(new AuditCommand(), all);
    }

    @Test
    void users_are_invited_with_a_setup_link_listed_changed_and_removed_and_every_step_is_audited() {
        Run add = users("add", "Alice", "--role", "owner", "--url", "https://veil.example.org/");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out())
                .contains("one-time setup link for alice (owner")
                .contains("https://veil.example.org/setup?token=");
        assertThat(users("add", "bob", "--role", "editor").code()).isZero();

        assertThat(users("list").out()).contains("alice").contains("invited").contains("editor");
        assertThat(users("role", "bob", "viewer").out()).contains("bob: role viewer");
        assertThat(users("disable", "bob").code()).isZero();
        assertThat(users("reset", "alice").out()).contains("setup?token=");
        assertThat(users("unlock", "alice").code()).isZero();
        Run last = users("disable", "alice");
        assertThat(last.code()).isEqualTo(1);
        assertThat(last.err()).contains("last enabled owner");
        assertThat(users("remove", "bob").code()).isZero();
        Run badRole = users("add", "carol", "--role", "admin");
        assertThat(badRole.code()).isEqualTo(1);
        assertThat(badRole.err()).contains("expected one of owner, privacy_officer, editor, viewer");

        try (Workspace ws = Workspace.stores(dir, false)) {
            assertThat(ws.stores().audit().latest(100, "user.").stream().map(e -> e.action()))
                    .containsExactly(
                            "user.delete",
                            "user.unlock",
                            "user.reset",
                            "user.update",
                            "user.update",
                            "user.create",
                            "user.create");
            assertThat(ws.stores().audit().latest(1, "user.").get(0).actor()).startsWith("cli:");
        }
    }

    @Test
    void users_refuses_a_directory_without_a_workspace() {
        Run r = users("list");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no Veil workspace");
    }

    @Test
    void audit_verify_passes_an_intact_log_and_names_the_entry_of_an_edit() throws Exception {
        users("add", "alice", "--role", "owner");
        users("add", "bob", "--role", "editor");
        users("role", "bob", "viewer");

        Run ok = audit("verify");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("audit log intact: 3 entries");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("config.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 2");
        }
        Run broken = audit("verify");
        assertThat(broken.code()).isEqualTo(AuditCommand.EXIT_BROKEN);
        assertThat(broken.out()).contains("BROKEN at entry 2").contains("edited");
    }

    @Test
    void audit_verify_finds_a_truncated_log() throws Exception {
        users("add", "alice", "--role", "owner");
        users("add", "bob", "--role", "editor");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("config.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM audit_log WHERE seq = 2");
        }
        Run broken = audit("verify");
        assertThat(broken.code()).isEqualTo(AuditCommand.EXIT_BROKEN);
        assertThat(broken.out()).contains("truncated");
    }

    @Test
    void audit_export_writes_json_lines_with_hashes_and_the_verification_last() {
        users("add", "alice", "--role", "owner");

        Run export = audit("export");
        assertThat(export.code()).isZero();
        var lines = export.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"action\":\"user.create\"").contains("\"prevHash\":\"0000");
        assertThat(lines.get(1)).contains("\"action\":\"audit.export\"");
        assertThat(lines.get(2)).contains("\"verification\"").contains("\"intact\":true");
        assertThat(export.out()).doesNotContain("token=");
    }
}
