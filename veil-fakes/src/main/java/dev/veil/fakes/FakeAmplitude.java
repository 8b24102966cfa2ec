package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Fake Amplitude HTTP V2: {@code POST /2/httpapi} with {@code api_key} in the body, following {@link AmplitudeRules}
 * (each rule cites Amplitude's documentation). Bodies of 1 MB or more, or 2000 events or more, get 413; one invalid
 * event fails the whole request with 400 and {@code events_with_invalid_fields}/{@code events_with_missing_fields}
 * (field → indices), and nothing of the request is ingested; more than {@code epsThreshold} events per second for one
 * user or device get 429 with the throttled ids. Dedup key: insert_id + device_id (or user_id); "Amplitude ignores an
 * event that repeats an insert_id from the past 7 days" (amplitude.com/docs/apis/analytics/http-api-batching-retries;
 * the fake keeps every key for its lifetime).
 *
 * <p>It also models what Amplitude makes of what it keeps: {@link #revenue()} (the revenue charts' total, each
 * deduplicated event counted once), {@link #userProperties()} (as {@code $identify} operations and events' user
 * properties leave them) and {@link #incomplete()} (web events reported in other buckets than Amplitude's browser SDK
 * would use).
 */
public final class FakeAmplitude extends FakeVendor {

    private final String apiKey;
    private final int epsThreshold;
    private final Map<String, Deque<Long>> recent = new HashMap<>();
    private final Set<String> counted = new HashSet<>();
    private final List<String> incomplete = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> userProperties = new ConcurrentHashMap<>();
    private BigDecimal revenue = BigDecimal.ZERO;

    private FakeAmplitude(String apiKey, int epsThreshold) {
        this.apiKey = apiKey;
        this.epsThreshold = epsThreshold;
    }

    /** Starts a fake project with Amplitude's throttle of 30 events per second per user or device. */
    public static FakeAmplitude start(String apiKey) {
        return start(apiKey, 30);
    }

    public static FakeAmplitude start(String apiKey, int epsThreshold) {
        FakeAmplitude fake = new FakeAmplitude(apiKey, epsThreshold);
        fake.startServer();
        return fake;
    }

    /** The revenue Amplitude's charts would show: the sum over accepted, deduplicated events. */
    public synchronized BigDecimal revenue() {
        return revenue;
    }

    /** User properties by user_id (else device_id), after every accepted {@code $identify} and event. */
    public Map<String, JsonNode> userProperties() {
        return Map.copyOf(userProperties);
    }

    /** Accepted events Amplitude would report in other buckets than its own browser SDK, as {@code where: why}. */
    public List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    @Override
    protected synchronized Reply handle(ReceivedRequest request) {
        if (!request.path().equals("/2/httpapi")) {
            return Reply.json(404, "{\"code\":404,\"error\":\"not found\"}");
        }
        if (request.body().length >= AmplitudeRules.MAX_BODY_BYTES) {
            violation("body: " + request.body().length + " bytes; must be under " + AmplitudeRules.MAX_BODY_BYTES);
            return Reply.json(413, "{\"code\":413,\"error\":\"Payload too large\"}");
        }
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            violation("body: invalid JSON");
            return Reply.json(400, "{\"code\":400,\"error\":\"Invalid JSON request body\"}");
        }
        if (!apiKey.equals(body.path("api_key").asText())) {
            violation("api_key: invalid");
            ObjectNode err = JSON.createObjectNode();
            err.put("code", 400)
                    .put("error", "Invalid API key: " + body.path("api_key").asText());
            return Reply.json(400, err.toString());
        }
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty()) {
            violation("events: missing");
            return Reply.json(
                    400,
                    "{\"code\":400,\"error\":\"Request missing required field\"," + "\"missing_field\":\"events\"}");
        }
        if (events.size() > AmplitudeRules.MAX_EVENTS) {
            violation("events: " + events.size() + " events; fewer than 2000 allowed");
            return Reply.json(413, "{\"code\":413,\"error\":\"Payload too large\"}");
        }
        int minId = body.path("options").path("min_id_length").asInt(AmplitudeRules.DEFAULT_MIN_ID_LENGTH);
        Map<String, List<Integer>> invalid = new TreeMap<>();
        Map<String, List<Integer>> missing = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            check(events.get(i), i, minId, invalid, missing);
        }
        if (!invalid.isEmpty() || !missing.isEmpty()) {
            invalid.forEach((f, idx) -> violation("events" + idx + "." + f + ": invalid"));
            missing.forEach((f, idx) -> violation("events" + idx + "." + f + ": missing"));
            ObjectNode err = JSON.createObjectNode();
            err.put("code", 400).put("error", "Request contains invalid or missing fields");
            err.set(AmplitudeRules.INVALID_FIELDS, JSON.valueToTree(invalid));
            err.set(AmplitudeRules.MISSING_FIELDS, JSON.valueToTree(missing));
            return Reply.json(400, err.toString());
        }
        Reply throttled = throttle(events);
        if (throttled != null) {
            return throttled;
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            String device = e.path("device_id").asText(e.path("user_id").asText());
            String insert = e.path("insert_id").asText("");
            String key = insert.isEmpty() ? java.util.UUID.randomUUID().toString() : insert + "|" + device;
            if (counted.add(key)) {
                report(i, e);
            }
            accept(e, key);
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("code", 200).put("events_ingested", events.size()).put("payload_size_bytes", request.body().length);
        ok.put("server_upload_time", System.currentTimeMillis());
        return Reply.json(200, ok.toString());
    }

    /** What Amplitude makes of an accepted event the first time it sees it (duplicates change nothing). */
    private void report(int index, JsonNode e) {
        revenueOf(e).ifPresent(r -> revenue = revenue.add(r));
        String who = e.path("user_id").asText(e.path("device_id").asText(""));
        ObjectNode props = userProperties.computeIfAbsent(who, k -> JSON.createObjectNode());
        JsonNode up = e.path("user_properties");
        if (AmplitudeRules.IDENTIFY.equals(e.path("event_type").asText())) {
            if (up.get("$set") instanceof ObjectNode set) {
                props.setAll(set);
            }
            if (up.get("$setOnce") instanceof ObjectNode once) {
                once.properties().forEach(f -> {
                    if (!props.has(f.getKey())) {
                        props.set(f.getKey(), f.getValue());
                    }
                });
            }
        } else if (up instanceof ObjectNode plain) {
            props.setAll(plain);
        }
        if ("Web".equals(e.path("platform").asText())
                && AmplitudeRules.OPERATING_SYSTEMS.contains(
                        e.path("os_name").asText("").toLowerCase(java.util.Locale.ROOT))) {
            incomplete.add("events[" + index + "].os_name: an operating system on a Web event; Amplitude's browser SDK"
                    + " reports the browser there (and the OS in device_model)");
        }
    }

    /** Amplitude's revenue rule: price × quantity when both are sent, else revenue, else price. */
    private static java.util.Optional<BigDecimal> revenueOf(JsonNode e) {
        JsonNode price = e.path("price");
        JsonNode quantity = e.path("quantity");
        if (price.isNumber() && quantity.isNumber()) {
            return java.util.Optional.of(price.decimalValue().multiply(quantity.decimalValue()));
        }
        if (e.path(AmplitudeRules.REVENUE).isNumber()) {
            return java.util.Optional.of(e.get(AmplitudeRules.REVENUE).decimalValue());
        }
        return price.isNumber() ? java.util.Optional.of(price.decimalValue()) : java.util.Optional.empty();
    }

    private static void check(
            JsonNode e, int i, int minId, Map<String, List<Integer>> invalid, Map<String, List<Integer>> missing) {
        if (!e.path("event_type").isTextual() || e.path("event_type").asText().isEmpty()) {
            add(missing, "event_type", i);
        } else if (AmplitudeRules.RESERVED_EVENT_TYPES.contains(
                e.get("event_type").asText())) {
            add(invalid, "event_type", i);
        } else if (AmplitudeRules.IDENTIFY.equals(e.get("event_type").asText())) {
            JsonNode up = e.path("user_properties");
            boolean onlyOperations = up.isObject()
                    && !up.isEmpty()
                    && up.properties().stream()
                            .allMatch(f -> AmplitudeRules.USER_PROPERTY_OPERATIONS.contains(f.getKey())
                                    && f.getValue().isObject());
            if (!onlyOperations) {
                add(invalid, "user_properties", i);
            }
        }
        boolean user = e.path("user_id").isTextual();
        boolean device = e.path("device_id").isTextual();
        if (!user && !device) {
            add(missing, "user_id", i);
        }
        if (user && e.get("user_id").asText().length() < minId) {
            add(invalid, "user_id", i);
        }
        if (device && e.get("device_id").asText().length() < minId) {
            add(invalid, "device_id", i);
        }
        if (e.has("time") && !e.get("time").isIntegralNumber()) {
            add(invalid, "time", i);
        }
        if (e.has("session_id") && !e.get("session_id").isIntegralNumber()) {
            add(invalid, "session_id", i);
        }
        for (String field : AmplitudeRules.STRING_FIELDS) {
            if (e.has(field)
                    && (!e.get(field).isTextual() || e.get(field).asText().length() > AmplitudeRules.MAX_STRING)) {
                add(invalid, field, i);
            }
        }
        for (String number : List.of("revenue", "price", "quantity")) {
            if (e.has(number) && !e.get(number).isNumber()) {
                add(invalid, number, i);
            }
        }
        for (String map : List.of("event_properties", "user_properties")) {
            if (e.has(map) && !e.get(map).isObject()) {
                add(invalid, map, i);
            }
        }
    }

    private static void add(Map<String, List<Integer>> map, String field, int index) {
        map.computeIfAbsent(field, k -> new java.util.ArrayList<>()).add(index);
    }

    private @Nullable Reply throttle(JsonNode events) {
        long now = System.currentTimeMillis();
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode e : events) {
            for (String id : List.of(
                    "user:" + e.path("user_id").asText(""),
                    "device:" + e.path("device_id").asText(""))) {
                if (id.endsWith(":")) {
                    continue;
                }
                Deque<Long> times = recent.computeIfAbsent(id, k -> new ArrayDeque<>());
                while (!times.isEmpty() && now - times.peekFirst() > 1000) {
                    times.removeFirst();
                }
                counts.merge(id, 1, Integer::sum);
            }
        }
        ArrayNode users = JSON.createArrayNode();
        ArrayNode devices = JSON.createArrayNode();
        counts.forEach((id, n) -> {
            if (recent.get(id).size() + n > epsThreshold) {
                (id.startsWith("user:") ? users : devices).add(id.substring(id.indexOf(':') + 1));
            }
        });
        if (!users.isEmpty() || !devices.isEmpty()) {
            violation("events: more than " + epsThreshold + " events per second for one user or device");
            ObjectNode err = JSON.createObjectNode();
            err.put("code", 429).put("error", "Too many requests for some devices and users");
            err.put("eps_threshold", epsThreshold);
            err.set("throttled_users", users);
            err.set("throttled_devices", devices);
            return Reply.json(429, err.toString());
        }
        counts.forEach((id, n) -> {
            for (int k = 0; k < n; k++) {
                recent.get(id).addLast(now);
            }
        });
        return null;
    }
}
