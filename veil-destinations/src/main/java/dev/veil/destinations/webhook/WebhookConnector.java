package dev.veil.destinations.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Batches;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Responses;
import dev.veil.destinations.spi.BatchLimits;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.VendorResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Webhook connector: POSTs {@code {"batch":[…]}} of safe events, signed with {@link WebhookSignature}. Every call
 * type is forwarded (the policy already decided which may leave). The signature's {@code t} is the preparation
 * time: a request retried later carries the original timestamp, so receivers deduplicate on {@code messageId} and
 * should allow a replay window as long as the delivery engine's retry horizon.
 */
public final class WebhookConnector implements Connector {

    static final int MAX_BYTES = 1024 * 1024;

    private final WebhookSettings settings;
    private final Clock clock;

    public WebhookConnector(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(settings.maxBatchSize(), MAX_BYTES);
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        List<Rejected> rejected = new ArrayList<>();
        List<Batches.Item> items = new ArrayList<>();
        for (SafeEvent e : batch) {
            items.add(new Batches.Item(e.messageId(), WebhookMapper.map(e), null));
        }
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body :
                Batches.split(items, settings.maxBatchSize(), MAX_BYTES, WebhookConnector::body, rejected)) {
            Map<String, String> headers = new HashMap<>(settings.headers());
            headers.put("Content-Type", "application/json");
            headers.put(
                    WebhookSignature.HEADER,
                    WebhookSignature.sign(settings.secretBytes(), clock.instant(), body.bytes()));
            if (!settings.authorization().isEmpty()) {
                headers.put("Authorization", settings.authorization());
            }
            requests.add(new OutboundRequest("POST", settings.url(), headers, body.bytes(), body.messageIds()));
        }
        return new Prepared(requests, rejected);
    }

    private static ObjectNode body(@Nullable ObjectNode envelope, ArrayNode events) {
        ObjectNode body = Json.object();
        body.set("batch", events);
        return body;
    }

    /** The receiver's body is not read: it is the operator's own service and may echo what it got. */
    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        if (Responses.success(response)) {
            return new Outcome.Delivered();
        }
        return Responses.byStatus("webhook", response, "");
    }

    @Override
    public String eventName(SafeEvent event) {
        return event.name() == null ? event.type().wireName() : event.name();
    }
}
