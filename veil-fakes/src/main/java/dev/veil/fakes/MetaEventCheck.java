package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** The per-event rules of Meta's Conversions API (parameters/server-event and friends); see {@link MetaRules}. */
final class MetaEventCheck {

    private MetaEventCheck() {}

    static void event(JsonNode e, String path, FakeVendor.Problems p) {
        if (!e.path("event_name").isTextual() || e.path("event_name").asText().isBlank()) {
            p.add(path + ".event_name", "required");
        }
        JsonNode time = e.path("event_time");
        if (!time.isIntegralNumber()) {
            p.add(path + ".event_time", "required, Unix seconds");
        } else {
            Instant t = Instant.ofEpochSecond(time.asLong());
            if (t.isBefore(Instant.now().minus(MetaRules.MAX_AGE))) {
                p.add(path + ".event_time", "more than 7 days in the past");
            } else if (t.isAfter(Instant.now().plus(Duration.ofMinutes(10)))) {
                p.add(path + ".event_time", "in the future");
            }
        }
        String source = e.path("action_source").asText("");
        if (source.isEmpty()) {
            p.add(path + ".action_source", "required");
        } else if (!MetaRules.ACTION_SOURCES.contains(source)) {
            p.add(path + ".action_source", "unknown value");
        }
        JsonNode user = e.path("user_data");
        if (!user.isObject() || user.isEmpty()) {
            p.add(path + ".user_data", "required, at least one customer information parameter");
        } else {
            userData(user, path + ".user_data", p);
        }
        if (source.equals("website")) {
            if (!e.path("event_source_url").isTextual()) {
                p.add(path + ".event_source_url", "required for website events");
            }
            if (!user.path("client_user_agent").isTextual()) {
                p.add(path + ".user_data.client_user_agent", "required for website events");
            }
        }
        if (e.has("event_id") && !e.get("event_id").isTextual()) {
            p.add(path + ".event_id", "must be a string");
        }
        customData(e.path("event_name").asText(), e.path("custom_data"), path + ".custom_data", p);
        limitedDataUse(e, path, p);
    }

    private static void userData(JsonNode user, String path, FakeVendor.Problems p) {
        user.properties().forEach(f -> {
            String key = f.getKey();
            if (!MetaRules.USER_DATA_KEYS.contains(key)) {
                p.add(path + "." + key, "unknown customer information parameter");
            }
            if (MetaRules.HASHED.contains(key)) {
                for (JsonNode v : f.getValue().isArray()
                        ? f.getValue()
                        : FakeVendor.JSON.createArrayNode().add(f.getValue())) {
                    if (!v.asText().matches("[0-9a-f]{64}")) {
                        p.add(path + "." + key, "must be a SHA-256 hex digest");
                    }
                }
            }
        });
        if (user.has("fbc") && !MetaRules.cookieForm(user.get("fbc").asText(), false)) {
            p.add(path + ".fbc", "must be fb.{subdomainIndex}.{creationTime}.{fbclid}[.{appendix}]");
        }
        if (user.has("fbp") && !MetaRules.cookieForm(user.get("fbp").asText(), true)) {
            p.add(path + ".fbp", "must be fb.{subdomainIndex}.{creationTime}.{random}[.{appendix}]");
        }
        JsonNode ext = user.path("external_id");
        if (!ext.isMissingNode() && !ext.isTextual() && !(ext.isArray() && allText(ext))) {
            p.add(path + ".external_id", "must be a string or an array of strings");
        }
    }

    private static void customData(String eventName, JsonNode custom, String path, FakeVendor.Problems p) {
        if (custom.has("value") && !custom.get("value").isNumber()) {
            p.add(path + ".value", "must be a number");
        }
        if (custom.has("currency") && !MetaRules.currency(custom.get("currency").asText())) {
            p.add(path + ".currency", "must be an ISO 4217 code");
        }
        if (MetaRules.VALUE_REQUIRED.contains(eventName)) {
            if (!custom.has("value")) {
                p.add(path + ".value", "required for " + eventName);
            }
            if (!custom.has("currency")) {
                p.add(path + ".currency", "required for " + eventName);
            }
        }
        JsonNode ids = custom.path("content_ids");
        if (!ids.isMissingNode() && !(ids.isArray() && allText(ids))) {
            p.add(path + ".content_ids", "must be an array of strings");
        }
        JsonNode contents = custom.path("contents");
        if (!contents.isMissingNode()) {
            if (!contents.isArray()) {
                p.add(path + ".contents", "must be an array");
            } else {
                for (int i = 0; i < contents.size(); i++) {
                    JsonNode c = contents.get(i);
                    if (!c.path("id").isTextual() || !c.path("quantity").isIntegralNumber()) {
                        p.add(path + ".contents[" + i + "]", "needs id (string) and quantity (integer)");
                    }
                }
            }
        }
    }

    private static void limitedDataUse(JsonNode e, String path, FakeVendor.Problems p) {
        if (!e.has("data_processing_options")) {
            return;
        }
        int country = e.path("data_processing_options_country").asInt(-1);
        int state = e.path("data_processing_options_state").asInt(-1);
        if (country != 0 && country != 1) {
            p.add(path + ".data_processing_options_country", "must be 1 (USA) or 0 (geolocate)");
        }
        if (state != 0 && !MetaRules.LDU_STATES.containsKey(state)) {
            p.add(path + ".data_processing_options_state", "must be 1000, 1001, 1002 or 0 (geolocate)");
        }
        if (country == 0 && state != 0) {
            p.add(path + ".data_processing_options_state", "a state needs data_processing_options_country 1");
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
