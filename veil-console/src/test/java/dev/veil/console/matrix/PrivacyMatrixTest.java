package dev.veil.console.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.console.matrix.PrivacyMatrix.Cell;
import dev.veil.console.matrix.PrivacyMatrix.EventGroup;
import dev.veil.console.matrix.PrivacyMatrix.Row;
import dev.veil.console.testing.Policies;
import dev.veil.core.engine.FieldTreatments.Kind;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.Transform;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.DictionaryStore.Flow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

public class PrivacyMatrixTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant REVIEWED = T0.plusSeconds(3600);
    private static final EventKey BOOKED = EventKey.track("Appointment Booked");
    private static final EventKey SIGNED_UP = EventKey.track("Signed Up");

    static final Map<String, ConnectorDescriptor> CONNECTORS = descriptors();

    private static Map<String, ConnectorDescriptor> descriptors() {
        Map<String, ConnectorDescriptor> out = new TreeMap<>();
        ConnectorFactory.loadAll().forEach((type, f) -> out.put(type, f.descriptor()));
        return out;
    }

    public static Policy policy() {
        return PolicyLoader.load(Policies.GA4_AND_CRM, "test", CONNECTORS).orThrow();
    }

    private static Entry entry(EventKey e, String path, FieldType type, Instant firstSeen) {
        return new Entry(e, path, Set.of(type), 10, firstSeen, firstSeen, REVIEWED, "alice");
    }

    static final List<Entry> ENTRIES = List.of(
            entry(BOOKED, "", FieldType.OBJECT, T0),
            entry(BOOKED, "userId", FieldType.STRING, T0),
            entry(BOOKED, "properties.service_line", FieldType.STRING, T0),
            entry(BOOKED, "properties.clinic_zip", FieldType.STRING, T0),
            entry(BOOKED, "properties.email", FieldType.STRING, T0),
            entry(BOOKED, "properties.plan", FieldType.STRING, T0),
            entry(BOOKED, "properties.items", FieldType.ARRAY, T0),
            entry(BOOKED, "properties.items[].sku", FieldType.STRING, T0),
            entry(BOOKED, "properties.insurance_notes", FieldType.STRING, REVIEWED.plusSeconds(60)),
            entry(SIGNED_UP, "", FieldType.OBJECT, T0),
            entry(SIGNED_UP, "properties.plan", FieldType.STRING, T0));

    /** The entries above, for template tests. */
    public static final List<Entry> ENTRIES_FOR_TEMPLATES = ENTRIES;

    private static Cell cell(PrivacyMatrix m, EventKey e, String path, String destination) {
        Row row = row(m, e, path);
        return row.cells().stream()
                .filter(c -> c.destinationId().equals(destination))
                .findFirst()
                .orElseThrow();
    }

    private static Row row(PrivacyMatrix m, EventKey e, String path) {
        return m.group(e).orElseThrow().rows().stream()
                .filter(r -> r.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + path));
    }

    @Test
    void has_a_column_per_destination_and_a_group_per_event_with_scalar_rows_only() {
        PrivacyMatrix m = PrivacyMatrix.build(policy(), ENTRIES, List.of());

        assertThat(m.columns()).extracting(PrivacyMatrix.Column::id).containsExactly("ga4", "crm");
        assertThat(m.columns()).extracting(PrivacyMatrix.Column::baa).containsExactly(false, true);
        assertThat(m.groups()).extracting(g -> g.event().name()).containsExactly("Appointment Booked", "Signed Up");
        assertThat(m.group(BOOKED).orElseThrow().rows())
                .extracting(Row::path)
                .containsExactly(
                        "properties.clinic_zip",
                        "properties.email",
                        "properties.insurance_notes",
                        "properties.items[].sku",
                        "properties.plan",
                        "properties.service_line",
                        "userId");
    }

    @Test
    void each_cell_shows_what_the_destination_receives() {
        PrivacyMatrix m = PrivacyMatrix.build(policy(), ENTRIES, List.of());

        assertThat(cell(m, BOOKED, "properties.clinic_zip", "ga4").label()).isEqualTo("zip3");
        assertThat(cell(m, BOOKED, "properties.plan", "ga4").label()).isEqualTo("pass");
        assertThat(cell(m, BOOKED, "properties.service_line", "ga4").label()).isEqualTo("blocked");
        assertThat(cell(m, BOOKED, "properties.service_line", "crm").label()).isEqualTo("pass");
        assertThat(cell(m, BOOKED, "properties.email", "crm").label()).isEqualTo("masked");
        assertThat(cell(m, BOOKED, "userId", "ga4").label()).isEqualTo("masked");
        assertThat(cell(m, BOOKED, "userId", "crm").label()).isEqualTo("pass");
        assertThat(cell(m, SIGNED_UP, "properties.plan", "ga4").treatment().rule())
                .isEqualTo("event not allowed");
    }

    @Test
    void event_cells_say_whether_and_under_which_name_the_event_flows() {
        EventGroup booked =
                PrivacyMatrix.build(policy(), ENTRIES, List.of()).group(BOOKED).orElseThrow();

        assertThat(booked.cells())
                .extracting(c -> c.destinationId() + ":" + c.flows() + ":" + c.detail())
                .containsExactly("ga4:true:as book_appointment", "crm:true:");
        assertThat(booked.count()).isEqualTo(10);
    }

    @Test
    void highlights_fields_first_seen_after_the_last_review_that_flow_nowhere() {
        PrivacyMatrix m = PrivacyMatrix.build(policy(), ENTRIES, List.of());

        Row notes = row(m, BOOKED, "properties.insurance_notes");
        assertThat(notes.unreviewed()).isTrue();
        assertThat(notes.blockedEverywhere()).isTrue();
        assertThat(row(m, BOOKED, "properties.service_line").unreviewed()).isFalse();
        assertThat(row(m, BOOKED, "properties.service_line").blockedEverywhere())
                .isFalse();
        assertThat(m.group(BOOKED).orElseThrow().unreviewedRows()).isEqualTo(1);
    }

    @Test
    void counts_come_from_the_recorded_releases_and_redactions_show_in_the_label() {
        List<Flow> flows = List.of(
                new Flow("crm", BOOKED, "properties.service_line", 7, 2, T0),
                new Flow("ga4", BOOKED, "", 12, 0, T0),
                new Flow("ga4", BOOKED, "properties.plan", 5, 0, T0));
        PrivacyMatrix m = PrivacyMatrix.build(policy(), ENTRIES, flows);

        Cell crm = cell(m, BOOKED, "properties.service_line", "crm");
        assertThat(crm.released()).isEqualTo(7);
        assertThat(crm.redacted()).isEqualTo(2);
        assertThat(crm.label()).isEqualTo("redacted");
        assertThat(cell(m, BOOKED, "properties.plan", "ga4").released()).isEqualTo(5);
        assertThat(m.group(BOOKED).orElseThrow().cells().getFirst().released()).isEqualTo(12);
    }

    @Test
    void allowing_a_property_for_ga4_makes_a_valid_draft_that_says_so_in_plain_words() {
        Policy before = policy();
        Policy after = PolicyEdits.setField(before, "ga4", BOOKED, "properties.service_line", Transform.PASS, null);
        MatrixProposal p = MatrixProposal.of(before, after, CONNECTORS, null);

        assertThat(p.acceptable()).isTrue();
        assertThat(p.changes())
                .extracting(Object::toString)
                .containsExactly("ga4: starts receiving property `service_line` of event `Appointment Booked`");
        PrivacyMatrix m = PrivacyMatrix.build(p.report().orThrow(), ENTRIES, List.of());
        assertThat(cell(m, BOOKED, "properties.service_line", "ga4").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void passing_an_identifier_to_a_destination_without_a_baa_is_refused_with_the_reason() {
        Policy before = policy();
        Policy after = PolicyEdits.setField(before, "ga4", BOOKED, "properties.email", Transform.PASS, null);
        MatrixProposal p = MatrixProposal.of(before, after, CONNECTORS, null);

        assertThat(p.acceptable()).isFalse();
        assertThat(p.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).contains("email");
            assertThat(e.detail()).contains("baa");
        });
        assertThat(p.changes())
                .extracting(Object::toString)
                .containsExactly("ga4: starts receiving property `email` of event `Appointment Booked`");
    }

    @Test
    void masking_an_identifier_for_that_destination_is_accepted() {
        Policy before = policy();
        Policy after = PolicyEdits.setField(before, "ga4", BOOKED, "properties.email", Transform.MASK, null);

        assertThat(MatrixProposal.of(before, after, CONNECTORS, null).acceptable())
                .isTrue();
    }

    @Test
    void allowing_a_property_of_an_event_not_yet_allowed_allows_the_event_too() {
        Policy after = PolicyEdits.setField(policy(), "ga4", SIGNED_UP, "properties.plan", Transform.PASS, null);

        PrivacyMatrix m = PrivacyMatrix.build(after, ENTRIES, List.of());
        assertThat(m.group(SIGNED_UP).orElseThrow().cells().getFirst().flows()).isTrue();
        assertThat(cell(m, SIGNED_UP, "properties.plan", "ga4").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void blocking_a_destination_wide_property_for_one_event_overrides_it_there_only() {
        Policy before = PolicyEdits.setField(policy(), "ga4", SIGNED_UP, "properties.plan", Transform.PASS, null);
        Policy after = PolicyEdits.setField(before, "ga4", BOOKED, "properties.plan", Transform.DROP, null);

        PrivacyMatrix m = PrivacyMatrix.build(after, ENTRIES, List.of());
        assertThat(cell(m, BOOKED, "properties.plan", "ga4").kind()).isEqualTo(Kind.BLOCKED);
        assertThat(cell(m, SIGNED_UP, "properties.plan", "ga4").kind()).isEqualTo(Kind.PASS);
        assertThat(MatrixProposal.of(before, after, CONNECTORS, null).changes())
                .extracting(Object::toString)
                .containsExactly("ga4: stops receiving property `plan` of event `Appointment Booked`");
    }

    @Test
    void a_nested_array_leaf_becomes_a_dotted_rule() {
        Policy after = PolicyEdits.setField(policy(), "crm", BOOKED, "properties.items[].sku", Transform.PASS, null);

        assertThat(after.destination("crm")
                        .orElseThrow()
                        .events()
                        .allow()
                        .getFirst()
                        .properties())
                .containsKey("items.sku");
        assertThat(cell(PrivacyMatrix.build(after, ENTRIES, List.of()), BOOKED, "properties.items[].sku", "crm")
                        .kind())
                .isEqualTo(Kind.PASS);
    }

    @Test
    void ids_and_context_fields_are_not_edited_from_the_matrix() {
        assertThatThrownBy(() -> PolicyEdits.setField(policy(), "ga4", BOOKED, "userId", Transform.PASS, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identity or context settings");
    }

    @Test
    void allowing_and_disallowing_whole_events() {
        Policy after = PolicyEdits.setEventAllowed(policy(), "ga4", SIGNED_UP, true);
        assertThat(PrivacyMatrix.build(after, ENTRIES, List.of())
                        .group(SIGNED_UP)
                        .orElseThrow()
                        .cells()
                        .getFirst()
                        .flows())
                .isTrue();
        Policy back = PolicyEdits.setEventAllowed(after, "ga4", SIGNED_UP, false);
        assertThat(MatrixProposal.of(policy(), back, CONNECTORS, null).changes())
                .isEmpty();
    }

    @Test
    void passing_the_user_id_to_a_destination_without_a_baa_is_refused_with_the_reason_and_masking_is_not() {
        Policy pass = PolicyEdits.setIdentity(policy(), "ga4", "userId", DestinationPolicy.IdAction.PASS);
        MatrixProposal refused = MatrixProposal.of(policy(), pass, CONNECTORS, null);
        assertThat(refused.acceptable()).isFalse();
        assertThat(refused.errors())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.message()).contains("identity.userId").contains("'pass' needs baa: true"));

        Policy crm = PolicyEdits.setIdentity(policy(), "crm", "userId", DestinationPolicy.IdAction.DROP);
        MatrixProposal dropped = MatrixProposal.of(policy(), crm, CONNECTORS, null);
        assertThat(dropped.acceptable()).isTrue();
        assertThat(dropped.changes()).isNotEmpty();
        assertThat(cell(PrivacyMatrix.build(crm, ENTRIES, List.of()), BOOKED, "userId", "crm")
                        .kind())
                .isEqualTo(Kind.BLOCKED);
    }
}
