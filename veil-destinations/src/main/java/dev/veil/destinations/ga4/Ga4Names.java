package dev.veil.destinations.ga4;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GA4's naming rules, reserved names and Segment's semantic events in GA4's recommended names (Measurement Protocol
 * reference, developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names;
 * support.google.com/analytics/answer/13316687; recommended events, …/protocol/ga4/reference/events).
 */
final class Ga4Names {

    static final int MAX_NAME = 40;
    static final int MAX_USER_PROPERTY_NAME = 24;
    static final int MAX_USER_PROPERTY_VALUE = 36;
    static final int MAX_PARAMS = 25;
    static final int MAX_USER_PROPERTIES = 25;
    static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** The event that carries the SDK's final engagement time of a page (see {@code User Engagement}). */
    static final String ENGAGEMENT_EVENT = "page_engagement";

    /**
     * The event a screen call becomes: GA4 collects {@code screen_view} for app streams only, and this connector
     * sends to a web stream ({@code measurement_id}), so the screen name travels as {@code screen_name} of a custom
     * event.
     */
    static final String SCREEN_EVENT = "app_screen_view";

    static final Map<String, String> SEMANTIC = Map.ofEntries(
            Map.entry("Order Completed", "purchase"),
            Map.entry("Order Refunded", "refund"),
            Map.entry("Signed Up", "sign_up"),
            Map.entry("Signed In", "login"),
            Map.entry("Products Searched", "search"),
            Map.entry("Product Viewed", "view_item"),
            Map.entry("Product List Viewed", "view_item_list"),
            Map.entry("Product Clicked", "select_item"),
            Map.entry("Product Added", "add_to_cart"),
            Map.entry("Product Removed", "remove_from_cart"),
            Map.entry("Product Added to Wishlist", "add_to_wishlist"),
            Map.entry("Cart Viewed", "view_cart"),
            Map.entry("Checkout Started", "begin_checkout"),
            Map.entry("Payment Info Entered", "add_payment_info"),
            Map.entry("Promotion Viewed", "view_promotion"),
            Map.entry("Promotion Clicked", "select_promotion"),
            Map.entry("Lead Generated", "generate_lead"),
            Map.entry("Lead", "generate_lead"),
            Map.entry("Form Submitted", "generate_lead"),
            // The SDK's engagement event (sent when a page is hidden). GA4 reserves user_engagement for its own tag,
            // so the final engagement time travels in a custom event; GA4 adds up engagement_time_msec of any event.
            Map.entry("User Engagement", ENGAGEMENT_EVENT));

    /** GA4's recommended events about one product, whose items Segment's spec puts at the top level. */
    static final Set<String> SINGLE_PRODUCT =
            Set.of("view_item", "select_item", "add_to_cart", "remove_from_cart", "add_to_wishlist");

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

    static final Set<String> RESERVED_USER_PROPERTIES = Set.of(
            "first_open_time", "first_visit_time", "last_deep_link_referrer", "user_id", "first_open_after_install");

    /** Parameters GA4 allows longer than the standard limit (support.google.com/analytics/answer/9267744). */
    static final Map<String, Integer> LONG_PARAMS =
            Map.of("page_location", 1000, "page_referrer", 420, "page_title", 300);

    private Ga4Names() {}

    /**
     * A valid name is kept as is (so a policy's {@code as: bookAppointment} is respected); an invalid one is
     * turned into snake_case ({@code "Appointment Booked"} → {@code appointment_booked}).
     */
    static String sanitize(String name) {
        if (VALID.matcher(name).matches()) {
            return name;
        }
        String s = name.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_+|_+$", "");
        if (!s.isEmpty() && !Character.isLetter(s.charAt(0))) {
            s = "e_" + s;
        }
        return s;
    }

    /** Reserved prefixes, compared without case as GA4 does. */
    static boolean reservedPrefix(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("_")
                || n.startsWith("firebase_")
                || n.startsWith("ga_")
                || n.startsWith("google_")
                || n.startsWith("gtag.");
    }

    static boolean reservedEvent(String name) {
        return RESERVED_EVENTS.contains(name.toLowerCase(Locale.ROOT)) || reservedPrefix(name);
    }

    /** Ids are dropped rather than truncated when too long: a cut id joins the wrong things. */
    static boolean idLike(String param) {
        return param.equals("id") || param.endsWith("_id");
    }
}
