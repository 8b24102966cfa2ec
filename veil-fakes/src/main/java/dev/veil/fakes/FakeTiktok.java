package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Fake TikTok Events API 2.0: {@code POST /open_api/v1.3/event/track/} with the {@code Access-Token} header. Like
 * TikTok it answers errors inside HTTP 200 with a non-zero {@code code} (40105 bad token, 40002 invalid
 * parameters); the batch size and event age limits are not documented by TikTok, so they are constructor
 * arguments (defaults 1000 events, 7 days). Accepted events are deduplicated on event + event_id.
 */
public final class FakeTiktok extends FakeVendor {

    static final String PATH = "/open_api/v1.3/event/track/";
    static final Set<String> SOURCES = Set.of("web", "app", "offline", "crm");
    static final Set<String> HASHED = Set.of("external_id", "email", "phone");

    private final String pixelCode;
    private final String accessToken;
    private final int maxBatch;
    private final Duration maxAge;

    private FakeTiktok(String pixelCode, String accessToken, int maxBatch, Duration maxAge) {
        this.pixelCode = pixelCode;
        this.accessToken = accessToken;
        this.maxBatch = maxBatch;
        this.maxAge = maxAge;
    }

    public static FakeTiktok start(String pixelCode, String accessToken) {
        return start(pixelCode, accessToken, 1000, Duration.ofDays(7));
    }

    /** Starts a fake with explicit (UNVERIFIED upstream) batch size and event age limits. */
    public static FakeTiktok start(String pixelCode, String accessToken, int maxBatch, Duration maxAge) {
        FakeTiktok fake = new FakeTiktok(pixelCode, accessToken, maxBatch, maxAge);
        fake.startServer();
        return fake;
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        if (!request.path().equals(PATH)) {
            return Reply.json(404, "{\"code\":40404,\"message\":\"not found\"}");
        }
        if (!accessToken.equals(request.header("access-token"))) {
            violation("Access-Token: invalid");
            return envelope(40105, "Access token is incorrect or has been revoked.");
        }
        Problems p = new Problems();
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            p.add("body", "not a JSON object");
        } else {
            if (!SOURCES.contains(body.path("event_source").asText())) {
                p.add("event_source", "must be web, app, offline or crm");
            }
            if (!pixelCode.equals(body.path("event_source_id").asText())) {
                p.add("event_source_id", "unknown pixel code");
            }
            JsonNode data = body.path("data");
            if (!data.isArray() || data.isEmpty()) {
                p.add("data", "required, a non-empty array");
            } else if (data.size() > maxBatch) {
                p.add("data", data.size() + " events; at most " + maxBatch);
            } else {
                for (int i = 0; i < data.size(); i++) {
                    checkEvent(data.get(i), "data[" + i + "]", p);
                }
            }
        }
        if (!record(p)) {
            return envelope(40002, "Invalid parameters: " + p.list().get(0));
        }
        for (JsonNode event : body.get("data")) {
            String id = event.path("event_id").asText("");
            accept(event, event.path("event").asText() + "|" + (id.isEmpty() ? UUID.randomUUID() : id));
        }
        return envelope(0, "OK");
    }

    private void checkEvent(JsonNode e, String path, Problems p) {
        if (e.path("event").asText("").isBlank()) {
            p.add(path + ".event", "required");
        }
        JsonNode time = e.path("event_time");
        if (!time.isIntegralNumber()) {
            p.add(path + ".event_time", "required, Unix seconds");
        } else {
            Instant t = Instant.ofEpochSecond(time.asLong());
            if (t.isBefore(Instant.now().minus(maxAge))) {
                p.add(path + ".event_time", "older than " + maxAge.toDays() + " days");
            }
            if (t.isAfter(Instant.now().plus(Duration.ofMinutes(10)))) {
                p.add(path + ".event_time", "in the future");
            }
        }
        if (e.has("event_id") && !e.get("event_id").isTextual()) {
            p.add(path + ".event_id", "must be a string");
        }
        JsonNode user = e.path("user");
        if (!user.isObject() || user.isEmpty()) {
            p.add(path + ".user", "required, at least one matching parameter");
            return;
        }
        for (String key : HASHED) {
            JsonNode v = user.path(key);
            for (JsonNode one : v.isArray() ? v : JSON.createArrayNode().add(v)) {
                if (!one.isMissingNode() && !one.asText().matches("[0-9a-f]{64}")) {
                    p.add(path + ".user." + key, "must be SHA-256 hashed");
                }
            }
        }
        if (user.has("ttclid") && !user.get("ttclid").asText().startsWith("E.C.P.")) {
            p.add(path + ".user.ttclid", "must start with E.C.P.");
        }
        JsonNode props = e.path("properties");
        if (props.has("value") && !props.get("value").isNumber()) {
            p.add(path + ".properties.value", "must be a number");
        }
        if (props.has("currency") && !props.get("currency").asText().matches("[A-Z]{3}")) {
            p.add(path + ".properties.currency", "must be an ISO 4217 code");
        }
    }

    private static Reply envelope(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code)
                .put("message", message)
                .put("request_id", UUID.randomUUID().toString());
        body.putObject("data");
        return Reply.json(200, body.toString());
    }
}
