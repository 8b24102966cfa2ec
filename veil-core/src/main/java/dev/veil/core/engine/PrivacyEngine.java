package dev.veil.core.engine;

import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;

/**
 * The privacy engine: {@code RawEvent × DestinationPolicy → SafeEvent | Dropped(reason)}.
 *
 * <p>Contract: {@link #evaluate} is a pure function of its arguments and the engine's immutable configuration
 * (privacy settings, masking keyring, geo database, user-agent parser). It never mutates its input, is safe to
 * call from any number of threads at once, and does no I/O (the geo database is memory-mapped or in memory).
 * Nothing that the destination's policy does not allow ever appears in a {@link Decision.Forward}'s event.
 */
public interface PrivacyEngine {

    /** Decides what {@code destination} may receive of {@code event}, with a PHI-free trace of why. */
    Decision evaluate(RawEvent event, DestinationPolicy destination);
}
