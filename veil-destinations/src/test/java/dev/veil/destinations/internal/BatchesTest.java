package dev.veil.destinations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.destinations.spi.Rejected;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static Batches.Item item(String id, int padding, ObjectNode envelope) {
        ObjectNode e = Json.object().put("id", id).put("pad", "x".repeat(padding));
        return new Batches.Item(id, e, envelope);
    }

    private static ObjectNode body(ObjectNode envelope, com.fasterxml.jackson.databind.node.ArrayNode events) {
        ObjectNode b = envelope == null ? Json.object() : envelope.deepCopy();
        b.set("events", events);
        return b;
    }

    @Test
    void every_body_stays_under_the_byte_limit_and_keeps_order() {
        List<Batches.Item> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(item("m" + i, 90, null));
        }
        List<Rejected> rejected = new ArrayList<>();

        List<Batches.Body> bodies = Batches.split(items, 1000, 1000, BatchesTest::body, rejected);

        assertThat(rejected).isEmpty();
        assertThat(bodies).allSatisfy(b -> assertThat(b.bytes().length).isLessThan(1000));
        assertThat(bodies.stream().flatMap(b -> b.messageIds().stream()).toList())
                .containsExactlyElementsOf(
                        items.stream().map(Batches.Item::messageId).toList());
        assertThat(bodies.size()).isGreaterThan(5);
    }

    @Test
    void an_event_too_large_for_any_request_is_rejected_with_its_size() {
        List<Rejected> rejected = new ArrayList<>();

        List<Batches.Body> bodies = Batches.split(
                List.of(item("big", 2000, null), item("ok", 10, null)), 10, 1000, BatchesTest::body, rejected);

        assertThat(bodies)
                .singleElement()
                .satisfies(b -> assertThat(b.messageIds()).containsExactly("ok"));
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.messageId()).isEqualTo("big");
            assertThat(r.reason()).matches("event: \\d+ bytes; the vendor accepts requests under 1000");
        });
    }

    @Test
    void events_with_different_envelopes_never_share_a_request() {
        ObjectNode a = Json.object().put("client_id", "a");
        ObjectNode b = Json.object().put("client_id", "b");

        List<Batches.Body> bodies = Batches.split(
                List.of(item("1", 1, a), item("2", 1, b), item("3", 1, a.deepCopy())),
                25,
                100_000,
                BatchesTest::body,
                new ArrayList<>());

        assertThat(bodies).extracting(Batches.Body::messageIds).containsExactly(List.of("1", "3"), List.of("2"));
    }
}
