package dev.veil.server;

import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.GeneratedKeyStore;
import dev.veil.store.AccountStore;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DraftStore;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.SecretStore;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteDictionaryStore;
import dev.veil.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded SQLite stores of the data directory ({@link SqliteStores}, {@link SqliteAdminStores}) under the
 * master key ({@code VEIL_MASTER_KEY} or {@code master.key}), as the server uses them.
 */
public final class EmbeddedStores implements Stores {

    private final Path dataDir;
    private final SqliteStores stores;
    private final SqliteAdminStores admin;
    private final GeneratedKeyStore keys;

    private EmbeddedStores(Path dataDir, SqliteStores stores, SqliteAdminStores admin) {
        this.dataDir = dataDir;
        this.stores = stores;
        this.admin = admin;
        this.keys = GeneratedKeyStore.in(stores.config());
    }

    /** Opens (creating on first start) the master key and every store in the config's data directory. */
    public static Stores open(ServerConfig cfg) {
        EventLogOptions options =
                EventLogOptions.defaults().withDedupWindow(cfg.dedupWindow()).withRetention(cfg.retention());
        return open(cfg.dataDir(), MasterKey.load(cfg.dataDir()), options);
    }

    /**
     * Opens (creating and migrating as needed) every store in {@code dataDir} under {@code key}; the admin stores
     * use the options' clock.
     */
    public static EmbeddedStores open(Path dataDir, MasterKey key, EventLogOptions options) {
        SqliteStores stores = SqliteStores.open(dataDir, key, options);
        try {
            return new EmbeddedStores(dataDir, stores, SqliteAdminStores.open(dataDir, key, options.clock()));
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    @Override
    public EventLog eventLog() {
        return stores.eventLog();
    }

    @Override
    public DeadLetterStore deadLetters() {
        return stores.deadLetters();
    }

    @Override
    public ConfigStore config() {
        return stores.config();
    }

    @Override
    public AccountStore accounts() {
        return admin.accounts();
    }

    @Override
    public DraftStore drafts() {
        return admin.drafts();
    }

    @Override
    public AuditLog audit() {
        return admin.audit();
    }

    @Override
    public SecretStore secrets() {
        return admin.secrets();
    }

    @Override
    public DictionaryStore openDictionary() {
        return SqliteDictionaryStore.open(dataDir);
    }

    @Override
    public Duration retention() {
        return stores.eventLog().retention();
    }

    @Override
    public GeneratedKeyStore generatedKeys() {
        return keys;
    }

    @Override
    public void close() {
        try {
            admin.close();
        } finally {
            stores.close();
        }
    }
}
