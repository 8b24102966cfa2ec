package dev.veil.server;

import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.GeneratedKeyStore;
import dev.veil.store.EventLog;

/**
 * The storage a running server uses: the event log and the store of generated write keys. Closing closes
 * everything that was opened.
 */
public interface Stores extends AutoCloseable {

    EventLog eventLog();

    GeneratedKeyStore generatedKeys();

    /** The embedded SQLite stores when these are they (delivery needs dead letters and the config store). */
    default java.util.Optional<dev.veil.store.sqlite.SqliteStores> embedded() {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    /** Opens the stores a config names (the embedded SQLite store under {@code dataDir}). */
    @FunctionalInterface
    interface Opener {
        Stores open(ServerConfig config);
    }
}
