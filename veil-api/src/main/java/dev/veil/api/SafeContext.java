package dev.veil.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The context fields a destination may receive; each is null (or empty) unless the destination's policy
 * allows it. Immutable.
 *
 * @param geo coarse location derived from the IP ({@code ip: geo}); never the IP itself
 * @param ip the client IP, only for BAA destinations with {@code ip: pass}
 * @param userAgent generalized user agent ({@code userAgent: generalize})
 * @param rawUserAgent the full user agent string ({@code userAgent: pass})
 * @param pageUrl the sanitized (or BAA-passed) page URL
 * @param pagePath the path of {@link #pageUrl()}, when a page URL is present
 * @param referrer the sanitized (or BAA-passed) referrer
 * @param pageTitle the page title ({@code pageTitle: pass}), PHI-scanned
 * @param campaign UTM values keyed by Segment's names: source, medium, name, term, content, id
 * @param session session id/number and engagement time ({@code session: pass})
 * @param device locale, screen and timezone ({@code device: pass})
 * @param clickIds the ad click ids this destination may receive, keyed by their names (gclid, fbc, ...)
 * @param consent the event's consent category preferences, for connectors that forward consent signals
 */
public record SafeContext(
        @Nullable Geo geo,
        @Nullable String ip,
        @Nullable UserAgentInfo userAgent,
        @Nullable String rawUserAgent,
        @Nullable String pageUrl,
        @Nullable String pagePath,
        @Nullable String referrer,
        @Nullable String pageTitle,
        Map<String, String> campaign,
        @Nullable Session session,
        @Nullable Device device,
        Map<String, String> clickIds,
        Map<String, Boolean> consent) {

    /** A context with nothing in it. */
    public static final SafeContext EMPTY =
            new SafeContext(null, null, null, null, null, null, null, null, Map.of(), null, null, Map.of(), Map.of());

    public SafeContext {
        campaign = Map.copyOf(campaign);
        clickIds = Map.copyOf(clickIds);
        consent = Map.copyOf(consent);
    }

    /**
     * State-level location (HIPAA Safe Harbor).
     *
     * @param country ISO 3166-1 alpha-2 code, e.g. {@code US}
     * @param region ISO 3166-2 subdivision code without the country, e.g. {@code CA}; null when unknown
     */
    public record Geo(String country, @Nullable String region) {}

    /**
     * A generalized user agent: never the full string.
     *
     * @param browser browser name, e.g. {@code Chrome}
     * @param browserMajor major version, e.g. {@code 131}
     * @param os operating system name, e.g. {@code Windows}
     * @param deviceType {@code desktop}, {@code mobile}, {@code tablet} or {@code other}
     */
    public record UserAgentInfo(
            @Nullable String browser,
            @Nullable String browserMajor,
            @Nullable String os,
            @Nullable String deviceType) {}

    /**
     * Session data from the SDK.
     *
     * @param id the session id (the SDK uses the session start time in ms)
     * @param number the session count for this browser, when known
     * @param engagementTimeMs visible time on the previous page, when known
     */
    public record Session(
            long id, @Nullable Integer number, @Nullable Long engagementTimeMs) {}

    /**
     * Coarse device settings.
     *
     * @param locale e.g. {@code en-US}
     * @param screen {@code WIDTHxHEIGHT}
     * @param timezone IANA zone, e.g. {@code America/Chicago}
     */
    public record Device(
            @Nullable String locale,
            @Nullable String screen,
            @Nullable String timezone) {}
}
