package dev.veil.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mixpanel ingestion rules as Mixpanel documents them, for {@link FakeMixpanel}. Written from Mixpanel's
 * documentation (sources on each table), never from Veil's connector: a fake is an independent witness.
 */
final class MixpanelRules {

    private MixpanelRules() {}

    /**
     * Request limits of {@code /import}: "We accept up to 2000 events and 2MB uncompressed per request"; a larger body
     * answers 413 "request exceeds max limit of 2097152 bytes". Source: developer.mixpanel.com/reference/import-events
     * (mixpanel/docs {@code openapi/src/ingestion.openapi.yaml}, "Request Format" and the {@code StrictTooLarge}
     * response).
     */
    static final int MAX_EVENTS = 2000;

    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    /**
     * Event limits ("High-level requirements" of the same page): each event smaller than 1 MB of uncompressed JSON,
     * fewer than 255 properties, nested objects with fewer than 255 keys and a nesting depth of at most 3, arrays with
     * fewer than 255 elements.
     */
    static final int MAX_EVENT_BYTES = 1024 * 1024;

    static final int PROPERTY_LIMIT = 255;
    static final int MAX_NESTING = 3;

    /**
     * {@code properties.time}: "We will reject events with time values that are before 1971-01-01 or more than 1 hour
     * in the future as measured on our servers." Seconds or milliseconds since the epoch.
     */
    static final Instant EARLIEST = Instant.parse("1971-01-01T00:00:00Z");

    static final Duration MAX_FUTURE = Duration.ofHours(1);

    /**
     * Values refused as {@code distinct_id} ("To prevent accidental implementation mistakes, we disallow the following
     * values for distinct_id"), compared without case; also refused as {@code $insert_id}.
     */
    static final Set<String> INVALID_IDS = Set.of(
            "00000000-0000-0000-0000-000000000000",
            "anon",
            "anonymous",
            "nil",
            "none",
            "null",
            "n/a",
            "na",
            "undefined",
            "unknown",
            "<nil>",
            "0",
            "-1",
            "true",
            "false",
            "[]",
            "{}");

    /** "$insert_ids must be ≤ 36 bytes and contain only alphanumeric characters or "-"." */
    static final Pattern INSERT_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

    /**
     * Geolocation properties of events. Source: docs.mixpanel.com/docs/tracking-best-practices/geolocation: "For event
     * data, the geolocation event properties are derived from the IP address of the client-device or server that sent
     * the event track/import request"; "data sent from the server-side will appear with geolocation set to the
     * location of the server"; "The manually defined geolocation properties will be prioritized over the location
     * derived from the IP address"; an {@code ip} property is geolocated instead of the request's address. The
     * {@code ip} request parameter: "If present and equal to 0, Mixpanel will not perform geolocation parsing using
     * the IP address of the request" (mixpanel/docs {@code openapi/src/common/ingestion-api.yaml}, {@code IP}).
     */
    static final Set<String> EVENT_GEO = Set.of("$city", "$region", "mp_country_code");

    /**
     * Simplified ID Merge. Source: docs.mixpanel.com/docs/tracking-methods/id-management/identifying-users-simplified:
     * an event with {@code $device_id} and no {@code $user_id} gets {@code distinct_id = $device:<device id>}; with a
     * {@code $user_id} the distinct_id is the {@code $user_id} ("If you choose to manually define the distinct_id
     * property, it should be the same value as the $user_id"); the first event carrying both merges them into one
     * identity cluster, retroactively.
     */
    static final String DEVICE_PREFIX = "$device:";

    /**
     * Profile updates ({@code /engage}): a JSON array of objects with {@code $token}, {@code $distinct_id} and one
     * operation. Source: developer.mixpanel.com/reference/profile-set and the other {@code /engage#profile-*}
     * operations in {@code openapi/src/ingestion.openapi.yaml}. Batches of up to 2000 updates (RudderStack's Mixpanel
     * destination, {@code ENGAGE_MAX_BATCH_SIZE}). Profile geolocation comes from the request's IP unless {@code $ip}
     * is given (use "0" to ignore it) or the URL has {@code ip=0} (geolocation page, "Ignore IP Address").
     */
    static final Set<String> PROFILE_OPERATIONS =
            Set.of("$set", "$set_once", "$add", "$union", "$append", "$remove", "$unset", "$delete");

    static final int MAX_PROFILE_UPDATES = 2000;
}
