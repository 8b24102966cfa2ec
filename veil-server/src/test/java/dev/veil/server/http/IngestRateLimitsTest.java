package dev.veil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.http.Rate;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ingest API's rate limits, through the real server: 429 with Retry-After, nothing stored. */
class IngestRateLimitsTest {

    private static final String EVENT = "{\"userId\":\"u\",\"event\":\"E\"}";

    private TestServer veil;

    @AfterEach
    void close() {
        veil.close();
    }

    private TestServer start(ServerConfig.RateLimits limits) {
        veil = new TestServer(TestServer.trustingLocalhost().withRateLimits(limits), Clock.systemUTC());
        return veil;
    }

    @Test
    void requests_beyond_the_per_address_rate_get_429_with_retry_after_and_other_addresses_are_not_affected() {
        start(new ServerConfig.RateLimits(Rate.parse("1/min").withBurst(3), null, null));
        for (int i = 0; i < 3; i++) {
            assertThat(veil.post("/v1/track", EVENT, "X-Forwarded-For", "203.0.113.7")
                            .statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> refused = veil.post("/v1/track", EVENT, "X-Forwarded-For", "203.0.113.7");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(refused.body()).contains("\"code\":\"rate_limited\"").doesNotContain("203.0.113.7");
        assertThat(veil.log.size()).as("nothing stored for the refused request").isEqualTo(3);
        assertThat(veil.post("/v1/track", EVENT, "X-Forwarded-For", "198.51.100.9")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void every_ingest_route_is_limited_including_the_beacon_and_short_routes() {
        start(new ServerConfig.RateLimits(Rate.parse("1/min").withBurst(1), null, null));
        String batch = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}";
        assertThat(veil.post("/v1/batch", batch, "X-Forwarded-For", "203.0.113.1")
                        .statusCode())
                .isEqualTo(200);
        for (String path :
                List.of("/v1/batch", "/v1/b", "/v1/t", "/beacon/v1/batch?writeKey=" + TestServer.WRITE_KEY)) {
            assertThat(veil.post(path, batch, "X-Forwarded-For", "203.0.113.1").statusCode())
                    .as(path)
                    .isEqualTo(429);
        }
    }

    @Test
    void a_source_sending_more_events_than_its_rate_gets_429_for_the_whole_batch() {
        start(new ServerConfig.RateLimits(null, Rate.parse("1/min").withBurst(5), null));
        String batch = "{\"batch\":[" + String.join(",", List.of(EVENT, EVENT, EVENT)) + "]}";
        batch = batch.replace("\"event\":\"E\"", "\"type\":\"track\",\"event\":\"E\"");
        assertThat(veil.post("/v1/batch", batch).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = veil.post("/v1/batch", batch);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("source website sends more than its limit");
        assertThat(veil.log.size()).isEqualTo(3);
    }

    @Test
    void after_repeated_unknown_write_keys_an_address_is_refused_even_with_the_right_key() {
        start(new ServerConfig.RateLimits(null, null, Rate.parse("1/min").withBurst(4)));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(veil.post("/v1/track", EVENT, "Authorization", TestServer.basic("guess-" + i))
                    .statusCode());
        }
        assertThat(statuses).containsOnly(401);

        HttpResponse<String> blocked = veil.post("/v1/track", EVENT);

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("too_many_failed_auth");
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(veil.post("/v1/track", EVENT, "X-Forwarded-For", "198.51.100.9")
                        .statusCode())
                .as("another address")
                .isEqualTo(200);
        String metrics = veil.getManagement("/metrics").body();
        assertThat(metrics)
                .contains("veil_ingest_rejected_total{reason=\"too_many_failed_auth\"} 1.0")
                .contains("veil_ingest_rejected_total{reason=\"unauthorized\"} 4.0");
    }
}
