package dev.veil.destinations.tiktok;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.util.Map;

/**
 * A TikTok Events API destination's settings.
 *
 * @param endpoint the API base URL ({@code https://business-api.tiktok.com})
 * @param pixelCode the pixel code ({@code event_source_id})
 * @param accessToken the Events API access token (secret)
 * @param testEventCode sends to the Test Events tool when non-empty
 * @param maxBatchSize events per request (TikTok's limit is not documented; third parties say 1000)
 * @param limitedDataUse flags every event with {@code limited_data_use: true}
 * @param maxEventAgeDays events older than this are rejected (TikTok's window is not documented; 7 days, as Meta)
 */
public record TiktokSettings(
        URI endpoint,
        String pixelCode,
        String accessToken,
        String testEventCode,
        int maxBatchSize,
        boolean limitedDataUse,
        int maxEventAgeDays) {

    static final String DEFAULT_ENDPOINT = "https://business-api.tiktok.com";

    public TiktokSettings {
        if (!pixelCode.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("tiktok setting 'pixelCode' must be letters and digits");
        }
    }

    static TiktokSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("tiktok", destinationId, values);
        return new TiktokSettings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.matching("pixelCode", "[A-Za-z0-9]+", "letters and digits"),
                s.required("accessToken"),
                s.optional("testEventCode", ""),
                s.integer("maxBatchSize", 1000, 1, 1000),
                s.bool("limitedDataUse", false),
                s.integer("maxEventAgeDays", 7, 1, 90));
    }

    @Override
    public String toString() {
        return "TiktokSettings[endpoint=" + endpoint + ", pixelCode=" + pixelCode + ", accessToken=██]";
    }
}
