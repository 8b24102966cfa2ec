package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fake TikTok Events API 2.0: {@code POST /open_api/v1.3/event/track/} with the {@code Access-Token} header. Like
 * TikTok it answers inside HTTP 200 with a numeric {@code code} ("the return code takes precedence over the HTTP
 * status"; return codes appendix, business-api.tiktok.com/portal/docs?id=1737172488964097): 0 success, 20001 partial
 * success (the valid events of the batch are kept, the others are not), 40002 invalid parameters (nothing kept),
 * 40105 access token incorrect or revoked. The batch size and event age limits are not documented by TikTok, so they
 * are constructor arguments (defaults 1000 events, 7 days). Accepted events are deduplicated on event + event_id
 * (ads.tiktok.com/help/article/event-deduplication).
 *
 * <p>It also records accepted events TikTok can use only partly ({@link #incomplete()}): a Search without {@code
 * search_string}, the parameter TikTok's Search event reads (Events API 2.0 parameters; RudderStack's TikTok mapping
 * sends {@code properties.search_string}), and catalog events without {@code contents} (content_id is what TikTok's
 * catalog and Video Shopping Ads match on).
 */
public final class FakeTiktok extends FakeVendor {

    static final String PATH = "/open_api/v1.3/event/track/";
    static final Set<String> SOURCES = Set.of("web", "app", "offline", "crm");
    /** user fields that must be SHA-256 hashed (Events API 2.0 "user" parameters). */
    static final Set<String> HASHED = Set.of("external_id", "email", "phone");
    /** Events whose products TikTok's catalog and Video Shopping Ads use. */
    static final Set<String> CATALOG_EVENTS =
            Set.of("ViewContent", "AddToCart", "AddToWishlist", "InitiateCheckout", "PlaceAnOrder", "CompletePayment");

    static final int OK = 0;
    static final int PARTIAL = 20001;
    static final int INVALID = 40002;
    static final int BAD_TOKEN = 40105;

    private final String pixelCode;
    private final String accessToken;
    private final int maxBatch;
    private final Duration maxAge;
    private final List<String> incomplete = new CopyOnWriteArrayList<>();

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

    /** Accepted events TikTok can use only partly, as {@code data[i]: why}. */
    public List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        if (!request.path().equals(PATH)) {
            return Reply.json(404, "{\"code\":40404,\"message\":\"not found\"}");
        }
        if (!accessToken.equals(request.header("access-token"))) {
            violation("Access-Token: invalid");
            return envelope(BAD_TOKEN, "Access token is incorrect or has been revoked.");
        }
        Problems requestProblems = new Problems();
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isObject()) {
            requestProblems.add("body", "not a JSON object");
        } else {
            if (!SOURCES.contains(body.path("event_source").asText())) {
                requestProblems.add("event_source", "must be web, app, offline or crm");
            }
            if (!pixelCode.equals(body.path("event_source_id").asText())) {
                requestProblems.add("event_source_id", "unknown pixel code");
            }
            JsonNode data = body.path("data");
            if (!data.isArray() || data.isEmpty()) {
                requestProblems.add("data", "required, a non-empty array");
            } else if (data.size() > maxBatch) {
                requestProblems.add("data", data.size() + " events; at most " + maxBatch);
            }
        }
        if (!record(requestProblems)) {
            return envelope(
                    INVALID, "Invalid parameters: " + requestProblems.list().get(0));
        }
        JsonNode data = body.get("data");
        int kept = 0;
        for (int i = 0; i < data.size(); i++) {
            JsonNode event = data.get(i);
            Problems p = new Problems();
            checkEvent(event, "data[" + i + "]", p);
            if (!record(p)) {
                continue;
            }
            incomplete(event, "data[" + i + "]");
            String id = event.path("event_id").asText("");
            accept(event, event.path("event").asText() + "|" + (id.isEmpty() ? UUID.randomUUID() : id));
            kept++;
        }
        if (kept == data.size()) {
            return envelope(OK, "OK");
        }
        return kept == 0
                ? envelope(INVALID, "Invalid parameters")
                : envelope(PARTIAL, "Partial success: " + (data.size() - kept) + " events failed");
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
        JsonNode props = e.path("properties");
        if (props.has("value") && !props.get("value").isNumber()) {
            p.add(path + ".properties.value", "must be a number");
        }
        if (props.has("currency") && !iso4217(props.get("currency").asText())) {
            p.add(path + ".properties.currency", "must be an ISO 4217 code");
        }
        JsonNode contents = props.path("contents");
        if (!contents.isMissingNode()) {
            if (!contents.isArray()) {
                p.add(path + ".properties.contents", "must be an array");
            } else {
                for (int i = 0; i < contents.size(); i++) {
                    if (!contents.get(i).isObject()) {
                        p.add(path + ".properties.contents[" + i + "]", "must be an object");
                    }
                }
            }
        }
    }

    private void incomplete(JsonNode e, String path) {
        String name = e.path("event").asText();
        JsonNode props = e.path("properties");
        if (name.equals("Search") && !props.has("search_string")) {
            incomplete.add(path + ": Search without search_string");
        }
        if (CATALOG_EVENTS.contains(name)
                && (!props.path("contents").isArray()
                        || props.path("contents").isEmpty()
                        || !props.path("contents").get(0).has("content_id"))) {
            incomplete.add(path + ": " + name + " without contents[].content_id");
        }
    }

    private static boolean iso4217(String code) {
        try {
            return code.matches("[A-Z]{3}")
                    && Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
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
