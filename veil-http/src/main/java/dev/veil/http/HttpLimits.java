package dev.veil.http;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one listener against slow or greedy clients (see docs/configuration.md, key {@code http}).
 *
 * @param maxConnections open connections at most; at the limit Jetty stops accepting and shortens the idle
 *     timeout of the open ones to {@code idleTimeoutAtLimit}
 * @param maxConnectionsPerIp open connections per client address at most; more are closed as soon as they are
 *     accepted (addresses of trusted proxies are exempt: they carry many clients)
 * @param headerTimeout how long a client may take to send a complete request head, counted from the connection
 *     (first request) or from its first byte (later requests on a kept-alive connection)
 * @param bodyTimeout how long a request body may keep arriving after its head
 * @param idleTimeout how long a connection may stay silent
 * @param idleTimeoutAtLimit the idle timeout applied while {@code maxConnections} is reached
 * @param maxRequestHeaderBytes largest request head (request line and headers); larger ones get 431
 */
public record HttpLimits(
        int maxConnections,
        int maxConnectionsPerIp,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration idleTimeout,
        Duration idleTimeoutAtLimit,
        int maxRequestHeaderBytes) {

    public HttpLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(idleTimeoutAtLimit, "idleTimeoutAtLimit");
        if (maxConnections < 1 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("maxConnections and maxConnectionsPerIp must be at least 1");
        }
        if (maxConnectionsPerIp > maxConnections) {
            throw new IllegalArgumentException("maxConnectionsPerIp (" + maxConnectionsPerIp
                    + ") must not exceed maxConnections (" + maxConnections + ")");
        }
        for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout, idleTimeoutAtLimit}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (maxRequestHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderSize must be at least 1KB");
        }
    }

    /**
     * Defaults: connections up to three quarters of the process's file-descriptor limit (at most 10,000; the rest
     * is left for the store's files and connections to vendors), 128 per address, 10 s for a request head, 30 s for
     * a body, 30 s idle (5 s at the limit), 16 KB of request head.
     */
    public static HttpLimits defaults() {
        return new HttpLimits(
                defaultMaxConnections(),
                128,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                16 * 1024);
    }

    /** Three quarters of the file-descriptor limit, between 256 and 10,000. */
    public static int defaultMaxConnections() {
        long fds = 4096;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            fds = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.max(256, Math.min(10_000, fds * 3 / 4));
    }

    public HttpLimits withMaxConnections(int value) {
        return new HttpLimits(
                value,
                Math.min(maxConnectionsPerIp, value),
                headerTimeout,
                bodyTimeout,
                idleTimeout,
                idleTimeoutAtLimit,
                maxRequestHeaderBytes);
    }

    public HttpLimits withMaxConnectionsPerIp(int value) {
        return new HttpLimits(
                maxConnections,
                value,
                headerTimeout,
                bodyTimeout,
                idleTimeout,
                idleTimeoutAtLimit,
                maxRequestHeaderBytes);
    }

    public HttpLimits withHeaderTimeout(Duration value) {
        return new HttpLimits(
                maxConnections,
                maxConnectionsPerIp,
                value,
                bodyTimeout,
                idleTimeout,
                idleTimeoutAtLimit,
                maxRequestHeaderBytes);
    }

    public HttpLimits withBodyTimeout(Duration value) {
        return new HttpLimits(
                maxConnections,
                maxConnectionsPerIp,
                headerTimeout,
                value,
                idleTimeout,
                idleTimeoutAtLimit,
                maxRequestHeaderBytes);
    }

    public HttpLimits withIdleTimeout(Duration value) {
        return new HttpLimits(
                maxConnections,
                maxConnectionsPerIp,
                headerTimeout,
                bodyTimeout,
                value,
                idleTimeoutAtLimit,
                maxRequestHeaderBytes);
    }
}
