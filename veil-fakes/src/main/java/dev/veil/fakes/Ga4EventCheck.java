package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event-level rules of GA4's Measurement Protocol for one request: which events GA4 keeps, what it drops from
 * them, and what it keeps but reports wrongly; see {@link FakeGa4} and {@link Ga4Rules}. Not thread-safe: one per
 * request.
 */
final class Ga4EventCheck {

    private final int maxParamValue;
    private final boolean enforcing;
    private final FakeVendor.Problems problems = new FakeVendor.Problems();
    private final List<String> dropped = new ArrayList<>();
    private final List<String> clamped = new ArrayList<>();
    private final List<String> incomplete = new ArrayList<>();
    private final List<JsonNode> kept = new ArrayList<>();

    Ga4EventCheck(int maxParamValue, boolean enforcing) {
        this.maxParamValue = maxParamValue;
        this.enforcing = enforcing;
    }

    FakeVendor.Problems problems() {
        return problems;
    }

    List<String> dropped() {
        return List.copyOf(dropped);
    }

    List<String> clamped() {
        return List.copyOf(clamped);
    }

    List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    /** The events GA4 keeps, as it keeps them (dropped parameters removed). */
    List<JsonNode> kept() {
        return List.copyOf(kept);
    }

    /** Checks one event of a request whose request-level rules hold; keeps it unless GA4 would lose it. */
    void event(JsonNode event, String path, JsonNode body) {
        if (path.equals("events[0]")) {
            clientId(body.path("client_id").asText());
        }
        String name = event.path("name").asText("");
        if (name.isEmpty()) {
            problems.add(path + ".name", "required");
            return;
        }
        if (!validName(name, path + ".name") || reserved(name, path + ".name")) {
            return;
        }
        if (!timestamp(event.path("timestamp_micros"), path + ".timestamp_micros")) {
            return;
        }
        JsonNode params = event.path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            problems.add(path + ".params", "must be an object");
            return;
        }
        ObjectNode keptEvent = event.deepCopy();
        if (params.isObject()) {
            ObjectNode keptParams = keptEvent.putObject("params");
            if (!params(params, path + ".params", keptParams)) {
                return;
            }
            semantics(name, keptParams, path + ".params");
        } else {
            semantics(name, JSON_EMPTY, path + ".params");
        }
        kept.add(keptEvent);
    }

    private static final ObjectNode JSON_EMPTY = FakeVendor.JSON.createObjectNode();

    private void clientId(String clientId) {
        if (!Ga4Rules.CLIENT_ID.matcher(clientId).matches()) {
            problems.add("client_id", "not in the form GA's tag writes (two integers joined by a period)");
        }
    }

    private boolean validName(String name, String path) {
        boolean ok = true;
        if (name.length() > Ga4Rules.MAX_NAME) {
            problems.add(
                    path, "name is " + name.length() + " characters; at most " + Ga4Rules.MAX_NAME + " characters");
            ok = false;
        }
        if (!Ga4Rules.NAME.matcher(name).matches()) {
            problems.add(path, "name must match [A-Za-z][A-Za-z0-9_]*");
            ok = false;
        }
        return ok;
    }

    private boolean reserved(String name, String path) {
        if (Ga4Rules.reservedEvent(name)) {
            problems.add(
                    path,
                    name.equalsIgnoreCase("screen_view")
                            ? "screen_view is reserved; GA4 collects it for app streams only"
                            : "event name is reserved");
            return true;
        }
        return false;
    }

    /** Returns whether the event is kept: clamped in RELAXED mode, lost when enforcing recommendations. */
    private boolean timestamp(JsonNode micros, String path) {
        if (micros.isMissingNode()) {
            return true;
        }
        if (!micros.canConvertToLong()) {
            problems.add(path, "must be an integer (microseconds)");
            return false;
        }
        Instant t = Instant.EPOCH.plusNanos(micros.asLong() * 1000);
        if (t.isBefore(Instant.now().minus(Ga4Rules.MAX_BACKDATE))) {
            if (enforcing) {
                problems.add(path, "older than 72 hours");
                return false;
            }
            clamped.add(path);
        }
        return true;
    }

    /** Copies the parameters GA4 keeps into {@code out}; returns false when the event is lost (enforcing mode). */
    private boolean params(JsonNode params, String path, ObjectNode out) {
        int count = 0;
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            String paramPath = path + "." + e.getKey();
            if (Ga4Rules.reservedParam(e.getKey())) {
                if (!drop(paramPath, "parameter name has a reserved prefix")) {
                    return false;
                }
                continue;
            }
            if (!Ga4Rules.NAME.matcher(e.getKey()).matches() || e.getKey().length() > Ga4Rules.MAX_NAME) {
                if (!drop(paramPath, "parameter name must match [A-Za-z][A-Za-z0-9_]* (at most 40 characters)")) {
                    return false;
                }
                continue;
            }
            if (++count > Ga4Rules.MAX_PARAMS) {
                if (!drop(paramPath, "more than " + Ga4Rules.MAX_PARAMS + " parameters")) {
                    return false;
                }
                continue;
            }
            if (e.getKey().equals("items")) {
                items(e.getValue(), paramPath);
            } else {
                value(e.getKey(), e.getValue(), paramPath);
            }
            out.set(e.getKey(), e.getValue());
        }
        return true;
    }

    private boolean drop(String path, String why) {
        if (enforcing) {
            problems.add(path, why);
            return false;
        }
        dropped.add(path + ": " + why);
        return true;
    }

    private void items(JsonNode items, String path) {
        if (!items.isArray()) {
            problems.add(path, "items must be an array");
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemPath = path + "[" + i + "]";
            if (!item.isObject()) {
                problems.add(itemPath, "must be an object");
                continue;
            }
            if (!item.has("item_id") && !item.has("item_name")) {
                problems.add(itemPath, "item_id or item_name is required");
            }
            item.properties().forEach(e -> value(e.getKey(), e.getValue(), itemPath + "." + e.getKey()));
        }
    }

    private void value(String name, JsonNode value, String path) {
        if (value.isTextual()) {
            int limit = Ga4Rules.LONG_PARAMS.getOrDefault(name, maxParamValue);
            if (value.asText().length() > limit) {
                problems.add(path, value.asText().length() + " characters; at most " + limit + " characters");
            }
        } else if (!value.isNumber()) {
            problems.add(path, "must be a string or a number");
        }
    }

    /**
     * What GA4 keeps but reports wrongly (reference/events and sending-events): recommended ecommerce events without
     * {@code items} (recorded as incomplete), {@code value} without {@code currency} ("currency is required if you set value"), purchases and
     * refunds without {@code transaction_id}, and sessions without engagement time ("session_id and
     * engagement_time_msec … for user activity to display in reports like Realtime").
     */
    private void semantics(String name, JsonNode params, String path) {
        if (Ga4Rules.ITEMS_REQUIRED.contains(name)
                && (!params.path("items").isArray() || params.path("items").isEmpty())) {
            // A sender cannot invent products the event does not name: recorded apart from the violations.
            incomplete.add(path + ".items: required for " + name);
        }
        if (params.has("value") && !params.path("currency").asText().matches("[A-Z]{3}")) {
            problems.add(path + ".currency", "required with value (ISO 4217)");
        }
        if (Ga4Rules.TRANSACTION_ID_REQUIRED.contains(name)
                && params.path("transaction_id").asText("").isEmpty()) {
            problems.add(path + ".transaction_id", "required for " + name);
        }
        if (params.has("session_id") && params.path("engagement_time_msec").asLong(0) < 1) {
            problems.add(
                    path + ".engagement_time_msec",
                    "required (at least 1) with session_id, or the user is missing from sessions and Realtime");
        }
    }
}
