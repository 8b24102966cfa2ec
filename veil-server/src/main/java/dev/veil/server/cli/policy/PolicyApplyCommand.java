package dev.veil.server.cli.policy;

import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.PolicyExporter;
import dev.veil.core.policy.SecretResolver;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code veil policy apply FILE}: validates FILE, checks its secret references resolve, and stores it as the next
 * policy version, which the running server picks up.
 */
@Command(
        name = "apply",
        description = "Validate FILE and store it as the next policy version; prints the changes it applies.",
        mixinStandardHelpOptions = true)
public final class PolicyApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy YAML file.")
    Path file;

    @Mixin
    DataDirOption workspace;

    @Option(names = "--author", paramLabel = "NAME", description = "Who applies it (default: $USER, else cli).")
    String author = defaultAuthor();

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the history.")
    String comment = "";

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            String yaml = PolicyFiles.read(file);
            Policy proposed = PolicyFiles.load(file);
            List<String> unresolved = SecretResolver.system().check(proposed);
            if (!unresolved.isEmpty()) {
                // Names the references (env variable or file path), never a value.
                throw CliFailure.invalid(
                        "refusing " + file + ": secret references do not resolve\n" + String.join("\n", unresolved));
            }
            PrintWriter out = spec.commandLine().getOut();
            try (SqliteConfigStore store = Workspace.open(workspace.dataDir)) {
                Optional<PolicyVersion> applied = store.latestPolicy();
                Optional<Policy> current = applied.flatMap(v -> storedOrNote(v, spec));
                Policy from = current.orElse(PolicyFiles.EMPTY);
                List<PolicyDiff.Change> changes = PolicyDiff.between(from, proposed);
                // The exports are canonical: equal exports mean equal policies, whatever the comments or layout.
                if (current.isPresent() && PolicyExporter.export(from).equals(PolicyExporter.export(proposed))) {
                    out.println("no changes: version " + applied.get().version() + " is already this policy");
                    out.flush();
                    return 0;
                }
                PolicyVersion saved = store.savePolicy(yaml, author, comment);
                out.println(
                        "applied version " + saved.version() + " by " + saved.author() + " at " + saved.createdAt());
                if (changes.isEmpty()) {
                    out.println("(only settings without a plain-words description changed)");
                }
                PolicyDiffCommand.print(out, changes);
                out.flush();
                return 0;
            }
        });
    }

    /**
     * The applied policy, or empty with a note when it no longer validates (say a connector type was removed):
     * applying a fixed policy must stay possible then, with its changes shown from nothing.
     */
    private static Optional<Policy> storedOrNote(PolicyVersion v, CommandSpec spec) {
        try {
            return Optional.of(PolicyFiles.parseStored(v.yaml(), v.version()));
        } catch (CliFailure e) {
            spec.commandLine()
                    .getErr()
                    .println("policy apply: applied version " + v.version()
                            + " no longer validates; changes are shown from an empty policy");
            return Optional.empty();
        }
    }

    private static String defaultAuthor() {
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "cli" : user;
    }
}
