package dev.veil.server.cli.policy;

import dev.veil.admin.AdminServices;
import dev.veil.admin.policy.PolicyService;
import dev.veil.core.policy.SecretResolver;
import dev.veil.server.StoreBackends;
import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.ControlStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the stores a command works on (config, accounts, drafts, audit, secrets, dead letters), from the server's
 * config or a data directory ({@link StoreLocation}), through {@link StoreBackends} as {@code serve} does: SQLite
 * files of the data directory, or the PostgreSQL schema the config names.
 */
public final class Workspace implements AutoCloseable {

    /** The data directory used when neither {@code --config} nor {@code --data-dir} is given. */
    public static final String DEFAULT_DATA_DIR = "./veil-data";

    private final ControlStores stores;
    private final String location;

    private Workspace(ControlStores stores, String location) {
        this.stores = stores;
        this.location = location;
    }

    /**
     * Opens the stores of {@code where} ({@code create}: make an absent SQLite workspace). Reading commands never
     * create one, so a mistyped {@code --data-dir} is an error rather than a fresh empty workspace and a new
     * master key.
     */
    public static Workspace open(StoreLocation where, boolean create) {
        ServerConfig cfg = where.serverConfig();
        String location;
        if (cfg.storage() instanceof ServerConfig.Storage.Postgres pg) {
            location = "PostgreSQL schema " + pg.schema();
        } else {
            location = cfg.dataDir().toString();
            if (!create) {
                requireExisting(cfg.dataDir());
            }
        }
        try {
            return new Workspace(StoreBackends.openControl(cfg), location);
        } catch (ConfigException e) {
            throw CliFailure.invalid(e.getMessage());
        }
    }

    /** The SQLite stores of {@code dataDir}. */
    public static Workspace stores(Path dataDir, boolean create) {
        return open(StoreLocation.dataDir(dataDir), create);
    }

    private static void requireExisting(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve(SqliteConfigStore.FILE_NAME))) {
            throw CliFailure.invalid("no Veil workspace in " + dataDir + " (" + SqliteConfigStore.FILE_NAME
                    + " not found); pass --data-dir or --config");
        }
    }

    /** Where the stores are, for messages: the data directory, or the PostgreSQL schema. */
    public String location() {
        return location;
    }

    public ConfigStore config() {
        return stores.config();
    }

    public AuditLog audit() {
        return stores.audit();
    }

    public ControlStores stores() {
        return stores;
    }

    /** The admin services over this workspace, with the connectors on the class path (no delivery). */
    public AdminServices services() {
        return AdminServices.builder(
                        stores.config(), stores.accounts(), stores.drafts(), stores.secrets(), stores.audit())
                .connectors(PolicyFiles.connectors())
                .secretResolver(SecretResolver.system())
                .build();
    }

    /** The policy service shared with the admin API. */
    public PolicyService policies() {
        return services().policies();
    }

    @Override
    public void close() {
        stores.close();
    }
}
