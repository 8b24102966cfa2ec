package dev.veil.core.policy;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The {@code privacy:} block: URL rules, PHI scanner, geo database, consent defaults and money fields. Immutable. */
public record PrivacySettings(Url url, Scanner scanner, Geo geo, Consent consent, Money money) {

    public static final PrivacySettings DEFAULTS = new PrivacySettings(
            new Url(List.of(), List.of(), List.of()),
            new Scanner(Set.of(Detector.values()), List.of(), OnMatch.REDACT),
            new Geo(null),
            new Consent(ConsentDefault.DENIED, true),
            Money.DEFAULTS);

    /** Settings with the default {@link Money} rules. */
    public PrivacySettings(Url url, Scanner scanner, Geo geo, Consent consent) {
        this(url, scanner, geo, consent, Money.DEFAULTS);
    }

    public PrivacySettings {
        java.util.Objects.requireNonNull(money, "money");
    }

    /**
     * Commerce fields that carry amounts (Segment's e-commerce spec): an allowed property with one of these names
     * passes only as a number, or a plain decimal string, no larger than {@code maximum} in absolute value;
     * anything else in it (an id, a phone number) is dropped. Names are compared with the property's last key,
     * ignoring case, at any depth ({@code products[].price}).
     *
     * @param fields the property names that hold amounts
     * @param maximum the largest absolute amount accepted
     */
    public record Money(List<String> fields, java.math.BigDecimal maximum) {
        public static final List<String> DEFAULT_FIELDS =
                List.of("value", "revenue", "price", "total", "subtotal", "tax", "shipping", "discount");
        public static final java.math.BigDecimal DEFAULT_MAXIMUM = new java.math.BigDecimal("1000000");
        public static final Money DEFAULTS = new Money(DEFAULT_FIELDS, DEFAULT_MAXIMUM);

        public Money {
            fields = List.copyOf(fields);
            maximum = maximum.stripTrailingZeros(); // 1000000 and 1E+6 are one maximum
        }
    }

    /**
     * URL sanitizing rules.
     *
     * @param keepQueryParams the only query parameters kept by {@code sanitize}
     * @param redactPaths path templates such as {@code /patients/{patientId}/**}; matched segments become
     *     {@code {name}}
     * @param sensitivePages pages whose URL reveals health information
     */
    public record Url(List<String> keepQueryParams, List<String> redactPaths, List<SensitivePage> sensitivePages) {
        public Url {
            keepQueryParams = List.copyOf(keepQueryParams);
            redactPaths = List.copyOf(redactPaths);
            sensitivePages = List.copyOf(sensitivePages);
        }
    }

    /**
     * A sensitive page rule: either generalize the URL ({@code replaceWith}) or drop events from the page.
     *
     * @param match a path pattern ({@code *} one segment, {@code **} any number of segments)
     * @param replaceWith the replacement path when {@code action} is {@link SensitiveAction#REPLACE}
     * @param action what to do
     */
    public record SensitivePage(String match, @Nullable String replaceWith, SensitiveAction action) {}

    public enum SensitiveAction {
        REPLACE,
        DROP_EVENT
    }

    /**
     * The PHI scanner run over every outgoing string.
     *
     * @param detectors enabled detectors (default: all)
     * @param mrnPatterns regexes for medical record numbers (used by the {@code mrn} detector and URL id rules)
     * @param onMatch what to do on a match
     */
    public record Scanner(Set<Detector> detectors, List<String> mrnPatterns, OnMatch onMatch) {
        public Scanner {
            detectors = Set.copyOf(detectors);
            mrnPatterns = List.copyOf(mrnPatterns);
        }
    }

    public enum Detector {
        EMAIL,
        PHONE,
        SSN,
        DATE,
        MRN,
        IP,
        CREDIT_CARD,
        ZIP;
    }

    public enum OnMatch {
        REDACT,
        DROP_PROPERTY,
        DROP_EVENT
    }

    /** @param database path of a MaxMind-format city database, or null for none */
    public record Geo(@Nullable String database) {}

    /**
     * @param defaultConsent what applies when an event carries no consent object
     * @param honorGpc whether {@code Sec-GPC: 1} forces the {@code advertising} category false
     */
    public record Consent(ConsentDefault defaultConsent, boolean honorGpc) {}

    public enum ConsentDefault {
        DENIED,
        GRANTED
    }
}
