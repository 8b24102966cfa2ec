package dev.veil.server.cli.policy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code veil policy}: the policy-as-code commands. */
@Command(
        name = "policy",
        description = "Validate, compare, apply, export and list privacy policy versions.",
        mixinStandardHelpOptions = true,
        subcommands = {
            PolicyValidateCommand.class,
            PolicyDiffCommand.class,
            PolicyApplyCommand.class,
            PolicyExportCommand.class,
            PolicyHistoryCommand.class,
            PolicyApprovalsCommand.class
        })
public final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // "veil policy" alone is a usage error (exit 2), with the list of subcommands.
        throw new ParameterException(
                spec.commandLine(), "missing subcommand: validate, diff, apply, export or history");
    }
}
