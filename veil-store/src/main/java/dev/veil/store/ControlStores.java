package dev.veil.store;

import java.util.Optional;

/**
 * The stores that hold what operators manage, as opposed to the event stream: the config store (policies,
 * sources, masking secrets), dead letters, accounts, policy drafts, the audit log and named secrets, plus the data
 * dictionary. One backend holds them all (the embedded SQLite files of a data directory, or one PostgreSQL schema
 * several servers share); the event log is opened apart. Closing closes what was opened; a dictionary handed out by
 * {@link #openDictionary()} belongs to its caller.
 */
public interface ControlStores extends AutoCloseable {

    ConfigStore config();

    DeadLetterStore deadLetters();

    AccountStore accounts();

    DraftStore drafts();

    AuditLog audit();

    SecretStore secrets();

    /** Opens the data dictionary; the caller closes it. */
    DictionaryStore openDictionary();

    /**
     * Why these stores cannot serve now (e.g. their database does not answer), or empty when they can. Answers from
     * memory (a backend that can become unreachable checks in the background), so readiness probes may call it on
     * every request; embedded stores are always available.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    @Override
    void close();
}
