package dev.veil.server.cli.policy;

import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.config.ServerConfigLoader;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a CLI command finds the stores: the server's config ({@code --config veil.yaml}: its {@code storage:} and
 * {@code dataDir}, exactly what {@code serve} opens) or a data directory of embedded SQLite stores
 * ({@code --data-dir}, default {@value Workspace#DEFAULT_DATA_DIR}). Not both.
 *
 * @param config the server config file, or null
 * @param dataDir the data directory, or null
 */
public record StoreLocation(@Nullable Path config, @Nullable Path dataDir) {

    /** The default data directory, SQLite. */
    public static StoreLocation defaults() {
        return new StoreLocation(null, null);
    }

    /** The data directory {@code dataDir} (SQLite). */
    public static StoreLocation dataDir(Path dataDir) {
        return new StoreLocation(null, dataDir);
    }

    /** The server config the stores are opened from (a data directory alone is SQLite with defaults). */
    public ServerConfig serverConfig() {
        if (config != null && dataDir != null) {
            throw CliFailure.invalid("give --config or --data-dir, not both (the config names its dataDir)");
        }
        if (config != null) {
            try {
                return ServerConfigLoader.load(config);
            } catch (ConfigException e) {
                throw CliFailure.invalid(e.getMessage());
            }
        }
        return ServerConfig.defaults().withDataDir(dataDir != null ? dataDir : Path.of(Workspace.DEFAULT_DATA_DIR));
    }
}
