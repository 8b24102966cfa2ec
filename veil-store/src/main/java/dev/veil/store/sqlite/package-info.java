/**
 * The embedded SQLite backend: the event log, dead letters and config store, each in its own file in the data
 * directory, all in WAL mode with {@code synchronous=FULL}. Apart from the event log, the stores are the JDBC ones of
 * {@code dev.veil.store.jdbc}, run on {@code SqliteDb} with
 * {@code SqliteDialect}.
 */
@NullMarked
package dev.veil.store.sqlite;

import org.jspecify.annotations.NullMarked;
