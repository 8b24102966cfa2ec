package dev.veil.destinations.meta;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A Meta Conversions API destination's settings.
 *
 * @param endpoint the Graph API base URL ({@code https://graph.facebook.com})
 * @param apiVersion e.g. {@code v21.0}
 * @param pixelId the dataset (pixel) id
 * @param accessToken the system user's access token (secret)
 * @param testEventCode sends to the Test Events tool when non-empty
 * @param actionSource where conversions happen ({@code website} by default)
 * @param limitedDataUse flags every event with {@code data_processing_options: ["LDU"]}
 */
public record MetaSettings(
        URI endpoint,
        String apiVersion,
        String pixelId,
        String accessToken,
        String testEventCode,
        String actionSource,
        boolean limitedDataUse) {

    static final String DEFAULT_ENDPOINT = "https://graph.facebook.com";
    static final String DEFAULT_VERSION = "v21.0";
    static final Set<String> ACTION_SOURCES =
            Set.of("email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "other");

    public MetaSettings {
        if (!pixelId.matches("[0-9]+")) {
            throw new IllegalArgumentException("meta setting 'pixelId' must be digits");
        }
        if (!apiVersion.matches("v[0-9]+\\.[0-9]+")) {
            throw new IllegalArgumentException("meta setting 'apiVersion' must look like v21.0");
        }
        if (!ACTION_SOURCES.contains(actionSource)) {
            throw new IllegalArgumentException("meta setting 'actionSource' must be one of " + ACTION_SOURCES);
        }
    }

    static MetaSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("meta", destinationId, values);
        return new MetaSettings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.matching("apiVersion", DEFAULT_VERSION, "v[0-9]+\\.[0-9]+", "v21.0"),
                s.matching("pixelId", "[0-9]+", "digits only"),
                s.required("accessToken"),
                s.optional("testEventCode", ""),
                s.oneOf("actionSource", "website", ACTION_SOURCES),
                s.bool("limitedDataUse", false));
    }

    @Override
    public String toString() {
        return "MetaSettings[endpoint=" + endpoint + ", apiVersion=" + apiVersion + ", pixelId=" + pixelId
                + ", accessToken=██, actionSource=" + actionSource + "]";
    }
}
