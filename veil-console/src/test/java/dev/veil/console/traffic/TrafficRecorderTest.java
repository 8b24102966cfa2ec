package dev.veil.console.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.console.testing.Engines;
import dev.veil.console.testing.Events;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyParser;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.Flow;
import dev.veil.store.sqlite.SqliteDictionaryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final EventKey BOOKED = EventKey.track("Appointment Booked");

    private static final Policy POLICY = PolicyParser.parse("""
            version: 1
            destinations:
              - id: ga4
                type: ga4
                events:
                  allow:
                    - name: Appointment Booked
                      as: book_appointment
                      properties:
                        service_line: pass
                        items.sku: pass
                        clinic_zip: zip3
              - id: meta
                type: meta
                events:
                  allow:
                    - name: Signed Up
            """, "test").policy();

    @TempDir
    Path dir;

    private SqliteDictionaryStore store;
    private final RecentEvents recent = new RecentEvents(3);
    private final PhiCounts phi = new PhiCounts();
    private TrafficRecorder recorder;
    private final DefaultPrivacyEngine engine = Engines.engine(POLICY);

    @BeforeEach
    void open() {
        store = SqliteDictionaryStore.open(dir);
        recorder = new TrafficRecorder(
                store,
                recent,
                phi,
                new TrafficRecorder.Options(4, Duration.ofSeconds(1)),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        recorder.close();
        store.close();
    }

    private void deliver(String destination, RawEvent... events) {
        DestinationPolicy d = POLICY.destination(destination).orElseThrow();
        List<Decision> decisions = new ArrayList<>();
        for (RawEvent e : events) {
            decisions.add(engine.evaluate(e, d));
        }
        recorder.evaluated(destination, List.of(events), decisions);
    }

    private static RawEvent booked(String serviceLine) {
        return Events.raw("""
                {"type":"track","event":"Appointment Booked","userId":"u1",
                 "properties":{"service_line":"%s","clinic_zip":"02139","notes":"x","items":[{"sku":"A","n":1}]}}
                """.formatted(serviceLine), T0);
    }

    @Test
    void counts_released_fields_per_destination_under_their_received_names() {
        deliver("ga4", booked("cardiology"), booked("oncology"));
        deliver("meta", booked("cardiology"));
        recorder.drainAndFlush();

        assertThat(store.flows())
                .extracting(f -> f.destinationId() + " " + f.path() + " " + f.released())
                .containsExactlyInAnyOrder(
                        "ga4  2",
                        "ga4 properties.service_line 2",
                        "ga4 properties.clinic_zip 2",
                        "ga4 properties.items[].sku 2",
                        "ga4 userId 2");
        assertThat(store.flows()).allSatisfy(f -> assertThat(f.event()).isEqualTo(BOOKED));
    }

    @Test
    void counts_redactions_per_field_and_by_detector() {
        deliver("ga4", booked("call me at jane.doe@example.org"), booked("cardiology"));
        recorder.drainAndFlush();

        Flow serviceLine = store.flows().stream()
                .filter(f -> f.path().equals("properties.service_line"))
                .findFirst()
                .orElseThrow();
        assertThat(serviceLine.released()).isEqualTo(2);
        assertThat(serviceLine.redacted()).isEqualTo(1);
        assertThat(phi.snapshot()).containsEntry("email", 1L);
    }

    @Test
    void keeps_only_the_newest_events_with_every_destinations_decision() {
        RawEvent first = booked("a");
        deliver("ga4", first, booked("b"), booked("c"));
        deliver("meta", first);
        recorder.drainAndFlush();
        assertThat(recent.newestFirst()).hasSize(3);
        assertThat(recent.newestFirst().getLast().decisions()).containsOnlyKeys("ga4", "meta");
        assertThat(recent.newestFirst().getLast().decisions().get("meta")).isInstanceOf(Decision.Dropped.class);

        deliver("ga4", booked("d"));
        recorder.drainAndFlush();

        assertThat(recent.newestFirst()).hasSize(3);
        assertThat(recent.newestFirst()).noneMatch(r -> r.event().messageId().equals(first.messageId()));
    }

    @Test
    void never_blocks_delivery_and_says_how_many_batches_it_could_not_count() {
        for (int i = 0; i < 10; i++) {
            deliver("ga4", booked("x"));
        }

        assertThat(recorder.skippedBatches()).isEqualTo(6); // queue of 4, thread not started
    }

    @Test
    void the_detector_is_read_from_the_trace_rule() {
        assertThat(TrafficRecorder.detector("detector phone, after percent-decoding"))
                .isEqualTo("phone");
        assertThat(TrafficRecorder.detector("detector email")).isEqualTo("email");
    }
}
