package dev.veil.destinations.mixpanel;

import java.util.Map;
import java.util.Optional;

/**
 * Region names as Mixpanel writes {@code $region}: its geolocation (MaxMind) gives the English name of the first-level
 * subdivision ("California"), while Veil's geo carries the ISO 3166-2 code ("CA"). A code sent as is would show as a
 * separate region beside the name Mixpanel's own SDKs produce, so a region whose name is not in this table is left out
 * (the country is still sent). Names are ISO 3166-2's English subdivision names for the United States and Canada.
 */
final class MixpanelRegions {

    private MixpanelRegions() {}

    private static final Map<String, String> US = Map.ofEntries(
            Map.entry("AL", "Alabama"),
            Map.entry("AK", "Alaska"),
            Map.entry("AZ", "Arizona"),
            Map.entry("AR", "Arkansas"),
            Map.entry("CA", "California"),
            Map.entry("CO", "Colorado"),
            Map.entry("CT", "Connecticut"),
            Map.entry("DE", "Delaware"),
            Map.entry("DC", "District of Columbia"),
            Map.entry("FL", "Florida"),
            Map.entry("GA", "Georgia"),
            Map.entry("HI", "Hawaii"),
            Map.entry("ID", "Idaho"),
            Map.entry("IL", "Illinois"),
            Map.entry("IN", "Indiana"),
            Map.entry("IA", "Iowa"),
            Map.entry("KS", "Kansas"),
            Map.entry("KY", "Kentucky"),
            Map.entry("LA", "Louisiana"),
            Map.entry("ME", "Maine"),
            Map.entry("MD", "Maryland"),
            Map.entry("MA", "Massachusetts"),
            Map.entry("MI", "Michigan"),
            Map.entry("MN", "Minnesota"),
            Map.entry("MS", "Mississippi"),
            Map.entry("MO", "Missouri"),
            Map.entry("MT", "Montana"),
            Map.entry("NE", "Nebraska"),
            Map.entry("NV", "Nevada"),
            Map.entry("NH", "New Hampshire"),
            Map.entry("NJ", "New Jersey"),
            Map.entry("NM", "New Mexico"),
            Map.entry("NY", "New York"),
            Map.entry("NC", "North Carolina"),
            Map.entry("ND", "North Dakota"),
            Map.entry("OH", "Ohio"),
            Map.entry("OK", "Oklahoma"),
            Map.entry("OR", "Oregon"),
            Map.entry("PA", "Pennsylvania"),
            Map.entry("RI", "Rhode Island"),
            Map.entry("SC", "South Carolina"),
            Map.entry("SD", "South Dakota"),
            Map.entry("TN", "Tennessee"),
            Map.entry("TX", "Texas"),
            Map.entry("UT", "Utah"),
            Map.entry("VT", "Vermont"),
            Map.entry("VA", "Virginia"),
            Map.entry("WA", "Washington"),
            Map.entry("WV", "West Virginia"),
            Map.entry("WI", "Wisconsin"),
            Map.entry("WY", "Wyoming"));

    private static final Map<String, String> CANADA = Map.ofEntries(
            Map.entry("AB", "Alberta"),
            Map.entry("BC", "British Columbia"),
            Map.entry("MB", "Manitoba"),
            Map.entry("NB", "New Brunswick"),
            Map.entry("NL", "Newfoundland and Labrador"),
            Map.entry("NS", "Nova Scotia"),
            Map.entry("NT", "Northwest Territories"),
            Map.entry("NU", "Nunavut"),
            Map.entry("ON", "Ontario"),
            Map.entry("PE", "Prince Edward Island"),
            Map.entry("QC", "Quebec"),
            Map.entry("SK", "Saskatchewan"),
            Map.entry("YT", "Yukon"));

    /** The name Mixpanel writes for {@code region} (ISO 3166-2 code without the country) of {@code country}. */
    static Optional<String> name(String country, String region) {
        Map<String, String> names = switch (country) {
            case "US" -> US;
            case "CA" -> CANADA;
            default -> Map.of();
        };
        return Optional.ofNullable(names.get(region));
    }
}
