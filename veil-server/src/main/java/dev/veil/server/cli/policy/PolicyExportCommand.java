package dev.veil.server.cli.policy;

import dev.veil.core.policy.PolicyExporter;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code veil policy export}: prints the applied (or a given) policy version as complete policy YAML, secrets as
 * their references; applying the output changes nothing.
 */
@Command(
        name = "export",
        description = "Print the applied policy (or --version N) as complete YAML; secrets stay references.",
        mixinStandardHelpOptions = true)
public final class PolicyExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption workspace;

    @Option(names = "--version", paramLabel = "N", description = "A stored version instead of the latest.")
    @Nullable
    Integer version;

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            PolicyVersion stored;
            try (SqliteConfigStore store = Workspace.openExisting(workspace.dataDir)) {
                stored = version == null
                        ? store.latestPolicy()
                                .orElseThrow(() -> CliFailure.invalid("no policy applied yet in " + workspace.dataDir))
                        : store.policy(version)
                                .orElseThrow(() -> CliFailure.invalid(
                                        "--version: no policy version " + version + " in " + workspace.dataDir));
            }
            spec.commandLine()
                    .getOut()
                    .print(PolicyExporter.export(PolicyFiles.parseStored(stored.yaml(), stored.version())));
            spec.commandLine().getOut().flush();
            return 0;
        });
    }
}
