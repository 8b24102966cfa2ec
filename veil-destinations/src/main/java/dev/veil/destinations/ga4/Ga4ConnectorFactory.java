package dev.veil.destinations.ga4;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Creates GA4 Measurement Protocol connectors (type {@code ga4}). */
public final class Ga4ConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "ga4";
        }

        @Override
        public String displayName() {
            return "Google Analytics 4 (Measurement Protocol)";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.required("measurementId", "The web stream's measurement id (G-XXXXXXX)."),
                    SettingSpec.secret("apiSecret", "A Measurement Protocol API secret of the stream."),
                    SettingSpec.optional(
                            "endpoint",
                            "The collect URL; use https://region1.google-analytics.com/mp/collect for EU collection.",
                            Ga4Settings.DEFAULT_ENDPOINT),
                    SettingSpec.optional(
                            "maxParamValueLength", "Longest parameter value: 100 (standard) or 500 (GA360).", "100"),
                    SettingSpec.optional(
                            "staleEvents",
                            "Events older than GA4's 72 hours: clamp (sent with the oldest time GA4 accepts, counted)"
                                    + " or dead_letter.",
                            "clamp"),
                    SettingSpec.optional(
                            "defaultCurrency",
                            "ISO 4217 currency for events with a value but no currency (e.g. USD).",
                            ""));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new Ga4Connector(Ga4Settings.from(destinationId, settings), Clock.systemUTC());
    }
}
