/**
 * PostgreSQL backends of the store SPIs (preview): the admin stores (accounts, policy drafts, the hash-chained
 * audit log, encrypted secrets) in one schema of one database, over a HikariCP pool, migrated by Flyway at open.
 * Each passes the same contract suite as the SQLite backend.
 */
@NullMarked
package dev.veil.store.postgres;

import org.jspecify.annotations.NullMarked;
