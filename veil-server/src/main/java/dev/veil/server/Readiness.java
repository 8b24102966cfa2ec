package dev.veil.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether the pipeline behind ingest is up, for {@code /readyz}: a server that delivers is not ready until its
 * policy is applied and delivery runs, nor while a start-up step fails and is being retried. The event log's
 * health is checked by {@code /readyz} itself. Reasons are PHI-free (they are served). Thread-safe.
 */
public final class Readiness {

    private final AtomicReference<@Nullable String> notReady;
    private final List<Supplier<Optional<String>>> checks = new CopyOnWriteArrayList<>();

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

    /**
     * Adds a condition that can take readiness away and give it back by itself (e.g. the control database is not
     * reachable): {@code check} says why not ready, or empty. It is called on every {@code /readyz}, so it must
     * answer from memory (a cached background probe), never with a query.
     */
    public void require(Supplier<Optional<String>> check) {
        checks.add(check);
    }

    /** Why it is not ready, or empty when it is: the start-up state first, then the first failing check. */
    public Optional<String> reason() {
        String own = notReady.get();
        if (own != null) {
            return Optional.of(own);
        }
        for (Supplier<Optional<String>> check : checks) {
            Optional<String> why = check.get();
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }
}
