package dev.veil.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.veil.store.StoreException;
import dev.veil.store.jdbc.SqlConnections;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A HikariCP pool on one schema of a PostgreSQL database, migrated by Flyway when opened, with read and
 * transaction helpers that turn {@link SQLException} into {@link StoreException} naming the store and operation.
 *
 * <p>Design note: transactions run at PostgreSQL's default {@code READ COMMITTED}; a read-then-write that must not
 * interleave with another writer (in this JVM or another server) locks the rows it reads with
 * {@code SELECT ... FOR UPDATE} (the audit anchor, a draft, a user's recovery codes), and uniqueness races are
 * settled by constraints ({@code ON CONFLICT}). Error messages carry the server's primary message and SQLSTATE,
 * never its detail line (which quotes row values). Thread-safe.
 */
final class PostgresDb implements SqlConnections {

    /** The {@code application_name} of every connection Veil opens. */
    static final String APPLICATION_NAME = "veil";

    private final String name;
    private final HikariDataSource pool;
    private final boolean ownsPool;

    private PostgresDb(String name, HikariDataSource pool, boolean ownsPool) {
        this.name = name;
        this.pool = pool;
        this.ownsPool = ownsPool;
    }

    /**
     * This pool under another store's name, for one more store over the same connections: closing the view leaves
     * the pool open (its owner closes it once).
     */
    PostgresDb shared(String storeName) {
        return new PostgresDb(storeName, pool, false);
    }

    /** Opens the pool on {@code settings.schema()} and applies the migrations under {@code classpath:location}. */
    static PostgresDb open(String name, PostgresSettings settings, String location) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("veil-" + name.replace(' ', '-'));
        // Names Veil's connections in pg_stat_activity (operators count them there; so does PostgresStoresTest).
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setSchema(settings.schema());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(
                    name + ": cannot connect to PostgreSQL at " + settings.jdbcUrl() + " as " + settings.user() + " ("
                            + rootMessage(e) + ")",
                    e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .schemas(settings.schema())
                    .defaultSchema(settings.schema())
                    .createSchemas(true)
                    .locations("classpath:" + location)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException(
                    name + ": migrating schema " + settings.schema() + " failed (" + rootMessage(e) + ")", e);
        }
        return new PostgresDb(name, pool, true);
    }

    @Override
    public <R> R read(String operation, Work<R> work) {
        try (Connection c = pool.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /** Runs {@code work} in one {@code READ COMMITTED} transaction. */
    @Override
    public <R> R write(String operation, Work<R> work) {
        return transaction(operation, Connection.TRANSACTION_READ_COMMITTED, false, work);
    }

    /** Runs {@code work} in one read-only {@code REPEATABLE READ} transaction: every statement sees one snapshot. */
    @Override
    public <R> R snapshot(String operation, Work<R> work) {
        return transaction(operation, Connection.TRANSACTION_REPEATABLE_READ, true, work);
    }

    private <R> R transaction(String operation, int isolation, boolean readOnly, Work<R> work) {
        try (Connection c = pool.getConnection()) {
            int isolationBefore = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(isolation);
            c.setReadOnly(readOnly);
            try {
                R result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // report the original failure; the pool discards a broken connection
                }
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(isolationBefore);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private StoreException failure(String operation, SQLException e) {
        return new StoreException(name + " " + operation + ": " + describe(e), e);
    }

    /** The server's primary message and SQLSTATE, without the detail and hint lines that may quote values. */
    static String describe(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            if (m != null && m.getMessage() != null) {
                return m.getMessage() + " (SQLSTATE " + m.getSQLState() + ")";
            }
        }
        return e.getMessage() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof SQLException s ? describe(s) : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Closes the pool if this is its owner (not a {@link #shared} view). */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
