package dev.veil.server.http;

import dev.veil.http.RateLimiter;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.ApiException;
import dev.veil.server.ingest.ClientIpResolver;
import dev.veil.server.ingest.IngestRoute;
import dev.veil.server.ingest.SourceThrottle;
import dev.veil.server.source.Source;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The ingest API's rate limits (docs/configuration.md, {@code rateLimits}): requests per client address, events
 * per source, and failed write-key attempts per client address. A refused request gets {@code 429} with
 * {@code Retry-After} (seconds) and the usual error shape, and stores nothing. The client address is the one
 * ingest records ({@code X-Forwarded-For} believed only from {@code trustedProxies}). Thread-safe.
 */
public final class IngestRateLimits implements SourceThrottle {

    /** Most client addresses (and sources) tracked at once; the least recently seen are forgotten. */
    private static final long MAX_KEYS = 100_000;

    private final ClientIpResolver ips;
    private final @Nullable RateLimiter<String> perIp;
    private final @Nullable RateLimiter<String> perSource;
    private final @Nullable RateLimiter<String> failedAuth;

    public IngestRateLimits(ServerConfig config) {
        ServerConfig.RateLimits r = config.rateLimits();
        this.ips = new ClientIpResolver(config.trustedProxies());
        this.perIp = r.perIp() == null ? null : new RateLimiter<>(r.perIp(), MAX_KEYS);
        this.perSource = r.perSource() == null ? null : new RateLimiter<>(r.perSource(), MAX_KEYS);
        this.failedAuth = r.failedAuthPerIp() == null ? null : new RateLimiter<>(r.failedAuthPerIp(), MAX_KEYS);
    }

    /**
     * Checks every ingest request's address before it is read, and counts the ones refused as unauthorized; on
     * every path of {@link IngestRoute#ALL}.
     */
    public void register(JavalinConfig c) {
        RateLimiter<String> failures = failedAuth;
        for (IngestRoute route : IngestRoute.ALL) {
            c.routes.before(route.path(), this::beforeIngest);
            if (failures != null) {
                c.routes.after(route.path(), ctx -> {
                    if (ctx.statusCode() == 401) {
                        failures.takeOne(clientIp(ctx));
                    }
                });
            }
        }
    }

    private void beforeIngest(Context ctx) {
        if (perIp == null && failedAuth == null) {
            return; // no limit per address: no need to work the address out
        }
        String ip = clientIp(ctx);
        RateLimiter<String> failures = failedAuth;
        if (failures != null) {
            Optional<Duration> blocked = failures.waitForOne(ip);
            if (blocked.isPresent()) {
                throw refuse(
                        ctx,
                        blocked.get(),
                        "too_many_failed_auth",
                        "too many requests with an unknown or missing write key from this address (limit "
                                + failures.rate() + ")");
            }
        }
        RateLimiter<String> requests = perIp;
        if (requests != null) {
            Optional<Duration> wait = requests.tryTake(ip, 1);
            if (wait.isPresent()) {
                throw refuse(
                        ctx,
                        wait.get(),
                        "rate_limited",
                        "too many requests from this address (limit " + requests.rate() + " requests)");
            }
        }
    }

    @Override
    public void admit(Context ctx, Source source, int events) {
        RateLimiter<String> limiter = perSource;
        if (limiter == null) {
            return;
        }
        Optional<Duration> wait = limiter.tryTake(source.id(), events);
        if (wait.isPresent()) {
            throw refuse(
                    ctx,
                    wait.get(),
                    "rate_limited",
                    "source " + source.id() + " sends more than its limit of " + limiter.rate() + " events");
        }
    }

    private String clientIp(Context ctx) {
        String ip = ips.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
        return ip == null ? "unknown" : ip;
    }

    private static ApiException refuse(Context ctx, Duration wait, String code, String message) {
        long seconds = RateLimiter.retryAfterSeconds(wait);
        ctx.header("Retry-After", Long.toString(seconds));
        return new ApiException(429, code, message + "; retry after " + seconds + " s");
    }
}
