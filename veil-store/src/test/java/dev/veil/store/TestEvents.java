package dev.veil.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Raw events and a settable clock for store tests. */
public final class TestEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestEvents() {}

    /** A track event whose properties hold {@code secret} (a PHI stand-in). */
    public static RawEvent event(String sourceId, String messageId, Instant receivedAt, String secret) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", "track");
        message.put("event", "Appointment Booked");
        message.put("messageId", messageId);
        message.putObject("properties").put("condition", secret).put("n", 1);
        return new RawEvent(
                sourceId,
                messageId,
                EventType.TRACK,
                receivedAt,
                receivedAt.minusMillis(250),
                message,
                "203.0.113.9",
                "Mozilla/5.0",
                false);
    }

    public static RawEvent event(String messageId, Instant receivedAt) {
        return event("src-1", messageId, receivedAt, "diabetes");
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
