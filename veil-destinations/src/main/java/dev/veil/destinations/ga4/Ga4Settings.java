package dev.veil.destinations.ga4;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;

/**
 * A GA4 destination's settings.
 *
 * @param endpoint the collect URL ({@code https://www.google-analytics.com/mp/collect}; EU:
 *     {@code https://region1.google-analytics.com/mp/collect})
 * @param measurementId the web stream's {@code G-…} id
 * @param apiSecret the Measurement Protocol API secret (secret)
 * @param maxParamValueLength 100 for standard properties, 500 for GA360
 */
public record Ga4Settings(URI endpoint, String measurementId, String apiSecret, int maxParamValueLength) {

    static final String DEFAULT_ENDPOINT = "https://www.google-analytics.com/mp/collect";

    public Ga4Settings {
        if (!measurementId.matches("G-[A-Z0-9]+")) {
            throw new IllegalArgumentException("ga4 setting 'measurementId' must look like G-XXXXXXX");
        }
    }

    static Ga4Settings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("ga4", destinationId, values);
        return new Ga4Settings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.matching("measurementId", "G-[A-Z0-9]+", "G-XXXXXXX"),
                s.required("apiSecret"),
                s.integer("maxParamValueLength", 100, 100, 500));
    }

    @Override
    public String toString() {
        return "Ga4Settings[endpoint=" + endpoint + ", measurementId=" + measurementId + ", apiSecret=██]";
    }
}
