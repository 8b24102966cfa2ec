package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The request-level rules of GA4's Measurement Protocol (a broken request keeps nothing); see {@link Ga4Rules}. */
final class Ga4RequestCheck {

    private Ga4RequestCheck() {}

    /** Records every request-level problem in {@code p}; returns the body when it is a JSON object. */
    static @Nullable JsonNode request(
            ReceivedRequest request, String measurementId, String apiSecret, FakeVendor.Problems p) {
        if (!apiSecret.equals(request.query().get("api_secret"))) {
            p.add("api_secret", "missing or unknown (GA4 silently drops the hit)");
        }
        if (!measurementId.equals(request.query().get("measurement_id"))) {
            p.add("measurement_id", "missing or unknown");
        }
        if (request.body().length >= Ga4Rules.MAX_BODY_BYTES) {
            p.add("body", request.body().length + " bytes; must be under " + Ga4Rules.MAX_BODY_BYTES);
        }
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            p.add("body", "not a JSON object");
            return null;
        }
        JsonNode clientId = body.path("client_id");
        if (!clientId.isTextual() || clientId.asText().isEmpty()) {
            p.add("client_id", "required for web streams");
        }
        if (body.has("user_id")
                && (!body.get("user_id").isTextual()
                        || body.get("user_id").asText().length() > 256)) {
            p.add("user_id", "must be a string of at most 256 characters");
        }
        userProperties(body.path("user_properties"), p);
        location(body.path("user_location"), p);
        device(body.path("device"), p);
        consent(body.path("consent"), p);
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty()) {
            p.add("events", "required, at least one event");
        } else if (events.size() > Ga4Rules.MAX_EVENTS) {
            p.add("events", events.size() + " entries; at most " + Ga4Rules.MAX_EVENTS + " entries");
        }
        return body;
    }

    private static void userProperties(JsonNode props, FakeVendor.Problems p) {
        if (props.isMissingNode()) {
            return;
        }
        if (props.size() > Ga4Rules.MAX_USER_PROPERTIES) {
            p.add("user_properties", props.size() + " entries; at most " + Ga4Rules.MAX_USER_PROPERTIES + " entries");
        }
        props.properties().forEach(e -> {
            String path = "user_properties." + e.getKey();
            if (e.getKey().length() > Ga4Rules.MAX_USER_PROPERTY_NAME
                    || !Ga4Rules.NAME.matcher(e.getKey()).matches()) {
                p.add(
                        path,
                        "name must match [A-Za-z][A-Za-z0-9_]* with at most " + Ga4Rules.MAX_USER_PROPERTY_NAME
                                + " characters");
            }
            if (Ga4Rules.reservedUserProperty(e.getKey())) {
                p.add(path, "user property name is reserved");
            }
            JsonNode value = e.getValue().path("value");
            if (value.isTextual() && value.asText().length() > Ga4Rules.MAX_USER_PROPERTY_VALUE) {
                p.add(
                        path + ".value",
                        value.asText().length() + " characters; at most " + Ga4Rules.MAX_USER_PROPERTY_VALUE
                                + " characters");
            } else if (!value.isTextual() && !value.isNumber()) {
                p.add(path + ".value", "required, a string or a number");
            }
        });
    }

    /** ISO 3166-1 alpha-2 country, ISO 3166-2 region (reference: {@code user_location}). */
    private static void location(JsonNode loc, FakeVendor.Problems p) {
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

    /** Reference: {@code device.category} is desktop, mobile, tablet or smart tv; resolution is WIDTHxHEIGHT. */
    private static void device(JsonNode device, FakeVendor.Problems p) {
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

    private static void consent(JsonNode consent, FakeVendor.Problems p) {
        consent.properties().forEach(e -> {
            if (!FakeGa4.CONSENT_FIELDS.contains(e.getKey())) {
                p.add("consent." + e.getKey(), "unknown consent field");
            } else if (!Set.of("GRANTED", "DENIED").contains(e.getValue().asText())) {
                p.add("consent." + e.getKey(), "must be GRANTED or DENIED");
            }
        });
    }
}
