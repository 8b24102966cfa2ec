package dev.veil.server.delivery.cli;

import dev.veil.server.StoreBackends;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.config.ServerConfigLoader;
import dev.veil.server.delivery.ReplayQueue;
import dev.veil.server.delivery.SqliteReplayQueue;
import dev.veil.store.ControlStores;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DeadLetterStore.DeadLetter;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code veil dlq list|show|replay}: inspects and replays dead letters offline, against the data directory. A
 * replay queues dead letters for the delivery engine of a running (or the next started) server; each dead
 * letter is queued at most once, and vendors deduplicate by message id, so replaying never double counts.
 */
@Command(
        name = "dlq",
        description = "Inspect and replay events that could not be delivered.",
        mixinStandardHelpOptions = true,
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.ReplayCommand.class})
public final class DlqCommand implements Callable<Integer> {
    private static final int ALL = 1_000_000;

    private final DlqStores.Opener opener;
    private final Clock clock;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-d", "--data-dir"},
            scope = ScopeType.INHERIT,
            defaultValue = "${env:VEIL_DATA_DIR:-veil-data}",
            description = "Data directory (default: $VEIL_DATA_DIR or ./veil-data).")
    Path dataDir = Path.of("data");

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "The server config (veil.yaml): the dead letters of the stores it names (sqlite or"
                    + " postgres); replays are queued in its dataDir.")
    @Nullable
    Path config;

    /** The command the CLI registers: SQLite stores of the data directory, system clock. */
    public DlqCommand() {
        this(DlqCommand::openSqlite, Clock.systemUTC());
    }

    /** Opens the data directory's dead letters; refuses a directory that has none instead of creating one. */
    static DlqStores openSqlite(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve(SqliteDeadLetterStore.FILE_NAME))) {
            throw new IllegalArgumentException("dlq: no dead-letter store in data directory " + dataDir + " ("
                    + SqliteDeadLetterStore.FILE_NAME + " not found); pass --data-dir");
        }
        MasterKey key = MasterKey.load(dataDir);
        SqliteDeadLetterStore deadLetters = SqliteDeadLetterStore.open(dataDir, key);
        ReplayQueue replays = SqliteReplayQueue.open(dataDir);
        return new DlqStores(deadLetters, replays, () -> {
            replays.close();
            deadLetters.close();
        });
    }

    /** A command over the given stores (the CLI passes the SQLite opener; tests pass their own). */
    public DlqCommand(DlqStores.Opener opener, Clock clock) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Parses {@code --since}; a bad value is a usage error (message and usage, no stack trace). */
    private Instant since(String text) {
        if (text.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Since.parse(text, clock);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private DlqStores open() {
        return config == null ? opener.open(dataDir) : openConfigured(config);
    }

    /**
     * The dead letters of the stores the server config names ({@link StoreBackends}, as {@code serve} opens them);
     * the replay queue is the config's data directory's, which the delivery engine of that server reads.
     */
    static DlqStores openConfigured(Path configFile) {
        ServerConfig cfg = ServerConfigLoader.load(configFile); // a ConfigException: exit 1, "veil: config ..."
        ControlStores stores = StoreBackends.openControl(cfg);
        try {
            DeadLetterStore deadLetters = stores.deadLetters();
            ReplayQueue replays = SqliteReplayQueue.open(cfg.dataDir());
            return new DlqStores(deadLetters, replays, () -> {
                replays.close();
                stores.close();
            });
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    private static String status(DeadLetter d, ReplayQueue replays) {
        if (d.replayedAt() != null) {
            return "replayed";
        }
        return replays.isQueued(d.id()) ? "queued" : "failed";
    }

    /** {@code dlq list DESTINATION [--since]}. */
    @Command(name = "list", description = "List a destination's dead letters, oldest first.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DlqCommand parent;

        @Parameters(index = "0", paramLabel = "DESTINATION", description = "Destination id.")
        String destination = "";

        @Option(names = "--since", description = "Only those failed since: an age (24h, 7d), a date or an instant.")
        String since = "";

        @Option(names = "--limit", defaultValue = "100", description = "Most rows to show (default 100).")
        int limit;

        @Override
        public Integer call() throws Exception {
            PrivateOut out = new PrivateOut(parent.spec);
            Instant from = parent.since(since);
            try (DlqStores stores = parent.open()) {
                List<DeadLetter> letters = stores.deadLetters().list(destination, from, limit);
                out.println(String.format(
                        "%-8s %-24s %-9s %-8s %-36s %s", "ID", "FAILED AT", "STATUS", "TYPE", "MESSAGE ID", "REASON"));
                for (DeadLetter d : letters) {
                    out.println(String.format(
                            "%-8d %-24s %-9s %-8s %-36s %s",
                            d.id(),
                            d.failedAt(),
                            status(d, stores.replays()),
                            d.event().type().wireName(),
                            d.event().messageId(),
                            d.reason()));
                }
                out.println(letters.size() + " shown; " + stores.deadLetters().count(destination) + " not replayed for "
                        + destination);
            }
            return 0;
        }
    }

    /** {@code dlq show DESTINATION ID [--payload]}. */
    @Command(name = "show", description = "Show one dead letter.")
    static final class ShowCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DlqCommand parent;

        @Parameters(index = "0", paramLabel = "DESTINATION", description = "Destination id.")
        String destination = "";

        @Parameters(index = "1", paramLabel = "ID", description = "Dead letter id (from list).")
        long id;

        @Option(
                names = "--payload",
                description = "Also print the raw event. It may contain PHI: use only where you may see it.")
        boolean payload;

        @Override
        public Integer call() throws Exception {
            PrivateOut out = new PrivateOut(parent.spec);
            try (DlqStores stores = parent.open()) {
                var found = stores.deadLetters()
                        .get(id)
                        .filter(d -> d.destinationId().equals(destination));
                if (found.isEmpty()) {
                    parent.spec
                            .commandLine()
                            .getErr()
                            .println("dlq show: no dead letter " + id + " for destination " + destination);
                    return 1;
                }
                DeadLetter d = found.get();
                out.println("id:          " + d.id());
                out.println("destination: " + d.destinationId());
                out.println("status:      " + status(d, stores.replays()));
                out.println("failed at:   " + d.failedAt());
                out.println("replayed at: " + (d.replayedAt() == null ? "-" : d.replayedAt()));
                out.println("reason:      " + d.reason());
                out.println("source:      " + d.event().sourceId());
                out.println("message id:  " + d.event().messageId());
                out.println("type:        " + d.event().type().wireName());
                out.println("received at: " + d.event().receivedAt());
                if (payload) {
                    out.println("payload:");
                    out.println(d.event().message().toPrettyString());
                } else {
                    out.println("(add --payload to print the raw event; it may contain PHI)");
                }
            }
            return 0;
        }
    }

    /** {@code dlq replay DESTINATION [--since] [--id …]}. */
    @Command(
            name = "replay",
            description = "Queue a destination's dead letters for delivery again (each at most once).")
    static final class ReplayCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DlqCommand parent;

        @Parameters(index = "0", paramLabel = "DESTINATION", description = "Destination id.")
        String destination = "";

        @Option(names = "--since", description = "Only those failed since: an age (24h, 7d), a date or an instant.")
        String since = "";

        @Option(names = "--id", split = ",", description = "Only these dead letter ids.")
        List<Long> ids = new ArrayList<>();

        @Option(names = "--dry-run", description = "Say what would be queued, queue nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            PrivateOut out = new PrivateOut(parent.spec);
            Instant from = parent.since(since);
            try (DlqStores stores = parent.open()) {
                DeadLetterStore letters = stores.deadLetters();
                List<Long> candidates = letters.list(destination, from, ALL).stream()
                        .filter(d -> d.replayedAt() == null)
                        .filter(d -> ids.isEmpty() || ids.contains(d.id()))
                        .map(DeadLetter::id)
                        .filter(id -> !stores.replays().isQueued(id))
                        .toList();
                if (dryRun) {
                    out.println("would queue " + candidates.size() + " dead letters for " + destination);
                    return 0;
                }
                int queued = stores.replays().enqueue(destination, candidates, parent.clock.instant());
                out.println("queued " + queued + " dead letters for " + destination
                        + "; the delivery engine sends them when the server runs");
            }
            return 0;
        }
    }

    /** The command's standard output. */
    private record PrivateOut(PrintWriter writer) {
        PrivateOut(CommandLine.Model.CommandSpec spec) {
            this(spec.commandLine().getOut());
        }

        void println(String line) {
            writer.println(line);
            writer.flush();
        }
    }
}
