package dev.veil.destinations.ga4;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** GA4's naming rules, reserved names and Segment's semantic events in GA4's recommended names. */
final class Ga4Names {

    static final int MAX_NAME = 40;
    static final int MAX_USER_PROPERTY_NAME = 24;
    static final int MAX_USER_PROPERTY_VALUE = 36;
    static final int MAX_PARAMS = 25;
    static final int MAX_USER_PROPERTIES = 25;
    static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

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
            Map.entry("Form Submitted", "generate_lead"));

    static final Set<String> RESERVED_EVENTS = Set.of(
            "ad_activeview",
            "ad_click",
            "ad_exposure",
            "ad_query",
            "ad_reward",
            "adunit_exposure",
            "app_clear_data",
            "app_exception",
            "app_install",
            "app_remove",
            "app_store_refund",
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
            "notification_dismiss",
            "notification_foreground",
            "notification_open",
            "notification_receive",
            "notification_send",
            "os_update",
            "session_start",
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

    static boolean reservedPrefix(String name) {
        return name.startsWith("_")
                || name.startsWith("firebase_")
                || name.startsWith("ga_")
                || name.startsWith("google_")
                || name.startsWith("gtag.");
    }

    /** Ids are dropped rather than truncated when too long: a cut id joins the wrong things. */
    static boolean idLike(String param) {
        return param.equals("id") || param.endsWith("_id");
    }
}
