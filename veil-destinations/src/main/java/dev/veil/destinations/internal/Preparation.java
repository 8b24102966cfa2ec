package dev.veil.destinations.internal;

import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.Repair;
import dev.veil.destinations.spi.Skipped;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a mapper made of each event of a batch, so that every connector accounts for every event the same
 * way: mapped events become {@link Batches.Item}s, invalid ones {@link Rejected} (reason prefixed with the vendor
 * type), skipped ones {@link Skipped}, and each repair a {@link Repair}. Not thread-safe: one per {@code prepare}.
 */
public final class Preparation {

    private final String vendor;
    private final List<Batches.Item> items = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<Repair> repairs = new ArrayList<>();

    /** @param vendor the connector type, prefixed to rejection reasons ({@code "ga4 name: …"}) */
    public Preparation(String vendor) {
        this.vendor = vendor;
    }

    public void add(SafeEvent event, Mapped mapped) {
        switch (mapped) {
            case Mapped.Ok ok -> {
                items.add(new Batches.Item(event.messageId(), ok.event(), ok.envelope()));
                ok.repairs().forEach(r -> repairs.add(new Repair(event.messageId(), r)));
            }
            case Mapped.Invalid bad -> rejected.add(new Rejected(event.messageId(), vendor + " " + bad.reason()));
            case Mapped.Skipped s -> skipped.add(new Skipped(event.messageId(), s.reason()));
        }
    }

    /** The mapped events, in batch order. */
    public List<Batches.Item> items() {
        return items;
    }

    /** Rejections so far; {@link Batches#split} adds events too large for any request. */
    public List<Rejected> rejected() {
        return rejected;
    }

    public Prepared finish(List<OutboundRequest> requests) {
        return new Prepared(requests, rejected, skipped, repairs);
    }
}
