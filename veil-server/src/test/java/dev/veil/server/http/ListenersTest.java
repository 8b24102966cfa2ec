package dev.veil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the public and the management listener each serve. */
class ListenersTest {

    private final TestServer veil = new TestServer();

    @AfterEach
    void close() {
        veil.close();
    }

    @Test
    void metrics_are_served_on_the_management_listener_and_not_on_the_public_one() {
        assertThat(veil.server.managementPort()).isNotEqualTo(veil.server.port());
        assertThat(veil.get("/metrics").statusCode()).isEqualTo(404);
        var metrics = veil.getManagement("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("veil_http_connections_open{listener=\"public\"}");
    }

    @Test
    void health_and_readiness_answer_on_both_listeners() {
        assertThat(veil.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(veil.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(veil.getManagement("/healthz").statusCode()).isEqualTo(200);
        assertThat(veil.getManagement("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void the_management_listener_does_not_serve_ingest() {
        assertThat(veil.getManagement("/v1/batch").statusCode()).isEqualTo(404);
    }
}
