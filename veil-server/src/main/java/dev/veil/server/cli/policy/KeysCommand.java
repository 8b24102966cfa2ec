package dev.veil.server.cli.policy;

import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.MaskingSecret;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code veil keys}: the workspace masking secret versions (the keys themselves are never shown). */
@Command(
        name = "keys",
        description = "Rotate and list the masking key versions; keys are never shown.",
        mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.Rotate.class, KeysCommand.ListVersions.class})
public final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: rotate or list");
    }

    /** {@code veil keys rotate}: starts a new masking key version for events received from now on. */
    @Command(
            name = "rotate",
            description = "Start a new masking key version for events received from now on; older events keep"
                    + " their masked ids.",
            mixinStandardHelpOptions = true)
    static final class Rotate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption workspace;

        @Override
        public Integer call() {
            return Cli.run(spec, () -> {
                MaskingSecret next;
                try (Workspace ws = Workspace.open(workspace.location(), true)) {
                    ConfigStore store = ws.config();
                    // Make sure version 1 exists first, so the rotation really adds a second version.
                    store.maskingSecrets();
                    next = store.rotateMaskingSecret();
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("masking key version " + next.version() + " active from " + next.activatedAt()
                        + " (events received from then on; earlier events keep their masked ids)");
                out.flush();
                return 0;
            });
        }
    }

    /** {@code veil keys list}: the masking key versions and when each became active. */
    @Command(
            name = "list",
            description = "List masking key versions and activation times.",
            mixinStandardHelpOptions = true)
    static final class ListVersions implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption workspace;

        @Override
        public Integer call() {
            return Cli.run(spec, () -> {
                List<MaskingSecret> secrets;
                try (Workspace ws = Workspace.open(workspace.location(), false)) {
                    ConfigStore store = ws.config();
                    secrets = store.maskingSecrets();
                }
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-8s %-24s %s%n", "VERSION", "ACTIVE FROM", "STATUS");
                int current =
                        secrets.stream().mapToInt(MaskingSecret::version).max().orElse(0);
                secrets.stream()
                        .sorted(Comparator.comparingInt(MaskingSecret::version))
                        .forEach(s -> out.printf(
                                "%-8d %-24s %s%n",
                                s.version(),
                                s.activatedAt(),
                                s.version() == current ? "current" : "kept for earlier events"));
                out.flush();
                return 0;
            });
        }
    }
}
