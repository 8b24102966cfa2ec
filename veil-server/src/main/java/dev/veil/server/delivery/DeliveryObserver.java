package dev.veil.server.delivery;

import dev.veil.core.engine.Decision;
import dev.veil.core.event.RawEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sees each destination's policy decisions about each batch, e.g. for the console's release counts and live
 * debugger. Called on the delivery worker's thread right after the privacy engine ran: implementations must
 * return at once (hand the batch to their own thread) and must not keep values beyond memory. A failing
 * observer never fails delivery.
 */
@FunctionalInterface
public interface DeliveryObserver {

    DeliveryObserver NONE = (destinationId, events, decisions) -> {};

    /**
     * @param destinationId the destination
     * @param events the batch, raw
     * @param decisions one per event, in order; null where the engine failed on the event
     */
    void evaluated(String destinationId, List<RawEvent> events, List<@Nullable Decision> decisions);
}
