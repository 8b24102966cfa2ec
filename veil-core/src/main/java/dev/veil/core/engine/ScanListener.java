package dev.veil.core.engine;

import dev.veil.core.policy.PrivacySettings.Detector;

/**
 * Receives PHI scanner match counts, e.g. to feed a metric or the console's "where PHI arrives" view. Called on
 * the evaluating thread: implementations must be thread-safe and fast. Never receives a value.
 */
@FunctionalInterface
public interface ScanListener {

    /** A listener that ignores everything. */
    ScanListener NONE = hit -> {};

    /**
     * Matches of one detector in one field of one event for one destination.
     *
     * @param destinationId the destination
     * @param messageId the event's message id
     * @param eventName the allowed event name ({@code page}, {@code identify}, ... for other calls)
     * @param field the field path, e.g. {@code properties.notes}
     * @param detector the detector
     * @param count how many spans matched
     */
    record Hit(String destinationId, String messageId, String eventName, String field, Detector detector, int count) {}

    void onMatch(Hit hit);
}
