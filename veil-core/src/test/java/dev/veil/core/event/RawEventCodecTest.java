package dev.veil.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RawEventCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode message() throws Exception {
        return (ObjectNode) MAPPER.readTree("""
                {"type":"track","event":"Appointment Booked","messageId":"m-1",
                 "properties":{"condition":"diabetes","price":12.5,"tags":["a","b"],"nested":{"x":null}},
                 "context":{"page":{"url":"https://clinic.example/book?x=1"}}}""");
    }

    @Test
    void round_trips_every_field() throws Exception {
        RawEvent event = new RawEvent(
                "src-1",
                "m-1",
                EventType.TRACK,
                Instant.parse("2026-11-29T04:00:00.123456789Z"),
                Instant.parse("2026-11-29T03:59:58.5Z"),
                message(),
                "203.0.113.7",
                "Mozilla/5.0 (X11; Linux x86_64)",
                true);

        RawEvent back = RawEventCodec.decode(RawEventCodec.encode(event));

        assertThat(back).usingRecursiveComparison().isEqualTo(event);
        assertThat(back.message()).isEqualTo(event.message());
    }

    @Test
    void round_trips_absent_ip_and_user_agent() throws Exception {
        RawEvent event = new RawEvent(
                "src-1", "m-2", EventType.IDENTIFY, Instant.EPOCH, Instant.EPOCH, message(), null, null, false);

        RawEvent back = RawEventCodec.decode(RawEventCodec.encode(event));

        assertThat(back.clientIp()).isNull();
        assertThat(back.userAgent()).isNull();
        assertThat(back.gpc()).isFalse();
        assertThat(back.type()).isEqualTo(EventType.IDENTIFY);
    }

    @Test
    void writes_a_versioned_json_envelope() throws Exception {
        RawEvent event = new RawEvent(
                "src-1", "m-3", EventType.PAGE, Instant.EPOCH, Instant.EPOCH, message(), "10.0.0.1", null, false);

        ObjectNode env = (ObjectNode) MAPPER.readTree(RawEventCodec.encode(event));

        assertThat(env.get("v").asInt()).isEqualTo(1);
        assertThat(env.get("type").asText()).isEqualTo("page");
        assertThat(env.get("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(env.has("userAgent")).isFalse();
    }

    @Test
    void names_the_bad_field_without_quoting_the_value() {
        String badType = """
                {"v":1,"sourceId":"s","messageId":"m","type":"secret-diagnosis","receivedAt":"2026-01-01T00:00:00Z",
                 "timestamp":"2026-01-01T00:00:00Z","gpc":false,"message":{}}""";
        assertThatThrownBy(() -> RawEventCodec.decode(badType.getBytes(UTF_8)))
                .hasMessageContaining("field 'type'")
                .hasMessageNotContaining("secret-diagnosis");
        String badTime = badType.replace("secret-diagnosis", "track").replace("2026-01-01T00:00:00Z\",\n", "x\",\n");
        assertThatThrownBy(() -> RawEventCodec.decode(badTime.getBytes(UTF_8)))
                .hasMessageContaining("field 'receivedAt'");
        assertThatThrownBy(() -> RawEventCodec.decode("{\"v\":2}".getBytes(UTF_8)))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> RawEventCodec.decode("not json: ssn 123".getBytes(UTF_8)))
                .hasMessageContaining("not JSON")
                .hasMessageNotContaining("ssn");
    }

    @Test
    void writes_the_message_exactly_as_jackson_databind_would() throws Exception {
        ObjectNode msg = (ObjectNode) MAPPER.readTree("""
                {"s":"caf\\u00e9 \\"quoted\\" \\\\ \\u0001 \\ud83d\\ude00","i":-7,"l":12345678901234,
                 "big":123456789012345678901234567890,"d":1.5e-7,"f":0.1,"t":true,"n":null,"empty":{},"ea":[],
                 "deep":[[1,[2,{"k":[{"z":false}]}]],{"a":{"b":{"c":"d"}}}]}""");
        RawEvent event =
                new RawEvent("src-1", "m-1", EventType.TRACK, Instant.EPOCH, Instant.EPOCH, msg, null, null, false);

        byte[] bytes = RawEventCodec.encode(event);

        String json = new String(bytes, UTF_8);
        String expectedMessage = new String(MAPPER.writeValueAsBytes(msg), UTF_8); // what encode wrote before
        assertThat(json).endsWith(",\"message\":" + expectedMessage + "}");
        assertThat(MAPPER.readTree(bytes).get("message")).isEqualTo(msg);
    }

    @Test
    void encodes_an_envelope_larger_than_the_generators_buffer_whole() throws Exception {
        // The generator flushes its 8,000-byte buffer several times for this one: every piece must be kept in order.
        ObjectNode msg = MAPPER.createObjectNode();
        for (int i = 0; i < 400; i++) {
            msg.put("key" + i, "value " + i + " " + "x".repeat(i % 50));
        }
        RawEvent event =
                new RawEvent("src-1", "m-5", EventType.TRACK, Instant.EPOCH, Instant.EPOCH, msg, null, null, false);

        byte[] bytes = RawEventCodec.encode(event);

        assertThat(bytes.length).isGreaterThan(2 * 8_000);
        String expectedMessage = new String(MAPPER.writeValueAsBytes(msg), UTF_8);
        assertThat(new String(bytes, UTF_8)).endsWith(",\"message\":" + expectedMessage + "}");
        assertThat(RawEventCodec.decode(bytes).message()).isEqualTo(msg);
    }

    @Test
    void encoding_on_fresh_virtual_threads_reuses_pooled_buffers() throws Exception {
        // Ingest encodes on a new virtual thread per request; Jackson's default thread-local pool would keep
        // nothing (pooledCount -1) and allocate fresh buffers for every event.
        RawEvent event = new RawEvent(
                "src-1", "m-4", EventType.TRACK, Instant.EPOCH, Instant.EPOCH, message(), null, null, false);
        for (int i = 0; i < 3; i++) {
            Thread t = Thread.ofVirtual().start(() -> RawEventCodec.encode(event));
            t.join();
        }

        assertThat(RawEventCodec.factory()._getRecyclerPool().pooledCount()).isPositive();
    }
}
