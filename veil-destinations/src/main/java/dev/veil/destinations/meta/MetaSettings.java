package dev.veil.destinations.meta;

import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A Meta Conversions API destination's settings.
 *
 * @param endpoint the Graph API base URL ({@code https://graph.facebook.com})
 * @param apiVersion e.g. {@code v27.0}
 * @param pixelId the dataset (pixel) id
 * @param accessToken the system user's access token (secret)
 * @param testEventCode sends to the Test Events tool when non-empty
 * @param actionSource where conversions happen ({@code website} by default)
 * @param limitedDataUse flags every event with {@code data_processing_options: ["LDU"]}, located from Veil's geo
 * @param defaultCurrency ISO 4217 code used when a Purchase has a value but no currency; empty for none
 */
public record MetaSettings(
        URI endpoint,
        String apiVersion,
        String pixelId,
        String accessToken,
        String testEventCode,
        String actionSource,
        boolean limitedDataUse,
        String defaultCurrency) {

    static final String DEFAULT_ENDPOINT = "https://graph.facebook.com";
    /**
     * The newest Marketing API version when this was written (v27.0, released November 4, 2026: Marketing API version
     * history, developers.facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions).
     * Meta retires each version about a year after its successor ships (error 2635); set {@code apiVersion} to move on.
     */
    static final String DEFAULT_VERSION = "v27.0";
    /** Conversions API {@code action_source} values (parameters/server-event). */
    static final Set<String> ACTION_SOURCES = Set.of(
            "email",
            "website",
            "app",
            "phone_call",
            "chat",
            "physical_store",
            "system_generated",
            "business_messaging",
            "other");

    public MetaSettings {
        if (!pixelId.matches("[0-9]+")) {
            throw new IllegalArgumentException("meta setting 'pixelId' must be digits");
        }
        if (!apiVersion.matches("v[0-9]+\\.[0-9]+")) {
            throw new IllegalArgumentException("meta setting 'apiVersion' must look like " + DEFAULT_VERSION);
        }
        if (!ACTION_SOURCES.contains(actionSource)) {
            throw new IllegalArgumentException("meta setting 'actionSource' must be one of " + ACTION_SOURCES);
        }
        if (!defaultCurrency.isEmpty() && Commerce.isoCurrency(defaultCurrency).isEmpty()) {
            throw new IllegalArgumentException("meta setting 'defaultCurrency' must be an ISO 4217 code like USD");
        }
    }

    /** Settings without a default currency. */
    public MetaSettings(
            URI endpoint,
            String apiVersion,
            String pixelId,
            String accessToken,
            String testEventCode,
            String actionSource,
            boolean limitedDataUse) {
        this(endpoint, apiVersion, pixelId, accessToken, testEventCode, actionSource, limitedDataUse, "");
    }

    static MetaSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("meta", destinationId, values);
        return new MetaSettings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.matching("apiVersion", DEFAULT_VERSION, "v[0-9]+\\.[0-9]+", DEFAULT_VERSION),
                s.matching("pixelId", "[0-9]+", "digits only"),
                s.required("accessToken"),
                s.optional("testEventCode", ""),
                s.oneOf("actionSource", "website", ACTION_SOURCES),
                s.bool("limitedDataUse", false),
                s.matching("defaultCurrency", "", "|[A-Za-z]{3}", "an ISO 4217 code like USD")
                        .toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return "MetaSettings[endpoint=" + endpoint + ", apiVersion=" + apiVersion + ", pixelId=" + pixelId
                + ", accessToken=██, actionSource=" + actionSource + "]";
    }
}
