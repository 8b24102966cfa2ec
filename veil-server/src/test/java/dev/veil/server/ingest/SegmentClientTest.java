package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official Segment Java client, pointed at Veil, is a real client of the ingest API. */
class SegmentClientTest {

    private final TestServer veil = new TestServer();

    @AfterEach
    void stop() {
        veil.close();
    }

    @Test
    void official_segment_client_calls_are_each_stored_once_with_their_fields() {
        Analytics analytics = Analytics.builder(TestServer.WRITE_KEY)
                .endpoint("http://127.0.0.1:" + veil.server.port())
                .flushQueueSize(50)
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Appointment Booked")
                    .userId("user-1")
                    .properties(Map.of("service_line", "dermatology", "value", 120)));
            analytics.enqueue(IdentifyMessage.builder().userId("user-1").traits(Map.of("plan", "gold")));
            analytics.enqueue(PageMessage.builder("Home").anonymousId("anon-1").properties(Map.of("path", "/")));
            analytics.enqueue(GroupMessage.builder("clinic-7").userId("user-1").traits(Map.of("size", 12)));
            analytics.enqueue(AliasMessage.builder("anon-1").userId("user-1"));
            analytics.flush();

            await().atMost(Duration.ofSeconds(20)).until(() -> veil.log.events().size() >= 5);
        } finally {
            analytics.shutdown();
        }

        List<RawEvent> events = veil.log.events();
        assertThat(events).hasSize(5);
        assertThat(events).extracting(RawEvent::messageId).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> {
            assertThat(e.sourceId()).isEqualTo("website");
            assertThat(e.message().at("/context/library/name").asText()).isEqualTo("analytics-java");
            assertThat(e.message().get("receivedAt").asText()).isNotEmpty();
            assertThat(e.message().get("messageId").asText()).isEqualTo(e.messageId());
        });
        RawEvent track = byType(events, EventType.TRACK);
        assertThat(track.message().get("event").asText()).isEqualTo("Appointment Booked");
        assertThat(track.message().get("userId").asText()).isEqualTo("user-1");
        assertThat(track.message().at("/properties/service_line").asText()).isEqualTo("dermatology");
        assertThat(track.message().at("/properties/value").asInt()).isEqualTo(120);
        assertThat(byType(events, EventType.IDENTIFY)
                        .message()
                        .at("/traits/plan")
                        .asText())
                .isEqualTo("gold");
        RawEvent page = byType(events, EventType.PAGE);
        assertThat(page.message().get("name").asText()).isEqualTo("Home");
        assertThat(page.message().get("anonymousId").asText()).isEqualTo("anon-1");
        RawEvent group = byType(events, EventType.GROUP);
        assertThat(group.message().get("groupId").asText()).isEqualTo("clinic-7");
        assertThat(group.message().at("/traits/size").asInt()).isEqualTo(12);
        assertThat(byType(events, EventType.ALIAS).message().get("previousId").asText())
                .isEqualTo("anon-1");
    }

    private static RawEvent byType(List<RawEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }
}
