package dev.veil.store.sqlite;

/**
 * Cumulative figures of a group-commit writer since open, for metrics: with two scrapes an operator sees events
 * per commit, time per commit spent running SQL ({@code applyNanos}) and time spent in {@code COMMIT} (the
 * fsync). Only successful commits are counted; the fields are read one by one, so a snapshot taken during a
 * commit may mix two groups.
 *
 * @param commits transactions committed
 * @param requests requests (appends, cursor commits, ...) in those transactions
 * @param events events (task weights) in those transactions
 * @param applyNanos time spent running the requests' SQL inside the transactions
 * @param commitNanos time spent in {@code COMMIT}, i.e. writing and syncing the WAL
 * @param largestGroup the most events in one transaction
 */
public record WriterStats(
        long commits, long requests, long events, long applyNanos, long commitNanos, int largestGroup) {}
