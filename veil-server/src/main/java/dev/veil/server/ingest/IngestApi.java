package dev.veil.server.ingest;

import static dev.veil.server.config.ByteSize.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.Source;
import dev.veil.server.source.SourceRegistry;
import dev.veil.store.EventLog;
import dev.veil.store.EventLog.AppendResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Segment HTTP Tracking API and RudderStack's data plane API, on the paths of {@link IngestRoute#ALL}:
 * {@code POST /v1/track|identify|page|screen|group|alias} and analytics.js's {@code /v1/t|i|p|s|g|a} (one message),
 * {@code /v1/batch} = {@code /v1/import} = {@code /v1/b} and RudderStack's {@code /beacon/v1/batch} (many). A request
 * is answered {@code 200 {"success":true}} only after {@link EventLog#append} returned, i.e. once its events are
 * durable.
 *
 * <p>Order of checks: content type, write key from HTTP Basic (or, on beacon routes, {@code ?writeKey=}) when sent,
 * body size, JSON, body {@code writeKey} (when no header), origin, then each message. In a batch, invalid messages
 * are refused one by one and the valid ones accepted (as Segment does); the response lists the refused ones under
 * {@code rejected}. CORS is {@link IngestCors}'s; the identity cookie of sources that set one is
 * {@link IdentityCookies}'s.
 */
public final class IngestApi {

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    /** The answer to an accepted request without refused messages. */
    private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ServerConfig.Limits limits;
    private final SourceRegistry sources;
    private final EventLog log;
    private final Clock clock;
    private final ClientIpResolver ipResolver;
    private final BodyReader bodies;
    private final PayloadParser parser;
    private final MessageNormalizer normalizer = new MessageNormalizer();
    private final IngestMetrics metrics;
    private final IngestStats stats;
    private final SourceThrottle throttle;
    private final IngestCors cors;

    public IngestApi(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            MeterRegistry registry,
            IngestStats stats,
            Clock clock) {
        this(config, sources, log, registry, stats, clock, SourceThrottle.NONE);
    }

    /** @param throttle rate limits per source, asked before anything is appended */
    public IngestApi(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            MeterRegistry registry,
            IngestStats stats,
            Clock clock,
            SourceThrottle throttle) {
        this.throttle = throttle;
        this.limits = config.limits();
        this.sources = sources;
        this.log = log;
        this.clock = clock;
        this.ipResolver = new ClientIpResolver(config.trustedProxies());
        this.bodies = new BodyReader(limits.decompressedBytes());
        this.parser = new PayloadParser(limits.maxDepth());
        this.metrics = new IngestMetrics(registry, log);
        this.stats = stats;
        this.cors = new IngestCors(sources);
    }

    /** Registers the routes of {@link IngestRoute#ALL}, their preflights and their CORS headers. */
    public void register(RoutesConfig routes) {
        // Every answer under these prefixes, errors and unknown paths included, carries the CORS headers.
        routes.before("/v1/*", cors::decorate);
        routes.before("/beacon/*", cors::decorate);
        for (IngestRoute route : IngestRoute.ALL) {
            switch (route.body()) {
                case MESSAGE -> routes.post(route.path(), ctx -> single(ctx, route));
                case BATCH -> routes.post(route.path(), ctx -> batch(ctx, route));
                case CLIENT_METRICS -> routes.post(route.path(), this::clientMetrics);
            }
            routes.options(route.path(), cors::preflight);
        }
        routes.exception(ApiException.class, (e, ctx) -> {
            metrics.rejected(e.code(), 1);
            stats.rejected(1);
            ErrorResponses.write(ctx, e);
        });
    }

    /**
     * Segment's browser library posts its own delivery counters here when its {@code apiHost} is Veil. They are
     * read (bounded) and discarded: they hold no event, and a 404 would only put an error in every visitor's console.
     */
    private void clientMetrics(Context ctx) throws IOException {
        readBody(ctx, limits.messageBytes(), "metrics");
        ctx.contentType("application/json").result("{\"success\":true}");
    }

    private void single(Context ctx, IngestRoute route) throws IOException {
        EventType type = Objects.requireNonNull(route.type());
        checkContentType(ctx);
        Optional<Source> headerSource = sourceFromRequest(ctx, route);
        byte[] body = readBody(ctx, limits.messageBytes(), "message");
        ObjectNode msg = parser.parseSingle(body);
        Source source = headerSource.orElseGet(() -> sourceFromBody(msg.get("writeKey")));
        checkOrigin(ctx, source);
        Instant now = clock.instant();
        MessageNormalizer.Normalized n = normalize(msg, "", type, null, now);
        RawEvent raw = raw(Peer.of(ctx, ipResolver), source, n, now, "");
        throttle.admit(ctx, source, 1);
        List<AppendResult> results = append(List.of(raw));
        count(List.of(n), results);
        IdentityCookies.answer(ctx, source, List.of(n.message()));
        succeed(ctx);
    }

    private void batch(Context ctx, IngestRoute route) throws IOException {
        checkContentType(ctx);
        Optional<Source> headerSource = sourceFromRequest(ctx, route);
        byte[] body = readBody(ctx, limits.batchBytes(), "batch");
        PayloadParser.Batch batch = parser.parseBatch(body, limits.batchMessages());
        if (batch.count() > limits.batchMessages()) {
            throw ApiException.tooLarge(String.format(
                    Locale.ROOT, "batch has %,d messages; the limit is %,d", batch.count(), limits.batchMessages()));
        }
        Source source = headerSource.orElseGet(() -> sourceFromBody(batchWriteKey(batch)));
        checkOrigin(ctx, source);
        if (batch.count() == 0) {
            throw ApiException.badRequest("invalid_batch", "batch: is empty");
        }
        Instant now = clock.instant();
        List<Rejection> rejected = new ArrayList<>();
        List<MessageNormalizer.Normalized> valid = new ArrayList<>();
        List<RawEvent> raws = new ArrayList<>();
        // What the request's headers and socket say about the sender: read once, not once per message.
        Peer peer = Peer.of(ctx, ipResolver);
        for (PayloadParser.Element e : batch.elements()) {
            String path = "batch[" + e.index() + "]";
            try {
                if (e.bytes() > limits.messageBytes()) {
                    throw new ApiException(
                            413,
                            "message_too_large",
                            path + " is " + format(e.bytes()) + "; the limit is " + format(limits.messageBytes()));
                }
                if (e.refused() != null) {
                    throw e.refused();
                }
                if (!(e.node() instanceof ObjectNode msg)) {
                    throw ApiException.badRequest(
                            "invalid_message", path + ": must be an object, found " + Json.kind(e.node()));
                }
                MessageNormalizer.Normalized n = normalize(msg, path, null, batch.envelope(), now);
                RawEvent raw = raw(peer, source, n, now, path);
                valid.add(n);
                raws.add(raw);
            } catch (ApiException ex) {
                rejected.add(new Rejection(e.index(), ex.code(), ex.getMessage()));
                metrics.rejected(ex.code(), 1);
            }
        }
        stats.rejected(rejected.size());
        if (valid.isEmpty()) {
            throw new ApiException(
                    400, "invalid_batch", "all " + rejected.size() + " messages were refused; see rejected", rejected);
        }
        throttle.admit(ctx, source, raws.size());
        List<AppendResult> results = append(raws);
        count(valid, results);
        if (source.identityCookie() != null) {
            IdentityCookies.answer(
                    ctx,
                    source,
                    valid.stream().map(MessageNormalizer.Normalized::message).toList());
        }
        if (rejected.isEmpty()) {
            succeed(ctx);
            return;
        }
        ObjectNode response = parser.mapper().createObjectNode().put("success", true);
        ArrayNode list = response.putArray("rejected");
        for (Rejection r : rejected) {
            list.addObject().put("index", r.index()).put("code", r.code()).put("message", r.message());
        }
        ctx.contentType("application/json").result(parser.mapper().writeValueAsBytes(response));
    }

    /**
     * Answers {@code 200 {"success":true}}. Written to the servlet stream itself, which buffers it and sends it
     * with its length when the request completes, as Javalin's {@code result()} does; {@code result()} copies
     * through a new 8 KB buffer per request (a tenth of the allocation of a single-event request).
     */
    private static void succeed(Context ctx) throws IOException {
        ctx.contentType("application/json");
        ctx.res().getOutputStream().write(SUCCESS);
    }

    /**
     * {@link MessageNormalizer#normalize}, with any unforeseen fault of one message turned into that message's
     * {@code 400 invalid_message} (its entry in a batch's {@code rejected}): one odd message must never fail a
     * batch with a 5xx, which clients retry forever.
     */
    private MessageNormalizer.Normalized normalize(
            ObjectNode msg, String path, @Nullable EventType type, @Nullable ObjectNode envelope, Instant now) {
        try {
            return normalizer.normalize(msg, path, type, envelope, now);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unprocessable(path, e);
        }
    }

    private RawEvent raw(Peer peer, Source source, MessageNormalizer.Normalized n, Instant now, String path) {
        try {
            return toRaw(peer, source, n, now);
        } catch (RuntimeException e) {
            throw unprocessable(path, e);
        }
    }

    private static ApiException unprocessable(String path, RuntimeException e) {
        // The type only: the exception's message may quote the value.
        LOG.warn(
                "ingest: message {} could not be processed: {}",
                path.isEmpty() ? "(single)" : path,
                e.getClass().getName());
        return ApiException.badRequest(
                "invalid_message",
                (path.isEmpty() ? "message" : path) + ": could not be processed ("
                        + e.getClass().getSimpleName() + ")");
    }

    private List<AppendResult> append(List<RawEvent> events) {
        return metrics.append().record(() -> log.append(events));
    }

    private void count(List<MessageNormalizer.Normalized> valid, List<AppendResult> results) {
        long dup = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == AppendResult.DUPLICATE) {
                dup++;
                stats.duplicate();
            } else {
                stats.accepted(valid.get(i).type());
            }
        }
        metrics.accepted(results.size() - dup);
        metrics.duplicates(dup);
    }

    /**
     * What a request says about its sender, the same for all its messages: the {@code User-Agent} header, the
     * client address ({@link ClientIpResolver}) and {@code Sec-GPC}.
     */
    private record Peer(
            @Nullable String userAgent, @Nullable String ip, boolean gpc) {
        static Peer of(Context ctx, ClientIpResolver resolver) {
            return new Peer(
                    ctx.header("User-Agent"),
                    resolver.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For")),
                    "1".equals(trim(ctx.header("Sec-GPC"))));
        }
    }

    private RawEvent toRaw(Peer peer, Source source, MessageNormalizer.Normalized n, Instant receivedAt) {
        JsonNode context = n.message().path("context");
        String ua = peer.userAgent();
        JsonNode ctxUa = context.path("userAgent");
        if (ua == null
                || (source.trustedServer()
                        && ctxUa.isTextual()
                        && !ctxUa.asText().isBlank())) {
            // A trusted server source relays its visitors' events: their user agent is the message's, not the
            // relay's (a server library's). A browser's own request header always wins over its message.
            ua = ctxUa.isTextual() ? ctxUa.asText() : null;
        }
        String ip = peer.ip();
        if (source.trustedServer()) {
            ip = relayedIp(context.path("ip")).orElse(ip);
        }
        return new RawEvent(
                source.id(), n.messageId(), n.type(), receivedAt, n.timestamp(), n.message(), ip, ua, peer.gpc());
    }

    /** The visitor's address a trusted relay put in {@code context.ip}, when it is an IP literal (never resolved). */
    private static Optional<String> relayedIp(JsonNode ip) {
        if (!ip.isTextual()) {
            return Optional.empty();
        }
        return dev.veil.server.config.Cidr.parseLiteral(ip.asText()).map(java.net.InetAddress::getHostAddress);
    }

    private byte[] readBody(Context ctx, long limit, String what) throws IOException {
        byte[] body = bodies.read(
                ctx.req().getInputStream(), ctx.header("Content-Encoding"), ctx.header("Content-Length"), limit, what);
        metrics.bytes(body.length);
        return body;
    }

    private static void checkContentType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) {
            return; // sendBeacon with a Blob may send none; the body is still parsed as JSON
        }
        int semicolon = ct.indexOf(';');
        String mime = (semicolon < 0 ? ct : ct.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        // x-www-form-urlencoded: RudderStack's Node SDK (axios) labels its gzip'd JSON batches so; the body is
        // still parsed as JSON, as RudderStack's data plane does.
        if (!mime.equals("application/json")
                && !mime.equals("text/plain")
                && !mime.equals("application/x-www-form-urlencoded")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Content-Type must be application/json, text/plain or application/x-www-form-urlencoded");
        }
    }

    /** The source named by the Authorization header or, on beacon routes, by {@code ?writeKey=}; else empty. */
    private Optional<Source> sourceFromRequest(Context ctx, IngestRoute route) {
        String auth = ctx.header("Authorization");
        if (auth == null) {
            String query = route.keyInQuery() ? ctx.queryParam("writeKey") : null;
            if (query == null) {
                return Optional.empty();
            }
            if (query.isEmpty()) {
                throw unauthorized("writeKey (query string): is empty");
            }
            return Optional.of(sources.byWriteKey(query).orElseThrow(() -> unauthorized("write key is not known")));
        }
        String[] parts = WHITESPACE.split(auth.trim(), 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
            throw unauthorized("Authorization must be HTTP Basic with the write key as the user name");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("Authorization: Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        if (key.isEmpty()) {
            throw unauthorized("Authorization: the write key (Basic user name) is empty");
        }
        return Optional.of(sources.byWriteKey(key).orElseThrow(() -> unauthorized("write key is not known")));
    }

    private Source sourceFromBody(@Nullable JsonNode writeKey) {
        if (writeKey == null || writeKey.isNull()) {
            throw unauthorized("write key is missing: send it as the HTTP Basic user name or as writeKey in the body");
        }
        if (!writeKey.isTextual() || writeKey.asText().isEmpty()) {
            throw unauthorized("writeKey: must be a non-empty string");
        }
        return sources.byWriteKey(writeKey.asText()).orElseThrow(() -> unauthorized("write key is not known"));
    }

    private static @Nullable JsonNode batchWriteKey(PayloadParser.Batch batch) {
        JsonNode top = batch.envelope().get("writeKey");
        if (top != null || batch.elements().isEmpty()) {
            return top;
        }
        // Some clients put the key in each message instead of the envelope.
        JsonNode first = batch.elements().get(0).node();
        return first == null ? null : first.get("writeKey");
    }

    private void checkOrigin(Context ctx, Source source) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        if (!source.allowsOrigin(origin)) {
            throw new ApiException(
                    403, "origin_not_allowed", "origin is not in allowedOrigins of source " + source.id());
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    private static @Nullable String trim(@Nullable String s) {
        return s == null ? null : s.trim();
    }
}
