package dev.veil.destinations.amplitude;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;

/**
 * An Amplitude destination's settings.
 *
 * @param endpoint the HTTP V2 URL ({@code https://api2.amplitude.com/2/httpapi}; EU:
 *     {@code https://api.eu.amplitude.com/2/httpapi})
 * @param apiKey the project's API key (secret)
 * @param minIdLength the shortest user_id/device_id Amplitude accepts (its default is 5)
 */
public record AmplitudeSettings(URI endpoint, String apiKey, int minIdLength) {

    static final String DEFAULT_ENDPOINT = "https://api2.amplitude.com/2/httpapi";

    static AmplitudeSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("amplitude", destinationId, values);
        return new AmplitudeSettings(
                s.uri("endpoint", DEFAULT_ENDPOINT), s.required("apiKey"), s.integer("minIdLength", 5, 1, 100));
    }

    @Override
    public String toString() {
        return "AmplitudeSettings[endpoint=" + endpoint + ", apiKey=██, minIdLength=" + minIdLength + "]";
    }
}
