package dev.veil.core.engine;

import static dev.veil.core.engine.TestEvents.event;
import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.engine.Decision.TraceEntry;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision trace is recorded cheaply and rendered when read: what it says must not depend on that. */
class DecisionTraceTest {

    private final DefaultPrivacyEngine engine = TestEvents.engine();

    private static final String NESTED = "{'type':'track','event':'E','properties':{"
            + "'plan':'gold','notes':'call me','product':{'sku':'A-1','patient_name':'Jane','dob':'1980-01-02'},"
            + "'items':[{'sku':'B','qty':1},{'sku':'C','qty':2}],'jane@doe.com':'x'}}";

    @Test
    void every_unlisted_key_is_one_dropped_entry_with_its_full_path() {
        Decision d = engine.evaluate(
                event(NESTED),
                destination("x")
                        .allow("E", "plan", "pass", "product.sku", "pass", "items.sku", "pass")
                        .build());

        List<TraceEntry> dropped =
                d.trace().stream().filter(t -> t.action().equals("dropped")).toList();
        assertThat(dropped)
                .containsExactly(
                        new TraceEntry("properties.product.patient_name", "dropped", "not allowlisted"),
                        new TraceEntry("properties.product.dob", "dropped", "not allowlisted"),
                        new TraceEntry("properties.items[].qty", "dropped", "not allowlisted"),
                        new TraceEntry("properties.notes", "dropped", "not allowlisted"),
                        new TraceEntry("properties.<unnamed key>", "dropped", "not allowlisted"));
        assertThat(d.trace().toString()).doesNotContain("Jane").doesNotContain("jane@doe.com");
    }

    @Test
    void reading_the_trace_twice_gives_the_same_entries_and_it_cannot_be_changed() {
        Decision d = engine.evaluate(
                event(NESTED), destination("x").allow("E", "plan", "pass").build());
        List<TraceEntry> first = new ArrayList<>(d.trace());
        assertThat(d.trace()).isEqualTo(first).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.trace().add(first.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void redactions_count_the_distinct_redacted_fields_and_detectors() {
        DefaultPrivacyEngine redacting =
                TestEvents.engine(TestEvents.withScanner(OnMatch.REDACT, Detector.EMAIL, Detector.PHONE));
        Decision d = redacting.evaluate(
                event("{'type':'track','event':'E','properties':{'notes':'mail a@b.org or (555) 010-9999',"
                        + "'items':[{'sku':'c@d.org'},{'sku':'e@f.org'}],'plan':'gold'}}"),
                destination("x")
                        .allow("E", "notes", "pass", "items.sku", "pass", "plan", "pass")
                        .build());

        assertThat(d.redactions()).isEqualTo(3); // notes: email and phone; items[].sku: email (once)
        assertThat(d.redactions())
                .isEqualTo(d.trace().stream()
                        .filter(t -> t.action().equals("redacted"))
                        .count());
        Decision clean = redacting.evaluate(
                event("{'type':'track','event':'E','properties':{'plan':'gold'}}"),
                destination("x").allow("E", "plan", "pass").build());
        assertThat(clean.redactions()).isZero();
    }
}
