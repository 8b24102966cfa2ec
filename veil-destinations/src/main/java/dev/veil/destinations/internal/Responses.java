package dev.veil.destinations.internal;

import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.VendorResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reading HTTP answers the same way for every vendor: success, Retry-After, retryable statuses. */
public final class Responses {

    private Responses() {}

    public static boolean success(VendorResponse r) {
        return r.status() >= 200 && r.status() < 300;
    }

    /** 408, 429 and every 5xx are worth trying again. */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The {@code Retry-After} header as a duration (seconds or an HTTP date); null when absent or unreadable. */
    public static @Nullable Duration retryAfter(VendorResponse r) {
        String v = r.header("retry-after").trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The generic reading of a non-2xx status: retry 408/429/5xx (with Retry-After), pause the destination on
     * 401/403 (credentials refused: no request can succeed, so nothing is dead-lettered), fail the rest.
     */
    public static Outcome byStatus(String vendor, VendorResponse r, String detail) {
        String reason = vendor + ": HTTP " + r.status() + (detail.isEmpty() ? "" : " " + detail);
        if (retryable(r.status())) {
            return new Outcome.Retry(reason, retryAfter(r));
        }
        if (r.status() == 401 || r.status() == 403) {
            return new Outcome.AuthFailed(reason);
        }
        return new Outcome.Failed(reason);
    }
}
