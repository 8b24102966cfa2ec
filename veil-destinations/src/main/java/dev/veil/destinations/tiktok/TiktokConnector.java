package dev.veil.destinations.tiktok;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * TikTok Events API 2.0 connector: {@code POST /open_api/v1.3/event/track/} with the {@code Access-Token} header.
 * TikTok answers inside HTTP 200 with a numeric {@code code} that takes precedence over the HTTP status (return codes
 * appendix, business-api.tiktok.com/portal/docs?id=1737172488964097): 0 success; 20001 partial success, some events
 * of the batch refused (RudderStack counts it as success, which loses the refused ones silently; here the engine
 * isolates them by halves, and TikTok deduplicates the events it already kept on event + event_id for 48 hours);
 * 40002 invalid parameters (isolated the same way); 40100 rate limit (retried); 40001, 40104, 40105 permission or
 * access token refused (the destination pauses).
 */
public final class TiktokConnector implements Connector {

    static final int RATE_LIMITED = 40100;
    static final int PARTIAL_SUCCESS = 20001;
    static final int INVALID_PARAMETERS = 40002;
    static final java.util.Set<Integer> AUTH = java.util.Set.of(40001, 40104, 40105);
    static final int MAX_BYTES = 2 * 1024 * 1024;

    private final TiktokSettings settings;
    private final TiktokMapper mapper;

    public TiktokConnector(TiktokSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new TiktokMapper(settings, clock);
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(settings.maxBatchSize(), MAX_BYTES);
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        Preparation prep = new Preparation("tiktok");
        for (SafeEvent e : batch) {
            prep.add(e, mapper.map(e));
        }
        URI uri = URI.create(Settings.base(settings.endpoint()) + "/open_api/v1.3/event/track/");
        Map<String, String> headers =
                Map.of("Content-Type", "application/json", "Access-Token", settings.accessToken());
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body :
                Batches.split(prep.items(), settings.maxBatchSize(), MAX_BYTES, this::body, prep.rejected())) {
            requests.add(new OutboundRequest("POST", uri, headers, body.bytes(), body.messageIds()));
        }
        return prep.finish(requests);
    }

    private ObjectNode body(@Nullable ObjectNode envelope, ArrayNode events) {
        ObjectNode body = Json.object();
        body.put("event_source", "web");
        body.put("event_source_id", settings.pixelCode());
        if (!settings.testEventCode().isEmpty()) {
            body.put("test_event_code", settings.testEventCode());
        }
        body.set("data", events);
        return body;
    }

    /** TikTok's messages are dropped (they may quote submitted values); its numeric code is kept. */
    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        JsonNode body = Json.parse(response.body()).orElse(Json.object());
        int code = body.path("code").asInt(-1);
        if (Responses.success(response)) {
            if (code == 0) {
                return new Outcome.Delivered();
            }
            if (code == RATE_LIMITED) {
                return new Outcome.Retry("tiktok: code 40100 (rate limited)", Responses.retryAfter(response));
            }
            if (code == PARTIAL_SUCCESS) {
                return new Outcome.Split("tiktok: code 20001 (partial success)");
            }
            if (code == INVALID_PARAMETERS) {
                return new Outcome.Split("tiktok: code 40002 (invalid parameters)");
            }
            if (AUTH.contains(code)) {
                return new Outcome.AuthFailed("tiktok: code " + code + " (access token refused)");
            }
            return new Outcome.Failed("tiktok: HTTP " + response.status() + " code " + code);
        }
        return Responses.byStatus("tiktok", response, code >= 0 ? "code " + code : "");
    }

    @Override
    public String eventName(SafeEvent event) {
        return TiktokMapper.eventName(event);
    }
}
