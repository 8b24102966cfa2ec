package dev.veil.server.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the delivery engine, the same for every destination.
 *
 * @param readBatch most events a worker reads from the log at once (its unit of cursor commits)
 * @param maxConcurrency most requests in flight per destination
 * @param requestTimeout how long one vendor request may take before it counts as a timeout
 * @param backoffBase first retry delay cap (doubles per attempt, full jitter)
 * @param backoffMax largest retry delay cap
 * @param retryWindow how long a request is retried before its events are dead-lettered
 * @param breakerThreshold consecutive retryable failures that open the circuit breaker
 * @param breakerOpenFor how long the breaker stays open before it lets one probe request through
 * @param idlePoll how long an idle worker waits for new events before reading the log again
 * @param authRetryInterval while a vendor refuses a destination's credentials, how often one request probes
 *     whether they were fixed
 */
public record DeliverySettings(
        int readBatch,
        int maxConcurrency,
        Duration requestTimeout,
        Duration backoffBase,
        Duration backoffMax,
        Duration retryWindow,
        int breakerThreshold,
        Duration breakerOpenFor,
        Duration idlePoll,
        Duration authRetryInterval) {

    /** Production defaults: retry for 24 hours, 4 requests in flight, 10 s timeout. */
    public static final DeliverySettings DEFAULTS = new DeliverySettings(
            2000,
            4,
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            Duration.ofHours(24),
            5,
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            Duration.ofMinutes(1));

    public DeliverySettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(retryWindow, "retryWindow");
        Objects.requireNonNull(breakerOpenFor, "breakerOpenFor");
        Objects.requireNonNull(idlePoll, "idlePoll");
        Objects.requireNonNull(authRetryInterval, "authRetryInterval");
        if (!authRetryInterval.isPositive()) {
            throw new IllegalArgumentException("delivery settings authRetryInterval: must be positive");
        }
        if (readBatch < 1) {
            throw new IllegalArgumentException("delivery settings readBatch: must be at least 1, was " + readBatch);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException(
                    "delivery settings maxConcurrency: must be at least 1, was " + maxConcurrency);
        }
        if (breakerThreshold < 1) {
            throw new IllegalArgumentException(
                    "delivery settings breakerThreshold: must be at least 1, was " + breakerThreshold);
        }
        if (!requestTimeout.isPositive() || !backoffBase.isPositive() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "delivery settings: requestTimeout and backoffBase must be positive, backoffMax >= backoffBase");
        }
    }

    public DeliverySettings withRetryWindow(Duration window) {
        return new DeliverySettings(
                readBatch,
                maxConcurrency,
                requestTimeout,
                backoffBase,
                backoffMax,
                window,
                breakerThreshold,
                breakerOpenFor,
                idlePoll,
                authRetryInterval);
    }

    public DeliverySettings withBackoff(Duration base, Duration max) {
        return new DeliverySettings(
                readBatch,
                maxConcurrency,
                requestTimeout,
                base,
                max,
                retryWindow,
                breakerThreshold,
                breakerOpenFor,
                idlePoll,
                authRetryInterval);
    }

    public DeliverySettings withBreaker(int threshold, Duration openFor) {
        return new DeliverySettings(
                readBatch,
                maxConcurrency,
                requestTimeout,
                backoffBase,
                backoffMax,
                retryWindow,
                threshold,
                openFor,
                idlePoll,
                authRetryInterval);
    }

    public DeliverySettings withReadBatch(int batch) {
        return new DeliverySettings(
                batch,
                maxConcurrency,
                requestTimeout,
                backoffBase,
                backoffMax,
                retryWindow,
                breakerThreshold,
                breakerOpenFor,
                idlePoll,
                authRetryInterval);
    }

    public DeliverySettings withRequestTimeout(Duration timeout) {
        return new DeliverySettings(
                readBatch,
                maxConcurrency,
                timeout,
                backoffBase,
                backoffMax,
                retryWindow,
                breakerThreshold,
                breakerOpenFor,
                idlePoll,
                authRetryInterval);
    }

    public DeliverySettings withAuthRetryInterval(Duration interval) {
        return new DeliverySettings(
                readBatch,
                maxConcurrency,
                requestTimeout,
                backoffBase,
                backoffMax,
                retryWindow,
                breakerThreshold,
                breakerOpenFor,
                idlePoll,
                interval);
    }
}
