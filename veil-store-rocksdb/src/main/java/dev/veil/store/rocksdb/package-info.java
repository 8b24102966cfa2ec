/**
 * The RocksDB backend of the event log ({@code eventLog: rocksdb}): one RocksDB database in
 * {@code events.rocksdb/} of the data directory, written by one group-commit thread with fsynced write batches.
 */
@NullMarked
package dev.veil.store.rocksdb;

import org.jspecify.annotations.NullMarked;
