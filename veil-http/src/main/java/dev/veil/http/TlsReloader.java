package dev.veil.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the PEM certificate and key when either file changes (modification time, size or file identity, so a
 * symlink swap as certbot does it counts), and swaps them into Jetty's {@link SslContextFactory} without a
 * restart; connections already open keep their session. A broken new pair is logged and the old one stays in use.
 * Runs on the connector's scheduler; one instance per TLS connector.
 */
final class TlsReloader extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final SslContextFactory.Server ssl;
    private final TlsSettings settings;
    private final ServerConnector connector;
    private List<Object> seen;
    private volatile Scheduler.@Nullable Task next;

    TlsReloader(SslContextFactory.Server ssl, TlsSettings settings, ServerConnector connector) {
        this.ssl = ssl;
        this.settings = settings;
        this.connector = connector;
        this.seen = fingerprint();
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
        if (isRunning() || isStarting()) {
            next = connector
                    .getScheduler()
                    .schedule(this::check, settings.reloadCheck().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reloads when the files changed since the last look; answers whether it reloaded. */
    boolean check() {
        try {
            List<Object> now = fingerprint();
            if (Objects.equals(now, seen)) {
                return false;
            }
            char[] password = PemKeyStore.randomPassword();
            KeyStore ks = PemKeyStore.load(settings.certificate(), settings.privateKey(), password);
            ssl.reload(f -> {
                f.setKeyStore(ks);
                f.setKeyStorePassword(new String(password));
                f.setKeyManagerPassword(new String(password));
            });
            seen = now;
            LOG.info("tls: certificate and key reloaded from {}", settings.certificate());
            return true;
        } catch (PemKeyStore.TlsException e) {
            LOG.warn("{}; the previous certificate stays in use", e.getMessage());
            return false;
        } catch (Exception e) {
            LOG.warn(
                    "tls: reload failed ({}); the previous certificate stays in use",
                    e.getClass().getSimpleName());
            return false;
        } finally {
            schedule();
        }
    }

    private List<Object> fingerprint() {
        return List.of(describe(settings.certificate()), describe(settings.privateKey()));
    }

    private static Object describe(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = a.fileKey();
            return List.of(a.lastModifiedTime().toMillis(), a.size(), key == null ? "" : key);
        } catch (IOException e) {
            return "missing";
        }
    }
}
