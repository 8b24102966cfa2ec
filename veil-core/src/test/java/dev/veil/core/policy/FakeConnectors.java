package dev.veil.core.policy;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import java.util.List;
import java.util.Map;

/** Small connector descriptors for tests: ga4 (secret apiSecret), meta (secret accessToken), webhook. */
final class FakeConnectors {
    private FakeConnectors() {}

    record Descriptor(String type, String displayName, List<SettingSpec> settings) implements ConnectorDescriptor {}

    static final Map<String, ConnectorDescriptor> ALL = Map.of(
            "ga4",
            new Descriptor(
                    "ga4",
                    "Google Analytics 4",
                    List.of(
                            SettingSpec.required("measurementId", "the GA4 measurement id"),
                            SettingSpec.secret("apiSecret", "the Measurement Protocol API secret"),
                            SettingSpec.optional("endpoint", "the collect URL", "https://www.google-analytics.com"))),
            "meta",
            new Descriptor(
                    "meta",
                    "Meta Conversions API",
                    List.of(
                            SettingSpec.required("pixelId", "the pixel id"),
                            SettingSpec.secret("accessToken", "the CAPI access token"))),
            "webhook",
            new Descriptor("webhook", "Webhook", List.of(SettingSpec.required("url", "where to POST"))));
}
