package dev.veil.server;

import dev.veil.server.config.ServerConfig;
import dev.veil.store.StoreException;

/** Opens the embedded SQLite stores in the data directory. */
public final class EmbeddedStores {

    private EmbeddedStores() {}

    public static Stores open(ServerConfig config) {
        throw new StoreException("open " + config.dataDir() + ": the embedded SQLite store is not wired in yet");
    }
}
