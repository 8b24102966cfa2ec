package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fake GA4 Measurement Protocol: {@code POST /mp/collect} always answers 204 (as GA4 does, even to malformed data)
 * but records every violation and keeps only the events of valid requests; {@code POST /debug/mp/collect} answers
 * {@code {"validationMessages":[{fieldPath, description, validationCode}]}} and keeps nothing.
 */
public final class FakeGa4 extends FakeVendor {

    static final int MAX_BODY_BYTES = 130 * 1024;
    static final int MAX_EVENTS = 25;
    static final int MAX_PARAMS = 25;
    static final int MAX_USER_PROPERTIES = 25;
    static final int MAX_NAME = 40;
    static final Duration MAX_AGE = Duration.ofHours(72);
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    static final Set<String> RESERVED_EVENTS = Set.of(
            "ad_activeview",
            "ad_click",
            "ad_exposure",
            "ad_query",
            "ad_reward",
            "adunit_exposure",
            "app_clear_data",
            "app_exception",
            "app_install",
            "app_remove",
            "app_store_refund",
            "app_update",
            "app_upgrade",
            "dynamic_link_app_open",
            "dynamic_link_app_update",
            "dynamic_link_first_open",
            "error",
            "firebase_campaign",
            "firebase_in_app_message_action",
            "firebase_in_app_message_dismiss",
            "firebase_in_app_message_impression",
            "first_open",
            "first_visit",
            "notification_dismiss",
            "notification_foreground",
            "notification_open",
            "notification_receive",
            "notification_send",
            "os_update",
            "session_start",
            "user_engagement");
    static final Set<String> RESERVED_USER_PROPERTIES = Set.of(
            "first_open_time", "first_visit_time", "last_deep_link_referrer", "user_id", "first_open_after_install");
    /** Parameters GA4 allows longer than 100 characters (support.google.com/analytics/answer/9267744). */
    static final Map<String, Integer> LONG_PARAMS =
            Map.of("page_location", 1000, "page_referrer", 420, "page_title", 300);

    private final String measurementId;
    private final String apiSecret;
    private final int maxParamValue;

    private FakeGa4(String measurementId, String apiSecret, int maxParamValue) {
        this.measurementId = measurementId;
        this.apiSecret = apiSecret;
        this.maxParamValue = maxParamValue;
    }

    /** Starts a fake for one web stream; parameter values may be up to 100 characters (standard GA4). */
    public static FakeGa4 start(String measurementId, String apiSecret) {
        return start(measurementId, apiSecret, 100);
    }

    /** Starts a fake with a custom parameter value limit (500 for GA360). */
    public static FakeGa4 start(String measurementId, String apiSecret, int maxParamValue) {
        FakeGa4 fake = new FakeGa4(measurementId, apiSecret, maxParamValue);
        fake.startServer();
        return fake;
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        boolean debug = request.path().equals("/debug/mp/collect");
        if (!debug && !request.path().equals("/mp/collect")) {
            return Reply.json(404, "{}");
        }
        Problems problems = new Problems();
        validate(request, problems);
        if (debug) {
            ArrayNode messages = JSON.createArrayNode();
            for (String p : problems.list()) {
                int colon = p.indexOf(": ");
                messages.addObject()
                        .put("fieldPath", p.substring(0, colon))
                        .put("description", p.substring(colon + 2))
                        .put("validationCode", code(p));
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("validationMessages", messages);
            return Reply.json(200, body.toString());
        }
        if (record(problems)) {
            JsonNode body = request.json().orElseThrow();
            String clientId = body.path("client_id").asText();
            for (JsonNode event : body.path("events")) {
                accept(
                        event,
                        clientId + "|" + event.path("name").asText() + "|"
                                + event.path("timestamp_micros")
                                        .asText(body.path("timestamp_micros").asText()));
            }
        }
        return new Reply(204, "", Map.of());
    }

    private static String code(String problem) {
        if (problem.contains("required")) {
            return "VALUE_REQUIRED";
        }
        if (problem.contains("reserved")) {
            return "NAME_RESERVED";
        }
        if (problem.contains("at most") && problem.contains("entries")) {
            return "EXCEEDED_MAX_ENTITIES";
        }
        if (problem.contains("name")) {
            return "NAME_INVALID";
        }
        if (problem.contains("characters") || problem.contains("older")) {
            return "VALUE_OUT_OF_BOUNDS";
        }
        return "VALUE_INVALID";
    }

    private void validate(ReceivedRequest request, Problems p) {
        if (!apiSecret.equals(request.query().get("api_secret"))) {
            p.add("api_secret", "missing or unknown (GA4 silently drops the hit)");
        }
        if (!measurementId.equals(request.query().get("measurement_id"))) {
            p.add("measurement_id", "missing or unknown");
        }
        if (request.body().length >= MAX_BODY_BYTES) {
            p.add("body", request.body().length + " bytes; must be under " + MAX_BODY_BYTES);
        }
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            p.add("body", "not a JSON object");
            return;
        }
        if (!body.path("client_id").isTextual()
                || body.path("client_id").asText().isEmpty()) {
            p.add("client_id", "required for web streams");
        }
        if (body.has("user_id")
                && (!body.get("user_id").isTextual()
                        || body.get("user_id").asText().length() > 256)) {
            p.add("user_id", "must be a string of at most 256 characters");
        }
        checkAge(body.path("timestamp_micros"), "timestamp_micros", p);
        checkUserProperties(body.path("user_properties"), p);
        checkLocation(body.path("user_location"), p);
        checkDevice(body.path("device"), p);
        checkConsent(body.path("consent"), p);
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty()) {
            p.add("events", "required, at least one event");
            return;
        }
        if (events.size() > MAX_EVENTS) {
            p.add("events", events.size() + " entries; at most " + MAX_EVENTS + " entries");
        }
        for (int i = 0; i < events.size(); i++) {
            checkEvent(events.get(i), "events[" + i + "]", p);
        }
    }

    private void checkEvent(JsonNode event, String path, Problems p) {
        String name = event.path("name").asText("");
        if (name.isEmpty()) {
            p.add(path + ".name", "required");
        } else {
            checkName(name, path + ".name", p);
            if (RESERVED_EVENTS.contains(name)) {
                p.add(path + ".name", "event name is reserved");
            }
        }
        checkAge(event.path("timestamp_micros"), path + ".timestamp_micros", p);
        JsonNode params = event.path("params");
        if (params.isMissingNode()) {
            return;
        }
        if (!params.isObject()) {
            p.add(path + ".params", "must be an object");
            return;
        }
        if (params.size() > MAX_PARAMS) {
            p.add(path + ".params", params.size() + " entries; at most " + MAX_PARAMS + " entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            var e = it.next();
            String paramPath = path + ".params." + e.getKey();
            checkName(e.getKey(), paramPath, p);
            if (reservedPrefix(e.getKey())) {
                p.add(paramPath, "parameter name has a reserved prefix");
            }
            if (e.getKey().equals("items")) {
                if (!e.getValue().isArray()) {
                    p.add(paramPath, "items must be an array");
                } else {
                    for (int i = 0; i < e.getValue().size(); i++) {
                        checkItem(e.getValue().get(i), paramPath + "[" + i + "]", p);
                    }
                }
                continue;
            }
            checkValue(e.getKey(), e.getValue(), paramPath, p);
        }
    }

    private void checkItem(JsonNode item, String path, Problems p) {
        if (!item.isObject()) {
            p.add(path, "must be an object");
            return;
        }
        if (!item.has("item_id") && !item.has("item_name")) {
            p.add(path, "item_id or item_name is required");
        }
        item.fields().forEachRemaining(e -> checkValue(e.getKey(), e.getValue(), path + "." + e.getKey(), p));
    }

    private void checkValue(String name, JsonNode value, String path, Problems p) {
        if (value.isTextual()) {
            int limit = LONG_PARAMS.getOrDefault(name, maxParamValue);
            if (value.asText().length() > limit) {
                p.add(path, value.asText().length() + " characters; at most " + limit + " characters");
            }
        } else if (!value.isNumber()) {
            p.add(path, "must be a string or a number");
        }
    }

    private static void checkName(String name, String path, Problems p) {
        if (name.length() > MAX_NAME) {
            p.add(path, "name is " + name.length() + " characters; at most " + MAX_NAME + " characters");
        }
        if (!NAME.matcher(name).matches()) {
            p.add(path, "name must match [A-Za-z][A-Za-z0-9_]*");
        }
    }

    private static boolean reservedPrefix(String name) {
        return name.startsWith("_")
                || name.startsWith("firebase_")
                || name.startsWith("ga_")
                || name.startsWith("google_")
                || name.startsWith("gtag.");
    }

    private static void checkAge(JsonNode micros, String path, Problems p) {
        if (micros.isMissingNode()) {
            return;
        }
        if (!micros.canConvertToLong()) {
            p.add(path, "must be an integer (microseconds)");
            return;
        }
        Instant t = Instant.EPOCH.plusNanos(micros.asLong() * 1000);
        if (t.isBefore(Instant.now().minus(MAX_AGE))) {
            p.add(path, "older than 72 hours");
        }
    }

    private static void checkUserProperties(JsonNode props, Problems p) {
        if (props.isMissingNode()) {
            return;
        }
        if (props.size() > MAX_USER_PROPERTIES) {
            p.add("user_properties", props.size() + " entries; at most " + MAX_USER_PROPERTIES + " entries");
        }
        props.fields().forEachRemaining(e -> {
            String path = "user_properties." + e.getKey();
            if (e.getKey().length() > 24 || !NAME.matcher(e.getKey()).matches()) {
                p.add(path, "name must match [A-Za-z][A-Za-z0-9_]* with at most 24 characters");
            }
            if (RESERVED_USER_PROPERTIES.contains(e.getKey()) || reservedPrefix(e.getKey())) {
                p.add(path, "user property name is reserved");
            }
            JsonNode value = e.getValue().path("value");
            if (value.isTextual() && value.asText().length() > 36) {
                p.add(path + ".value", value.asText().length() + " characters; at most 36 characters");
            } else if (!value.isTextual() && !value.isNumber()) {
                p.add(path + ".value", "required, a string or a number");
            }
        });
    }

    private static void checkLocation(JsonNode loc, Problems p) {
        if (loc.isMissingNode()) {
            return;
        }
        if (loc.has("country_id") && !loc.get("country_id").asText().matches("[A-Z]{2}")) {
            p.add("user_location.country_id", "must be an ISO 3166-1 alpha-2 code");
        }
        if (loc.has("region_id") && !loc.get("region_id").asText().matches("[A-Z]{2}-[A-Z0-9]{1,3}")) {
            p.add("user_location.region_id", "must be an ISO 3166-2 code like US-CA");
        }
    }

    private static void checkDevice(JsonNode device, Problems p) {
        if (device.isMissingNode()) {
            return;
        }
        if (device.has("screen_resolution")
                && !device.get("screen_resolution").asText().matches("\\d+x\\d+")) {
            p.add("device.screen_resolution", "must be WIDTHxHEIGHT");
        }
        if (device.has("category")
                && !Set.of("desktop", "mobile", "tablet", "smart tv")
                        .contains(device.get("category").asText())) {
            p.add("device.category", "must be desktop, mobile, tablet or smart tv");
        }
    }

    private static void checkConsent(JsonNode consent, Problems p) {
        consent.fields().forEachRemaining(e -> {
            if (!Set.of("ad_user_data", "ad_personalization").contains(e.getKey())) {
                p.add("consent." + e.getKey(), "unknown consent field");
            } else if (!Set.of("GRANTED", "DENIED").contains(e.getValue().asText())) {
                p.add("consent." + e.getKey(), "must be GRANTED or DENIED");
            }
        });
    }
}
