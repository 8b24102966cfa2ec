package dev.veil.http;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One listening socket of a Javalin app with Veil's limits applied: the connector Javalin would create, plus a
 * {@link ConnectionGuard}, the request-head size limit and no server version header.
 *
 * @param name the listener's name in metrics ({@code listener} tag) and logs, e.g. {@code public}, {@code management}
 * @param host interface to bind
 * @param port TCP port, 0 for a free one
 * @param limits connection limits and read deadlines
 * @param exemptPerIp addresses not limited per address (trusted proxies)
 */
public record HardenedListener(
        String name, String host, int port, HttpLimits limits, Predicate<InetAddress> exemptPerIp) {

    public HardenedListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(exemptPerIp, "exemptPerIp");
    }

    /** Makes {@code config}'s app listen here (call once per app: Javalin's default connector is then not created). */
    public void applyTo(JavalinConfig config, MeterRegistry registry) {
        config.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            h.setSendXPoweredBy(false);
            h.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        });
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setName(name);
            connector.setHost(host);
            connector.setPort(port);
            ConnectionGuard.install(server, connector, limits, exemptPerIp, registry, name);
            return connector;
        });
    }
}
