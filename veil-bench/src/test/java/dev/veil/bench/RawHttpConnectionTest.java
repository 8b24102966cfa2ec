package dev.veil.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RawHttpConnectionTest {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> auths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/batch", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), UTF_8));
            auths.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = "{\"success\":true}".getBytes(UTF_8);
            boolean chunked = bodies.size() % 2 == 0;
            ex.sendResponseHeaders(bodies.size() == 3 ? 400 : 200, chunked ? 0 : answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void posts_bodies_with_the_write_key_and_reads_fixed_length_and_chunked_answers() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (RawHttpConnection http = new RawHttpConnection(base, "/v1/batch", "Basic a2V5Og==")) {
            assertThat(http.post("{\"n\":1}".getBytes(UTF_8))).isEqualTo(200);
            assertThat(http.post("{\"n\":2}".getBytes(UTF_8))).isEqualTo(200);
            assertThat(http.post("{\"n\":3}".getBytes(UTF_8))).isEqualTo(400);
            assertThat(http.post("{\"n\":4}".getBytes(UTF_8))).isEqualTo(200);
        }

        assertThat(bodies).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        assertThat(auths).containsOnly("Basic a2V5Og==");
    }
}
