package dev.veil.server;

import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.SecretResolver;
import dev.veil.store.ControlStores;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.postgres.PostgresSettings;
import dev.veil.store.postgres.PostgresStores;
import dev.veil.store.rocksdb.RocksEventLog;
import dev.veil.store.sqlite.SqliteControlStores;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The one place that chooses the storage backends a config names ({@code storage:} and {@code eventLog:},
 * docs/storage.md): {@code serve} opens {@link #open}, every CLI command that touches users, policies, audit, keys or
 * dead letters opens {@link #openControl} from the same config, so both always look at the same stores. The master
 * key is the data directory's ({@code VEIL_MASTER_KEY} or {@code master.key}) with either backend; the event log is
 * an embedded log of the data directory, SQLite ({@code events.db}, the default) or RocksDB
 * ({@code events.rocksdb/}). A data directory holds one kind: opening it as the other is refused, never a second,
 * empty log beside the first.
 */
public final class StoreBackends {

    private StoreBackends() {}

    /** Opens everything {@code serve} needs (a {@link Stores.Opener}). */
    public static Stores open(ServerConfig cfg) {
        refuseOtherEventLog(cfg);
        EventLogOptions options =
                EventLogOptions.defaults().withDedupWindow(cfg.dedupWindow()).withRetention(cfg.retention());
        return switch (cfg.storage()) {
            case ServerConfig.Storage.Sqlite s -> {
                if (cfg.eventLog() == ServerConfig.EventLogKind.SQLITE) {
                    yield EmbeddedStores.open(cfg);
                }
                MasterKey key = MasterKey.load(cfg.dataDir());
                yield withLocalEventLog(
                        cfg, key, options, SqliteControlStores.open(cfg.dataDir(), key, options.clock()));
            }
            case ServerConfig.Storage.Postgres pg -> {
                // The password first: a reference that does not resolve fails before anything is created.
                PostgresSettings settings = settings(pg, System.getenv());
                MasterKey key = MasterKey.load(cfg.dataDir());
                // The shared stores first: a wrong master key or an unreachable database fails before the event log
                // is touched.
                yield withLocalEventLog(cfg, key, options, PostgresStores.open(settings, key, options.clock()));
            }
        };
    }

    /** Opens the config's event log beside {@code control}; closes {@code control} if the log cannot open. */
    private static Stores withLocalEventLog(
            ServerConfig cfg, MasterKey key, EventLogOptions options, ControlStores control) {
        try {
            EventLog log = switch (cfg.eventLog()) {
                case SQLITE -> SqliteEventLog.open(cfg.dataDir(), key, options);
                case ROCKSDB -> RocksEventLog.open(cfg.dataDir(), key, options);
            };
            return new LocalEventLogStores(log, options.retention(), control);
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
    }

    /**
     * Refuses a data directory whose event log is of the other kind than the config names: starting would make a
     * second, empty log and leave the events of the first undelivered.
     */
    static void refuseOtherEventLog(ServerConfig cfg) {
        Path dir = cfg.dataDir();
        boolean sqlite = Files.exists(dir.resolve(SqliteEventLog.FILE_NAME));
        boolean rocks = RocksEventLog.existsIn(dir);
        String found = null;
        if (cfg.eventLog() == ServerConfig.EventLogKind.SQLITE && rocks) {
            found = "a RocksDB event log (" + RocksEventLog.DIR_NAME + "/)";
        } else if (cfg.eventLog() == ServerConfig.EventLogKind.ROCKSDB && sqlite) {
            found = "a SQLite event log (" + SqliteEventLog.FILE_NAME + ")";
        }
        if (found != null) {
            String other = cfg.eventLog() == ServerConfig.EventLogKind.SQLITE ? "rocksdb" : "sqlite";
            throw new ConfigException("config eventLog: " + cfg.eventLog().configName() + ", but the data directory "
                    + dir + " holds " + found + "; a data directory keeps one event log: set 'eventLog: " + other
                    + "' to keep using it, or start the other kind in a new data directory once every destination"
                    + " has delivered the old one (docs/storage.md)");
        }
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
