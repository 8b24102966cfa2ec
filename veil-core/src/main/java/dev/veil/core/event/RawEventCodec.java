package dev.veil.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Converts a {@link RawEvent} to and from bytes: a versioned JSON envelope ({@code v, sourceId, messageId,
 * type, receivedAt, timestamp, ip, userAgent, gpc, message}). Stores encrypt these bytes; the codec itself
 * does no crypto. Stateless and thread-safe.
 *
 * <p>Decoding errors name the envelope field and what was wrong, never a value (the envelope holds PHI).
 */
public final class RawEventCodec {

    /** The envelope version written by {@link #encode}. */
    public static final int VERSION = 1;

    /**
     * Buffers are recycled through a shared pool, not Jackson's default per-thread one: ingest encodes on a new
     * virtual thread per request, where a thread-local pool never reuses anything and every event allocated a
     * fresh 8 KB output buffer (the largest item of ingest's allocation profile).
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build());

    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private RawEventCodec() {}

    /** The codec's Jackson factory, for tests of its buffer pooling. */
    static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * Serializes the event as a UTF-8 JSON envelope. Streams straight to a generator and walks the message tree
     * itself rather than going through databind's serializers: this runs once per ingested event on the
     * request thread.
     */
    public static byte[] encode(RawEvent event) {
        ExactBytes out = new ExactBytes();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("sourceId", event.sourceId());
            g.writeStringField("messageId", event.messageId());
            g.writeStringField("type", event.type().wireName());
            String received = iso(event.receivedAt());
            g.writeStringField("receivedAt", received);
            g.writeStringField(
                    "timestamp",
                    event.timestamp().equals(event.receivedAt()) ? received : InstantText.of(event.timestamp()));
            if (event.clientIp() != null) {
                g.writeStringField("ip", event.clientIp());
            }
            if (event.userAgent() != null) {
                g.writeStringField("userAgent", event.userAgent());
            }
            g.writeBooleanField("gpc", event.gpc());
            g.writeFieldName("message");
            write(g, event.message());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("raw event encode: " + e.getClass().getSimpleName(), e);
        }
        return out.bytes();
    }

    /**
     * Collects what the generator flushes. The generator writes into its own (pooled) buffer and flushes it when
     * closed, so an envelope of up to that buffer's size (8,000 bytes) arrives in one write and is copied once,
     * into an array of exactly its size, instead of growing a {@code ByteArrayOutputStream} and copying it again.
     */
    private static final class ExactBytes extends OutputStream {
        private byte[] bytes = new byte[0];

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (bytes.length == 0) {
                bytes = Arrays.copyOfRange(b, off, off + len);
                return;
            }
            byte[] grown = Arrays.copyOf(bytes, Math.addExact(bytes.length, len));
            System.arraycopy(b, off, grown, bytes.length, len);
            bytes = grown;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    /** An instant with its ISO-8601 text: the events of one request share receivedAt. */
    private record Stamp(Instant instant, String text) {}

    private static volatile Stamp lastReceivedAt = new Stamp(Instant.EPOCH, Instant.EPOCH.toString());

    private static String iso(Instant t) {
        Stamp last = lastReceivedAt;
        if (last.instant().equals(t)) {
            return last.text();
        }
        Stamp fresh = new Stamp(t, InstantText.of(t));
        lastReceivedAt = fresh;
        return fresh.text();
    }

    /**
     * Writes a JSON tree. Recursive: a message's nesting is bounded by the ingest limit (32 levels), and any tree
     * this codec decoded was bounded by Jackson's read constraints.
     */
    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (node instanceof ObjectNode o) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (node instanceof ArrayNode a) {
            g.writeStartArray();
            for (JsonNode element : a) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            writeScalar(g, node);
        }
    }

    private static void writeScalar(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                }
            }
            // Binary and POJO nodes never come out of JSON parsing; let databind write them as it would.
            case BINARY, POJO, ARRAY, OBJECT -> MAPPER.writeTree(g, n);
        }
    }

    /**
     * Parses an envelope written by {@link #encode}.
     *
     * @throws IllegalArgumentException naming the field when the bytes are not a valid envelope
     */
    public static RawEvent decode(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            // The parser's message quotes input; keep only its location.
            throw new IllegalArgumentException("raw event decode: not JSON (" + bytes.length + " bytes)");
        }
        if (!(root instanceof ObjectNode env)) {
            throw new IllegalArgumentException("raw event decode: envelope is not a JSON object");
        }
        int version = env.path("v").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("raw event decode: envelope version " + version + " is not supported");
        }
        String typeName = text(env, "type");
        EventType type = EventType.fromWire(typeName)
                .orElseThrow(() -> new IllegalArgumentException("raw event decode: field 'type' is not a call type"));
        if (!(env.get("message") instanceof ObjectNode message)) {
            throw new IllegalArgumentException("raw event decode: field 'message' is missing or not an object");
        }
        return new RawEvent(
                text(env, "sourceId"),
                text(env, "messageId"),
                type,
                instant(env, "receivedAt"),
                instant(env, "timestamp"),
                message,
                optionalText(env, "ip"),
                optionalText(env, "userAgent"),
                env.path("gpc").asBoolean(false));
    }

    private static String text(ObjectNode env, String field) {
        JsonNode node = env.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("raw event decode: field '" + field + "' is missing or not a string");
        }
        return node.asText();
    }

    private static @Nullable String optionalText(ObjectNode env, String field) {
        JsonNode node = env.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return text(env, field);
    }

    private static Instant instant(ObjectNode env, String field) {
        try {
            return Instant.parse(text(env, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("raw event decode: field '" + field + "' is not an ISO-8601 instant");
        }
    }
}
