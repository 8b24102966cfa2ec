package dev.veil.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import java.time.Duration;
import java.util.List;

/** What every client test expects of Veil after the five calls: each stored once, each delivered once. */
final class Deliveries {

    static final List<String> CALLS = List.of("alias", "group", "identify", "page", "track");

    private Deliveries() {}

    /**
     * Waits until the five calls (page, track, identify, group, alias) are in the event log and at the destination,
     * then checks that each is there exactly once.
     */
    static List<RawEvent> assertEachCallStoredOnceAndDelivered(CompatVeil veil, Duration wait) {
        await().atMost(wait)
                .untilAsserted(() -> assertThat(veil.delivered())
                        .as(
                                "delivered to the destination (stored: %s; requests: %s)",
                                veil.stored().stream()
                                        .map(e -> e.type().wireName())
                                        .toList(),
                                veil.seen().stream()
                                        .map(s -> s.path() + (s.injected503() ? " (503)" : ""))
                                        .toList())
                        .hasSizeGreaterThanOrEqualTo(CALLS.size()));
        List<RawEvent> stored = veil.stored();
        assertThat(stored)
                .as("stored events by type")
                .extracting(e -> e.type().wireName())
                .containsExactlyInAnyOrderElementsOf(CALLS);
        assertThat(stored).extracting(RawEvent::messageId).doesNotHaveDuplicates();
        assertThat(stored)
                .filteredOn(e -> e.type() == EventType.TRACK)
                .singleElement()
                .satisfies(e -> assertThat(e.message().path("event").asText()).isEqualTo(CompatVeil.TRACK_EVENT));

        List<JsonNode> delivered = veil.delivered();
        assertThat(delivered)
                .as("events delivered to the destination, by type")
                .extracting(e -> e.path("type").asText())
                .containsExactlyInAnyOrderElementsOf(CALLS);
        assertThat(veil.deliveredDuplicates()).as("redeliveries").isZero();
        return stored;
    }
}
