package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.sdk.SdkAsset;
import dev.veil.server.testing.TestServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SdkRoutesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin app;
    private SdkRoutes routes;

    @BeforeEach
    void start() {
        SdkRoutes[] holder = new SdkRoutes[1];
        app = Javalin.create(cfg -> holder[0] = SdkRoutes.register(cfg, "static/js/"))
                .start("127.0.0.1", 0);
        routes = holder[0];
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        headers.forEach(req::header);
        return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void every_veil_server_serves_the_sdk_under_assets() {
        try (TestServer veil = new TestServer()) {
            var loader = veil.get("/assets/p.js");
            var versioned = veil.get(veil.server.sdk().versionedPath());

            assertThat(veil.server.sdk().loaderPath()).isEqualTo("/assets/p.js");
            assertThat(loader.statusCode()).isEqualTo(200);
            assertThat(loader.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
            assertThat(versioned.statusCode()).isEqualTo(200);
            assertThat(versioned.body()).isEqualTo(loader.body());
        }
    }

    @Test
    void serves_the_sdk_at_a_hashed_neutral_path_cached_for_a_year() throws Exception {
        var res = get(routes.versionedPath(), Map.of());

        assertThat(routes.versionedPath())
                .isEqualTo("/static/js/p-" + SdkAsset.minified().hash() + ".js");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(SdkAsset.minified().bytes());
        assertThat(res.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(res.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    }

    @Test
    void the_loader_path_serves_the_same_script_with_a_short_cache_and_etag() throws Exception {
        var res = get(routes.loaderPath(), Map.of());

        assertThat(routes.loaderPath()).isEqualTo("/static/js/p.js");
        assertThat(res.body()).isEqualTo(SdkAsset.minified().bytes());
        assertThat(res.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        String etag = res.headers().firstValue("ETag").orElseThrow();

        var revalidated = get(routes.loaderPath(), Map.of("If-None-Match", etag));
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
    }

    @Test
    void the_debug_path_serves_the_unminified_source() throws Exception {
        var res = get(routes.debugPath(), Map.of());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(SdkAsset.source().bytes());
    }

    @Test
    void other_hashes_are_not_found() throws Exception {
        assertThat(get("/static/js/p-000000000000.js", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void base_paths_are_normalized_and_validated() {
        assertThat(SdkRoutes.normalize("assets/")).isEqualTo("/assets");
        assertThat(SdkRoutes.normalize("/a/b")).isEqualTo("/a/b");
        assertThat(SdkRoutes.normalize("/")).isEmpty();
        assertThatThrownBy(() -> SdkRoutes.normalize("/a b/{x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basePath");
    }

    @Test
    void the_snippet_loads_the_given_url_with_the_write_key_and_escapes_markup() {
        String snippet = SdkSnippet.render("/assets/p.js", "wk_1</script>", Map.of("requireConsent", true));

        assertThat(snippet).startsWith("<script>").endsWith("</script>").doesNotContain("\n");
        assertThat(snippet).contains("\"/assets/p.js\"").contains("\"requireConsent\":true");
        assertThat(snippet).contains("wk_1\\u003c/script>");
        assertThat(snippet.indexOf("</script>")).isEqualTo(snippet.length() - "</script>".length());
    }
}
