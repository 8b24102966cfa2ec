package dev.veil.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow and greedy clients from locking others out of one listener (issue 11: 1,100 connections trickling
 * their headers exhausted 1,024 descriptors).
 *
 * <p>Design: Jetty does the total cap itself ({@link NetworkConnectionLimit}: at the limit it stops accepting and
 * shortens the idle timeout of open connections) and the silence cap (the connector's idle timeout). Jetty has no
 * deadline for a whole request head or body, since its idle timeout restarts with every byte, and no cap per
 * client address; this class adds both as a {@link Connection.Listener} on the connector, using only the public
 * counters of {@link Connection} ({@code messagesIn} grows when a request head is complete, {@code messagesOut}
 * when its response is sent, {@code bytesIn} with every byte read):
 *
 * <ul>
 *   <li>per address: a network connection beyond {@code maxConnectionsPerIp} of its remote address is closed as
 *       soon as it is opened (addresses for which {@code exempt} holds, e.g. trusted proxies, are not counted);
 *   <li>head deadline: a connection must complete its first request head within {@code headerTimeout} of being
 *       opened, and each later head within {@code headerTimeout} of its first byte;
 *   <li>body deadline: a request whose head completed more than {@code bodyTimeout} ago and whose connection is
 *       still receiving bytes is closed (a handler that is merely slow to answer is left alone).
 * </ul>
 *
 * A sweep on the connector's scheduler checks the deadlines every quarter of the shorter timeout (at most once a
 * second), so a deadline is enforced within that tick. Thread-safe; one instance per connector.
 */
public final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final HttpLimits limits;
    private final Predicate<InetAddress> exempt;
    private final ServerConnector connector;
    private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    private final long headerNanos;
    private final long bodyNanos;
    private final long tickMillis;
    private final Counter refusedPerIp;
    private final Counter headerTimeouts;
    private final Counter bodyTimeouts;
    private volatile Scheduler.@Nullable Task next;

    private ConnectionGuard(
            ServerConnector connector,
            HttpLimits limits,
            Predicate<InetAddress> exempt,
            MeterRegistry registry,
            String listener) {
        this.connector = connector;
        this.limits = limits;
        this.exempt = exempt;
        this.headerNanos = limits.headerTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
        long shorter =
                Math.min(limits.headerTimeout().toMillis(), limits.bodyTimeout().toMillis());
        this.tickMillis = Math.max(50, Math.min(1_000, shorter / 4));
        this.refusedPerIp = Counter.builder("veil.http.connections.refused")
                .description("connections closed on opening because their address had too many open")
                .tag("listener", listener)
                .tag("reason", "per_ip_limit")
                .register(registry);
        this.headerTimeouts = closed(registry, listener, "header_timeout");
        this.bodyTimeouts = closed(registry, listener, "body_timeout");
        Gauge.builder(
                        "veil.http.connections.open",
                        open,
                        m -> m.values().stream().filter(t -> t.network).count())
                .description("open network connections")
                .tag("listener", listener)
                .register(registry);
        Gauge.builder("veil.http.connections.max", limits, HttpLimits::maxConnections)
                .description("the configured limit of open connections (http.maxConnections)")
                .tag("listener", listener)
                .register(registry);
    }

    /**
     * Applies {@code limits} to {@code connector} (idle timeout, total limit, per-address limit, head and body
     * deadlines) and registers the meters {@code veil_http_connections_*} with the tag {@code listener}.
     *
     * @param exempt addresses not counted per address (e.g. trusted proxies)
     */
    public static ConnectionGuard install(
            Server server,
            ServerConnector connector,
            HttpLimits limits,
            Predicate<InetAddress> exempt,
            MeterRegistry registry,
            String listener) {
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        NetworkConnectionLimit total = new NetworkConnectionLimit(limits.maxConnections(), connector);
        total.setEndPointIdleTimeout(limits.idleTimeoutAtLimit().toMillis());
        server.addBean(total);
        ConnectionGuard guard = new ConnectionGuard(connector, limits, exempt, registry, listener);
        connector.addBean(guard);
        return guard;
    }

    private static Counter closed(MeterRegistry registry, String listener, String reason) {
        return Counter.builder("veil.http.connections.closed")
                .description("connections closed by a read deadline")
                .tag("listener", listener)
                .tag("reason", reason)
                .register(registry);
    }

    @Override
    public void onOpened(Connection connection) {
        boolean network = connection.getEndPoint() instanceof SelectableChannelEndPoint;
        boolean http = connection.getMessagesIn() >= 0;
        InetAddress counted = null;
        if (network) {
            InetAddress ip = remote(connection.getEndPoint().getRemoteSocketAddress());
            if (ip != null && !exempt.test(ip)) {
                counted = ip;
            }
        }
        Tracked t = new Tracked(connection, network, http, counted, System.nanoTime());
        open.put(connection, t);
        if (counted != null && perIp.merge(counted, 1, Integer::sum) > limits.maxConnectionsPerIp()) {
            refusedPerIp.increment();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Tracked t = open.remove(connection);
        if (t != null && t.ip != null) {
            perIp.computeIfPresent(t.ip, (ip, n) -> n <= 1 ? null : n - 1);
        }
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        Scheduler scheduler = connector.getScheduler();
        if (isRunning() || isStarting()) {
            next = scheduler.schedule(this::sweep, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Tracked t : open.values()) {
                if (t.http && t.overDeadline(now)) {
                    t.connection.getEndPoint().close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("connection guard sweep failed: {}", e.getClass().getName());
        } finally {
            schedule();
        }
    }

    private static @Nullable InetAddress remote(@Nullable SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** What the sweep last saw of one connection. Mutated only by the sweep (one thread at a time). */
    private final class Tracked {
        final Connection connection;
        final boolean network;
        final boolean http;
        final @Nullable InetAddress ip;
        long in;
        long out;
        long lastBytes;
        long bytesWhenIdle;
        long headStart; // nanos, or -1 while no head is arriving
        long requestStart = -1; // nanos, or -1 between requests

        Tracked(Connection connection, boolean network, boolean http, @Nullable InetAddress ip, long openedAt) {
            this.connection = connection;
            this.network = network;
            this.http = http;
            this.ip = ip;
            this.headStart = openedAt; // the first head is due headerTimeout after connecting
        }

        boolean overDeadline(long now) {
            long messagesIn = connection.getMessagesIn();
            long messagesOut = connection.getMessagesOut();
            long bytes = connection.getBytesIn();
            try {
                if (messagesIn != in) {
                    in = messagesIn;
                    requestStart = now;
                    headStart = -1;
                }
                out = messagesOut;
                if (in <= out) {
                    if (requestStart >= 0) { // the request was answered: wait for the next head
                        requestStart = -1;
                        bytesWhenIdle = bytes;
                    } else if (headStart < 0 && bytes > bytesWhenIdle) {
                        headStart = now;
                    }
                    if (headStart >= 0 && now - headStart > headerNanos) {
                        headerTimeouts.increment();
                        return true;
                    }
                } else if (now - requestStart > bodyNanos && bytes > lastBytes) {
                    bodyTimeouts.increment();
                    return true;
                }
                return false;
            } finally {
                lastBytes = bytes;
            }
        }
    }
}
