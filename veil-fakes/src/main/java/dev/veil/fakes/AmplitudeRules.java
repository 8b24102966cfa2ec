package dev.veil.fakes;

import java.util.List;
import java.util.Set;

/**
 * Amplitude HTTP V2 rules as Amplitude documents them, for {@link FakeAmplitude}. Written from Amplitude's
 * documentation and its own SDKs (sources on each table), never from Veil's connector: a fake is an independent
 * witness.
 */
final class AmplitudeRules {

    private AmplitudeRules() {}

    /**
     * Request limits: "Keep request sizes under 1 MB with fewer than 2000 events per request. If you exceed these size
     * limits, you get a 413 error." Source: amplitude.com/docs/apis/analytics/http-v2 ("Upload limit").
     */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    static final int MAX_EVENTS = 1999;

    /**
     * Per-event requirements (http-v2, "Event keys" and "Upload request" errors): {@code event_type} is required and
     * not one of Amplitude's reserved names; a {@code user_id} or {@code device_id} is required, each at least 5
     * characters unless {@code options.min_id_length} says otherwise; {@code time} in milliseconds (an integer);
     * {@code session_id} an integer (-1 for no session); string fields at most 1024 characters.
     */
    static final int DEFAULT_MIN_ID_LENGTH = 5;

    static final int MAX_STRING = 1024;

    /** Event types reserved by Amplitude (http-v2, {@code event_type}: "[Amplitude] Start Session", …). */
    static final Set<String> RESERVED_EVENT_TYPES = Set.of(
            "[Amplitude] Start Session",
            "[Amplitude] End Session",
            "[Amplitude] Revenue",
            "[Amplitude] Revenue (Verified)",
            "[Amplitude] Revenue (Unverified)",
            "[Amplitude] Merged User");

    /** Top-level string fields of an event (http-v2, "Event keys"). */
    static final List<String> STRING_FIELDS = List.of(
            "event_type",
            "user_id",
            "device_id",
            "insert_id",
            "app_version",
            "platform",
            "os_name",
            "os_version",
            "device_brand",
            "device_manufacturer",
            "device_model",
            "carrier",
            "country",
            "region",
            "city",
            "dma",
            "language",
            "productId",
            "revenueType");

    /**
     * A 400 that lists events ({@code events_with_invalid_fields}, {@code events_with_missing_fields}: field name →
     * event indices) refuses the whole request: "When a 400 response lists rejected events, remove those events and
     * resend the rest." Source: amplitude.com/docs/apis/analytics/http-api-batching-retries.
     */
    static final String INVALID_FIELDS = "events_with_invalid_fields";

    static final String MISSING_FIELDS = "events_with_missing_fields";

    /**
     * Revenue (http-v2, {@code price}, {@code quantity}, {@code revenue}): "revenue = price × quantity. If you send all
     * 3 fields of price, quantity, and revenue, then (price × quantity) is used as the revenue value. You can use
     * negative values to indicate refunds." Every event carrying revenue counts in revenue charts.
     */
    static final String REVENUE = "revenue";

    /**
     * Identify: Amplitude's SDKs send user property updates as an event of type {@code $identify} (npm
     * {@code @amplitude/identify}: "identify calls are special events", sent with {@code logEvent}), whose {@code
     * user_properties} hold operations. Operations, from the Identify API (amplitude.com/docs/apis/analytics/identify):
     * {@code $set}, {@code $setOnce}, {@code $add}, {@code $append}, {@code $prepend}, {@code $unset}, {@code $remove},
     * {@code $preInsert}, {@code $postInsert}, {@code $clearAll}; "you can't mix user property operations with
     * top-level user properties".
     */
    static final String IDENTIFY = "$identify";

    static final Set<String> USER_PROPERTY_OPERATIONS = Set.of(
            "$set",
            "$setOnce",
            "$add",
            "$append",
            "$prepend",
            "$unset",
            "$remove",
            "$preInsert",
            "$postInsert",
            "$clearAll");

    /**
     * What Amplitude's browser SDK reports for a web page: {@code os_name} and {@code os_version} are the
     * <em>browser</em> name and version, {@code device_model} the device model or else the operating system. Source:
     * amplitude/Amplitude-TypeScript {@code packages/analytics-browser/src/plugins/context.ts} ({@code osName =
     * uaResult.browser.name}, {@code deviceModel = uaResult.device.model || uaResult.os.name}). Web events whose
     * {@code os_name} is an operating system land in other buckets than the same visitors tracked by the SDK. The
     * names are ua-parser-js's operating system names.
     */
    static final Set<String> OPERATING_SYSTEMS = Set.of(
            "windows",
            "mac os",
            "macos",
            "ios",
            "android",
            "linux",
            "ubuntu",
            "chromium os",
            "chrome os",
            "fedora",
            "debian",
            "harmonyos",
            "windows phone");
}
