package dev.veil.destinations.amplitude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Batches;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import dev.veil.destinations.internal.Responses;
import dev.veil.destinations.spi.BatchLimits;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.spi.VendorResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Amplitude HTTP V2 connector: under 2000 events and 1 MB per request, deduplicated by Amplitude on insert_id
 * (Veil's message id) per device for 7 days.
 *
 * <p>A 400 listing invalid events rejects the <em>whole</em> request; Amplitude asks clients to "remove those events
 * and resend the rest" (amplitude.com/docs/apis/analytics/http-api-batching-retries), which is {@link Outcome.Resend}:
 * the listed events are dead-lettered with the failing field, the others prepared and sent again. A 400 refusing the
 * API key pauses the destination; a 413 halves the request.
 */
public final class AmplitudeConnector implements Connector {

    static final int MAX_EVENTS = 1999;
    static final int MAX_BYTES = 1024 * 1024;
    /** Amplitude asks to pause a throttled user or device for 30 seconds. */
    static final Duration THROTTLE_PAUSE = Duration.ofSeconds(30);

    private final AmplitudeSettings settings;
    private final AmplitudeMapper mapper;

    public AmplitudeConnector(AmplitudeSettings settings) {
        this.settings = settings;
        this.mapper = new AmplitudeMapper(settings.minIdLength());
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
                case Mapped.Ok ok -> items.add(new Batches.Item(e.messageId(), ok.event(), null));
                case Mapped.Invalid bad -> rejected.add(new Rejected(e.messageId(), "amplitude " + bad.reason()));
                case Mapped.Skipped s -> skipped.add(new Skipped(e.messageId(), s.reason()));
            }
        }
        List<OutboundRequest> requests = new ArrayList<>();
        for (Batches.Body body : Batches.split(items, MAX_EVENTS, MAX_BYTES, this::body, rejected)) {
            requests.add(new OutboundRequest(
                    "POST",
                    settings.endpoint(),
                    Map.of("Content-Type", "application/json", "Accept", "*/*"),
                    body.bytes(),
                    body.messageIds()));
        }
        return new Prepared(requests, rejected, skipped);
    }

    private ObjectNode body(@Nullable ObjectNode envelope, ArrayNode events) {
        ObjectNode body = Json.object();
        body.put("api_key", settings.apiKey());
        body.set("events", events);
        if (settings.minIdLength() != 5) {
            body.putObject("options").put("min_id_length", settings.minIdLength());
        }
        return body;
    }

    /** Amplitude's {@code error} text is never forwarded: it can echo the API key or values. */
    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        if (Responses.success(response)) {
            return new Outcome.Delivered();
        }
        JsonNode body = Json.parse(response.body()).orElse(Json.object());
        if (response.status() == 400) {
            Map<Integer, String> invalid = new java.util.TreeMap<>();
            collect(body.path("events_with_invalid_fields"), "invalid", invalid);
            collect(body.path("events_with_missing_fields"), "missing", invalid);
            if (!invalid.isEmpty()) {
                List<Rejected> failed = new ArrayList<>();
                invalid.forEach((index, reason) -> {
                    if (index >= 0 && index < request.messageIds().size()) {
                        failed.add(new Rejected(request.messageIds().get(index), reason));
                    }
                });
                return new Outcome.Resend(
                        failed,
                        "amplitude: HTTP 400 with " + failed.size() + " invalid event" + (failed.size() == 1 ? "" : "s")
                                + " of " + request.messageIds().size());
            }
            // The error text echoes the key: only its leading words are read, never copied.
            if (body.path("error").asText("").startsWith("Invalid API key")) {
                return new Outcome.AuthFailed("amplitude: HTTP 400 invalid API key");
            }
            String missing = body.path("missing_field").asText("");
            return new Outcome.Failed("amplitude: HTTP 400" + (missing.isEmpty() ? "" : " missing_field " + missing));
        }
        if (response.status() == 413) {
            // "Split your events array payload in half and try again" (Amplitude, 413).
            return new Outcome.Split("amplitude: HTTP 413 payload too large");
        }
        if (response.status() == 429) {
            Duration after = Responses.retryAfter(response);
            return new Outcome.Retry("amplitude: HTTP 429 throttled", after != null ? after : THROTTLE_PAUSE);
        }
        return Responses.byStatus("amplitude", response, "");
    }

    private static void collect(JsonNode byField, String kind, Map<Integer, String> out) {
        byField.fields().forEachRemaining(f -> {
            for (JsonNode index : f.getValue()) {
                out.merge(
                        index.asInt(),
                        "amplitude: " + kind + " field " + f.getKey(),
                        (a, b) -> a + ", " + kind + " field " + f.getKey());
            }
        });
    }

    @Override
    public String eventName(SafeEvent event) {
        return AmplitudeMapper.eventName(event);
    }
}
