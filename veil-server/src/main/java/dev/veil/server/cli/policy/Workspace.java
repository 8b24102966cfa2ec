package dev.veil.server.cli.policy;

import dev.veil.admin.AdminServices;
import dev.veil.admin.policy.PolicyService;
import dev.veil.core.policy.SecretResolver;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the data directory's config store (and the admin stores beside it) with its master key for one command. */
public final class Workspace implements AutoCloseable {

    /** The data directory used when {@code --data-dir} is not given. */
    public static final String DEFAULT_DATA_DIR = "./veil-data";

    private final SqliteConfigStore config;
    private final SqliteAdminStores admin;

    private Workspace(SqliteConfigStore config, SqliteAdminStores admin) {
        this.config = config;
        this.admin = admin;
    }

    /**
     * Opens the store of an existing workspace; reading commands never create one, so a mistyped
     * {@code --data-dir} is an error rather than a fresh empty workspace and a new master key.
     */
    static SqliteConfigStore openExisting(Path dataDir) {
        requireExisting(dataDir);
        return open(dataDir);
    }

    /** Opens the store, creating the data directory, master key file and store when absent. */
    static SqliteConfigStore open(Path dataDir) {
        return SqliteConfigStore.open(dataDir, MasterKey.load(dataDir));
    }

    private static void requireExisting(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve(SqliteConfigStore.FILE_NAME))) {
            throw CliFailure.invalid("no Veil workspace in " + dataDir + " (" + SqliteConfigStore.FILE_NAME
                    + " not found); pass --data-dir");
        }
    }

    /** Config and admin stores of a workspace ({@code create}: make it when absent). */
    public static Workspace stores(Path dataDir, boolean create) {
        if (!create) {
            requireExisting(dataDir);
        }
        MasterKey key = MasterKey.load(dataDir);
        // The config store checks the master key first, so a wrong key fails before the admin stores open.
        SqliteConfigStore config = SqliteConfigStore.open(dataDir, key);
        try {
            return new Workspace(config, SqliteAdminStores.open(dataDir, key, java.time.Clock.systemUTC()));
        } catch (RuntimeException e) {
            config.close();
            throw e;
        }
    }

    public SqliteConfigStore config() {
        return config;
    }

    public SqliteAdminStores admin() {
        return admin;
    }

    /** The admin services over this workspace, with the connectors on the class path (no delivery). */
    public AdminServices services() {
        return AdminServices.builder(config, admin.accounts(), admin.drafts(), admin.secrets(), admin.audit())
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
        admin.close();
        config.close();
    }
}
