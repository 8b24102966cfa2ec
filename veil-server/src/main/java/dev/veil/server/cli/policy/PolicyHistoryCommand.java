package dev.veil.server.cli.policy;

import dev.veil.admin.policy.PolicyService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code veil policy history}: the stored policy versions, newest first, with author, approvers, time and comment (shared with the
 * admin API's history). */
@Command(
        name = "history",
        description = "List the stored policy versions, newest first.",
        mixinStandardHelpOptions = true)
public final class PolicyHistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption workspace;

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            List<PolicyService.HistoryEntry> history;
            String location;
            try (Workspace ws = Workspace.open(workspace.location(), false)) {
                history = ws.policies().history();
                location = ws.location();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (history.isEmpty()) {
                out.println("no policy applied yet in " + location);
            } else {
                out.printf("%-8s %-24s %-16s %-16s %s%n", "VERSION", "APPLIED AT", "AUTHOR", "APPROVED BY", "COMMENT");
                for (PolicyService.HistoryEntry v : history) {
                    out.printf(
                            "%-8d %-24s %-16s %-16s %s%n",
                            v.version(),
                            v.createdAt(),
                            v.author(),
                            v.approvedBy().isEmpty() ? "-" : String.join(",", v.approvedBy()),
                            v.comment());
                }
            }
            out.flush();
            return 0;
        });
    }
}
