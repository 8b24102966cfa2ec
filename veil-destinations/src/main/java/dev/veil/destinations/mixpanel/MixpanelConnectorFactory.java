package dev.veil.destinations.mixpanel;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Creates Mixpanel import connectors (type {@code mixpanel}). */
public final class MixpanelConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "mixpanel";
        }

        @Override
        public String displayName() {
            return "Mixpanel (Import API)";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    new SettingSpec("projectToken", "The project token (or use a service account).", false, true, ""),
                    SettingSpec.optional("projectId", "The project id (required with a service account).", ""),
                    SettingSpec.optional("serviceAccountUsername", "A service account's username.", ""),
                    new SettingSpec("serviceAccountSecret", "The service account's secret.", false, true, ""),
                    SettingSpec.optional(
                            "endpoint",
                            "API base URL; https://api-eu.mixpanel.com for EU residency.",
                            MixpanelSettings.DEFAULT_ENDPOINT));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new MixpanelConnector(MixpanelSettings.from(destinationId, settings), Clock.systemUTC());
    }
}
