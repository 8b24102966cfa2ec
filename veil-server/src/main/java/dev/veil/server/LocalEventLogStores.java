package dev.veil.server;

import dev.veil.server.source.GeneratedKeyStore;
import dev.veil.store.AccountStore;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.ControlStores;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DraftStore;
import dev.veil.store.EventLog;
import dev.veil.store.SecretStore;
import java.time.Duration;
import java.util.Optional;

/**
 * A local event log beside control stores of any backend (PostgreSQL: {@link StoreBackends}); closing closes the
 * event log, then the control stores.
 */
final class LocalEventLogStores implements Stores {

    private final EventLog eventLog;
    private final ControlStores control;
    private final Duration retention;
    private final GeneratedKeyStore keys;

    LocalEventLogStores(EventLog eventLog, Duration retention, ControlStores control) {
        this.eventLog = eventLog;
        this.retention = retention;
        this.control = control;
        this.keys = GeneratedKeyStore.in(control.config());
    }

    @Override
    public EventLog eventLog() {
        return eventLog;
    }

    @Override
    public DeadLetterStore deadLetters() {
        return control.deadLetters();
    }

    @Override
    public ConfigStore config() {
        return control.config();
    }

    @Override
    public AccountStore accounts() {
        return control.accounts();
    }

    @Override
    public DraftStore drafts() {
        return control.drafts();
    }

    @Override
    public AuditLog audit() {
        return control.audit();
    }

    @Override
    public SecretStore secrets() {
        return control.secrets();
    }

    @Override
    public DictionaryStore openDictionary() {
        return control.openDictionary();
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public GeneratedKeyStore generatedKeys() {
        return keys;
    }

    @Override
    public Optional<String> controlUnavailable() {
        return control.unavailable();
    }

    @Override
    public void close() {
        try {
            eventLog.close();
        } finally {
            control.close();
        }
    }
}
