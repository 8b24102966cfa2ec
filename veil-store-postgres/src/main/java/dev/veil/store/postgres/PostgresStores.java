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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every PostgreSQL store of one schema, opened together under one master key over one connection pool (at most
 * {@link PostgresSettings#maxPoolSize()} connections for the whole server, migrated once) and closed together: the
 * config store first (it checks the master key, so a wrong key fails before anything else opens), then dead letters
 * and the admin stores. The data dictionary is opened on demand over the same pool. There is no event log here yet.
 *
 * <p>A background probe borrows a pooled connection every {@code probeInterval} and checks it, so
 * {@link #unavailable()} answers from memory: readiness checks cost no query each, and the state comes back by
 * itself when the database does.
 */
public final class PostgresStores implements ControlStores {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStores.class);

    /** How often the background probe checks the database by default. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);

    private final PostgresDb db;
    private final PostgresConfigStore config;
    private final PostgresDeadLetterStore deadLetters;
    private final PostgresAdminStores admin;
    private final AtomicReference<@Nullable String> unavailable = new AtomicReference<>();
    private final ScheduledExecutorService probe;

    private PostgresStores(
            PostgresDb db,
            PostgresConfigStore config,
            PostgresDeadLetterStore deadLetters,
            PostgresAdminStores admin,
            Duration probeInterval) {
        this.db = db;
        this.config = config;
        this.deadLetters = deadLetters;
        this.admin = admin;
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "veil-postgres-probe");
            t.setDaemon(true);
            return t;
        });
        long ms = probeInterval.toMillis();
        probe.scheduleWithFixedDelay(this::probe, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Connects, migrates the schema if needed and opens every store under {@code key}. */
    public static PostgresStores open(PostgresSettings settings, MasterKey key, Clock clock) {
        return open(settings, key, clock, DEFAULT_PROBE_INTERVAL);
    }

    /** As {@link #open(PostgresSettings, MasterKey, Clock)}, probing the database every {@code probeInterval}. */
    public static PostgresStores open(PostgresSettings settings, MasterKey key, Clock clock, Duration probeInterval) {
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval: must be positive");
        }
        PostgresDb db = PostgresDb.open("postgres", settings, "db/postgres");
        try {
            return new PostgresStores(
                    db,
                    PostgresConfigStore.on(db.shared("config store"), settings, key, clock),
                    PostgresDeadLetterStore.on(db.shared("dead letter store"), settings, key),
                    PostgresAdminStores.on(db.shared("admin store"), key, clock),
                    probeInterval);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private void probe() {
        String before = unavailable.get();
        String now;
        try {
            now = db.read("probe", c -> c.isValid(5) ? null : "the connection did not answer");
        } catch (RuntimeException e) {
            // The exception's class only: driver messages may name the host and port.
            now = "not reachable ("
                    + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName() + ")";
        }
        unavailable.set(now == null ? null : "control store (PostgreSQL) " + now);
        if (now != null && before == null) {
            LOG.warn("control store (PostgreSQL): {}; readiness reports not ready until it answers again", now);
        } else if (now == null && before != null) {
            LOG.info("control store (PostgreSQL): reachable again");
        }
    }

    /** Why the stores cannot serve now, from the last background probe; empty while the database answers. */
    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable.get());
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

    /** The dictionary over the shared pool; closing it leaves the pool open. */
    @Override
    public DictionaryStore openDictionary() {
        return PostgresDictionaryStore.on(db.shared("dictionary"));
    }

    @Override
    public void close() {
        probe.shutdownNow();
        db.close();
    }
}
