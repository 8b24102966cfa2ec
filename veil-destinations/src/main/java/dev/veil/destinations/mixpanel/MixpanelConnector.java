package dev.veil.destinations.mixpanel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
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
import org.jspecify.annotations.Nullable;

/**
 * Mixpanel connector: track, page and screen calls go to {@code /import?strict=1&ip=0} (JSON arrays of up to 2000
 * events and 2 MB), identify calls to {@code /engage?verbose=1&ip=0} as {@code $set} profile updates. A 400 with
 * {@code failed_records} is a partial success (the rest were imported); Mixpanel's messages are not forwarded (they
 * can quote values), the failing field is. A 413 splits the request; 401/403 pause the destination. Deduplicated by
 * Mixpanel on event + time + distinct_id + $insert_id, so a retry after a lost answer counts nothing twice.
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
        List<Batches.Item> events = new ArrayList<>();
        List<Batches.Item> profiles = new ArrayList<>();
        for (SafeEvent e : batch) {
            boolean identify = e.type() == EventType.IDENTIFY;
            Mapped mapped = identify ? mapper.profile(e, settings.projectToken()) : mapper.map(e);
            switch (mapped) {
                case Mapped.Ok ok -> {
                    int size = Json.bytes(ok.event()).length;
                    if (size >= MAX_EVENT_BYTES) {
                        rejected.add(new Rejected(
                                e.messageId(), "mixpanel event: " + size + " bytes; Mixpanel allows under 1 MB"));
                    } else {
                        (identify ? profiles : events).add(new Batches.Item(e.messageId(), ok.event(), null));
                    }
                }
                case Mapped.Invalid bad -> rejected.add(new Rejected(e.messageId(), "mixpanel " + bad.reason()));
                case Mapped.Skipped s -> skipped.add(new Skipped(e.messageId(), s.reason()));
            }
        }
        String base = Settings.base(settings.endpoint());
        String project = settings.projectId().isEmpty()
                ? ""
                : "&project_id=" + URLEncoder.encode(settings.projectId(), StandardCharsets.UTF_8);
        List<OutboundRequest> requests = new ArrayList<>();
        requests(
                URI.create(base + "/import?strict=1&ip=0" + project),
                settings.authorization(),
                events,
                rejected,
                requests);
        // /engage authenticates with the $token in each update.
        requests(URI.create(base + "/engage?verbose=1&ip=0"), null, profiles, rejected, requests);
        return new Prepared(requests, rejected, skipped);
    }

    private static void requests(
            URI uri,
            @Nullable String authorization,
            List<Batches.Item> items,
            List<Rejected> rejected,
            List<OutboundRequest> out) {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        for (Batches.Body body : Batches.split(items, MAX_EVENTS, MAX_BYTES, (envelope, array) -> array, rejected)) {
            out.add(new OutboundRequest("POST", uri, headers, body.bytes(), body.messageIds()));
        }
    }

    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        boolean engage = request.uri().getPath().endsWith("/engage");
        String what = engage ? "mixpanel engage" : "mixpanel";
        JsonNode body = Json.parse(response.body()).orElse(Json.object());
        if (Responses.success(response)) {
            // /engage?verbose=1 answers {"status": 1} on success and {"status": 0, "error": …} when it refused data.
            if (engage && body.path("status").asInt(1) == 0) {
                return new Outcome.Split(what + ": status 0 (update refused)");
            }
            return new Outcome.Delivered();
        }
        if (!engage && response.status() == 400 && body.path("failed_records").isArray()) {
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
            // The body is over Mixpanel's 2 MB as it measures it: halve the request until each part fits.
            return new Outcome.Split(what + ": HTTP 413 payload too large");
        }
        if (engage && response.status() == 400) {
            return new Outcome.Split(what + ": HTTP 400");
        }
        if (response.status() == 401 || response.status() == 403) {
            return new Outcome.AuthFailed(what + ": HTTP " + response.status());
        }
        if (Responses.retryable(response.status())) {
            Duration after = Responses.retryAfter(response);
            return new Outcome.Retry(
                    what + ": HTTP " + response.status(),
                    after != null && after.compareTo(MIN_BACKOFF) > 0 ? after : MIN_BACKOFF);
        }
        return new Outcome.Failed(what + ": HTTP " + response.status());
    }

    @Override
    public String eventName(SafeEvent event) {
        return MixpanelMapper.eventName(event);
    }
}
