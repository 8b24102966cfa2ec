package dev.veil.server.cli.policy;

import dev.veil.core.policy.ValidationReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code veil policy validate FILE}: checks a policy offline and prints every error and warning with path and line. */
@Command(
        name = "validate",
        description = "Check a policy file offline: errors exit 1, warnings alone exit 0.",
        mixinStandardHelpOptions = true)
public final class PolicyValidateCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy YAML file.")
    Path file;

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            ValidationReport report = PolicyFiles.validate(file);
            // Problems go to stdout: they are the command's answer, meant to be read or piped into review.
            spec.commandLine().getOut().println(report.format());
            spec.commandLine().getOut().flush();
            return report.valid() ? 0 : CliFailure.INVALID_INPUT;
        });
    }
}
