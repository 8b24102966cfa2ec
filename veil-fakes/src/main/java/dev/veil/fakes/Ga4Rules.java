package dev.veil.fakes;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GA4 Measurement Protocol rules as Google documents them, for {@link FakeGa4}. Written from the documentation
 * (sources on each table), never from Veil's connector: a fake is an independent witness.
 */
final class Ga4Rules {

    private Ga4Rules() {}

    /**
     * Request and event limits. Source: developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events
     * ("Limitations": 25 events per request, 25 parameters per event, 25 user properties, names of 40 characters,
     * values of 100 characters, user property names of 24 and values of 36 characters, post body under 130 kB).
     */
    static final int MAX_BODY_BYTES = 130 * 1024;

    static final int MAX_EVENTS = 25;
    static final int MAX_PARAMS = 25;
    static final int MAX_USER_PROPERTIES = 25;
    static final int MAX_NAME = 40;
    static final int MAX_USER_PROPERTY_NAME = 24;
    static final int MAX_USER_PROPERTY_VALUE = 36;

    /**
     * Longer value limits of three parameters. Source: support.google.com/analytics/answer/9267744 (collection limits:
     * page_location 1000, page_referrer 420, page_title 300 characters).
     */
    static final Map<String, Integer> LONG_PARAMS =
            Map.of("page_location", 1000, "page_referrer", 420, "page_title", 300);

    /**
     * Events may be backdated up to 72 hours; older timestamps are clamped in the default {@code RELAXED} validation
     * mode and refused under {@code ENFORCE_RECOMMENDATIONS}. Source: developers.google.com/analytics/devguides/
     * collection/protocol/ga4/sending-events ("Timestamps" and {@code validation_behavior}).
     */
    static final java.time.Duration MAX_BACKDATE = java.time.Duration.ofHours(72);

    /** Event and parameter names: letters, digits and underscores, starting with a letter (answer/13316687). */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /**
     * Event names the Measurement Protocol refuses. Source: the Measurement Protocol reference, "Reserved names"
     * (developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names), and the web list of
     * support.google.com/analytics/answer/13316687 ("Reserved prefixes and event names": ad_impression,
     * app_store_subscription_*, in_app_purchase, user_engagement, …). {@code screen_view} is collected for app
     * streams only (reference: "Use app_instance_id … for App events"; RudderStack's GA4 destination lists it as
     * reserved for the Measurement Protocol), so a web stream loses it.
     */
    static final Set<String> RESERVED_EVENTS = Set.of(
            "ad_activeview",
            "ad_click",
            "ad_exposure",
            "ad_impression",
            "ad_query",
            "ad_reward",
            "adunit_exposure",
            "app_background",
            "app_clear_data",
            "app_exception",
            "app_install",
            "app_remove",
            "app_store_refund",
            "app_store_subscription_cancel",
            "app_store_subscription_convert",
            "app_store_subscription_renew",
            "app_update",
            "app_upgrade",
            "dynamic_link_app_open",
            "dynamic_link_app_update",
            "dynamic_link_first_open",
            "error",
            "firebase_campaign",
            "firebase_in_app_message_action",
            "firebase_in_app_message_dismiss",
            "firebase_in_app_message_impression",
            "first_open",
            "first_visit",
            "in_app_purchase",
            "notification_dismiss",
            "notification_foreground",
            "notification_open",
            "notification_receive",
            "notification_send",
            "os_update",
            "screen_view",
            "session_start",
            "session_start_with_rollout",
            "user_engagement");

    /** Parameter name prefixes GA4 reserves (answer/13316687, "Reserved event parameter names"). */
    static final Set<String> RESERVED_PARAM_PREFIXES = Set.of("_", "firebase_", "ga_", "google_", "gtag.");

    /** User property names GA4 reserves, and their prefixes (answer/13316687, "Reserved user property names"). */
    static final Set<String> RESERVED_USER_PROPERTIES = Set.of(
            "first_open_time", "first_visit_time", "last_deep_link_referrer", "user_id", "first_open_after_install");

    static final Set<String> RESERVED_USER_PROPERTY_PREFIXES = Set.of("_", "firebase_", "ga_", "google_");

    /**
     * Recommended events whose {@code items} parameter the reference marks required. Source:
     * developers.google.com/analytics/devguides/collection/protocol/ga4/reference/events (add_payment_info,
     * add_shipping_info, add_to_cart, add_to_wishlist, begin_checkout, purchase, remove_from_cart, select_item,
     * view_cart, view_item, view_item_list: "items … Required: Yes").
     */
    static final Set<String> ITEMS_REQUIRED = Set.of(
            "add_payment_info",
            "add_shipping_info",
            "add_to_cart",
            "add_to_wishlist",
            "begin_checkout",
            "purchase",
            "remove_from_cart",
            "select_item",
            "view_cart",
            "view_item",
            "view_item_list");

    /**
     * Events whose reference marks {@code transaction_id} required: purchase and refund (reference/events; it is also
     * how GA4 deduplicates purchases, support.google.com/analytics/answer/12313109).
     */
    static final Set<String> TRANSACTION_ID_REQUIRED = Set.of("purchase", "refund");

    /**
     * {@code client_id} of a web stream: it identifies the browser and should be the id GA's tag generates
     * (sending-events: "client_id … should match the ID generated by the Google Analytics tag"), which is two
     * integers joined by a period (the {@code _ga} cookie's last two fields).
     */
    static final Pattern CLIENT_ID = Pattern.compile("[0-9]{1,19}\\.[0-9]{1,19}");

    static boolean reservedParam(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED_PARAM_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    static boolean reservedUserProperty(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED_USER_PROPERTIES.contains(lower)
                || RESERVED_USER_PROPERTY_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    static boolean reservedEvent(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED_EVENTS.contains(lower)
                || RESERVED_PARAM_PREFIXES.stream().anyMatch(lower::startsWith);
    }
}
