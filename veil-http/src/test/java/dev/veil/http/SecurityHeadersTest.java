package dev.veil.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    private Javalin app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            new HardenedListener("public", "127.0.0.1", 0, HttpLimits.defaults(), ip -> false)
                    .applyTo(c, new SimpleMeterRegistry());
            c.routes.get("/page", ctx -> ctx.html("<!doctype html><p>hi</p>"));
            c.routes.get("/data", ctx -> ctx.json(java.util.Map.of("a", 1)));
            c.routes.get(
                    "/own",
                    ctx -> ctx.header("Content-Security-Policy", "default-src 'none'")
                            .html("<p>own</p>"));
        });
        app.start();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void html_pages_get_a_csp_without_inline_scripts_that_forbids_framing() throws Exception {
        var res = get("/page");
        String csp = res.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .contains("default-src 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(res.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(res.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(res.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(res.headers().firstValue("Strict-Transport-Security"))
                .as("plain HTTP")
                .isEmpty();
    }

    @Test
    void every_response_gets_nosniff_and_no_referrer_and_a_page_may_set_its_own_csp() throws Exception {
        var json = get("/data");
        assertThat(json.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(json.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(json.headers().firstValue("Content-Security-Policy")).isEmpty();
        assertThat(get("/own").headers().allValues("Content-Security-Policy")).containsExactly("default-src 'none'");
    }
}
