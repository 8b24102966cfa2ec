package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.config.ServerConfig;
import dev.veil.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CORS table: every route of {@link IngestRoute#ALL} × (allowed origin, disallowed origin, no origin) ×
 * (success and each way the request can be refused) → the status and the CORS headers. Generated from the route
 * table, so a new route is covered as soon as it exists, and a new kind of route does not compile until it has its
 * sample requests here.
 *
 * <p>The rule under test: every answer to a request with an {@code Origin} is readable by that page (errors too,
 * so clients can tell a final refusal from a network failure); only origins that a source lists by name may send
 * credentials; a disallowed origin never gets a success; without {@code Origin} there is no CORS header at all.
 */
class IngestCorsTableTest {

    static final String ALLOWED = TestServer.ORIGIN;
    static final String DISALLOWED = "https://not-listed.example";
    static final long MESSAGE_LIMIT = 2048;
    static final long BATCH_LIMIT = 8192;

    // Rate limits off: the table sends hundreds of refused write keys from one address on purpose, which the
    // failed-key throttle would (rightly) answer with 429 (IngestRateLimitsTest covers that).
    private final TestServer veil = new TestServer(
            ServerConfig.defaults()
                    .withLimits(new ServerConfig.Limits(MESSAGE_LIMIT, BATCH_LIMIT, 100, 1 << 20, 32))
                    .withRateLimits(ServerConfig.RateLimits.off()),
            Clock.systemUTC());

    @AfterEach
    void stop() {
        veil.close();
    }

    /**
     * One way to call a route.
     *
     * @param status the answer's status for an allowed origin or none
     * @param passesOriginCheck whether the request reaches the origin check (a disallowed origin then gets 403)
     */
    record Call(
            String name,
            int status,
            boolean passesOriginCheck,
            String body,
            @Nullable String authorization,
            String contentType,
            boolean storeFails) {}

    static List<Call> calls(IngestRoute route) {
        String key = TestServer.basic(TestServer.WRITE_KEY);
        String valid;
        String invalidMessage;
        long limit;
        switch (route.body()) {
            case MESSAGE -> {
                valid = "{\"anonymousId\":\"a1\",\"event\":\"E\",\"groupId\":\"g\",\"previousId\":\"p\"}";
                invalidMessage = "{\"event\":\"E\"}"; // neither userId nor anonymousId
                limit = MESSAGE_LIMIT;
            }
            case BATCH -> {
                valid = "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a1\"}]}";
                invalidMessage = "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a1\"}]}";
                limit = BATCH_LIMIT;
            }
            case CLIENT_METRICS -> {
                String metrics = "{\"series\":[]}";
                return List.of(
                        new Call("success", 200, false, metrics, null, "text/plain", false),
                        new Call(
                                "too large",
                                413,
                                false,
                                "x".repeat((int) MESSAGE_LIMIT + 1),
                                null,
                                "text/plain",
                                false));
            }
            default -> throw new IllegalStateException();
        }
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("success", 200, true, valid, key, "text/plain", false));
        calls.add(new Call("unknown write key", 401, false, valid, TestServer.basic("nope"), "text/plain", false));
        calls.add(new Call("missing write key", 401, false, valid, null, "text/plain", false));
        calls.add(new Call("invalid JSON", 400, false, "{\"batch\":", key, "text/plain", false));
        calls.add(new Call("invalid message", 400, true, invalidMessage, key, "text/plain", false));
        calls.add(new Call("too large", 413, false, "x".repeat((int) limit + 1), key, "text/plain", false));
        calls.add(new Call("unsupported media type", 415, false, valid, key, "application/xml", false));
        calls.add(new Call("store unavailable", 503, true, valid, key, "text/plain", true));
        return calls;
    }

    @TestFactory
    Stream<DynamicTest> every_route_answers_every_origin_with_the_right_cors_headers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (IngestRoute route : IngestRoute.ALL) {
            for (Call call : calls(route)) {
                for (String origin : new String[] {ALLOWED, DISALLOWED, null}) {
                    tests.add(DynamicTest.dynamicTest(
                            route.path() + " " + call.name() + " from " + (origin == null ? "no origin" : origin),
                            () -> check(route, call, origin)));
                }
            }
            for (String origin : new String[] {ALLOWED, DISALLOWED, null}) {
                tests.add(DynamicTest.dynamicTest(
                        route.path() + " preflight from " + (origin == null ? "no origin" : origin),
                        () -> checkPreflight(route, origin)));
            }
        }
        for (String origin : new String[] {ALLOWED, DISALLOWED, null}) {
            tests.add(DynamicTest.dynamicTest(
                    "unknown path from " + (origin == null ? "no origin" : origin), () -> checkUnknownPath(origin)));
        }
        return tests.stream();
    }

    private void check(IngestRoute route, Call call, @Nullable String origin) {
        int before = veil.log.events().size();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(veil.url(route.path())))
                .POST(HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8))
                .header("Content-Type", call.contentType());
        if (call.authorization() != null) {
            b.header("Authorization", call.authorization());
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        veil.log.failAppends(call.storeFails());
        HttpResponse<String> r;
        try {
            r = veil.send(b.build());
        } finally {
            veil.log.failAppends(false);
        }

        int expected = origin == DISALLOWED && call.passesOriginCheck() ? 403 : call.status();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        if (expected == 403) {
            assertThat(r.body()).contains("origin_not_allowed");
        }
        if (expected != 200 || route.body() == IngestRoute.Body.CLIENT_METRICS) {
            assertThat(veil.log.events()).as("nothing stored").hasSize(before);
        }
        assertCors(
                r,
                origin,
                h -> assertThat(h.apply("Access-Control-Expose-Headers"))
                        .as("Retry-After readable")
                        .contains("Retry-After"));
    }

    private void checkPreflight(IngestRoute route, @Nullable String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(veil.url(route.path())))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization");
        if (origin != null) {
            b.header("Origin", origin);
        }
        HttpResponse<String> r = veil.send(b.build());

        assertThat(r.statusCode()).isEqualTo(204);
        assertCors(r, origin, h -> {
            assertThat(h.apply("Access-Control-Allow-Methods")).contains("POST");
            assertThat(h.apply("Access-Control-Allow-Headers")).contains("Authorization");
        });
        if (origin == null) {
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    private void checkUnknownPath(@Nullable String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(veil.url("/v1/unknown")))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        HttpResponse<String> r = veil.send(b.build());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("not_found");
        assertCors(r, origin, h -> {});
    }

    /** A header's value, or "" when absent. */
    interface Headers extends java.util.function.Function<String, String> {}

    private static void assertCors(HttpResponse<String> r, @Nullable String origin, Consumer<Headers> more) {
        Headers h = name -> r.headers().firstValue(name).orElse("");
        Optional<String> allowOrigin = r.headers().firstValue("Access-Control-Allow-Origin");
        Optional<String> credentials = r.headers().firstValue("Access-Control-Allow-Credentials");
        assertThat(r.headers().allValues("Vary"))
                .as("Vary")
                .anySatisfy(v -> assertThat(v).contains("Origin"));
        if (origin == null) {
            assertThat(allowOrigin).as("Access-Control-Allow-Origin").isEmpty();
            assertThat(credentials).as("Access-Control-Allow-Credentials").isEmpty();
            return;
        }
        assertThat(allowOrigin).as("Access-Control-Allow-Origin").contains(origin);
        if (origin == ALLOWED) {
            assertThat(credentials).as("Access-Control-Allow-Credentials").contains("true");
        } else {
            assertThat(credentials).as("Access-Control-Allow-Credentials").isEmpty();
        }
        more.accept(h);
    }
}
