package dev.veil.server.config;

import dev.veil.core.policy.SecretRef;
import dev.veil.http.HttpLimits;
import dev.veil.http.Rate;
import dev.veil.http.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The server configuration ({@code veil.yaml}, see docs/configuration.md), with every default applied and paths
 * resolved. Immutable.
 *
 * @param listen where the HTTP server listens
 * @param dataDir where the embedded store keeps its files (event log, replay queue, master key; with SQLite
 *     storage also the config, admin and dead-letter stores)
 * @param storage where users, approvals, audit, secrets, config and dead letters live (SQLite or PostgreSQL)
 * @param eventLog which embedded event log the data directory holds ({@code events.db} or {@code events.rocksdb/})
 * @param policyFile the privacy policy file (spec/policy.md) whose {@code sources} define write keys; null when
 *     none is configured (then no write key is accepted)
 * @param trustedProxies networks whose {@code X-Forwarded-For} header is believed
 * @param limits ingest size and shape limits
 * @param dedupWindow how long a repeated {@code messageId} of a source is dropped
 * @param retention how long delivered events are kept
 * @param management where {@code /metrics} (and later the admin API and console) listen: never on the public
 *     listener, loopback by default
 * @param http connection limits and read deadlines of every listener (slow clients)
 * @param rateLimits the ingest API's rate limits
 * @param tls TLS of the public listener (PEM files), or null for plain HTTP (e.g. behind a TLS-terminating proxy)
 */
public record ServerConfig(
        Listen listen,
        Path dataDir,
        Storage storage,
        EventLogKind eventLog,
        @Nullable Path policyFile,
        List<Cidr> trustedProxies,
        Limits limits,
        Duration dedupWindow,
        Duration retention,
        Listen management,
        HttpLimits http,
        RateLimits rateLimits,
        @Nullable TlsSettings tls) {

    public ServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(eventLog, "eventLog");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(rateLimits, "rateLimits");
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * Defaults: 127.0.0.1:8080, management on 127.0.0.1:9090, {@code ./veil-data}, sqlite (stores and event log), no policy, no trusted
     * proxies, Segment's limits, {@link HttpLimits#defaults()}.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(
                new Listen("127.0.0.1", 8080),
                Path.of("veil-data"),
                Storage.SQLITE,
                EventLogKind.SQLITE,
                null,
                List.of(),
                Limits.defaults(),
                Duration.ofHours(24),
                Duration.ofDays(7),
                new Listen("127.0.0.1", 9090),
                HttpLimits.defaults(),
                RateLimits.defaults(),
                null);
    }

    public ServerConfig withListen(Listen value) {
        return new ServerConfig(
                value,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withDataDir(Path value) {
        return new ServerConfig(
                listen,
                value,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withStorage(Storage value) {
        return new ServerConfig(
                listen,
                dataDir,
                value,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withEventLog(EventLogKind value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                value,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withPolicyFile(@Nullable Path value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                value,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withTrustedProxies(List<Cidr> value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                value,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withLimits(Limits value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                value,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withManagement(Listen value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                value,
                http,
                rateLimits,
                tls);
    }

    public ServerConfig withHttp(HttpLimits value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                value,
                rateLimits,
                tls);
    }

    public ServerConfig withRateLimits(RateLimits value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                value,
                tls);
    }

    public ServerConfig withTls(@Nullable TlsSettings value) {
        return new ServerConfig(
                listen,
                dataDir,
                storage,
                eventLog,
                policyFile,
                trustedProxies,
                limits,
                dedupWindow,
                retention,
                management,
                http,
                rateLimits,
                value);
    }

    /** Both listeners on 127.0.0.1 and free ports (tests). */
    public ServerConfig withEphemeralPorts() {
        return withListen(new Listen("127.0.0.1", 0)).withManagement(new Listen("127.0.0.1", 0));
    }

    /**
     * The listen address.
     *
     * @param host interface to bind ({@code 0.0.0.0} for all)
     * @param port TCP port, 0 for any free port
     */
    public record Listen(String host, int port) {
        public Listen {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
        }
    }

    /**
     * The embedded event log of {@code dataDir}, with either {@link Storage} (docs/storage.md): SQLite
     * ({@code events.db}, the default) or RocksDB ({@code events.rocksdb/}). A data directory holds one kind; the
     * server refuses to open the other.
     */
    public enum EventLogKind {
        SQLITE("sqlite"),
        ROCKSDB("rocksdb");

        private final String configName;

        EventLogKind(String configName) {
            this.configName = configName;
        }

        /** How the config names it ({@code eventLog: rocksdb}). */
        public String configName() {
            return configName;
        }
    }

    /**
     * Where users, approvals, audit, secrets, config and dead letters live (docs/storage.md). The event log is an
     * embedded log of {@code dataDir} ({@link EventLogKind}) with either backend.
     */
    public sealed interface Storage permits Storage.Sqlite, Storage.Postgres {

        /** The embedded SQLite stores of {@code dataDir} (the default). */
        Storage SQLITE = new Sqlite();

        /** The embedded SQLite stores of {@code dataDir}. */
        record Sqlite() implements Storage {}

        /**
         * A PostgreSQL schema (shared by several servers); validated when the config is read.
         *
         * @param url {@code jdbc:postgresql://host:port/database}, without a password
         * @param user the role to connect as
         * @param password a reference to the password ({@code ${env:NAME}} or {@code ${file:/path}}), resolved
         *     when the stores open; null for trust or peer authentication
         * @param schema the schema of Veil's tables (created if missing)
         * @param maxPoolSize connections of the server's one pool, shared by every store
         * @param origin where the block was read, as messages name it ({@code config /etc/veil/veil.yaml}), so an
         *     error found when the stores open (a password reference that does not resolve) names the file as
         *     other config errors do
         */
        record Postgres(
                String url, String user, @Nullable SecretRef password, String schema, int maxPoolSize, String origin)
                implements Storage {
            public Postgres {
                Objects.requireNonNull(url, "url");
                Objects.requireNonNull(user, "user");
                Objects.requireNonNull(schema, "schema");
                Objects.requireNonNull(origin, "origin");
            }

            /** A block not read from a file ({@code origin} is just {@code config}). */
            public Postgres(String url, String user, @Nullable SecretRef password, String schema, int maxPoolSize) {
                this(url, user, password, schema, maxPoolSize, "config");
            }

            public Postgres withOrigin(String value) {
                return new Postgres(url, user, password, schema, maxPoolSize, value);
            }
        }
    }

    /**
     * Ingest limits (defaults are Segment's published limits).
     *
     * @param messageBytes largest single message (JSON, after decompression)
     * @param batchBytes largest request body (JSON, after decompression)
     * @param batchMessages most messages in one batch
     * @param decompressedBytes hard cap while inflating a gzip body; inflating stops here (gzip bomb defence)
     * @param maxDepth deepest nesting of objects/arrays inside one message
     */
    public record Limits(long messageBytes, long batchBytes, int batchMessages, long decompressedBytes, int maxDepth) {
        public Limits {
            if (messageBytes < 1 || batchBytes < 1 || batchMessages < 1 || decompressedBytes < 1 || maxDepth < 1) {
                throw new IllegalArgumentException("limits must all be positive");
            }
            if (messageBytes > batchBytes) {
                throw new IllegalArgumentException("messageSize must not exceed batchSize");
            }
            if (decompressedBytes < batchBytes) {
                throw new IllegalArgumentException("decompressedSize must be at least batchSize");
            }
        }

        /** 32 KB per message, 500 KB per batch, 2,500 messages, 1 MB inflated, depth 32. */
        public static Limits defaults() {
            return new Limits(32 * 1024, 500 * 1024, 2_500, 1024 * 1024, 32);
        }
    }

    /**
     * The ingest API's rate limits; a null rate is off.
     *
     * @param perIp requests per client address
     * @param perSource events per source (write key)
     * @param failedAuthPerIp requests refused as unauthorized per client address; once used up, every ingest
     *     request from the address is refused until the bucket refills
     */
    public record RateLimits(
            @Nullable Rate perIp,
            @Nullable Rate perSource,
            @Nullable Rate failedAuthPerIp) {

        /** 200 requests/s per address (burst 400), 20,000 events/s per source (burst 100,000), 10 failed/min (burst 20). */
        public static RateLimits defaults() {
            return new RateLimits(
                    Rate.parse("200/s"),
                    Rate.parse("20000/s").withBurst(100_000),
                    Rate.parse("10/min").withBurst(20));
        }

        /** No limits. */
        public static RateLimits off() {
            return new RateLimits(null, null, null);
        }
    }
}
