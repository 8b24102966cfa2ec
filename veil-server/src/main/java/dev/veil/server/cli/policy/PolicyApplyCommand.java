package dev.veil.server.cli.policy;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.policy.PolicyService;
import dev.veil.store.ConfigStore.PolicyVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * policy version, which the running server picks up. With the two-person rule on (the default) it saves a draft
 * for a privacy officer to approve instead. The same {@link PolicyService#apply} the admin API uses; audited.
 */
@Command(
        name = "apply",
        description = "Validate FILE and publish it as the next policy version (with the two-person rule on: save it"
                + " as a draft to approve); prints the changes.",
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
            PolicyFiles.load(file);
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(workspace.location(), true)) {
                PolicyService policies = ws.policies();
                Optional<PolicyVersion> applied = policies.published();
                applied.filter(v -> !policies.validate(v.yaml(), "v").valid())
                        .ifPresent(v -> spec.commandLine()
                                .getErr()
                                .println("policy apply: applied version " + v.version()
                                        + " no longer validates; changes are shown from an empty policy"));
                PolicyService.ApplyResult result;
                try {
                    result = policies.apply(yaml, file.toString(), Principal.cli(author), comment);
                } catch (AdminException e) {
                    throw CliFailure.invalid(e.getMessage());
                }
                switch (result) {
                    case PolicyService.Unchanged u ->
                        out.println("no changes: version " + u.version() + " is already this policy");
                    case PolicyService.Published p -> {
                        out.println("applied version " + p.version().version() + " by "
                                + p.version().author() + " at " + p.version().createdAt());
                        if (p.changes().isEmpty()) {
                            out.println("(only settings without a plain-words description changed)");
                        }
                        PolicyDiffCommand.print(out, p.changes());
                    }
                    case PolicyService.Drafted d -> {
                        out.println("two-person rule is on: saved as draft "
                                + d.draft().id() + " (revision " + d.draft().revision() + "); nothing was published");
                        out.println("a privacy officer other than " + d.draft().author()
                                + " approves and publishes it in the console or with the admin API"
                                + " (single-operator install: 'veil policy approvals off')");
                        PolicyDiffCommand.print(out, d.changes());
                    }
                }
            }
            out.flush();
            return 0;
        });
    }

    private static String defaultAuthor() {
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "cli" : user;
    }
}
