package dev.veil.server;

import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.SecretResolver;
import dev.veil.store.ControlStores;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.postgres.PostgresSettings;
import dev.veil.store.postgres.PostgresStores;
import dev.veil.store.sqlite.SqliteControlStores;
import dev.veil.store.sqlite.SqliteEventLog;
import java.time.Clock;
import java.util.Map;

/**
 * The one place that chooses the storage backend a config names ({@code storage:}, docs/storage.md): {@code serve}
 * opens {@link #open}, every CLI command that touches users, policies, audit, keys or dead letters opens
 * {@link #openControl} from the same config, so both always look at the same stores. The master key is the data
 * directory's ({@code VEIL_MASTER_KEY} or {@code master.key}) with either backend; the event log is always the
 * embedded SQLite log of the data directory.
 */
public final class StoreBackends {

    private StoreBackends() {}

    /** Opens everything {@code serve} needs (a {@link Stores.Opener}). */
    public static Stores open(ServerConfig cfg) {
        return switch (cfg.storage()) {
            case ServerConfig.Storage.Sqlite s -> EmbeddedStores.open(cfg);
            case ServerConfig.Storage.Postgres pg -> {
                // The password first: a reference that does not resolve fails before anything is created.
                PostgresSettings settings = settings(pg, System.getenv());
                MasterKey key = MasterKey.load(cfg.dataDir());
                EventLogOptions options = EventLogOptions.defaults()
                        .withDedupWindow(cfg.dedupWindow())
                        .withRetention(cfg.retention());
                // The shared stores first: a wrong master key or an unreachable database fails before events.db
                // is touched.
                ControlStores control = PostgresStores.open(settings, key, options.clock());
                try {
                    SqliteEventLog log = SqliteEventLog.open(cfg.dataDir(), key, options);
                    yield new LocalEventLogStores(log, log.retention(), control);
                } catch (RuntimeException e) {
                    control.close();
                    throw e;
                }
            }
        };
    }

    /** Opens the config's control stores, without the event log (the CLI: users, policy, audit, keys, dlq). */
    public static ControlStores openControl(ServerConfig cfg) {
        return switch (cfg.storage()) {
            case ServerConfig.Storage.Sqlite s ->
                SqliteControlStores.open(cfg.dataDir(), MasterKey.load(cfg.dataDir()), Clock.systemUTC());
            case ServerConfig.Storage.Postgres pg -> {
                PostgresSettings settings = settings(pg, System.getenv());
                yield PostgresStores.open(settings, MasterKey.load(cfg.dataDir()), Clock.systemUTC());
            }
        };
    }

    /** The connection settings, with the password reference resolved (messages name the reference only). */
    static PostgresSettings settings(ServerConfig.Storage.Postgres pg, Map<String, String> env) {
        String password = pg.password() == null
                ? null
                : new SecretResolver(env, java.nio.file.Path.of("/"))
                        .resolve(pg.password(), pg.origin() + " storage.password");
        try {
            return new PostgresSettings(pg.url(), pg.user(), password, pg.schema(), pg.maxPoolSize());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(pg.origin() + " storage: " + e.getMessage());
        }
    }
}
