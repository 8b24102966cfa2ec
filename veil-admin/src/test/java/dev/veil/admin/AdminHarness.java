package dev.veil.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.admin.auth.AuthOptions;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Passwords;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.auth.Tokens;
import dev.veil.admin.http.AdminApi;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.core.policy.SecretResolver;
import dev.veil.store.AccountStore;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real admin API on 127.0.0.1, port 0, over real SQLite stores in a temporary directory, with a clock the test
 * moves and cheap Argon2 parameters (the hashing itself is Password4j's, tested by its authors). Records every
 * exchange so tests can scan responses for secrets.
 */
public final class AdminHarness implements AutoCloseable {

    /** A clock tests move by hand. */
    public static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-29T12:00:05Z");

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One recorded HTTP exchange. */
    public record Exchange(String request, int status, String headers, String body) {}

    public final TestClock clock = new TestClock();
    public final MasterKey masterKey = MasterKey.random();
    public final SqliteConfigStore config;
    public final SqliteAdminStores stores;
    public final AdminServices services;
    public final AdminApi api;
    public final Javalin app;
    public final List<Exchange> exchanges = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger users = new AtomicInteger();

    public AdminHarness(Path dir) {
        this(dir, DeliveryControl.NONE, Map.of());
    }

    public AdminHarness(Path dir, DeliveryControl delivery, Map<String, String> env) {
        config = SqliteConfigStore.open(dir, masterKey, clock);
        stores = SqliteAdminStores.open(dir, masterKey, clock);
        services = AdminServices.builder(config, stores.accounts(), stores.drafts(), stores.secrets(), stores.audit())
                .clock(clock)
                .auth(AuthOptions.DEFAULTS
                        .withPasswords(new Passwords(1024, 1, 1))
                        .withLoginsPerMinutePerClient(1000))
                .connectors(TestConnectors.all())
                .secretResolver(new SecretResolver(env::get, p -> {
                    throw new java.io.IOException("no files in tests");
                }))
                .delivery(delivery)
                .build();
        api = new AdminApi(services);
        app = Javalin.create(c -> {
                    c.startup.showJavalinBanner = false;
                    c.jetty.host = "127.0.0.1";
                    c.jetty.port = 0;
                    api.mount(c);
                })
                .start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** A signed-in person (session cookie + CSRF token) or an API token holder. */
    public record Caller(
            @Nullable String cookie,
            @Nullable String csrf,
            @Nullable String bearer,
            String name,
            Role role) {
        public static final Caller ANONYMOUS = new Caller(null, null, null, "anonymous", Role.VIEWER);
    }

    /** Creates a user with a finished setup (password {@code name + "-password-1"}, TOTP when the role needs it). */
    public String createUser(Role role) {
        String name = role.wire().replace('_', '-') + users.incrementAndGet();
        var inv = services.users().create(Principal.system(), name, name, role);
        var start = services.auth().startSetup(inv.setupToken());
        String code = role.totpRequiredByDefault()
                ? services.auth()
                        .totp()
                        .code(start.totpSecret(), services.auth().totp().currentStep())
                : null;
        services.auth().finishSetup(inv.setupToken(), password(name), code);
        return name;
    }

    public static String password(String username) {
        return username + "-password-1";
    }

    /** The TOTP secret of a user (tests compute codes with it). */
    public String totpSecret(String username) {
        return new String(stores.accounts().totpSecret(username).orElseThrow(), UTF_8);
    }

    /** A session for a new user of {@code role}, created in the store (no login round trip). */
    public Caller session(Role role) {
        return session(createUser(role), role);
    }

    public Caller session(String username, Role role) {
        String id = Tokens.random();
        String csrf = Tokens.random();
        Instant now = clock.instant();
        stores.accounts()
                .createSession(new AccountStore.Session(
                        Tokens.hash(id), username, csrf, now, now, now.plus(Duration.ofHours(12))));
        return new Caller(id, csrf, null, username, role);
    }

    /** A session that went idle longer than the idle timeout. */
    public Caller expiredSession(Role role) {
        String username = createUser(role);
        String id = Tokens.random();
        Instant past = clock.instant().minus(Duration.ofMinutes(31));
        stores.accounts()
                .createSession(new AccountStore.Session(
                        Tokens.hash(id), username, "csrf", past, past, past.plus(Duration.ofHours(12))));
        return new Caller(id, "csrf", null, username, role);
    }

    /** An API token of {@code role}. */
    public Caller token(Role role) {
        var created = services.tokens().create(Principal.system(), "test " + role.wire(), role, 30);
        return new Caller(null, null, created.value(), created.token().id(), role);
    }

    public HttpResponse<String> get(Caller c, String path) {
        return send(c, "GET", path, null);
    }

    public HttpResponse<String> post(Caller c, String path, @Nullable String json) {
        return send(c, "POST", path, json);
    }

    public HttpResponse<String> send(Caller c, String method, String path, @Nullable String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (c.cookie() != null) {
            b.header("Cookie", AdminApi.COOKIE + "=" + c.cookie());
        }
        if (c.csrf() != null && !method.equals("GET")) {
            b.header(AdminApi.CSRF_HEADER, c.csrf());
        }
        if (c.bearer() != null) {
            b.header("Authorization", "Bearer " + c.bearer());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (exchanges) {
                exchanges.add(new Exchange(
                        method + " " + path, r.statusCode(), r.headers().map().toString(), r.body()));
            }
            return r;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of {@code name} in a Set-Cookie header of {@code r}, if set. */
    public static @Nullable String setCookie(HttpResponse<?> r) {
        return r.headers().firstValue("Set-Cookie").orElse(null);
    }

    /** Logs in over HTTP and returns the caller (session cookie and CSRF token from the answer). */
    public Caller login(String username, Role role, @Nullable String totp) throws Exception {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password(username) + "\""
                + (totp == null ? "" : ",\"totp\":\"" + totp + "\"") + "}";
        HttpResponse<String> r = post(Caller.ANONYMOUS, "/api/v1/auth/login", body);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
        }
        String cookie = setCookie(r);
        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        String csrf = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body())
                .get("csrfToken")
                .asText();
        return new Caller(value, csrf, null, username, role);
    }

    public AuthService auth() {
        return services.auth();
    }

    @Override
    public void close() {
        app.stop();
        stores.close();
        config.close();
    }
}
