package dev.veil.server.cli.policy;

import dev.veil.admin.auth.Principal;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code veil policy export}: prints the applied (or a given) policy version as complete policy YAML, secrets as
 * their references; applying the output changes nothing. Shares {@code PolicyService#export} with the admin API
 * (audited as an export).
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
            String yaml;
            try (Workspace ws = Workspace.open(workspace.location(), false)) {
                var policies = ws.policies();
                if (version == null && policies.published().isEmpty()) {
                    throw CliFailure.invalid("no policy applied yet in " + ws.location());
                }
                if (version != null && ws.config().policy(version).isEmpty()) {
                    throw CliFailure.invalid("--version: no policy version " + version + " in " + ws.location());
                }
                try {
                    yaml = policies.export(version, Principal.cli(Cli.osUser()));
                } catch (dev.veil.admin.AdminException e) {
                    throw CliFailure.invalid(e.getMessage());
                }
            }
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
            return 0;
        });
    }
}
