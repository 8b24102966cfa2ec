package dev.veil.store.postgres;

import dev.veil.store.AccountStore;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.ControlStores;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DraftStore;
import dev.veil.store.MasterKey;
import dev.veil.store.SecretStore;
import java.time.Clock;

/**
 * Every PostgreSQL store of one schema, opened together under one master key and closed together: the config
 * store first (it checks the master key, so a wrong key fails before anything else opens), then dead letters and
 * the admin stores. The data dictionary is opened on demand for its caller. There is no event log here yet.
 */
public final class PostgresStores implements ControlStores {

    private final PostgresSettings settings;
    private final PostgresConfigStore config;
    private final PostgresDeadLetterStore deadLetters;
    private final PostgresAdminStores admin;

    private PostgresStores(
            PostgresSettings settings,
            PostgresConfigStore config,
            PostgresDeadLetterStore deadLetters,
            PostgresAdminStores admin) {
        this.settings = settings;
        this.config = config;
        this.deadLetters = deadLetters;
        this.admin = admin;
    }

    /** Connects, migrates the schema if needed and opens every store under {@code key}. */
    public static PostgresStores open(PostgresSettings settings, MasterKey key, Clock clock) {
        PostgresConfigStore config = PostgresConfigStore.open(settings, key, clock);
        try {
            PostgresDeadLetterStore deadLetters = PostgresDeadLetterStore.open(settings, key);
            try {
                return new PostgresStores(
                        settings, config, deadLetters, PostgresAdminStores.open(settings, key, clock));
            } catch (RuntimeException e) {
                deadLetters.close();
                throw e;
            }
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
    public DeadLetterStore deadLetters() {
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
        return PostgresDictionaryStore.open(settings);
    }

    @Override
    public void close() {
        try {
            admin.close();
        } finally {
            try {
                deadLetters.close();
            } finally {
                config.close();
            }
        }
    }
}
