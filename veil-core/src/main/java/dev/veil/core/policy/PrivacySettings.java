package dev.veil.core.policy;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The {@code privacy:} block: URL rules, PHI scanner, geo database and consent defaults. Immutable. */
public record PrivacySettings(Url url, Scanner scanner, Geo geo, Consent consent) {

    public static final PrivacySettings DEFAULTS = new PrivacySettings(
            new Url(List.of(), List.of(), List.of()),
            new Scanner(Set.of(Detector.values()), List.of(), OnMatch.REDACT),
            new Geo(null),
            new Consent(ConsentDefault.DENIED, true));

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
