package dev.veil.destinations.mixpanel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Batches;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import dev.veil.destinations.internal.Responses;
import dev.veil.destinations.internal.Settings;
import dev.veil.destinations.spi.BatchLimits;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.spi.VendorResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mixpanel {@code /import?strict=1} connector: JSON arrays of up to 2000 events and 2 MB. A 400 with
 * {@code failed_records} is a partial success (the rest were imported); Mixpanel's messages are not forwarded (they
 * can quote values), the failing field is. Deduplicated by Mixpanel on event + time + distinct_id + $insert_id.
 */
public final class MixpanelConnector implements Connector {

    static final int MAX_EVENTS = 2000;
    static final int MAX_BYTES = 2 * 1024 * 1024;
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    /** Mixpanel asks clients to back off from 2 s (doubling to 60 s) on 429/502/503. */
    static final Duration MIN_BACKOFF = Duration.ofSeconds(2);

    private final MixpanelSettings settings;
    private final MixpanelMapper mapper;

    public MixpanelConnector(MixpanelSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new MixpanelMapper(clock);
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(MAX_EVENTS, MAX_BYTES);
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        List<Rejected> rejected = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<Batches.Item> items = new ArrayList<>();
        for (SafeEvent e : batch) {
            switch (mapper.map(e)) {
                case Mapped.Ok ok -> {
                    int size = Json.bytes(ok.event()).length;
                    if (size >= MAX_EVENT_BYTES) {
                        rejected.add(new Rejected(
                                e.messageId(), "mixpanel event: " + size + " bytes; Mixpanel allows under 1 MB"));
                    } else {
                        items.add(new Batches.Item(e.messageId(), ok.event(), null));
                    }
                }
                case Mapped.Invalid bad -> rejected.add(new Rejected(e.messageId(), "mixpanel " + bad.reason()));
                case Mapped.Skipped s -> skipped.add(new Skipped(e.messageId(), s.reason()));
            }
        }
        String query = "?strict=1"
                + (settings.projectId().isEmpty()
                        ? ""
                        : "&project_id=" + URLEncoder.encode(settings.projectId(), StandardCharsets.UTF_8));
        URI uri = URI.create(Settings.base(settings.endpoint()) + "/import" + query);
        Map<String, String> headers = Map.of(
                "Content-Type",
                "application/json",
                "Accept",
                "application/json",
                "Authorization",
                settings.authorization());
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body : Batches.split(items, MAX_EVENTS, MAX_BYTES, (envelope, events) -> events, rejected)) {
            requests.add(new OutboundRequest("POST", uri, headers, body.bytes(), body.messageIds()));
        }
        return new Prepared(requests, rejected, skipped);
    }

    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        if (Responses.success(response)) {
            return new Outcome.Delivered();
        }
        JsonNode body = Json.parse(response.body()).orElse(Json.object());
        if (response.status() == 400 && body.path("failed_records").isArray()) {
            List<Rejected> failed = new ArrayList<>();
            for (JsonNode record : body.get("failed_records")) {
                int index = record.path("index").asInt(-1);
                if (index < 0 || index >= request.messageIds().size()) {
                    continue;
                }
                String field = record.path("field").asText("");
                failed.add(new Rejected(
                        request.messageIds().get(index),
                        "mixpanel failed_records: " + (field.isEmpty() ? "event" : field) + " rejected"));
            }
            return new Outcome.PartiallyDelivered(failed);
        }
        if (response.status() == 413) {
            return new Outcome.Failed("mixpanel: HTTP 413 payload too large");
        }
        if (Responses.retryable(response.status())) {
            Duration after = Responses.retryAfter(response);
            return new Outcome.Retry(
                    "mixpanel: HTTP " + response.status(),
                    after != null && after.compareTo(MIN_BACKOFF) > 0 ? after : MIN_BACKOFF);
        }
        return new Outcome.Failed("mixpanel: HTTP " + response.status());
    }

    @Override
    public String eventName(SafeEvent event) {
        return MixpanelMapper.eventName(event);
    }
}
