/**
 * The embedded SQLite backend: the event log, dead letters and config store, each in its own file in the data
 * directory, all in WAL mode with {@code synchronous=FULL}.
 */
@NullMarked
package dev.veil.store.sqlite;

import org.jspecify.annotations.NullMarked;
