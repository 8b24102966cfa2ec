package dev.veil.server.cli.policy;

import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.PolicyVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code veil policy diff FILE}: what changes, in plain words, going from the applied policy (or another file) to FILE. */
@Command(
        name = "diff",
        description = "Show, per destination, what would change going from the applied policy (or --against) to FILE.",
        mixinStandardHelpOptions = true)
public final class PolicyDiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The proposed policy YAML file.")
    Path file;

    @ArgGroup(exclusive = true)
    @Nullable
    Base base;

    /** What FILE is compared with: the data dir's applied policy or another file. */
    static final class Base {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Data directory whose applied policy is the base (default: " + Workspace.DEFAULT_DATA_DIR
                        + ").")
        @Nullable
        Path dataDir;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "The server config (veil.yaml) whose stores hold the applied policy (sqlite or postgres).")
        @Nullable
        Path config;

        @Option(names = "--against", paramLabel = "OTHER.yaml", description = "Compare with this policy file instead.")
        @Nullable
        Path against;
    }

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            Policy proposed = PolicyFiles.load(file);
            PrintWriter out = spec.commandLine().getOut();
            Policy from;
            if (base != null && base.against != null) {
                from = PolicyFiles.load(base.against);
            } else {
                StoreLocation where =
                        base == null ? StoreLocation.defaults() : new StoreLocation(base.config, base.dataDir);
                try (Workspace ws = Workspace.open(where, false)) {
                    ConfigStore store = ws.config();
                    Optional<PolicyVersion> applied = store.latestPolicy();
                    if (applied.isPresent()) {
                        from = PolicyFiles.parseStored(
                                applied.get().yaml(), applied.get().version());
                        out.println("comparing applied version " + applied.get().version() + " with " + file);
                    } else {
                        from = PolicyFiles.EMPTY;
                        out.println(
                                "no policy applied yet in " + ws.location() + "; everything in " + file + " is new");
                    }
                }
            }
            print(out, PolicyDiff.between(from, proposed));
            out.flush();
            return 0;
        });
    }

    static void print(PrintWriter out, List<PolicyDiff.Change> changes) {
        if (changes.isEmpty()) {
            out.println("no changes");
        }
        changes.forEach(out::println);
    }
}
