package dev.veil.server;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Whether the pipeline behind ingest is up, for {@code /readyz}: a server that delivers is not ready until its
 * policy is applied and delivery runs, nor while a start-up step fails and is being retried. The event log's
 * health is checked by {@code /readyz} itself. Reasons are PHI-free (they are served). Thread-safe.
 */
public final class Readiness {

    private final AtomicReference<@Nullable String> notReady;

    private Readiness(@Nullable String reason) {
        this.notReady = new AtomicReference<>(reason);
    }

    /** Ready from the start: nothing to wait for (no delivery in this process). */
    public static Readiness ready() {
        return new Readiness(null);
    }

    /** Not ready until {@link #markReady()}: {@code reason} says what it waits for. */
    public static Readiness waitingFor(String reason) {
        return new Readiness(reason);
    }

    public void markReady() {
        notReady.set(null);
    }

    public void markNotReady(String reason) {
        notReady.set(reason);
    }

    /** Why it is not ready, or empty when it is. */
    public Optional<String> reason() {
        return Optional.ofNullable(notReady.get());
    }
}
