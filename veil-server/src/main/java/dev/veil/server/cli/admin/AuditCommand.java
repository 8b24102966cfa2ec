package dev.veil.server.cli.admin;

import dev.veil.admin.http.AuditExport;
import dev.veil.server.cli.policy.CliFailure;
import dev.veil.server.cli.policy.StoreLocation;
import dev.veil.server.cli.policy.Workspace;
import dev.veil.store.audit.AuditVerification;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code veil audit verify|export}: checks the audit log's hash chain and anchor; exports it for auditors. */
@Command(
        name = "audit",
        description = "Verify the audit log's hash chain (names where it breaks) or export it as JSON lines.",
        mixinStandardHelpOptions = true,
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Runnable {

    /** Exit code when the chain is broken. */
    public static final int EXIT_BROKEN = 4;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "The server config (veil.yaml): use the stores it names (storage: sqlite or postgres).")
    @Nullable
    Path config;

    @Option(
            names = "--data-dir",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Data directory of SQLite stores (default: " + Workspace.DEFAULT_DATA_DIR + ").")
    @Nullable
    Path dataDir;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify or export");
    }

    @Command(
            name = "verify",
            description = "Walk the chain and its anchor. Exit 0 when intact, " + EXIT_BROKEN
                    + " when broken (the entry and the problem are printed).")
    static final class Verify implements Callable<Integer> {
        @CommandLine.ParentCommand
        AuditCommand parent;

        @Override
        public Integer call() {
            try {
                return verify();
            } catch (CliFailure e) {
                parent.spec.commandLine().getErr().println("veil audit verify: " + e.getMessage());
                return e.exitCode();
            }
        }

        private int verify() {
            PrintWriter out = parent.spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(new StoreLocation(parent.config, parent.dataDir), false)) {
                AuditVerification v = ws.audit().verify();
                if (v.intact()) {
                    out.println(
                            "audit log intact: " + v.entries() + " entries, head " + v.headSeq() + " " + v.headHash());
                    out.println("(record the head hash elsewhere to detect a wholesale replacement later)");
                    out.flush();
                    return 0;
                }
                out.println("audit log BROKEN at entry " + v.brokenAt() + ": " + v.problem());
                out.println("entries up to " + v.headSeq() + " verified (last good hash " + v.headHash() + ")");
                ws.audit()
                        .append(new dev.veil.store.audit.AuditRecord(
                                UsersCommand.operator().actor(),
                                "audit.verify",
                                "audit",
                                "failure",
                                "{\"brokenAt\":" + v.brokenAt() + "}"));
                out.flush();
                return EXIT_BROKEN;
            }
        }
    }

    @Command(name = "export", description = "Write the log as JSON lines (entries with hashes, then the verification).")
    static final class Export implements Callable<Integer> {
        @CommandLine.ParentCommand
        AuditCommand parent;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        @Nullable
        Path file;

        @Override
        public Integer call() throws IOException {
            try {
                return export();
            } catch (CliFailure e) {
                parent.spec.commandLine().getErr().println("veil audit export: " + e.getMessage());
                return e.exitCode();
            }
        }

        private int export() throws IOException {
            try (Workspace ws = Workspace.open(new StoreLocation(parent.config, parent.dataDir), false)) {
                var services = ws.services();
                services.audit()
                        .success(
                                UsersCommand.operator(),
                                "audit.export",
                                "audit",
                                Map.of("to", file == null ? "stdout" : "file"));
                String lines = AuditExport.jsonLines(ws.audit());
                if (file == null) {
                    parent.spec.commandLine().getOut().print(lines);
                    parent.spec.commandLine().getOut().flush();
                } else {
                    Files.writeString(file, lines, StandardCharsets.UTF_8);
                    parent.spec
                            .commandLine()
                            .getErr()
                            .println("wrote " + lines.lines().count() + " lines to " + file);
                }
            }
            return 0;
        }
    }
}
