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
import dev.veil.store.SecretStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The storage a running server uses, one store SPI ({@code dev.veil.store}) per purpose, whatever backend holds
 * them: ingest appends to the event log; delivery reads it and writes dead letters and reads the config store;
 * the admin API and the console use the account, draft, audit and secret stores and a data dictionary. Nothing
 * here names a backend, so a PostgreSQL or Kafka implementation plugs in without touching its callers. Closing
 * closes everything that was opened (a dictionary handed out by {@link #openDictionary()} belongs to its caller).
 */
public interface Stores extends AutoCloseable {

    EventLog eventLog();

    DeadLetterStore deadLetters();

    ConfigStore config();

    AccountStore accounts();

    DraftStore drafts();

    AuditLog audit();

    SecretStore secrets();

    /** Opens the console's data dictionary; the caller closes it (the console does when it stops). */
    DictionaryStore openDictionary();

    /** How long delivered events and dead letters are kept (the retention purge's cutoff is now minus this). */
    Duration retention();

    GeneratedKeyStore generatedKeys();

    /**
     * Why the control stores (users, policies, audit, secrets, dead letters) cannot serve now, e.g. their PostgreSQL
     * database does not answer; empty when they can (always with the embedded stores). From memory, no query.
     */
    default Optional<String> controlUnavailable() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Opens the stores a config names ({@link StoreBackends#open}: SQLite under {@code dataDir}, or PostgreSQL). */
    @FunctionalInterface
    interface Opener {
        Stores open(ServerConfig config);
    }
}
