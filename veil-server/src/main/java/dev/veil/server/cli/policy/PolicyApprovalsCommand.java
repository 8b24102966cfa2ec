package dev.veil.server.cli.policy;

import dev.veil.admin.auth.Principal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code veil policy approvals on|off|status}: the two-person rule. On (the default), policy changes become
 * drafts that a privacy officer other than their author approves; off suits a single-operator install. Audited.
 */
@Command(
        name = "approvals",
        description = "Show or switch the two-person rule (on by default): on|off|status.",
        mixinStandardHelpOptions = true)
public final class PolicyApprovalsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "on|off|status", defaultValue = "status", description = "What to do.")
    String what;

    @Mixin
    DataDirOption workspace;

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            if (!what.equals("on") && !what.equals("off") && !what.equals("status")) {
                throw CliFailure.invalid("expected on, off or status");
            }
            try (Workspace ws = Workspace.open(workspace.location(), !what.equals("status"))) {
                var policies = ws.policies();
                if (!what.equals("status")) {
                    String user = System.getenv("USER");
                    policies.setTwoPersonRule(
                            Principal.cli(user == null || user.isBlank() ? "cli" : user), what.equals("on"));
                }
                spec.commandLine().getOut().println("two-person rule: " + (policies.twoPersonRule() ? "on" : "off"));
            }
            spec.commandLine().getOut().flush();
            return 0;
        });
    }
}
