package dev.veil.http;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * One listening socket of a Javalin app with Veil's hardening applied: a {@link ConnectionGuard} (limits and read
 * deadlines), the request-head size limit, no server version header, {@link SecurityHeaders} on every response,
 * and, when {@code tls} is set, TLS 1.3/1.2 with forward-secret AEAD ciphers only, HSTS, and the PEM files
 * re-read when they change.
 *
 * @param name the listener's name in metrics ({@code listener} tag) and logs, e.g. {@code public}, {@code management}
 * @param host interface to bind
 * @param port TCP port, 0 for a free one
 * @param limits connection limits and read deadlines
 * @param exemptPerIp addresses not limited per address (trusted proxies)
 * @param tls TLS settings, or null for plain HTTP
 */
public record HardenedListener(
        String name,
        String host,
        int port,
        HttpLimits limits,
        Predicate<InetAddress> exemptPerIp,
        @Nullable TlsSettings tls) {

    /** TLS versions offered. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** Cipher suites offered (regular expressions): TLS 1.3's, and TLS 1.2's ECDHE with AES-GCM or ChaCha20. */
    static final String[] CIPHERS = {
        "TLS_AES_.*",
        "TLS_CHACHA20_POLY1305_.*",
        "TLS_ECDHE_.*_WITH_AES_.*_GCM_.*",
        "TLS_ECDHE_.*_WITH_CHACHA20_POLY1305_.*"
    };

    public HardenedListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(exemptPerIp, "exemptPerIp");
    }

    /** A plain-HTTP listener. */
    public HardenedListener(String name, String host, int port, HttpLimits limits, Predicate<InetAddress> exemptPerIp) {
        this(name, host, port, limits, exemptPerIp, null);
    }

    /**
     * Makes {@code config}'s app listen here (call once per app: Javalin's default connector is then not created).
     * With TLS, the certificate and key are read now, so a bad file fails before anything listens.
     */
    public void applyTo(JavalinConfig config, MeterRegistry registry) {
        SslContextFactory.@Nullable Server ssl = tls == null ? null : sslContextFactory(tls);
        config.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            h.setSendXPoweredBy(false);
            h.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        });
        config.jetty.addConnector((server, http) -> connector(server, http, ssl, registry));
        SecurityHeaders.install(config);
    }

    private ServerConnector connector(
            Server server, HttpConfiguration http, SslContextFactory.@Nullable Server ssl, MeterRegistry registry) {
        ServerConnector connector;
        if (ssl == null || tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            if (!tls.hstsMaxAge().isZero()) {
                secure.setStsMaxAge(tls.hstsMaxAge().toSeconds());
            }
            https.addCustomizer(secure);
            connector = new ServerConnector(
                    server,
                    new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
            connector.addBean(new TlsReloader(ssl, tls, connector));
        }
        connector.setName(name);
        connector.setHost(host);
        connector.setPort(port);
        ConnectionGuard.install(server, connector, limits, exemptPerIp, registry, name);
        return connector;
    }

    private static SslContextFactory.Server sslContextFactory(TlsSettings tls) {
        char[] password = PemKeyStore.randomPassword();
        KeyStore ks = PemKeyStore.load(tls.certificate(), tls.privateKey(), password);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword(new String(password));
        ssl.setKeyManagerPassword(new String(password));
        ssl.setIncludeProtocols(PROTOCOLS);
        ssl.setIncludeCipherSuites(CIPHERS);
        ssl.setRenegotiationAllowed(false);
        return ssl;
    }
}
