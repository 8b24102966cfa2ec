package dev.veil.destinations.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Batches;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Preparation;
import dev.veil.destinations.internal.Responses;
import dev.veil.destinations.internal.Settings;
import dev.veil.destinations.spi.BatchLimits;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.VendorResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Meta Conversions API connector: {@code POST /{version}/{pixel}/events}, up to 1000 events per request, deduplicated
 * by Meta on {@code event_name} + {@code event_id} (Veil's message id). Meta's error messages are not forwarded into
 * outcomes (they can quote submitted values); the code, subcode and type are.
 */
public final class MetaConnector implements Connector {

    static final int MAX_EVENTS = 1000;
    static final int MAX_BYTES = 2 * 1024 * 1024;
    /**
     * Graph API codes worth retrying: throttling (4, 17, 32, 613, 80003, 80004) and transient errors (1, 2, 341, 368,
     * 5000, 21009), the set RudderStack's Meta destinations retry (rudder-transformer
     * src/v0/util/facebookUtils/networkHandler.js; developers.facebook.com/docs/graph-api/guides/error-handling).
     */
    private static final Set<Integer> RETRY_CODES = Set.of(1, 2, 4, 17, 32, 341, 368, 613, 5000, 21009, 80003, 80004);
    /** Invalid OAuth access token (Graph error handling: "190 … the access token has expired or is invalid"). */
    private static final int BAD_TOKEN = 190;
    /** "You are calling a deprecated version of the Ads API": the apiVersion setting must move on. */
    private static final int RETIRED_VERSION = 2635;
    /** Permission errors (Graph error handling: 10 and 200–299). */
    private static final int PERMISSION = 200;
    /** Invalid parameter; with subcode 33 the pixel does not exist or the token may not use it. */
    private static final int INVALID_PARAMETER = 100;

    private static final int UNKNOWN_OBJECT = 33;

    private final MetaSettings settings;
    private final MetaMapper mapper;

    public MetaConnector(MetaSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new MetaMapper(settings, clock);
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(MAX_EVENTS, MAX_BYTES);
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        Preparation prep = new Preparation("meta");
        for (SafeEvent e : batch) {
            prep.add(e, mapper.map(e));
        }
        URI uri = URI.create(Settings.base(settings.endpoint()) + "/" + settings.apiVersion() + "/"
                + settings.pixelId() + "/events?access_token="
                + URLEncoder.encode(settings.accessToken(), StandardCharsets.UTF_8));
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body : Batches.split(prep.items(), MAX_EVENTS, MAX_BYTES, this::body, prep.rejected())) {
            requests.add(new OutboundRequest(
                    "POST", uri, Map.of("Content-Type", "application/json"), body.bytes(), body.messageIds()));
        }
        return prep.finish(requests);
    }

    private ObjectNode body(@Nullable ObjectNode envelope, ArrayNode events) {
        ObjectNode body = Json.object();
        body.set("data", events);
        if (!settings.testEventCode().isEmpty()) {
            body.put("test_event_code", settings.testEventCode());
        }
        return body;
    }

    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        if (Responses.success(response)) {
            return new Outcome.Delivered();
        }
        JsonNode error = Json.parse(response.body()).map(b -> b.path("error")).orElse(Json.object());
        int code = error.path("code").asInt(-1);
        String detail = error.isMissingNode() || code < 0
                ? ""
                : "error code " + code
                        + (error.has("error_subcode")
                                ? " subcode " + error.path("error_subcode").asInt()
                                : "")
                        + (error.has("type") ? " (" + error.path("type").asText() + ")" : "");
        String reason = "meta: HTTP " + response.status() + " " + detail;
        int subcode = error.path("error_subcode").asInt(-1);
        if (RETRY_CODES.contains(code)) {
            return new Outcome.Retry(reason, Responses.retryAfter(response));
        }
        if (code == BAD_TOKEN
                || code == RETIRED_VERSION
                || code == 10
                || (code >= PERMISSION && code < 300)
                || (code == INVALID_PARAMETER && subcode == UNKNOWN_OBJECT)) {
            // No request can succeed until the token, permissions, pixel or API version are fixed: pause.
            return new Outcome.AuthFailed(reason);
        }
        if (code == INVALID_PARAMETER && response.status() == 400) {
            // One invalid event fails Meta's whole request, without saying which (server-event docs): isolate it.
            return new Outcome.Split(reason);
        }
        return Responses.byStatus("meta", response, detail);
    }

    @Override
    public String eventName(SafeEvent event) {
        return MetaMapper.eventName(event);
    }
}
