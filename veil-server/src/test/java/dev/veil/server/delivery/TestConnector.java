package dev.veil.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.BatchLimits;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.spi.VendorResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A connector for tests: POSTs {@code {"ids": [...]}} to one URL. In {@code prepare} it rejects events named
 * {@code Reject Me}, skips those named {@code Skip Me} (reason {@code skip_me_not_sent}) and forgets those named
 * {@code Forget Me} (a buggy connector). Answers: 200 delivered, 207 partial ({@code
 * {"failed":[{"id","message"}]}}), 409 split (refused because of some event), 422 resend ({@code
 * {"invalid":[{"id","message"}]}}, nothing ingested), 401 auth failed, 429/5xx retry (Retry-After in seconds),
 * other 4xx failed.
 */
final class TestConnector implements Connector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI uri;
    private final BatchLimits limits;

    TestConnector(String url, int maxEvents) {
        this.uri = URI.create(url);
        this.limits = new BatchLimits(maxEvents, 1_000_000);
    }

    @Override
    public BatchLimits limits() {
        return limits;
    }

    @Override
    public Prepared prepare(List<SafeEvent> batch) {
        List<Rejected> rejected = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ids = body.putArray("ids");
        List<String> carried = new ArrayList<>();
        for (SafeEvent e : batch) {
            if ("Reject Me".equals(e.name())) {
                rejected.add(new Rejected(e.messageId(), "name: 'Reject Me' is not a valid event name"));
            } else if ("Skip Me".equals(e.name())) {
                skipped.add(new Skipped(e.messageId(), "skip_me_not_sent"));
            } else if ("Forget Me".equals(e.name())) {
                continue;
            } else {
                ids.add(e.messageId());
                carried.add(e.messageId());
            }
        }
        if (carried.isEmpty()) {
            return new Prepared(List.of(), rejected, skipped);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutboundRequest request = new OutboundRequest(
                "POST",
                uri,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer s3cret"),
                bytes,
                carried);
        return new Prepared(List.of(request), rejected, skipped);
    }

    @Override
    public Outcome interpret(OutboundRequest request, VendorResponse response) {
        int status = response.status();
        if (status == 200) {
            return new Outcome.Delivered();
        }
        if (status == 207) {
            try {
                JsonNode failed = JSON.readTree(response.body()).path("failed");
                List<Rejected> rejected = new ArrayList<>();
                failed.forEach(n -> rejected.add(
                        new Rejected(n.path("id").asText(), n.path("message").asText())));
                return new Outcome.PartiallyDelivered(rejected);
            } catch (IOException e) {
                return new Outcome.Failed("unreadable 207 body");
            }
        }
        if (status == 409) {
            return new Outcome.Split("HTTP 409: refused with its batch");
        }
        if (status == 422) {
            List<Rejected> invalid = new ArrayList<>();
            try {
                JSON.readTree(response.body())
                        .path("invalid")
                        .forEach(n -> invalid.add(new Rejected(
                                n.path("id").asText(), n.path("message").asText())));
            } catch (IOException e) {
                return new Outcome.Failed("unreadable 422 body");
            }
            return new Outcome.Resend(invalid, "HTTP 422: invalid events, nothing ingested");
        }
        if (status == 401) {
            return new Outcome.AuthFailed("HTTP 401: token refused");
        }
        if (status == 429 || status >= 500) {
            return new Outcome.Retry("HTTP " + status, retryAfter(response));
        }
        return new Outcome.Failed("HTTP " + status + ": vendor refused the batch");
    }

    private static @Nullable Duration retryAfter(VendorResponse response) {
        String header = response.header("Retry-After");
        return header.isEmpty() ? null : Duration.ofSeconds(Long.parseLong(header));
    }

    @Override
    public String eventName(SafeEvent event) {
        return event.name() == null ? event.type().wireName() : event.name();
    }
}
