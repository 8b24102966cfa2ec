package dev.veil.store.sqlite;

import dev.veil.store.AccountStore;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.ControlStores;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DraftStore;
import dev.veil.store.MasterKey;
import dev.veil.store.SecretStore;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The control stores of a data directory without its event log, for the CLI: {@code config.db} (opened first: it
 * checks the master key) and the admin stores; {@code deadletters.db} is opened on first use, so a command that
 * never looks at dead letters leaves that file alone.
 */
public final class SqliteControlStores implements ControlStores {

    private final Path dataDir;
    private final MasterKey key;
    private final SqliteConfigStore config;
    private final SqliteAdminStores admin;
    private @Nullable SqliteDeadLetterStore deadLetters;

    private SqliteControlStores(Path dataDir, MasterKey key, SqliteConfigStore config, SqliteAdminStores admin) {
        this.dataDir = dataDir;
        this.key = key;
        this.config = config;
        this.admin = admin;
    }

    /** Opens (creating and migrating as needed) the config and admin stores of {@code dataDir}. */
    public static SqliteControlStores open(Path dataDir, MasterKey key, Clock clock) {
        SqliteConfigStore config = SqliteConfigStore.open(dataDir, key, clock);
        try {
            return new SqliteControlStores(dataDir, key, config, SqliteAdminStores.open(dataDir, key, clock));
        } catch (RuntimeException e) {
            config.close();
            throw e;
        }
    }

    @Override
    public ConfigStore config() {
        return config;
    }

    @Override
    public synchronized DeadLetterStore deadLetters() {
        if (deadLetters == null) {
            deadLetters = SqliteDeadLetterStore.open(dataDir, key);
        }
        return deadLetters;
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
    public synchronized void close() {
        try {
            if (deadLetters != null) {
                deadLetters.close();
            }
        } finally {
            try {
                admin.close();
            } finally {
                config.close();
            }
        }
    }
}
