package dev.veil.admin;

import dev.veil.api.ConnectorDescriptor;
import java.util.List;
import java.util.Map;

/** Connector descriptors for admin tests (the real ones live in veil-destinations, which admin does not see). */
public final class TestConnectors {

    private TestConnectors() {}

    public static final ConnectorDescriptor WEBHOOK = new ConnectorDescriptor() {
        @Override
        public String type() {
            return "webhook";
        }

        @Override
        public String displayName() {
            return "Signed webhook";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.required("url", "where events are posted"),
                    SettingSpec.secret("signingSecret", "HMAC key for the signature header"));
        }
    };

    public static Map<String, ConnectorDescriptor> all() {
        return Map.of("webhook", WEBHOOK);
    }
}
