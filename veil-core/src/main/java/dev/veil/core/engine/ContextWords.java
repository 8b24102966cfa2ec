package dev.veil.core.engine;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The context rules that keep the number detectors precise: the field name a value travels in and the words next
 * to a match. A 5-digit number is a ZIP code in {@code zip: "94110"} or {@code "Portland, OR 97201"}, not in
 * {@code "code 81332"}, {@code "Room 12345"} or {@code "27713 results"}; four dotted numbers are a version in
 * {@code app_version}. Stateless.
 *
 * <p>Field names are compared by their last part, lower-cased, without separators ({@code clinicZip},
 * {@code clinic_zip} and {@code properties.clinic.zip} all end in {@code zip}).
 */
final class ContextWords {

    private ContextWords() {}

    /** Field names that say "postal code". */
    private static final Set<String> ZIP_FIELDS =
            Set.of("zip", "zipcode", "postal", "postalcode", "postcode", "zip5", "zip3", "zip4");

    /** Parts of field names that say "not a postal code": ids, counts, amounts, versions. */
    private static final Set<String> NOT_ZIP_FIELD_PARTS = Set.of(
            "id",
            "ids",
            "sku",
            "order",
            "invoice",
            "count",
            "number",
            "num",
            "no",
            "qty",
            "quantity",
            "port",
            "page",
            "total",
            "amount",
            "price",
            "value",
            "revenue",
            "version",
            "build",
            "year",
            "score",
            "rank",
            "code",
            "ref",
            "ticket",
            "item",
            "items",
            "product",
            "size",
            "duration",
            "ms",
            "index",
            "position",
            "step",
            "steps",
            "views",
            "clicks",
            "sessionid",
            "orderid",
            "productid",
            "transactionid");

    /** Words right before a number that make it something other than a ZIP code. */
    private static final Set<String> NOT_ZIP_BEFORE = Set.of(
            "code",
            "error",
            "err",
            "errno",
            "status",
            "room",
            "rm",
            "order",
            "invoice",
            "inv",
            "ticket",
            "ref",
            "reference",
            "item",
            "sku",
            "id",
            "page",
            "pages",
            "ext",
            "extension",
            "port",
            "build",
            "version",
            "v",
            "ver",
            "no",
            "nr",
            "number",
            "of",
            "case",
            "model",
            "part",
            "pin",
            "batch",
            "lot",
            "job",
            "run",
            "tx",
            "transaction",
            "confirmation",
            "tracking",
            "request",
            "req",
            "step",
            "level",
            "score",
            "points",
            "total",
            "qty",
            "x",
            "product",
            "catalog",
            "serial",
            "bug",
            "issue",
            "pr",
            "release",
            "rev",
            "revision",
            "sprint",
            "flight",
            "route",
            "bus",
            "line",
            "channel",
            "station",
            "unit");

    /** Words right after a number that make it a count or a measure. */
    private static final Set<String> NOT_ZIP_AFTER = Set.of(
            "results",
            "result",
            "items",
            "item",
            "views",
            "view",
            "users",
            "user",
            "visits",
            "visitors",
            "points",
            "pts",
            "ms",
            "px",
            "kb",
            "mb",
            "gb",
            "steps",
            "calories",
            "kcal",
            "miles",
            "mi",
            "km",
            "m",
            "reviews",
            "likes",
            "downloads",
            "times",
            "hits",
            "records",
            "rows",
            "entries",
            "members",
            "patients",
            "people",
            "words",
            "pages",
            "seconds",
            "sec",
            "minutes",
            "min",
            "hours",
            "days",
            "bytes",
            "votes",
            "orders",
            "clicks",
            "impressions",
            "sessions",
            "events",
            "errors",
            "sold",
            "left",
            "units",
            "copies");

    /** Words that say "address" near a number. */
    private static final Set<String> ZIP_WORDS = Set.of("zip", "zipcode", "postal", "postcode", "address", "in");

    /** US state and territory abbreviations: "OR 97201" is a ZIP code. */
    private static final Set<String> STATES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
            "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
            "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI");

    /** Parts of field names that name a version, build or release (dotted numbers there are not addresses). */
    private static final Set<String> VERSION_FIELD_PARTS =
            Set.of("version", "ver", "build", "release", "sdk", "firmware", "appversion", "osversion");

    private static final Set<String> VERSION_WORDS =
            Set.of("version", "ver", "v", "build", "release", "rel", "firmware", "sdk", "app", "os", "chrome");

    private static final Set<String> SSN_FIELDS = Set.of("ssn", "social", "tin", "taxpayer");

    /** Field-name parts that say "an identifier, not a social security number". */
    private static final Set<String> ID_FIELD_PARTS = Set.of(
            "id", "ids", "sku", "order", "invoice", "ref", "ticket", "tracking", "orderid", "transactionid", "number");

    /**
     * The last part of a field path ({@code String} or {@link FieldPath}) as lower-case words separated by single
     * spaces: {@code clinicZip}, {@code clinic_zip} and {@code properties.clinic-zip} all give {@code "clinic zip"};
     * "" when unknown. Words, not substrings: {@code referrer} is not {@code ref}.
     */
    static String leaf(@Nullable Object field) {
        String name;
        if (field instanceof FieldPath p) {
            name = p.leafKey();
        } else if (field instanceof String s) {
            name = s.substring(s.lastIndexOf('.') + 1);
        } else {
            return "";
        }
        if (name == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(name.length() + 4);
        char prev = ' ';
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                c = ' ';
            } else if (Character.isUpperCase(c) && Character.isLowerCase(prev)) {
                sb.append(' ');
            }
            if (c != ' ' || (prev != ' ' && !sb.isEmpty())) {
                sb.append(Character.toLowerCase(c));
            }
            prev = c;
        }
        return sb.toString().strip();
    }

    /** Whether a standalone 5 or 5+4 digit number at {@code [start, end)} is a ZIP code in its context. */
    static boolean isZip(String text, int start, int end, String field) {
        if (containsAny(field, ZIP_FIELDS)) {
            return true;
        }
        String before = wordBefore(text, start);
        String before2 = before == null ? null : wordBefore(text, start - before.length() - gapBefore(text, start));
        if (before != null && (STATES.contains(before) || ZIP_WORDS.contains(lower(before)))) {
            return true;
        }
        if (before2 != null && !lower(before2).equals("in") && ZIP_WORDS.contains(lower(before2))) {
            return true; // "zip code 94110"
        }
        if (precededByIdMark(text, start)) {
            return false;
        }
        if (before != null && NOT_ZIP_BEFORE.contains(lower(before))) {
            return false;
        }
        String after = wordAfter(text, end);
        if (after != null && NOT_ZIP_AFTER.contains(lower(after))) {
            return false;
        }
        return !containsAny(field, NOT_ZIP_FIELD_PARTS);
    }

    /** Whether dotted numbers at {@code start} are a version: in a version-named field, or after "version". */
    static boolean isVersion(String text, int start, String field) {
        if (containsAny(field, VERSION_FIELD_PARTS)) {
            return true;
        }
        String before = wordBefore(text, start);
        return before != null && VERSION_WORDS.contains(lower(before));
    }

    /** Whether a bare 9-digit number is an id (by its field name or the word before it), not an SSN. */
    static boolean isIdNumber(String text, int start, String field) {
        if (containsAny(field, SSN_FIELDS)) {
            return false;
        }
        if (containsAny(field, ID_FIELD_PARTS) || precededByIdMark(text, start)) {
            return true;
        }
        String before = wordBefore(text, start);
        return before != null && NOT_ZIP_BEFORE.contains(lower(before));
    }

    /**
     * Whether a date at {@code [start, end)} is part of an identifier or a file name ({@code INV-2026-11-16},
     * {@code report_2026-11-28.pdf}): glued to a letter, digit or {@code _}, after a letter and {@code -}, or
     * followed by a file extension.
     */
    static boolean dateInIdentifier(String text, int start, int end) {
        if (start > 0
                && text.charAt(start - 1) == '/'
                && text.indexOf('/', start) > start
                && text.indexOf('/', start) < end) {
            return true; // /blog/2026/11/28/: path segments of a URL, a publication date
        }
        if (start > 0) {
            char p = text.charAt(start - 1);
            if (Character.isLetterOrDigit(p) || p == '_') {
                return true;
            }
            if ((p == '-' || p == '#') && start > 1 && Character.isLetterOrDigit(text.charAt(start - 2))) {
                return true;
            }
        }
        if (end < text.length()) {
            char n = text.charAt(end);
            if (Character.isLetter(n) || n == '_') {
                return true;
            }
            if (n == '.' && end + 1 < text.length() && Character.isLetter(text.charAt(end + 1))) {
                return true;
            }
        }
        return false;
    }

    /** {@code #53607}, {@code No.12345}: a number marked as an id. */
    private static boolean precededByIdMark(String text, int start) {
        int i = start - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        return i >= 0 && (text.charAt(i) == '#' || text.charAt(i) == '№');
    }

    private static int gapBefore(String text, int start) {
        int i = start - 1;
        while (i >= 0 && !Character.isLetterOrDigit(text.charAt(i))) {
            i--;
        }
        return start - 1 - i;
    }

    /** The word (letters only) right before {@code pos}, skipping spaces and {@code : , # . -}; null if none. */
    static @Nullable String wordBefore(String text, int pos) {
        int i = pos - 1;
        int gap = 0;
        while (i >= 0 && " :,#.-(".indexOf(text.charAt(i)) >= 0 && gap < 3) {
            i--;
            gap++;
        }
        int end = i + 1;
        while (i >= 0 && Character.isLetter(text.charAt(i))) {
            i--;
        }
        return end - (i + 1) > 0 ? text.substring(i + 1, end) : null;
    }

    /** The word (letters only) right after {@code pos}, skipping spaces; null if none. */
    static @Nullable String wordAfter(String text, int pos) {
        int i = pos;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < text.length() && Character.isLetter(text.charAt(i))) {
            i++;
        }
        return i > start ? text.substring(start, i) : null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Whether one of the field's words is one of {@code words}. */
    private static boolean containsAny(String field, Set<String> words) {
        if (field.isEmpty()) {
            return false;
        }
        int from = 0;
        while (from <= field.length()) {
            int space = field.indexOf(' ', from);
            int to = space < 0 ? field.length() : space;
            if (words.contains(field.substring(from, to))) {
                return true;
            }
            from = to + 1;
        }
        return false;
    }
}
