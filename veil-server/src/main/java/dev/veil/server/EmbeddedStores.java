package dev.veil.server;

import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.GeneratedKeyStore;
import dev.veil.store.ConfigStore;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteStores;
import java.util.List;
import java.util.Optional;

/**
 * The embedded SQLite stores of the data directory ({@link SqliteStores}) under the master key
 * ({@code VEIL_MASTER_KEY} or {@code master.key}), as the server uses them.
 */
public final class EmbeddedStores implements Stores {

    private final SqliteStores stores;
    private final GeneratedKeyStore keys;

    private EmbeddedStores(SqliteStores stores) {
        this.stores = stores;
        ConfigStore config = stores.config();
        this.keys = new GeneratedKeyStore() {
            @Override
            public Optional<String> ensureKey(String sourceId, String name, List<String> allowedOrigins) {
                config.saveSource(sourceId, name, allowedOrigins);
                return config.ensureGeneratedWriteKey(sourceId);
            }

            @Override
            public Optional<String> sourceIdFor(String writeKey) {
                return config.findSourceByWriteKey(writeKey).map(ConfigStore.Source::id);
            }
        };
    }

    /** Opens (creating on first start) the master key and every store in the config's data directory. */
    public static Stores open(ServerConfig cfg) {
        MasterKey key = MasterKey.load(cfg.dataDir());
        EventLogOptions options =
                EventLogOptions.defaults().withDedupWindow(cfg.dedupWindow()).withRetention(cfg.retention());
        return new EmbeddedStores(SqliteStores.open(cfg.dataDir(), key, options));
    }

    @Override
    public EventLog eventLog() {
        return stores.eventLog();
    }

    @Override
    public GeneratedKeyStore generatedKeys() {
        return keys;
    }

    @Override
    public java.util.Optional<SqliteStores> embedded() {
        return java.util.Optional.of(stores);
    }

    @Override
    public void close() {
        stores.close();
    }
}
