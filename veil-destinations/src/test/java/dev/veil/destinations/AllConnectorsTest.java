package dev.veil.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.testing.Events;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Properties every connector shares: discovery, secrets and the no-leak rules of requests. */
class AllConnectorsTest {

    private static final String SECRET = "CANARY-SECRET-7f3a";
    private static final Map<String, Map<String, String>> SETTINGS = Map.of(
            "ga4", Map.of("measurementId", "G-ABC123", "apiSecret", SECRET),
            "meta", Map.of("pixelId", "123", "accessToken", SECRET),
            "tiktok", Map.of("pixelCode", "CPX1", "accessToken", SECRET),
            "mixpanel", Map.of("projectToken", SECRET),
            "amplitude", Map.of("apiKey", SECRET),
            "webhook", Map.of("url", "https://hooks.example.org/veil", "signingSecret", SECRET));

    @Test
    void all_six_connector_types_are_found_by_service_loader() {
        assertThat(ConnectorFactory.loadAll().keySet())
                .containsExactlyInAnyOrder("ga4", "meta", "tiktok", "mixpanel", "amplitude", "webhook");
    }

    @Test
    void credentials_are_declared_secret_and_endpoints_are_settings() {
        Map<String, List<String>> secrets = Map.of(
                "ga4", List.of("apiSecret"),
                "meta", List.of("accessToken"),
                "tiktok", List.of("accessToken"),
                "mixpanel", List.of("projectToken", "serviceAccountSecret"),
                "amplitude", List.of("apiKey"),
                "webhook", List.of("signingSecret", "authorization"));
        ConnectorFactory.loadAll().forEach((type, factory) -> {
            assertThat(factory.descriptor().settings().stream()
                            .filter(SettingSpec::secret)
                            .map(SettingSpec::key))
                    .as(type)
                    .containsExactlyInAnyOrderElementsOf(secrets.get(type));
            if (!type.equals("webhook")) {
                assertThat(factory.descriptor().setting("endpoint")).as(type).isPresent();
            }
        });
    }

    @Test
    void request_descriptions_never_show_credentials_and_empty_batches_send_nothing() {
        ConnectorFactory.loadAll().forEach((type, factory) -> {
            Connector c = factory.create("d-" + type, SETTINGS.get(type));
            assertThat(c.prepare(List.of()).requests()).as(type).isEmpty();
            List<OutboundRequest> requests =
                    c.prepare(List.of(Events.orderCompleted(Instant.now()))).requests();
            assertThat(requests).as(type).hasSize(1);
            assertThat(requests.get(0).toString()).as(type).doesNotContain(SECRET);
            assertThat(requests.get(0).messageIds())
                    .as(type)
                    .containsExactly(Events.orderCompleted(Instant.now()).messageId());
        });
    }

    @Test
    void no_connector_sends_the_ip_to_a_destination_whose_policy_did_not_pass_it() {
        ConnectorFactory.loadAll().forEach((type, factory) -> {
            Connector c = factory.create("d-" + type, SETTINGS.get(type));
            String body = new String(c.prepare(List.of(Events.orderCompleted(Instant.now())))
                    .requests()
                    .get(0)
                    .body());
            assertThat(body).as(type).doesNotContain("\"ip\"", "client_ip_address", "ip_override");
        });
    }
}
