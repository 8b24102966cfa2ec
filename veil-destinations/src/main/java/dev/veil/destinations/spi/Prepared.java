package dev.veil.destinations.spi;

import java.util.List;

/**
 * What {@link Connector#prepare} made of a batch. Every event of the batch appears in exactly one place: carried
 * by one or more {@link #requests()}, in {@link #rejected()} (dead-lettered with the reason), or in {@link
 * #skipped()} (the vendor has no use for it; counted, not an error). The delivery engine counts an event the
 * connector left out of all three as skipped with reason {@code connector_unaccounted}, so accounting always
 * adds up, and logs it as a connector bug.
 *
 * @param requests the requests to send
 * @param rejected events the vendor would refuse and that cannot be fixed
 * @param skipped events deliberately not sent
 * @param repairs values the connector changed or removed so that the vendor accepts the event (truncated text,
 *     dropped parameters, clamped time); counted per reason, the events are still sent
 */
public record Prepared(
        List<OutboundRequest> requests, List<Rejected> rejected, List<Skipped> skipped, List<Repair> repairs) {
    public Prepared {
        requests = List.copyOf(requests);
        rejected = List.copyOf(rejected);
        skipped = List.copyOf(skipped);
        repairs = List.copyOf(repairs);
    }

    public Prepared(List<OutboundRequest> requests, List<Rejected> rejected) {
        this(requests, rejected, List.of(), List.of());
    }

    public Prepared(List<OutboundRequest> requests, List<Rejected> rejected, List<Skipped> skipped) {
        this(requests, rejected, skipped, List.of());
    }
}
