package dev.veil.destinations.testing;

import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import java.time.Instant;
import java.util.Map;

/** Safe events for connector tests, with distinctive values so leaks are easy to spot. */
public final class Events {

    public static final String USER = "mU5er0000000000000000000000000aa";
    public static final String ANON = "mAn0n000000000000000000000000bbb";

    private Events() {}

    /** A context with every field a policy can allow (no IP). */
    public static SafeContext fullContext() {
        return new SafeContext(
                new SafeContext.Geo("US", "CA"),
                null,
                new SafeContext.UserAgentInfo("Chrome", "131", "Windows", "desktop"),
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
                "https://clinic.example.org/book?utm_source=news",
                "/book",
                "https://search.example.com/",
                "Book a visit",
                Map.of(
                        "source",
                        "newsletter",
                        "medium",
                        "email",
                        "name",
                        "spring",
                        "term",
                        "flu",
                        "content",
                        "top",
                        "id",
                        "cmp42"),
                new SafeContext.Session(1_764_000_000_000L, 3, 1234L),
                new SafeContext.Device("en-US", "1920x1080", "America/Chicago"),
                Map.of(
                        "fbc",
                        "fb.1.1764000000000.AbCdEf",
                        "fbp",
                        "fb.1.1764000000000.1098115397",
                        "ttclid",
                        "E.C.P.abc123",
                        "gclid",
                        "Cj0KgclidX"),
                Map.of("advertising", true));
    }

    public static SafeEvent track(String name, Instant at, Map<String, Object> props) {
        return new SafeEvent(
                "dest-1",
                EventType.TRACK,
                "msg-" + name.hashCode() + "-" + at.toEpochMilli(),
                at,
                name,
                USER,
                ANON,
                null,
                null,
                props,
                Map.of(),
                fullContext());
    }

    public static SafeEvent orderCompleted(Instant at) {
        return new SafeEvent(
                "dest-1",
                EventType.TRACK,
                "3f0c6a2e-8b1d-4c55-9a7e-1d2c3b4a5f60",
                at,
                "Order Completed",
                USER,
                ANON,
                null,
                null,
                Map.of(
                        "revenue",
                        129.5,
                        "currency",
                        "usd",
                        "order_id",
                        "ord-981",
                        "products",
                        java.util.List.of(
                                Map.of("product_id", "sku-7", "name", "Flu shot", "price", 129.5, "quantity", 1)),
                        "service_line",
                        "primary-care"),
                Map.of(),
                fullContext());
    }

    /** An identify call from {@link #USER} (and {@link #ANON}) with {@code traits} and a full context. */
    public static SafeEvent identify(String messageId, Instant at, Map<String, Object> traits) {
        return new SafeEvent(
                "d", EventType.IDENTIFY, messageId, at, null, USER, ANON, null, null, Map.of(), traits, fullContext());
    }

    public static SafeEvent page(Instant at) {
        return new SafeEvent(
                "dest-1",
                EventType.PAGE,
                "page-msg-0001",
                at,
                "Book",
                USER,
                ANON,
                null,
                null,
                Map.of(),
                Map.of(),
                fullContext());
    }

    public static SafeEvent withId(SafeEvent e, String messageId) {
        return new SafeEvent(
                e.destinationId(),
                e.type(),
                messageId,
                e.timestamp(),
                e.name(),
                e.userId(),
                e.anonymousId(),
                e.groupId(),
                e.previousId(),
                e.properties(),
                e.traits(),
                e.context());
    }

    public static SafeEvent withContext(SafeEvent e, SafeContext c) {
        return new SafeEvent(
                e.destinationId(),
                e.type(),
                e.messageId(),
                e.timestamp(),
                e.name(),
                e.userId(),
                e.anonymousId(),
                e.groupId(),
                e.previousId(),
                e.properties(),
                e.traits(),
                c);
    }

    public static SafeEvent withIds(SafeEvent e, String userId, String anonymousId) {
        return new SafeEvent(
                e.destinationId(),
                e.type(),
                e.messageId(),
                e.timestamp(),
                e.name(),
                userId,
                anonymousId,
                e.groupId(),
                e.previousId(),
                e.properties(),
                e.traits(),
                e.context());
    }
}
