package dev.veil.destinations.testing;

import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random safe events with awkward shapes (odd names, reserved names, long values, nesting, missing ids, old
 * and slightly future timestamps), for checking that connectors' validation covers every rule the fakes enforce.
 * Timestamps avoid the minutes around vendor age limits, so the check is not racy.
 */
public final class RandomEvents {

    private static final List<String> NAMES = List.of(
            "Order Completed",
            "Signed Up",
            "Products Searched",
            "Product Viewed",
            "Product Added",
            "Checkout Started",
            "Form Submitted",
            "Appointment Booked",
            "book_appointment",
            "session_start",
            "[Amplitude] Revenue",
            "a".repeat(45),
            "Événement spécial",
            "9 lives",
            "ga_custom",
            "");
    private static final List<String> KEYS = List.of(
            "service_line",
            "plan",
            "value",
            "revenue",
            "currency",
            "order_id",
            "query",
            "Plan Type",
            "2nd",
            "_private",
            "firebase_x",
            "ip",
            "time",
            "distinct_id",
            "note",
            "plan_id",
            "k".repeat(45));
    private static final long[] AGES_HOURS = {0, 1, 5, 30, 71, 74, 100, 160, 170, 200, 300};

    private final Random random;
    private final Instant now;

    public RandomEvents(long seed, Instant now) {
        this.random = new Random(seed);
        this.now = now;
    }

    public List<SafeEvent> next(int n) {
        List<SafeEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(i));
        }
        return out;
    }

    private SafeEvent event(int i) {
        EventType type = pick(List.of(
                EventType.TRACK,
                EventType.TRACK,
                EventType.TRACK,
                EventType.PAGE,
                EventType.SCREEN,
                EventType.IDENTIFY,
                EventType.ALIAS));
        Instant at = now.minus(Duration.ofHours(AGES_HOURS[random.nextInt(AGES_HOURS.length)]))
                .minusSeconds(random.nextInt(600))
                .plusSeconds(random.nextInt(10) == 0 ? 120 : 0);
        String name = type == EventType.TRACK ? pick(NAMES) : random.nextBoolean() ? "Home" : null;
        String userId = random.nextInt(4) == 0 ? null : random.nextInt(10) == 0 ? "abc" : id("u");
        String anonId = random.nextInt(4) == 0 ? null : id("a");
        Map<String, Object> props = new HashMap<>();
        int count = random.nextInt(random.nextInt(8) == 0 ? 30 : 6);
        for (int k = 0; k < count; k++) {
            String key = random.nextInt(3) == 0 ? pick(KEYS) : "p" + random.nextInt(40);
            props.put(key, value(0));
        }
        if (random.nextBoolean()) {
            props.put(
                    "products",
                    List.of(Map.of(
                            "product_id",
                            "sku-" + random.nextInt(99),
                            "price",
                            10.5,
                            "quantity",
                            2,
                            "name",
                            text(random.nextInt(150)))));
        }
        String messageId = random.nextInt(5) == 0
                ? "ajs-next-" + random.nextLong() + "-" + random.nextLong() + "-" + i
                : "m-" + i + "-" + Long.toHexString(random.nextLong());
        return new SafeEvent(
                "dest-r",
                type,
                messageId,
                at,
                name,
                userId,
                anonId,
                null,
                null,
                props,
                random.nextBoolean() ? Map.of("plan", "gold", "tier", 3) : Map.of(),
                context());
    }

    private SafeContext context() {
        if (random.nextInt(6) == 0) {
            return SafeContext.EMPTY;
        }
        boolean ua = random.nextBoolean();
        return new SafeContext(
                random.nextBoolean() ? new SafeContext.Geo("US", random.nextBoolean() ? "CA" : null) : null,
                null,
                ua
                        ? new SafeContext.UserAgentInfo(
                                "Firefox", "133", "Linux", pick(List.of("desktop", "mobile", "other")))
                        : null,
                random.nextInt(4) == 0 ? null : "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
                random.nextInt(5) == 0 ? null : "https://clinic.example.org/" + text(random.nextInt(1200)),
                "/",
                random.nextBoolean() ? "https://ref.example.com/" + text(random.nextInt(500)) : null,
                random.nextBoolean() ? text(random.nextInt(400)) : null,
                random.nextBoolean() ? Map.of("source", "news", "name", text(random.nextInt(130))) : Map.of(),
                random.nextBoolean()
                        ? new SafeContext.Session(1_764_000_000_000L, 2, random.nextBoolean() ? 500L : null)
                        : null,
                random.nextBoolean()
                        ? new SafeContext.Device("de-DE", random.nextBoolean() ? "390x844" : "big", null)
                        : null,
                random.nextBoolean()
                        ? Map.of("fbc", "fb.1.1764000000000.Ab", "ttclid", random.nextBoolean() ? "E.C.P.x" : "zz")
                        : Map.of(),
                Map.of());
    }

    private Object value(int depth) {
        return switch (random.nextInt(depth >= 4 ? 3 : 6)) {
            case 0 -> text(random.nextInt(random.nextInt(5) == 0 ? 1500 : 40));
            case 1 -> random.nextInt(1000);
            case 2 -> random.nextBoolean();
            case 3 -> 12.25;
            case 4 -> Map.of("inner", value(depth + 1));
            default -> List.of(value(depth + 1), "x");
        };
    }

    private String id(String prefix) {
        return prefix + Long.toHexString(random.nextLong() & 0xfffffffffL) + "AbCdEfGhIjKlMnOpQrStUv";
    }

    private String text(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
