package dev.veil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchTemplateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void every_body_is_a_valid_batch_of_track_events_with_unique_message_ids() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int conn = 0; conn < 3; conn++) {
            BatchTemplate template = new BatchTemplate(4242, conn, 20);
            for (int request = 0; request < 50; request++) {
                JsonNode body = MAPPER.readTree(template.next());
                assertThat(body.get("batch")).hasSize(20);
                for (JsonNode event : body.get("batch")) {
                    assertThat(event.get("type").asText()).isEqualTo("track");
                    assertThat(event.get("event").asText()).isEqualTo("Appointment Booked");
                    assertThat(event.get("userId").asText()).startsWith("user-");
                    ids.add(event.get("messageId").asText());
                }
            }
        }
        assertThat(ids).hasSize(3 * 50 * 20).allMatch(id -> id.startsWith("lg-4242-"));
    }
}
