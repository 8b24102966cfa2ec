package dev.veil.server.cli.policy;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --config} / {@code --data-dir} options shared by the commands that work on a Veil workspace (a picocli
 * mixin): the server's config (its {@code storage:}, SQLite or PostgreSQL) or a SQLite data directory.
 */
final class DataDirOption {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The server config (veil.yaml): use the stores it names (storage: sqlite or postgres).")
    @Nullable
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory of SQLite stores (default: " + Workspace.DEFAULT_DATA_DIR + ").")
    @Nullable
    Path dataDir;

    StoreLocation location() {
        return new StoreLocation(config, dataDir);
    }
}
