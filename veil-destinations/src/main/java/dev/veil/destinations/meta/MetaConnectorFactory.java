package dev.veil.destinations.meta;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Creates Meta Conversions API connectors (type {@code meta}). */
public final class MetaConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "meta";
        }

        @Override
        public String displayName() {
            return "Meta Conversions API";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.required("pixelId", "The dataset (pixel) id."),
                    SettingSpec.secret("accessToken", "A Conversions API access token."),
                    SettingSpec.optional(
                            "apiVersion",
                            "Graph (Marketing) API version; Meta retires old versions (error 2635).",
                            MetaSettings.DEFAULT_VERSION),
                    SettingSpec.optional("endpoint", "Graph API base URL.", MetaSettings.DEFAULT_ENDPOINT),
                    SettingSpec.optional("testEventCode", "Sends events to Events Manager's Test Events tool.", ""),
                    SettingSpec.optional("actionSource", "Where conversions happen (website, app, …).", "website"),
                    SettingSpec.optional(
                            "limitedDataUse",
                            "Flag events for Limited Data Use (LDU), located from Veil's geo when the policy allows it.",
                            "false"),
                    SettingSpec.optional(
                            "defaultCurrency", "ISO 4217 currency for Purchases with a value but no currency.", ""));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new MetaConnector(MetaSettings.from(destinationId, settings), Clock.systemUTC());
    }
}
