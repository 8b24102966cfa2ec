package dev.veil.destinations.spi;

import java.util.List;

/** The requests for a batch, and the events that cannot be sent (with why). */
public record Prepared(List<OutboundRequest> requests, List<Rejected> rejected) {
    public Prepared {
        requests = List.copyOf(requests);
        rejected = List.copyOf(rejected);
    }
}
