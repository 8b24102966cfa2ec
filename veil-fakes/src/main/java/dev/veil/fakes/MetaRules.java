package dev.veil.fakes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Meta Conversions API rules as Meta documents them, for {@link FakeMeta}. Written from Meta's documentation and
 * Meta's own open-source code (sources on each table), never from Veil's connector: a fake is an independent witness.
 */
final class MetaRules {

    private MetaRules() {}

    /** Events per request (conversions-api/using-the-api: "up to 1,000 events"). */
    static final int MAX_EVENTS = 1000;

    /** {@code event_time} may be up to 7 days in the past (parameters/server-event, {@code event_time}). */
    static final java.time.Duration MAX_AGE = java.time.Duration.ofDays(7);

    /**
     * Marketing API versions and the day each stops working, from the Marketing API version history
     * (developers.facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions): v27.0
     * released November 4, 2026; v26.0 July 29, 2026; v25.0 expires February 23, 2027; v24.0 November 10, 2026; v23.0
     * June 9, 2026; v22.0 February 19, 2026. Versions are retired oldest first, so anything older than v22.0 is gone.
     * A retired version answers error 2635 ("You are calling a deprecated version of the Ads API").
     */
    static final Map<String, @Nullable LocalDate> VERSIONS = versions();

    private static Map<String, @Nullable LocalDate> versions() {
        Map<String, @Nullable LocalDate> m = new java.util.HashMap<>();
        m.put("v27.0", null);
        m.put("v26.0", null);
        m.put("v25.0", LocalDate.of(2027, 2, 23));
        m.put("v24.0", LocalDate.of(2026, 11, 10));
        m.put("v23.0", LocalDate.of(2026, 6, 9));
        m.put("v22.0", LocalDate.of(2026, 2, 19));
        return m;
    }

    /** Whether Meta still serves {@code version} (e.g. {@code v25.0}) at {@code now}. */
    static boolean versionAvailable(String version, Instant now) {
        if (!VERSIONS.containsKey(version)) {
            Matcher m = Pattern.compile("v([0-9]+)\\.0").matcher(version);
            // Unknown versions: newer than the table (not released yet, or released after it was written) pass;
            // older ones were retired.
            return m.matches() && Integer.parseInt(m.group(1)) > 27;
        }
        LocalDate expiry = VERSIONS.get(version);
        return expiry == null || now.isBefore(expiry.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** {@code action_source} values (parameters/server-event, {@code action_source}). */
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

    /** Customer information parameters (parameters/customer-information-parameters). */
    static final Set<String> USER_DATA_KEYS = Set.of(
            "em",
            "ph",
            "fn",
            "ln",
            "db",
            "ge",
            "ct",
            "st",
            "zp",
            "country",
            "external_id",
            "client_ip_address",
            "client_user_agent",
            "fbc",
            "fbp",
            "subscription_id",
            "fb_login_id",
            "lead_id",
            "anon_id",
            "madid",
            "page_id",
            "page_scoped_user_id",
            "ctwa_clid",
            "ig_account_id",
            "ig_sid");

    /** Parameters that must be SHA-256 hashed (customer-information-parameters: "Hashing required"). */
    static final Set<String> HASHED = Set.of("em", "ph", "fn", "ln", "db", "ge", "ct", "st", "zp", "country");

    /**
     * The {@code _fbc}/{@code _fbp} cookie form: {@code fb.<subdomainIndex>.<creationTime>.<payload>} with an optional
     * fifth part, the appendix Meta's parameter builder writes: one of its tokens or 8 characters (facebook/
     * capi-param-builder, client_js/shared/model/cookies.js {@code cookieUnpack} and constants.js {@code
     * VALID_PARAM_BUILDER_TOKENS}, {@code APPENDIX_LENGTH_V2}; parameters/fbp-and-fbc).
     */
    static final Set<String> APPENDIX_TOKENS = Set.of("AQ", "Ag", "Aw", "BA", "BQ", "Bg");

    static boolean cookieForm(String value, boolean numericPayload) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 && parts.length != 5) {
            return false;
        }
        if (!parts[0].equals("fb") || !parts[1].matches("[0-9]+") || !parts[2].matches("[0-9]+")) {
            return false;
        }
        if (parts[3].isEmpty() || (numericPayload && !parts[3].matches("[0-9]+"))) {
            return false;
        }
        return parts.length == 4 || APPENDIX_TOKENS.contains(parts[4]) || parts[4].length() == 8;
    }

    /**
     * An ISO 4217 code (parameters/custom-data, {@code currency}: "ISO 4217 currency code"), checked against the
     * JDK's ISO 4217 table rather than any three letters.
     */
    static boolean currency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Events whose {@code value} and {@code currency} are required (parameters/custom-data: "required for purchase"). */
    static final Set<String> VALUE_REQUIRED = Set.of("Purchase");

    /**
     * Events that need {@code content_ids} or {@code contents} for Advantage+ catalog ads (parameters/custom-data,
     * {@code content_ids}: "required for Advantage+ catalog ads"; the pixel's standard events reference).
     */
    static final Set<String> CATALOG_EVENTS = Set.of("ViewContent", "AddToCart", "AddToWishlist", "Purchase");

    /**
     * Limited Data Use location (data-processing-options, "for US users"): country 1 is the USA, 0 asks Meta to
     * geolocate; state 1000 California, 1001 Colorado, 1002 Connecticut (the states where LDU applies to Business
     * Tools), 0 asks Meta to geolocate.
     */
    static final Map<Integer, String> LDU_STATES = Map.of(1000, "CA", 1001, "CO", 1002, "CT");
}
