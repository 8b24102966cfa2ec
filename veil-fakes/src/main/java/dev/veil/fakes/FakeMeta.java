package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake Meta Conversions API: {@code POST /{version}/{pixelId}/events?access_token=…}, rules in {@link MetaRules}. Like
 * Meta, one invalid event (stale, missing user data, a website event without URL or user agent, a Purchase without
 * value and currency, a malformed {@code fbc}/{@code fbp}, …) fails the whole request with 400 and Graph error 100; a
 * wrong token is error 190, a retired API version error 2635, an unknown pixel error 100 subcode 33. Accepted events
 * are deduplicated on event_name + event_id (conversions-api/deduplicate-pixel-and-server-events).
 *
 * <p>It also records what Meta would do with the accepted data: how it resolves the Limited Data Use location of each
 * event ({@link #ldu()}) and which catalog events name no product ({@link #incomplete()}).
 */
public final class FakeMeta extends FakeVendor {

    static final Pattern PATH = Pattern.compile("/(v[0-9]+\\.[0-9]+)/([0-9]+)/events");

    private final String pixelId;
    private final String accessToken;
    private final List<String> ldu = new CopyOnWriteArrayList<>();
    private final List<String> incomplete = new CopyOnWriteArrayList<>();

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

    /**
     * How Meta resolves the Limited Data Use location of each accepted LDU event: {@code US-CA} (state given), {@code
     * US, state geolocated from client_ip_address}, or {@code geolocated from the sender's address} when the event
     * asks Meta to geolocate and carries no client IP (Meta then sees only the server that sent it).
     */
    public List<String> ldu() {
        return List.copyOf(ldu);
    }

    /** Accepted catalog events (ViewContent, AddToCart, …) without content_ids or contents, as {@code data[i]}. */
    public List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches() || !m.group(2).equals(pixelId)) {
            violation("path: unknown object");
            return error(
                    400,
                    "Unsupported post request. Object with ID does not exist, cannot be loaded due to missing"
                            + " permissions, or does not support this operation",
                    "GraphMethodException",
                    100,
                    33);
        }
        if (!MetaRules.versionAvailable(m.group(1), Instant.now())) {
            violation("path: API version " + m.group(1) + " is retired");
            return error(
                    400, "(#2635) You are calling a deprecated version of the Ads API.", "OAuthException", 2635, -1);
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
            } else if (data.size() > MetaRules.MAX_EVENTS) {
                p.add("data", data.size() + " events; at most " + MetaRules.MAX_EVENTS);
            } else {
                for (int i = 0; i < data.size(); i++) {
                    MetaEventCheck.event(data.get(i), "data[" + i + "]", p);
                }
            }
        }
        if (!record(p)) {
            String first = p.list().get(0);
            int subcode = first.contains("event_time") ? 2804003 : 2804019;
            return error(400, "Invalid parameter", "OAuthException", 100, subcode);
        }
        JsonNode data = body.get("data");
        for (int i = 0; i < data.size(); i++) {
            JsonNode event = data.get(i);
            String id = event.path("event_id").asText("");
            ldu(event);
            if (MetaRules.CATALOG_EVENTS.contains(event.path("event_name").asText())
                    && !event.path("custom_data").has("content_ids")
                    && !event.path("custom_data").has("contents")) {
                incomplete.add("data[" + i + "]: " + event.path("event_name").asText() + " names no product");
            }
            accept(event, event.path("event_name").asText() + "|" + (id.isEmpty() ? UUID.randomUUID() : id));
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("events_received", data.size());
        ok.putArray("messages");
        ok.put("fbtrace_id", "Afake" + UUID.randomUUID().toString().substring(0, 8));
        return Reply.json(200, ok.toString());
    }

    private void ldu(JsonNode event) {
        boolean limited = false;
        for (JsonNode o : event.path("data_processing_options")) {
            limited |= o.asText().equals("LDU");
        }
        if (!limited) {
            return;
        }
        int country = event.path("data_processing_options_country").asInt(0);
        int state = event.path("data_processing_options_state").asInt(0);
        boolean hasIp = event.path("user_data").has("client_ip_address");
        if (country == 1 && state != 0) {
            ldu.add("US-" + MetaRules.LDU_STATES.get(state));
        } else if (hasIp) {
            ldu.add((country == 1 ? "US, state" : "location") + " geolocated from client_ip_address");
        } else {
            ldu.add((country == 1 ? "US, state" : "location") + " geolocated from the sender's address");
        }
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
