package dev.veil.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.InstantText;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Validates one Segment message and normalizes it in place: sets {@code type}, {@code messageId} (generated
 * when missing), {@code receivedAt}, the clock-skew corrected {@code timestamp} ({@code receivedAt - (sentAt -
 * timestamp)}) and {@code originalTimestamp}; fills {@code sentAt}, {@code context} and {@code integrations}
 * from the batch envelope; turns numeric ids into strings; removes {@code writeKey} (a credential is never
 * stored with the event). Errors name the field path and the problem, never the value.
 */
final class MessageNormalizer {

    private static final String TYPES = "track, identify, page, screen, group, alias";
    private static final int MAX_ID_LENGTH = 512;
    private static final Set<String> OBJECT_FIELDS = Set.of("properties", "traits", "context", "integrations");
    private static final Set<String> STRING_FIELDS = Set.of("event", "name", "category");
    private static final Set<String> TIME_FIELDS = Set.of("timestamp", "sentAt", "originalTimestamp");

    /** A valid, normalized message. */
    record Normalized(ObjectNode message, EventType type, String messageId, Instant timestamp) {}

    /**
     * Validates and normalizes {@code msg}.
     *
     * @param path how the message is named in errors ({@code "batch[3]"}, or empty for a single call)
     * @param impliedType the type given by the endpoint ({@code /v1/track}), or null for batch elements
     * @param envelope top-level batch fields ({@code sentAt}, {@code context}, {@code integrations}), or null
     * @throws ApiException (400) naming the path and the problem
     */
    Normalized normalize(
            ObjectNode msg,
            String path,
            @Nullable EventType impliedType,
            @Nullable ObjectNode envelope,
            Instant receivedAt) {
        String p = path.isEmpty() ? "" : path + ".";
        msg.remove("writeKey");

        EventType type = impliedType != null ? impliedType : typeOf(msg, p);
        msg.put("type", type.wireName());

        for (String f : OBJECT_FIELDS) {
            JsonNode v = msg.get(f);
            if (v != null && !v.isNull() && !v.isObject()) {
                throw invalid(p + f, "must be an object, found " + Json.kind(v));
            }
        }
        for (String f : STRING_FIELDS) {
            JsonNode v = msg.get(f);
            if (v != null && !v.isNull() && !v.isTextual()) {
                throw invalid(p + f, "must be a string, found " + Json.kind(v));
            }
        }
        String userId = id(msg, "userId", p);
        String anonymousId = id(msg, "anonymousId", p);
        if (userId == null && anonymousId == null) {
            throw invalid(p + "userId", "either userId or anonymousId is required");
        }
        switch (type) {
            case TRACK -> {
                JsonNode event = msg.get("event");
                if (event == null || !event.isTextual() || event.asText().isBlank()) {
                    throw invalid(p + "event", "is required for a track call");
                }
            }
            case GROUP -> {
                if (id(msg, "groupId", p) == null) {
                    throw invalid(p + "groupId", "is required for a group call");
                }
            }
            case ALIAS -> {
                if (id(msg, "previousId", p) == null) {
                    throw invalid(p + "previousId", "is required for an alias call");
                }
            }
            default -> {}
        }

        String messageId = id(msg, "messageId", p);
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
            msg.put("messageId", messageId);
        }

        if (envelope != null) {
            fillFrom(envelope, msg);
        }
        Instant timestamp = time(msg, "timestamp", p);
        Instant original = time(msg, "originalTimestamp", p);
        Instant sentAt = time(msg, "sentAt", p);
        Instant clientTime = timestamp != null ? timestamp : original;
        Instant corrected;
        if (clientTime == null) {
            corrected = receivedAt;
        } else if (sentAt != null) {
            corrected = corrected(receivedAt, clientTime, sentAt);
            if (corrected == null) {
                throw invalid(
                        p + "sentAt",
                        "is too far from " + (timestamp != null ? "timestamp" : "originalTimestamp")
                                + ": the clock-skew corrected time would be outside years 0001 to 9999");
            }
        } else {
            corrected = clientTime;
        }
        if (clientTime != null && original == null) {
            msg.put("originalTimestamp", InstantText.of(clientTime));
        }
        String received = iso(receivedAt);
        msg.put("timestamp", corrected.equals(receivedAt) ? received : InstantText.of(corrected));
        msg.put("receivedAt", received);
        return new Normalized(msg, type, messageId, corrected);
    }

    private static EventType typeOf(ObjectNode msg, String p) {
        JsonNode t = msg.get("type");
        if (t == null || t.isNull()) {
            throw invalid(p + "type", "is required (one of " + TYPES + ")");
        }
        if (!t.isTextual()) {
            throw invalid(p + "type", "must be a string, found " + Json.kind(t));
        }
        return EventType.fromWire(t.asText()).orElseThrow(() -> invalid(p + "type", "is not one of " + TYPES));
    }

    /** A string or integer id, normalized to a string; null when absent, null or empty. */
    private static @Nullable String id(ObjectNode msg, String field, String p) {
        JsonNode v = msg.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String text;
        if (v.isTextual()) {
            text = v.asText();
        } else if (v.isIntegralNumber()) {
            text = v.asText();
            msg.put(field, text);
        } else {
            throw invalid(p + field, "must be a string, found " + Json.kind(v));
        }
        if (text.length() > MAX_ID_LENGTH) {
            throw invalid(p + field, "is " + text.length() + " characters; the limit is " + MAX_ID_LENGTH);
        }
        return text.isEmpty() ? null : text;
    }

    /** {@code receivedAt - (sentAt - clientTime)}, or null when that leaves the supported range. */
    private static @Nullable Instant corrected(Instant receivedAt, Instant clientTime, Instant sentAt) {
        try {
            Instant t = receivedAt.minus(java.time.Duration.between(clientTime, sentAt));
            return inRange(t) ? t : null;
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** Years 0001 to 9999: what ISO-8601 writes without an expanded year, and what destinations accept. */
    private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static boolean inRange(Instant t) {
        return !t.isBefore(MIN_TIME) && !t.isAfter(MAX_TIME);
    }

    private static @Nullable Instant time(ObjectNode msg, String field, String p) {
        JsonNode v = msg.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(p + field, "must be an ISO-8601 date-time string, found " + Json.kind(v));
        }
        Instant t;
        try {
            t = parseTime(v.asText());
        } catch (DateTimeParseException e) {
            throw invalid(p + field, "is not an ISO-8601 date-time");
        }
        if (!inRange(t)) {
            throw invalid(p + field, "is outside years 0001 to 9999");
        }
        return t;
    }

    /** receivedAt and its ISO-8601 text, remembered because a batch's messages share it. */
    private record Stamp(Instant instant, String text) {}

    private volatile Stamp lastStamp = new Stamp(Instant.EPOCH, Instant.EPOCH.toString());

    private String iso(Instant t) {
        Stamp last = lastStamp;
        if (last.instant().equals(t)) {
            return last.text();
        }
        Stamp fresh = new Stamp(t, InstantText.of(t));
        lastStamp = fresh;
        return fresh.text();
    }

    static Instant parseTime(String text) {
        Instant utc = parseUtc(text);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // Segment accepts date-times without an offset; they are UTC.
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }

    /**
     * The form SDKs send, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, parsed without the general formatter (it is on
     * the hot path, up to three times per message); null for anything else, which then takes the general path.
     * Gives the same instant as {@code OffsetDateTime.parse} for every string it accepts.
     */
    private static @Nullable Instant parseUtc(String t) {
        int n = t.length();
        if (n < 20
                || n == 21
                || n > 30
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || (n > 20 && t.charAt(19) != '.')) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int fraction = n > 20 ? digits(t, 20, n - 21) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        int nanos = fraction;
        for (int i = n > 20 ? n - 21 : 9; i < 9; i++) {
            nanos *= 10;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // out of range (month 13, hour 24, ...): let the general parser report it
        }
    }

    /** The non-negative decimal value of {@code t[from, from+len)}, or -1 if it is not all ASCII digits. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void fillFrom(ObjectNode envelope, ObjectNode msg) {
        JsonNode sentAt = envelope.get("sentAt");
        if (sentAt != null && !msg.has("sentAt")) {
            msg.set("sentAt", sentAt);
        }
        for (String f : new String[] {"context", "integrations"}) {
            JsonNode outer = envelope.get(f);
            if (outer instanceof ObjectNode o) {
                JsonNode inner = msg.get(f);
                if (inner == null || inner.isNull()) {
                    msg.set(f, o.deepCopy());
                } else if (inner instanceof ObjectNode in) {
                    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!in.has(e.getKey())) {
                            in.set(e.getKey(), e.getValue().deepCopy());
                        }
                    }
                }
            }
        }
    }

    private static ApiException invalid(String path, String problem) {
        return ApiException.badRequest("invalid_message", path + ": " + problem);
    }
}
