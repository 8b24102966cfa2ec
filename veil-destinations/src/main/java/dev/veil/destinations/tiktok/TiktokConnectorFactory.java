package dev.veil.destinations.tiktok;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Creates TikTok Events API connectors (type {@code tiktok}). */
public final class TiktokConnectorFactory implements ConnectorFactory {

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "tiktok";
        }

        @Override
        public String displayName() {
            return "TikTok Events API";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.required("pixelCode", "The TikTok pixel code (event_source_id)."),
                    SettingSpec.secret("accessToken", "An Events API access token."),
                    SettingSpec.optional("endpoint", "API base URL.", TiktokSettings.DEFAULT_ENDPOINT),
                    SettingSpec.optional("testEventCode", "Sends events to the Test Events tool.", ""),
                    SettingSpec.optional("maxBatchSize", "Events per request (1 to 1000).", "1000"),
                    SettingSpec.optional("limitedDataUse", "Flag events for limited data use.", "false"),
                    SettingSpec.optional("maxEventAgeDays", "Oldest event sent, in days (1 to 90).", "7"));
        }
    };

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(String destinationId, Map<String, String> settings) {
        return new TiktokConnector(TiktokSettings.from(destinationId, settings), Clock.systemUTC());
    }
}
