package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fake GA4 Measurement Protocol for one web stream. {@code POST /mp/collect} always answers 204, as GA4 does even to
 * malformed data (reference: "the Measurement Protocol always returns a 2xx status code if the HTTP request was
 * received"), and models what GA4 then keeps; {@code POST /debug/mp/collect} answers {@code
 * {"validationMessages":[{fieldPath, description, validationCode}]}} and keeps nothing.
 *
 * <p>What is kept, in the default {@code RELAXED} validation mode (sending-events, {@code validation_behavior}):
 *
 * <ul>
 *   <li>a broken request (secret, stream, body size or shape, {@code client_id}, more than 25 events, user
 *       properties, location, device, consent) keeps nothing;
 *   <li>an event with a reserved or invalid name is lost; the rest of the request is kept;
 *   <li>a parameter with a reserved prefix, or beyond the 25th, is dropped and the event kept ({@link #dropped()});
 *       under {@code ENFORCE_RECOMMENDATIONS} the event is lost instead;
 *   <li>a timestamp older than 72 hours is clamped ({@link #clamped()}); under {@code ENFORCE_RECOMMENDATIONS} the
 *       event is lost;
 *   <li>events kept but reported wrongly ({@code value} without {@code currency}, a purchase without {@code
 *       transaction_id}, a session without engagement time, a {@code client_id} not in GA's form) are kept and
 *       recorded as violations; an ecommerce event without {@code items} is kept and recorded as {@link
 *       #incomplete()} (the sender cannot invent products).
 * </ul>
 *
 * Rules are in {@link Ga4Rules}, written from Google's documentation. Accepted events are recorded as GA4 keeps
 * them (dropped parameters removed); the dedup key is {@code transaction_id} for purchases and refunds (GA4
 * deduplicates those), else client, name and time.
 */
public final class FakeGa4 extends FakeVendor {

    private final String measurementId;
    private final String apiSecret;
    private final int maxParamValue;
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<String> clamped = new CopyOnWriteArrayList<>();
    private final List<String> incomplete = new CopyOnWriteArrayList<>();

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

    /** Parameters GA4 dropped from kept events, as {@code events[i].params.name: why}. */
    public List<String> dropped() {
        return List.copyOf(dropped);
    }

    /** Events whose timestamp GA4 clamped to its 72-hour window, as {@code events[i].timestamp_micros}. */
    public List<String> clamped() {
        return List.copyOf(clamped);
    }

    /**
     * Kept events GA4's item reports miss because the event named no product ({@code items} required by the
     * reference), as {@code events[i].params.items: required for view_item}.
     */
    public List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        boolean debug = request.path().equals("/debug/mp/collect");
        if (!debug && !request.path().equals("/mp/collect")) {
            return Reply.json(404, "{}");
        }
        Problems fatal = new Problems();
        JsonNode body = Ga4RequestCheck.request(request, measurementId, apiSecret, fatal);
        Ga4EventCheck check = new Ga4EventCheck(maxParamValue, enforcing(body));
        if (body != null && fatal.isEmpty()) {
            JsonNode events = body.path("events");
            for (int i = 0; i < events.size(); i++) {
                check.event(events.get(i), "events[" + i + "]", body);
            }
        }
        if (debug) {
            return debugReply(fatal, check);
        }
        record(fatal);
        if (body == null || !fatal.isEmpty()) {
            return new Reply(204, "", Map.of());
        }
        check.problems().list().forEach(this::violation);
        dropped.addAll(check.dropped());
        clamped.addAll(check.clamped());
        incomplete.addAll(check.incomplete());
        String clientId = body.path("client_id").asText();
        for (JsonNode event : check.kept()) {
            accept(event, dedupKey(clientId, event, body));
        }
        return new Reply(204, "", Map.of());
    }

    private static boolean enforcing(JsonNode body) {
        return body != null
                && "ENFORCE_RECOMMENDATIONS"
                        .equals(body.path("validation_behavior").asText());
    }

    private static String dedupKey(String clientId, JsonNode event, JsonNode body) {
        String name = event.path("name").asText();
        String transaction = event.path("params").path("transaction_id").asText("");
        if (Ga4Rules.TRANSACTION_ID_REQUIRED.contains(name) && !transaction.isEmpty()) {
            return name + "|" + transaction;
        }
        return clientId + "|" + name + "|"
                + event.path("timestamp_micros")
                        .asText(body.path("timestamp_micros").asText());
    }

    private static Reply debugReply(Problems fatal, Ga4EventCheck check) {
        ArrayNode messages = JSON.createArrayNode();
        for (List<String> list : List.of(fatal.list(), check.problems().list(), check.dropped(), check.incomplete())) {
            for (String p : list) {
                int colon = p.indexOf(": ");
                messages.addObject()
                        .put("fieldPath", p.substring(0, colon))
                        .put("description", p.substring(colon + 2))
                        .put("validationCode", code(p));
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("validationMessages", messages);
        return Reply.json(200, body.toString());
    }

    /** The validation codes GA4's debug endpoint uses (validating-events: ValidationCode). */
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

    /** Consent fields GA4 knows (reference: {@code consent}). */
    static final Set<String> CONSENT_FIELDS = Set.of("ad_user_data", "ad_personalization");
}
