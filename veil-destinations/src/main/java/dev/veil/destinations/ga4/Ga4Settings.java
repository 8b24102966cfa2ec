package dev.veil.destinations.ga4;

import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A GA4 destination's settings.
 *
 * @param endpoint the collect URL ({@code https://www.google-analytics.com/mp/collect}; EU:
 *     {@code https://region1.google-analytics.com/mp/collect})
 * @param measurementId the web stream's {@code G-…} id
 * @param apiSecret the Measurement Protocol API secret (secret)
 * @param maxParamValueLength 100 for standard properties, 500 for GA360
 * @param clampStaleEvents events older than GA4's 72-hour window are sent with the oldest time GA4 accepts (and
 *     counted as a repair), as GA4's default validation does; when false they are dead-lettered
 * @param defaultCurrency ISO 4217 code used when an event has a value but no currency; empty for none
 */
public record Ga4Settings(
        URI endpoint,
        String measurementId,
        String apiSecret,
        int maxParamValueLength,
        boolean clampStaleEvents,
        String defaultCurrency) {

    static final String DEFAULT_ENDPOINT = "https://www.google-analytics.com/mp/collect";
    static final Set<String> STALE_EVENTS = Set.of("clamp", "dead_letter");

    public Ga4Settings {
        if (!measurementId.matches("G-[A-Z0-9]+")) {
            throw new IllegalArgumentException("ga4 setting 'measurementId' must look like G-XXXXXXX");
        }
        if (!defaultCurrency.isEmpty() && Commerce.isoCurrency(defaultCurrency).isEmpty()) {
            throw new IllegalArgumentException("ga4 setting 'defaultCurrency' must be an ISO 4217 code like USD");
        }
    }

    /** Settings with the defaults: stale events clamped, no default currency. */
    public Ga4Settings(URI endpoint, String measurementId, String apiSecret, int maxParamValueLength) {
        this(endpoint, measurementId, apiSecret, maxParamValueLength, true, "");
    }

    static Ga4Settings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("ga4", destinationId, values);
        return new Ga4Settings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.matching("measurementId", "G-[A-Z0-9]+", "G-XXXXXXX"),
                s.required("apiSecret"),
                s.integer("maxParamValueLength", 100, 100, 500),
                s.oneOf("staleEvents", "clamp", STALE_EVENTS).equals("clamp"),
                s.matching("defaultCurrency", "", "|[A-Za-z]{3}", "an ISO 4217 code like USD")
                        .toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return "Ga4Settings[endpoint=" + endpoint + ", measurementId=" + measurementId + ", apiSecret=██]";
    }
}
