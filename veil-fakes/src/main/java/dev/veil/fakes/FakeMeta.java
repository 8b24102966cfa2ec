package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake Meta Conversions API: {@code POST /{version}/{pixelId}/events?access_token=…}. Like Meta, one invalid
 * event (stale, missing user data, website event without URL or user agent, …) fails the whole request with 400
 * and a Graph API error; a wrong token is error 190. Accepted events are deduplicated on event_name + event_id.
 */
public final class FakeMeta extends FakeVendor {

    static final int MAX_EVENTS = 1000;
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final Pattern PATH = Pattern.compile("/(v[0-9]+\\.[0-9]+)/([0-9]+)/events");
    static final Set<String> ACTION_SOURCES =
            Set.of("email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "other");
    static final Set<String> HASHED = Set.of("em", "ph", "fn", "ln", "db", "ge", "ct", "st", "zp", "country");
    static final Set<String> USER_DATA_KEYS = Set.of(
            "em",
            "ph",
            "fn",
            "ln",
            "db",
            "ge",
            "ct",
            "st",
            "zp",
            "country",
            "external_id",
            "client_ip_address",
            "client_user_agent",
            "fbc",
            "fbp",
            "subscription_id",
            "fb_login_id",
            "lead_id",
            "anon_id",
            "madid",
            "page_id",
            "page_scoped_user_id",
            "ctwa_clid",
            "ig_account_id",
            "ig_sid");

    private final String pixelId;
    private final String accessToken;

    private FakeMeta(String pixelId, String accessToken) {
        this.pixelId = pixelId;
        this.accessToken = accessToken;
    }

    /** Starts a fake for one pixel that accepts one access token. */
    public static FakeMeta start(String pixelId, String accessToken) {
        FakeMeta fake = new FakeMeta(pixelId, accessToken);
        fake.startServer();
        return fake;
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches() || !m.group(2).equals(pixelId)) {
            violation("path: unknown object");
            return error(400, "Unsupported post request. Object does not exist", "GraphMethodException", 100, 33);
        }
        if (!accessToken.equals(request.query().get("access_token"))) {
            violation("access_token: invalid");
            return error(400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, -1);
        }
        Problems p = new Problems();
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            p.add("body", "not a JSON object");
        } else {
            JsonNode data = body.path("data");
            if (!data.isArray() || data.isEmpty()) {
                p.add("data", "required, a non-empty array");
            } else if (data.size() > MAX_EVENTS) {
                p.add("data", data.size() + " events; at most " + MAX_EVENTS);
            } else {
                for (int i = 0; i < data.size(); i++) {
                    checkEvent(data.get(i), "data[" + i + "]", p);
                }
            }
        }
        if (!record(p)) {
            String first = p.list().get(0);
            int subcode = first.contains("event_time") ? 2804003 : 2804019;
            return error(400, "Invalid parameter: " + first, "OAuthException", 100, subcode);
        }
        for (JsonNode event : body.get("data")) {
            String id = event.path("event_id").asText("");
            accept(event, event.path("event_name").asText() + "|" + (id.isEmpty() ? UUID.randomUUID() : id));
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("events_received", body.get("data").size());
        ok.putArray("messages");
        ok.put("fbtrace_id", "Afake" + UUID.randomUUID().toString().substring(0, 8));
        return Reply.json(200, ok.toString());
    }

    private static void checkEvent(JsonNode e, String path, Problems p) {
        if (!e.path("event_name").isTextual() || e.path("event_name").asText().isBlank()) {
            p.add(path + ".event_name", "required");
        }
        JsonNode time = e.path("event_time");
        if (!time.canConvertToLong() || !time.isIntegralNumber()) {
            p.add(path + ".event_time", "required, Unix seconds");
        } else {
            Instant t = Instant.ofEpochSecond(time.asLong());
            if (t.isBefore(Instant.now().minus(MAX_AGE))) {
                p.add(path + ".event_time", "more than 7 days in the past");
            } else if (t.isAfter(Instant.now().plus(Duration.ofMinutes(10)))) {
                p.add(path + ".event_time", "in the future");
            }
        }
        String source = e.path("action_source").asText("");
        if (!source.isEmpty() && !ACTION_SOURCES.contains(source)) {
            p.add(path + ".action_source", "unknown value");
        }
        JsonNode user = e.path("user_data");
        if (!user.isObject() || user.isEmpty()) {
            p.add(path + ".user_data", "required, at least one customer information parameter");
        } else {
            checkUserData(user, path + ".user_data", p);
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
        JsonNode custom = e.path("custom_data");
        if (custom.has("value") && !custom.get("value").isNumber()) {
            p.add(path + ".custom_data.value", "must be a number");
        }
        if (custom.has("currency") && !custom.get("currency").asText().matches("[A-Za-z]{3}")) {
            p.add(path + ".custom_data.currency", "must be an ISO 4217 code");
        }
    }

    private static void checkUserData(JsonNode user, String path, Problems p) {
        user.fields().forEachRemaining(f -> {
            String key = f.getKey();
            if (!USER_DATA_KEYS.contains(key)) {
                p.add(path + "." + key, "unknown customer information parameter");
            }
            if (HASHED.contains(key)) {
                for (JsonNode v : f.getValue().isArray()
                        ? f.getValue()
                        : JSON.createArrayNode().add(f.getValue())) {
                    if (!v.asText().matches("[0-9a-f]{64}")) {
                        p.add(path + "." + key, "must be a SHA-256 hex digest");
                    }
                }
            }
        });
        if (user.has("fbc") && !user.get("fbc").asText().matches("fb\\.[0-9]+\\.[0-9]+\\..+")) {
            p.add(path + ".fbc", "must be fb.{subdomainIndex}.{creationTime}.{fbclid}");
        }
        if (user.has("fbp") && !user.get("fbp").asText().matches("fb\\.[0-9]+\\.[0-9]+\\.[0-9]+")) {
            p.add(path + ".fbp", "must be fb.{subdomainIndex}.{creationTime}.{random}");
        }
        JsonNode ext = user.path("external_id");
        if (!ext.isMissingNode() && !ext.isTextual() && !(ext.isArray() && allText(ext))) {
            p.add(path + ".external_id", "must be a string or an array of strings");
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

    private static Reply error(int status, String message, String type, int code, int subcode) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode err = body.putObject("error");
        err.put("message", message).put("type", type).put("code", code);
        if (subcode > 0) {
            err.put("error_subcode", subcode);
        }
        err.put("fbtrace_id", "Afake");
        return new Reply(status, body.toString(), Map.of("Content-Type", "application/json"));
    }
}
