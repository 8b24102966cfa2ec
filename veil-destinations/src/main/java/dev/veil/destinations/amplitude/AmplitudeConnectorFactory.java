package dev.veil.destinations.amplitude;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.util.List;
import java.util.Map;

/** Creates Amplitude HTTP V2 connectors (type {@code amplitude}). */
public final class AmplitudeConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "amplitude";
        }

        @Override
        public String displayName() {
            return "Amplitude (HTTP V2 API)";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.secret("apiKey", "The project's API key."),
                    SettingSpec.optional(
                            "endpoint",
                            "HTTP V2 URL; https://api.eu.amplitude.com/2/httpapi for EU residency.",
                            AmplitudeSettings.DEFAULT_ENDPOINT),
                    SettingSpec.optional("minIdLength", "Shortest user_id/device_id accepted.", "5"));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new AmplitudeConnector(AmplitudeSettings.from(destinationId, settings));
    }
}
