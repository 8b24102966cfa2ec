package dev.veil.destinations.ga4;

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
import org.jspecify.annotations.Nullable;

/**
 * GA4 Measurement Protocol connector. One request carries one client (GA4's {@code client_id}, user, device and
 * location are request-level), so a batch is split by envelope, then into requests of at most 25 events and under
 * 130 kB. GA4 answers 2xx even to malformed data: the mapper's validation is the only protection.
 */
public final class Ga4Connector implements Connector {

    static final int MAX_EVENTS = 25;
    static final int MAX_BYTES = 130 * 1024;

    private final Ga4Settings settings;
    private final Ga4Mapper mapper;

    public Ga4Connector(Ga4Settings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new Ga4Mapper(settings, clock);
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(MAX_EVENTS, MAX_BYTES);
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        Preparation prep = new Preparation("ga4");
        for (SafeEvent e : batch) {
            prep.add(e, mapper.map(e));
        }
        URI uri = URI.create(Settings.base(settings.endpoint()) + "?measurement_id="
                + URLEncoder.encode(settings.measurementId(), StandardCharsets.UTF_8) + "&api_secret="
                + URLEncoder.encode(settings.apiSecret(), StandardCharsets.UTF_8));
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body :
                Batches.split(prep.items(), MAX_EVENTS, MAX_BYTES, Ga4Connector::body, prep.rejected())) {
            requests.add(new OutboundRequest(
                    "POST", uri, Map.of("Content-Type", "application/json"), body.bytes(), body.messageIds()));
        }
        return prep.finish(requests);
    }

    private static ObjectNode body(
            @Nullable ObjectNode envelope, com.fasterxml.jackson.databind.node.ArrayNode events) {
        ObjectNode body = envelope == null ? Json.object() : envelope.deepCopy();
        body.set("events", events);
        return body;
    }

    /** GA4 answers 2xx to anything it received; other statuses only come from outages and proxies. */
    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        if (Responses.success(response)) {
            return new Outcome.Delivered();
        }
        return Responses.byStatus("ga4", response, "");
    }

    @Override
    public String eventName(SafeEvent event) {
        return Ga4Mapper.eventName(event);
    }
}
