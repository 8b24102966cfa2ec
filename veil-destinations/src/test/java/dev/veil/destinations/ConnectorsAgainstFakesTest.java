package dev.veil.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.testing.RandomEvents;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeAmplitude;
import dev.veil.fakes.FakeGa4;
import dev.veil.fakes.FakeMeta;
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.FakeTiktok;
import dev.veil.fakes.FakeVendor;
import dev.veil.fakes.FakeWebhookReceiver;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random awkward events through each connector into its strict fake: whatever the connector does not reject must be
 * accepted without a single violation, so the connectors' validation covers every rule the fakes (the vendors)
 * enforce.
 */
class ConnectorsAgainstFakesTest {

    record Case(String type, Function<String, FakeVendor> fake, Function<String, Map<String, String>> settings) {
        @Override
        public String toString() {
            return type;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case(
                                "ga4",
                                u -> FakeGa4.start("G-R1", "s"),
                                u -> Map.of("measurementId", "G-R1", "apiSecret", "s", "endpoint", u + "/mp/collect")),
                        new Case(
                                "meta",
                                u -> FakeMeta.start("77", "t"),
                                u -> Map.of("pixelId", "77", "accessToken", "t", "endpoint", u)),
                        new Case(
                                "tiktok",
                                u -> FakeTiktok.start("PX", "t"),
                                u -> Map.of("pixelCode", "PX", "accessToken", "t", "endpoint", u)),
                        new Case(
                                "mixpanel",
                                u -> FakeMixpanel.start("1", "tok", "sa", "sec"),
                                u -> Map.of("projectToken", "tok", "endpoint", u)),
                        new Case(
                                "amplitude",
                                u -> FakeAmplitude.start("k", 100_000),
                                u -> Map.of("apiKey", "k", "endpoint", u + "/2/httpapi")),
                        new Case(
                                "webhook",
                                u -> FakeWebhookReceiver.start("w"),
                                u -> Map.of("signingSecret", "w", "url", u + "/hook")))
                .flatMap(c -> Stream.of(Arguments.of(c, 1L), Arguments.of(c, 2L), Arguments.of(c, 3L)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void whatever_a_connector_does_not_reject_the_vendor_accepts(Case c, long seed) {
        try (FakeVendor fake = c.fake().apply("")) {
            Connector connector = ConnectorFactory.loadAll()
                    .get(c.type())
                    .create("d", c.settings().apply(fake.baseUrl()));
            List<SafeEvent> events = new RandomEvents(seed, Instant.now()).next(150);
            int sent = 0;
            Set<String> rejected = new HashSet<>();
            for (int from = 0; from < events.size(); from += connector.limits().maxEvents()) {
                List<SafeEvent> batch = events.subList(
                        from, Math.min(events.size(), from + connector.limits().maxEvents()));
                Prepared prepared = connector.prepare(batch);
                prepared.rejected().stream().map(Rejected::messageId).forEach(rejected::add);
                for (OutboundRequest r : prepared.requests()) {
                    assertThat(connector.interpret(r, VendorHttp.send(r)))
                            .as("%s %s", c.type(), fake.violations())
                            .isEqualTo(new Outcome.Delivered());
                    sent += r.messageIds().size();
                }
            }

            assertThat(fake.violations()).isEmpty();
            assertThat(fake.accepted()).hasSize(sent);
            assertThat(sent).isPositive();
            if (!c.type().equals("webhook")) {
                assertThat(rejected)
                        .as("random events include invalid ones")
                        .isNotEmpty()
                        .hasSizeLessThan(150);
            }
        }
    }
}
