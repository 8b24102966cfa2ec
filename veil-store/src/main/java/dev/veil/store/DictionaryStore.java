package dev.veil.store;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The data dictionary learned from traffic: every event seen, every field path seen on it, with the JSON types
 * and counts — never a value — and, per destination, how often each field was released by the policy. The
 * console's privacy matrix is built from it.
 *
 * <p>Contract: the store holds names, types, counts and times only; callers pass names that were already checked
 * for PHI (a key or event name that looks like PHI arrives replaced by a marker). Counts only grow. Recording is
 * idempotent per position: {@link #record} stores the observations and the learner's log position in one
 * transaction, so a learner that crashes between reading and recording counts every event exactly once.
 *
 * <p>Thread-safe; every write is durable when the method returns.
 */
public interface DictionaryStore extends AutoCloseable {

    /**
     * Adds aggregated observations (counts added, types merged, first-seen kept, last-seen advanced) and, in the
     * same transaction, sets the learner's position to {@code learnedThrough}.
     */
    void record(List<FieldObservation> observations, long learnedThrough);

    /** The position stored by the last {@link #record}, 0 before the first. */
    long learnedThrough();

    /** Every learned field (event rows, with an empty path, included), by event then path. */
    List<Entry> entries();

    /** How many entries the dictionary holds (for the learner's size cap). */
    long size();

    /**
     * Marks the fields first seen at or before {@code at} as reviewed by {@code reviewer}: all of them, or those
     * of one event. Returns how many entries were newly marked or re-marked.
     */
    int markReviewed(@Nullable EventKey event, Instant at, String reviewer);

    /** Adds per-destination release counts (counts added, last time advanced). */
    void recordFlows(List<Flow> flows);

    /** Every per-destination release count, by destination, event and path. */
    List<Flow> flows();

    @Override
    void close();

    /**
     * An event as the dictionary groups it: track events by name, other calls by their type.
     *
     * @param type the call type's wire name ({@code track}, {@code page}, {@code screen}, {@code identify},
     *     {@code group}, {@code alias})
     * @param name the track event's name; empty for other calls
     */
    record EventKey(String type, String name) implements Comparable<EventKey> {
        public EventKey {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
        }

        public static EventKey track(String name) {
            return new EventKey("track", name);
        }

        public static EventKey call(String type) {
            return new EventKey(type, "");
        }

        /** How people read it: the event name, or {@code page calls}. */
        public String label() {
            return type.equals("track") ? name : type + " calls";
        }

        @Override
        public int compareTo(EventKey o) {
            int t = Boolean.compare(!type.equals("track"), !o.type.equals("track"));
            if (t != 0) {
                return t;
            }
            int c = type.compareTo(o.type);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    /** A JSON value's type, as the dictionary records it. */
    enum FieldType {
        STRING,
        NUMBER,
        BOOLEAN,
        OBJECT,
        ARRAY,
        NULL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a learner saw of one field in a batch.
     *
     * @param event the event
     * @param path the field path ({@code properties.service_line}, {@code properties.items[].sku},
     *     {@code context.page.url}); empty for the event itself
     * @param types the types seen
     * @param count how many events carried it
     * @param seenAt when (the newest event of the batch)
     */
    record FieldObservation(EventKey event, String path, Set<FieldType> types, long count, Instant seenAt) {
        public FieldObservation {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(path, "path");
            types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
            Objects.requireNonNull(seenAt, "seenAt");
        }
    }

    /**
     * One learned field.
     *
     * @param event the event
     * @param path the field path; empty for the event's own row (its count is the event count)
     * @param types every type seen
     * @param count how many events carried it
     * @param firstSeen when it was first seen
     * @param lastSeen when it was last seen
     * @param reviewedAt when someone last marked it reviewed, if ever
     * @param reviewedBy who did
     */
    record Entry(
            EventKey event,
            String path,
            Set<FieldType> types,
            long count,
            Instant firstSeen,
            Instant lastSeen,
            @Nullable Instant reviewedAt,
            @Nullable String reviewedBy) {
        public Entry {
            types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        }

        /** Never reviewed, or first seen after the last review. */
        public boolean unreviewed() {
            return reviewedAt == null || firstSeen.isAfter(reviewedAt);
        }
    }

    /**
     * How often the policy released a field of an event to a destination.
     *
     * @param destinationId the destination
     * @param event the event (as received, before any renaming)
     * @param path the field path as received; empty for the event itself
     * @param released how many times it was in what the destination received
     * @param redacted how many times the PHI scanner redacted something in it
     * @param lastAt when the newest of these happened
     */
    record Flow(String destinationId, EventKey event, String path, long released, long redacted, Instant lastAt) {
        public Flow {
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(lastAt, "lastAt");
        }
    }
}
