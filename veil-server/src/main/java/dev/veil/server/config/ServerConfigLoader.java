package dev.veil.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.veil.core.policy.SecretRef;
import dev.veil.http.HttpLimits;
import dev.veil.http.Rate;
import dev.veil.http.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code veil.yaml} into a {@link ServerConfig}. Unknown keys, wrong types and malformed values are
 * errors naming the file, the key path and the line; relative paths are resolved against the file's directory.
 */
public final class ServerConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ServerConfigLoader() {}

    /** Loads and validates the file. */
    public static ServerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(
                    "config " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    /** Parses YAML text; {@code name} is used in messages, {@code baseDir} resolves relative paths. */
    public static ServerConfig parse(String yaml, String name, Path baseDir) {
        FileModel model;
        try {
            model = yaml.isBlank() ? null : YAML.readValue(yaml, FileModel.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(name, e, lines(yaml)), e);
        }
        if (model == null) {
            return ServerConfig.defaults().withDataDir(baseDir.resolve("veil-data"));
        }
        ServerConfig cfg;
        try {
            cfg = model.toConfig(baseDir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config " + name + ": " + e.getMessage(), e);
        }
        return cfg.storage() instanceof ServerConfig.Storage.Postgres pg
                ? cfg.withStorage(pg.withOrigin("config " + name))
                : cfg;
    }

    /**
     * Line of every key and list element, by JSON pointer. Jackson reports some errors (unknown keys of records)
     * only after reading the whole mapping, so its own location can point past the offending key.
     */
    private static Map<String, Integer> lines(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            while (p.nextToken() != null) {
                lines.putIfAbsent(
                        p.getParsingContext().pathAsPointer().toString(),
                        p.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // Malformed YAML: the positions gathered so far are all we have.
        }
        return lines;
    }

    private static String describe(String name, JsonProcessingException e, Map<String, Integer> lines) {
        String path = e instanceof JsonMappingException m ? path(m) : "";
        String pointer = e instanceof JsonMappingException m ? pointer(m) : "";
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown key '" + u.getPropertyName() + "' (known: "
                    + u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ")";
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            problem = v.getCause().getMessage();
        } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            problem = "expected " + typeName(mi.getTargetType());
        } else if (e instanceof JsonMappingException) {
            problem = e.getOriginalMessage();
        } else {
            problem = "not valid YAML";
        }
        JsonLocation loc = e.getLocation();
        int lineNr = lines.getOrDefault(pointer, loc == null ? -1 : loc.getLineNr());
        String line = lineNr < 1 ? "" : " (line " + lineNr + ")";
        return "config " + name + (path.isEmpty() ? "" : " " + path) + ": " + problem + line;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            sb.append('/').append(r.getIndex() >= 0 ? String.valueOf(r.getIndex()) : r.getFieldName());
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class
                || type == ByteSize.class
                || type == Duration.class
                || type == Cidr.class
                || type == Path.class) {
            return "a single value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    /** The file as written; every key optional. */
    record FileModel(
            @Nullable ListenModel listen,
            @Nullable String dataDir,
            @Nullable StorageSetting storage,
            @Nullable EventLogSetting eventLog,
            @JsonProperty("policy") @Nullable String policy,

            @JsonDeserialize(contentUsing = CidrDeserializer.class) @Nullable
            List<Cidr> trustedProxies,

            @Nullable LimitsModel limits,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration dedupWindow,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration retention,

            @Nullable ListenModel management,
            @Nullable HttpModel http,
            @Nullable RateLimitsModel rateLimits,
            @Nullable TlsModel tls) {

        ServerConfig toConfig(Path base) {
            ServerConfig d = ServerConfig.defaults();
            ServerConfig.Listen l = listen == null
                    ? d.listen()
                    : new ServerConfig.Listen(
                            listen.host == null ? d.listen().host() : listen.host,
                            listen.port == null ? d.listen().port() : listen.port);
            ServerConfig.Limits dl = d.limits();
            ServerConfig.Limits lim;
            try {
                lim = limits == null
                        ? dl
                        : new ServerConfig.Limits(
                                limits.messageSize == null ? dl.messageBytes() : limits.messageSize.bytes(),
                                limits.batchSize == null ? dl.batchBytes() : limits.batchSize.bytes(),
                                limits.batchMessages == null ? dl.batchMessages() : limits.batchMessages,
                                limits.decompressedSize == null
                                        ? dl.decompressedBytes()
                                        : limits.decompressedSize.bytes(),
                                limits.maxDepth == null ? dl.maxDepth() : limits.maxDepth);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("limits: " + e.getMessage(), e);
            }
            ServerConfig.Listen m = management == null
                    ? d.management()
                    : new ServerConfig.Listen(
                            management.host == null ? d.management().host() : management.host,
                            management.port == null ? d.management().port() : management.port);
            return new ServerConfig(
                    l,
                    base.resolve(dataDir == null ? "veil-data" : dataDir).normalize(),
                    storage == null ? ServerConfig.Storage.SQLITE : storage.storage(),
                    eventLog == null ? d.eventLog() : eventLog.kind(),
                    policy == null ? null : base.resolve(policy).normalize(),
                    trustedProxies == null ? List.of() : trustedProxies,
                    lim,
                    dedupWindow == null ? d.dedupWindow() : dedupWindow,
                    retention == null ? d.retention() : retention,
                    m,
                    httpLimits(http, d.http()),
                    rateLimits == null ? d.rateLimits() : rateLimits.toRateLimits(d.rateLimits()),
                    tls == null ? null : tls.toSettings(base));
        }

        private static HttpLimits httpLimits(@Nullable HttpModel http, HttpLimits d) {
            try {
                return http == null ? d : http.toLimits(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("http: " + e.getMessage(), e);
            }
        }
    }

    /** The configured storage backend. */
    @JsonDeserialize(using = StorageDeserializer.class)
    record StorageSetting(ServerConfig.Storage storage) {}

    /**
     * {@code sqlite}, or {@code {kind: sqlite}}, or {@code {kind: postgres, url, user, password, schema,
     * maxPoolSize}}. Messages name the key, never its value (the URL may carry options, the password is secret).
     */
    static final class StorageDeserializer extends JsonDeserializer<StorageSetting> {
        private static final List<String> KINDS = List.of("sqlite", "postgres");
        private static final List<String> POSTGRES_KEYS =
                List.of("kind", "maxPoolSize", "password", "schema", "url", "user");
        private static final java.util.regex.Pattern SCHEMA = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

        @Override
        public StorageSetting deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            com.fasterxml.jackson.databind.JsonNode node = ctxt.readTree(p);
            if (node.isTextual()) {
                String kind = node.asText().trim().toLowerCase(Locale.ROOT);
                if (kind.equals("sqlite")) {
                    return new StorageSetting(ServerConfig.Storage.SQLITE);
                }
                if (kind.equals("postgres")) {
                    throw JsonMappingException.from(
                            p,
                            "postgres needs its connection: {kind: postgres, url: jdbc:postgresql://host/db,"
                                    + " user: veil, password: ${env:NAME}}");
                }
                throw JsonMappingException.from(p, "must be one of " + KINDS + " or a mapping with 'kind'");
            }
            if (!node.isObject()) {
                throw JsonMappingException.from(p, "must be one of " + KINDS + " or a mapping with 'kind'");
            }
            com.fasterxml.jackson.databind.JsonNode kindNode = node.get("kind");
            if (kindNode == null) {
                throw at(p, "kind", "required, one of " + KINDS);
            }
            String kind = kindNode.isTextual() ? kindNode.asText().trim().toLowerCase(Locale.ROOT) : "";
            if (!KINDS.contains(kind)) {
                throw at(p, "kind", "must be one of " + KINDS);
            }
            List<String> known = kind.equals("sqlite") ? List.of("kind") : POSTGRES_KEYS;
            for (var names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw at(
                            p,
                            name,
                            "unknown key '" + name + "' for kind " + kind + " (known: " + String.join(", ", known)
                                    + ")");
                }
            }
            if (kind.equals("sqlite")) {
                return new StorageSetting(ServerConfig.Storage.SQLITE);
            }
            String url = text(p, node, "url");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw at(p, "url", "must start with 'jdbc:postgresql:'");
            }
            if (url.toLowerCase(Locale.ROOT).contains("password=")) {
                throw at(
                        p,
                        "url",
                        "must not carry the password (the URL is logged); set storage.password to"
                                + " ${env:NAME} or ${file:/path}");
            }
            String user = text(p, node, "user");
            SecretRef password = node.has("password") ? password(p, node.get("password")) : null;
            String schema = node.has("schema") ? text(p, node, "schema") : "veil";
            if (!SCHEMA.matcher(schema).matches()) {
                throw at(p, "schema", "must be 1-63 lower-case letters, digits or '_', not starting with a digit");
            }
            int pool = 8;
            if (node.has("maxPoolSize")) {
                com.fasterxml.jackson.databind.JsonNode n = node.get("maxPoolSize");
                if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 1000) {
                    throw at(p, "maxPoolSize", "must be a whole number from 1 to 1000");
                }
                pool = n.asInt();
            }
            return new StorageSetting(new ServerConfig.Storage.Postgres(url, user, password, schema, pool));
        }

        private static String text(JsonParser p, com.fasterxml.jackson.databind.JsonNode node, String key)
                throws JsonMappingException {
            com.fasterxml.jackson.databind.JsonNode n = node.get(key);
            if (n == null) {
                throw at(p, key, "required for kind postgres");
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                throw at(p, key, "must be a non-empty text");
            }
            return n.asText().trim();
        }

        /** Only a reference is accepted: a password written into veil.yaml would sit in backups and in git. */
        private static SecretRef password(JsonParser p, com.fasterxml.jackson.databind.JsonNode n)
                throws JsonMappingException {
            String hint = "must be ${env:NAME} or ${file:/absolute/path}, never the password itself";
            if (!n.isTextual()) {
                throw at(p, "password", hint);
            }
            String text = n.asText().trim();
            SecretRef ref;
            try {
                ref = SecretRef.parse(text).orElse(null);
            } catch (IllegalArgumentException e) {
                throw at(p, "password", e.getMessage());
            }
            if (ref == null || ref.kind() == SecretRef.Kind.SECRET) {
                throw at(p, "password", hint);
            }
            return ref;
        }

        /** An error at {@code storage.<key>} (the line of that key). */
        private static JsonMappingException at(JsonParser p, String key, String problem) {
            JsonMappingException e = JsonMappingException.from(p, problem);
            e.prependPath(StorageSetting.class, key);
            return e;
        }
    }

    /** The configured event log kind. */
    @JsonDeserialize(using = EventLogDeserializer.class)
    record EventLogSetting(ServerConfig.EventLogKind kind) {}

    /** {@code sqlite} or {@code rocksdb}, or {@code {kind: sqlite}} / {@code {kind: rocksdb}} as {@code storage:} reads. */
    static final class EventLogDeserializer extends JsonDeserializer<EventLogSetting> {
        private static final List<String> KINDS = java.util.Arrays.stream(ServerConfig.EventLogKind.values())
                .map(ServerConfig.EventLogKind::configName)
                .toList();

        @Override
        public EventLogSetting deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            com.fasterxml.jackson.databind.JsonNode node = ctxt.readTree(p);
            com.fasterxml.jackson.databind.JsonNode kindNode = node;
            if (node.isObject()) {
                for (var names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!name.equals("kind")) {
                        throw at(p, name, "unknown key '" + name + "' (known: kind)");
                    }
                }
                kindNode = node.get("kind");
                if (kindNode == null) {
                    throw at(p, "kind", "required, one of " + KINDS);
                }
            }
            String kind = kindNode.isTextual() ? kindNode.asText().trim().toLowerCase(Locale.ROOT) : "";
            for (ServerConfig.EventLogKind k : ServerConfig.EventLogKind.values()) {
                if (k.configName().equals(kind)) {
                    return new EventLogSetting(k);
                }
            }
            String problem = "must be one of " + KINDS + (node.isObject() ? "" : " or a mapping with 'kind'");
            throw node.isObject() ? at(p, "kind", problem) : JsonMappingException.from(p, problem);
        }

        /** An error at {@code eventLog.<key>}. */
        private static JsonMappingException at(JsonParser p, String key, String problem) {
            JsonMappingException e = JsonMappingException.from(p, problem);
            e.prependPath(EventLogSetting.class, key);
            return e;
        }
    }

    record TlsModel(
            @Nullable String certificate,
            @Nullable String privateKey,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration reloadCheck,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration hstsMaxAge) {

        TlsSettings toSettings(Path base) {
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("tls: needs both certificate and privateKey (PEM files)");
            }
            TlsSettings d = TlsSettings.of(base.resolve(certificate), base.resolve(privateKey));
            try {
                return new TlsSettings(
                        d.certificate().normalize(),
                        d.privateKey().normalize(),
                        reloadCheck == null ? d.reloadCheck() : reloadCheck,
                        hstsMaxAge == null ? d.hstsMaxAge() : hstsMaxAge);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("tls.", "tls: "), e);
            }
        }
    }

    record RateLimitsModel(
            @Nullable RateSetting perIp,

            @Nullable RateSetting perSource,

            @Nullable RateSetting failedAuthPerIp) {

        ServerConfig.RateLimits toRateLimits(ServerConfig.RateLimits d) {
            return new ServerConfig.RateLimits(
                    perIp == null ? d.perIp() : perIp.rate(),
                    perSource == null ? d.perSource() : perSource.rate(),
                    failedAuthPerIp == null ? d.failedAuthPerIp() : failedAuthPerIp.rate());
        }
    }

    /** A configured rate; {@code off} is a null rate. */
    @JsonDeserialize(using = RateDeserializer.class)
    record RateSetting(@Nullable Rate rate) {}

    /** {@code 200/s}, {@code off}, or {@code {rate: 200/s, burst: 1000}}. */
    static final class RateDeserializer extends JsonDeserializer<RateSetting> {
        @Override
        public RateSetting deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            com.fasterxml.jackson.databind.JsonNode node = ctxt.readTree(p);
            try {
                if (node.isBoolean() && !node.asBoolean()) {
                    return new RateSetting(null); // YAML reads an unquoted off as false
                }
                if (node.isTextual()) {
                    String text = node.asText();
                    return new RateSetting(text.trim().equalsIgnoreCase("off") ? null : Rate.parse(text));
                }
                if (node.isObject() && node.path("rate").isTextual()) {
                    Rate rate = Rate.parse(node.path("rate").asText());
                    for (var names = node.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (!name.equals("rate") && !name.equals("burst")) {
                            throw new IllegalArgumentException("unknown key '" + name + "' (known: burst, rate)");
                        }
                    }
                    if (node.has("burst")) {
                        if (!node.get("burst").canConvertToLong()
                                || !node.get("burst").isIntegralNumber()) {
                            throw new IllegalArgumentException("burst must be a whole number");
                        }
                        rate = rate.withBurst(node.get("burst").asLong());
                    }
                    return new RateSetting(rate);
                }
                throw new IllegalArgumentException("expected a rate such as 200/s, off, or {rate: 200/s, burst: 400}");
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }

    record HttpModel(
            @Nullable Integer maxConnections,
            @Nullable Integer maxConnectionsPerIp,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration headerTimeout,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration bodyTimeout,

            @JsonDeserialize(using = DurationDeserializer.class) @Nullable
            Duration idleTimeout,

            @JsonDeserialize(using = ByteSizeDeserializer.class) @Nullable
            ByteSize maxHeaderSize) {

        HttpLimits toLimits(HttpLimits d) {
            return new HttpLimits(
                    maxConnections == null ? d.maxConnections() : maxConnections,
                    maxConnectionsPerIp == null
                            ? Math.min(
                                    d.maxConnectionsPerIp(),
                                    maxConnections == null ? Integer.MAX_VALUE : maxConnections)
                            : maxConnectionsPerIp,
                    headerTimeout == null ? d.headerTimeout() : headerTimeout,
                    bodyTimeout == null ? d.bodyTimeout() : bodyTimeout,
                    idleTimeout == null ? d.idleTimeout() : idleTimeout,
                    d.idleTimeoutAtLimit(),
                    maxHeaderSize == null ? d.maxRequestHeaderBytes() : Math.toIntExact(maxHeaderSize.bytes()));
        }
    }

    record ListenModel(@Nullable String host, @Nullable Integer port) {
        ListenModel {
            if (port != null && (port < 0 || port > 65_535)) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
        }
    }

    record LimitsModel(
            @JsonDeserialize(using = ByteSizeDeserializer.class) @Nullable
            ByteSize messageSize,

            @JsonDeserialize(using = ByteSizeDeserializer.class) @Nullable
            ByteSize batchSize,

            @Nullable Integer batchMessages,

            @JsonDeserialize(using = ByteSizeDeserializer.class) @Nullable
            ByteSize decompressedSize,

            @Nullable Integer maxDepth) {}

    static final class ByteSizeDeserializer extends JsonDeserializer<ByteSize> {
        @Override
        public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return ByteSize.parse(p.getValueAsString(""));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }

    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return DurationText.parse(p.getValueAsString(""));
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }

    static final class CidrDeserializer extends JsonDeserializer<Cidr> {
        @Override
        public Cidr deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return Cidr.parse(p.getValueAsString(""));
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }
}
