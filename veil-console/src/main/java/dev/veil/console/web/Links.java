package dev.veil.console.web;

import dev.veil.store.DictionaryStore.EventKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Small formatting helpers for templates: links with encoded queries, counts, ages. */
public final class Links {

    private Links() {}

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The matrix cell editor of one destination, event and field. */
    public static String cell(String destination, EventKey event, String path) {
        return "/console/matrix/cell?dest=" + enc(destination) + "&type=" + enc(event.type()) + "&event="
                + enc(event.name()) + "&path=" + enc(path);
    }

    /** The matrix event editor of one destination and event. */
    public static String event(String destination, EventKey event) {
        return "/console/matrix/cell?dest=" + enc(destination) + "&type=" + enc(event.type()) + "&event="
                + enc(event.name()) + "&path=";
    }

    public static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    /** "3 min ago", "2 h ago", "5 d ago"; "never" for null. */
    public static String ago(@Nullable Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return "just now";
        }
        return age(d.toSeconds()) + " ago";
    }

    /** A duration in seconds as "under a minute", "3 min", "2 h" or "5 d". */
    public static String age(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toSeconds() < 60) {
            return "under a minute";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }

    /** An instant as {@code 2026-11-29 10:04 UTC}. */
    public static String time(@Nullable Instant at) {
        if (at == null) {
            return "";
        }
        return at.toString().substring(0, 16).replace('T', ' ') + " UTC";
    }
}
