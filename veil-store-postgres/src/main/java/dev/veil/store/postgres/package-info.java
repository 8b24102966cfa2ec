/**
 * PostgreSQL backends of the store SPIs (preview): the admin stores (accounts, policy drafts, the hash-chained
 * audit log, encrypted secrets), the config store, the dead letters and the data dictionary, in one schema of one database, each over a
 * HikariCP pool, the schema migrated by Flyway ({@code db/postgres}) whichever store opens first. Each passes the
 * same contract suite as the SQLite backend. The stores are the JDBC ones of {@code dev.veil.store.jdbc}, run with
 * {@code PostgresDialect}. No event log yet.
 */
@NullMarked
package dev.veil.store.postgres;

import org.jspecify.annotations.NullMarked;
