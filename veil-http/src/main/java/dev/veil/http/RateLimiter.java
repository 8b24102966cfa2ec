package dev.veil.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One token bucket per key (a client address, a source id), with Bucket4j's buckets kept in a bounded Caffeine
 * cache: at most {@code maxKeys} keys, each forgotten after it has been unused for as long as its bucket takes to
 * refill completely (a forgotten bucket is a full one, so forgetting changes nothing). Thread-safe.
 *
 * @param <K> the key type
 */
public final class RateLimiter<K> {

    private final Rate rate;
    private final Cache<K, Bucket> buckets;

    public RateLimiter(Rate rate, long maxKeys) {
        this.rate = Objects.requireNonNull(rate, "rate");
        long refillNanos = rate.period().toNanos() / rate.tokens() * rate.burst();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(
                        Math.max(refillNanos, Duration.ofSeconds(1).toNanos())))
                .build();
    }

    /** The configured rate. */
    public Rate rate() {
        return rate;
    }

    /**
     * Takes {@code n} tokens from {@code key}'s bucket (at most the burst: a request larger than the burst drains
     * a full bucket). Empty when they were there; otherwise nothing is taken and the answer is how long until
     * they will be.
     */
    public Optional<Duration> tryTake(K key, long n) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(Math.max(1, Math.min(n, rate.burst())));
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** How long until {@code key} has a token, without taking one; empty when it has one now. */
    public Optional<Duration> waitForOne(K key) {
        Bucket b = buckets.getIfPresent(key);
        if (b == null || b.getAvailableTokens() >= 1) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(b.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** Takes one token if there is one (used to count failures: a full bucket blocks further attempts). */
    public void takeOne(K key) {
        bucket(key).tryConsume(1);
    }

    private Bucket bucket(K key) {
        return buckets.get(
                key,
                k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.tokens(), rate.period()))
                        .build());
    }

    /** Seconds for a {@code Retry-After} header: the wait rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
