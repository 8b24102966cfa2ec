package dev.veil.destinations.webhook;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Creates signed JSON webhook connectors (type {@code webhook}). */
public final class WebhookConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "webhook";
        }

        @Override
        public String displayName() {
            return "Webhook (signed JSON)";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.required("url", "The https URL batches are POSTed to."),
                    SettingSpec.secret("signingSecret", "The HMAC-SHA-256 key of the X-Veil-Signature header."),
                    SettingSpec.optional("headers", "Extra headers: 'Name: value' entries, one per line or ;.", ""),
                    new SettingSpec("authorization", "An Authorization header value.", false, true, ""),
                    SettingSpec.optional("maxBatchSize", "Events per request (1 to 1000).", "100"));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new WebhookConnector(WebhookSettings.from(destinationId, settings), Clock.systemUTC());
    }
}
