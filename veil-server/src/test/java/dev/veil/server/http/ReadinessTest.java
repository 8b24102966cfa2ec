package dev.veil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.Readiness;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.TestEventLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /readyz} follows the pipeline's state and the store's health; {@code /healthz} (liveness) does not. */
class ReadinessTest {

    private final TestEventLog log = new TestEventLog();
    private final Readiness readiness = Readiness.waitingFor("starting: delivery does not run yet");
    private final VeilServer server = VeilServer.start(
            ServerConfig.defaults().withEphemeralPorts(),
            new StaticSourceRegistry(),
            log,
            Clock.systemUTC(),
            List.of(),
            List.of(),
            readiness);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        server.close();
        log.close();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void is_not_ready_until_the_pipeline_runs_nor_while_a_start_up_step_is_retried() throws Exception {
        for (int port : List.of(server.port(), server.managementPort())) {
            HttpResponse<String> r = get(port, "/readyz");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"code\":\"not_ready\"").contains("delivery does not run yet");
            assertThat(get(port, "/healthz").statusCode())
                    .as("alive all the same")
                    .isEqualTo(200);
        }

        readiness.markReady();
        assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);

        readiness.markNotReady("delivery start-up failed (storage failed); retrying");
        assertThat(get(server.managementPort(), "/readyz").body()).contains("delivery start-up failed");
    }

    @Test
    void is_not_ready_while_the_store_cannot_write_and_ready_again_after() throws Exception {
        readiness.markReady();
        log.failAppends(true);

        HttpResponse<String> r = get(server.port(), "/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"code\":\"store_unavailable\"");
        assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);

        log.failAppends(false);
        assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void a_required_check_takes_readiness_away_and_gives_it_back_by_itself() throws Exception {
        AtomicReference<Optional<String>> control = new AtomicReference<>(Optional.empty());
        readiness.require(control::get);
        readiness.markReady();
        assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);

        control.set(Optional.of("control store (PostgreSQL) not reachable (ConnectException)"));
        HttpResponse<String> r = get(server.managementPort(), "/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"code\":\"not_ready\"").contains("control store (PostgreSQL) not reachable");

        control.set(Optional.empty());
        assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
    }
}
