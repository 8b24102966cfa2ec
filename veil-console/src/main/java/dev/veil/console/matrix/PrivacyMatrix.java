package dev.veil.console.matrix;

import dev.veil.api.EventType;
import dev.veil.core.engine.FieldTreatments;
import dev.veil.core.engine.FieldTreatments.Kind;
import dev.veil.core.engine.FieldTreatments.Treatment;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.DictionaryStore.Flow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The single view of what every destination receives: one group per event of the data dictionary, one row per
 * field path that carried a scalar value, one column per destination. A cell's treatment comes from the policy
 * through {@link FieldTreatments} (the engine's rules); its counts from the release counts recorded by delivery.
 * Immutable; built by {@link #build}.
 *
 * @param columns the destinations, in policy order
 * @param groups one per event, track events first
 */
public record PrivacyMatrix(List<Column> columns, List<EventGroup> groups) {

    public PrivacyMatrix {
        columns = List.copyOf(columns);
        groups = List.copyOf(groups);
    }

    /**
     * @param id destination id
     * @param name display name
     * @param type connector type
     * @param baa whether a BAA is signed
     * @param enabled whether events flow at all
     */
    public record Column(String id, String name, String type, boolean baa, boolean enabled) {}

    /**
     * @param event the event
     * @param count how many were seen
     * @param firstSeen when it was first seen
     * @param unreviewed whether the event itself is new since the last review
     * @param cells per destination whether the event flows at all
     * @param rows its fields
     */
    public record EventGroup(
            EventKey event, long count, Instant firstSeen, boolean unreviewed, List<EventCell> cells, List<Row> rows) {
        public EventGroup {
            cells = List.copyOf(cells);
            rows = List.copyOf(rows);
        }

        /** The event's call type. */
        public EventType type() {
            return EventType.fromWire(event.type()).orElse(EventType.TRACK);
        }

        /** Fields new since the last review. */
        public long unreviewedRows() {
            return rows.stream().filter(Row::unreviewed).count();
        }
    }

    /**
     * Whether an event reaches a destination at all.
     *
     * @param destinationId the destination
     * @param flows whether it does
     * @param detail why not, or its name at the destination when renamed; empty otherwise
     * @param released how many of these events the destination received
     */
    public record EventCell(String destinationId, boolean flows, String detail, long released) {}

    /**
     * @param path the field path
     * @param types the types seen
     * @param count how many events carried it
     * @param firstSeen when it was first seen
     * @param unreviewed whether it is new since the last review
     * @param cells one per column
     */
    public record Row(
            String path, Set<FieldType> types, long count, Instant firstSeen, boolean unreviewed, List<Cell> cells) {
        public Row {
            types = Set.copyOf(types);
            cells = List.copyOf(cells);
        }

        /** No destination receives it. */
        public boolean blockedEverywhere() {
            return cells.stream().noneMatch(c -> c.treatment().flows());
        }

        /** Whether the matrix can change this field's rule (properties and traits; ids and context are settings). */
        public boolean editable() {
            return PolicyEdits.editable(path);
        }
    }

    /**
     * @param destinationId the destination
     * @param treatment what the policy does
     * @param released how many times the destination received it
     * @param redacted how many times the PHI scanner redacted something in it
     * @param lastReleased when it last did, if ever
     */
    public record Cell(
            String destinationId,
            Treatment treatment,
            long released,
            long redacted,
            @Nullable Instant lastReleased) {

        /** The word the cell shows: blocked, pass, masked, zip3, year, age90, generalized, or redacted. */
        public String label() {
            if (treatment.flows() && redacted > 0) {
                return "redacted";
            }
            return treatment.kind().label();
        }

        public Kind kind() {
            return treatment.kind();
        }
    }

    private static final Set<FieldType> SCALARS = EnumSet.of(FieldType.STRING, FieldType.NUMBER, FieldType.BOOLEAN);

    /** Builds the matrix of {@code policy} over the dictionary's entries and the recorded release counts. */
    public static PrivacyMatrix build(Policy policy, List<Entry> entries, List<Flow> flows) {
        List<Column> columns = policy.destinations().stream()
                .map(d -> new Column(d.id(), d.name().isEmpty() ? d.id() : d.name(), d.type(), d.baa(), d.enabled()))
                .toList();
        Map<String, Flow> flowIndex = new HashMap<>();
        for (Flow f : flows) {
            flowIndex.put(key(f.destinationId(), f.event(), f.path()), f);
        }
        Map<EventKey, List<Entry>> byEvent = new LinkedHashMap<>();
        entries.stream()
                .sorted((a, b) -> {
                    int c = a.event().compareTo(b.event());
                    return c != 0 ? c : a.path().compareTo(b.path());
                })
                .forEach(e -> byEvent.computeIfAbsent(e.event(), k -> new ArrayList<>())
                        .add(e));
        List<EventGroup> groups = new ArrayList<>();
        byEvent.forEach((event, fields) -> groups.add(group(policy, event, fields, flowIndex)));
        return new PrivacyMatrix(columns, groups);
    }

    private static EventGroup group(Policy policy, EventKey event, List<Entry> fields, Map<String, Flow> flows) {
        EventType type = EventType.fromWire(event.type()).orElse(EventType.TRACK);
        String name = type == EventType.TRACK ? event.name() : null;
        Entry own = fields.stream().filter(e -> e.path().isEmpty()).findFirst().orElse(null);
        List<EventCell> eventCells = new ArrayList<>();
        for (DestinationPolicy d : policy.destinations()) {
            Optional<String> blocked = FieldTreatments.eventBlocked(d, type, name);
            String detail = blocked.orElseGet(() -> FieldTreatments.allowed(d, name)
                    .map(a -> a.as() == null ? "" : "as " + a.as())
                    .orElse(""));
            Flow f = flows.get(key(d.id(), event, ""));
            eventCells.add(new EventCell(d.id(), blocked.isEmpty(), detail, f == null ? 0 : f.released()));
        }
        List<Row> rows = new ArrayList<>();
        for (Entry e : fields) {
            if (e.path().isEmpty() || e.types().stream().noneMatch(SCALARS::contains)) {
                continue;
            }
            List<Cell> cells = new ArrayList<>();
            for (DestinationPolicy d : policy.destinations()) {
                Treatment t = FieldTreatments.of(d, type, name, e.path());
                Flow f = flows.get(key(d.id(), event, e.path()));
                cells.add(
                        f == null
                                ? new Cell(d.id(), t, 0, 0, null)
                                : new Cell(d.id(), t, f.released(), f.redacted(), f.lastAt()));
            }
            rows.add(new Row(e.path(), e.types(), e.count(), e.firstSeen(), e.unreviewed(), cells));
        }
        Instant firstSeen = own != null
                ? own.firstSeen()
                : fields.stream().map(Entry::firstSeen).min(Instant::compareTo).orElse(Instant.EPOCH);
        return new EventGroup(
                event, own == null ? 0 : own.count(), firstSeen, own != null && own.unreviewed(), eventCells, rows);
    }

    private static String key(String destination, EventKey event, String path) {
        return destination + '\u0000' + event.type() + '\u0000' + event.name() + '\u0000' + path;
    }

    /** The group of one event, if the dictionary has seen it. */
    public Optional<EventGroup> group(EventKey event) {
        return groups.stream().filter(g -> g.event().equals(event)).findFirst();
    }
}
