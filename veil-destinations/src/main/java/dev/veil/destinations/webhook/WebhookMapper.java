package dev.veil.destinations.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Json;
import java.util.Map;

/**
 * Writes a safe event as Segment-shaped JSON: every field the destination may receive, nothing else, in a stable
 * wire format ({@code type, messageId, timestamp, event|name, userId, anonymousId, …, properties, traits,
 * context}).
 */
final class WebhookMapper {

    private WebhookMapper() {}

    static ObjectNode map(SafeEvent e) {
        ObjectNode o = Json.object();
        o.put("type", e.type().wireName());
        o.put("messageId", e.messageId());
        o.put("timestamp", e.timestamp().toString());
        if (e.name() != null) {
            o.put(e.type() == dev.veil.api.EventType.TRACK ? "event" : "name", e.name());
        }
        Json.putIfPresent(o, "userId", e.userId());
        Json.putIfPresent(o, "anonymousId", e.anonymousId());
        Json.putIfPresent(o, "groupId", e.groupId());
        Json.putIfPresent(o, "previousId", e.previousId());
        o.set("properties", Json.node(e.properties()));
        o.set("traits", Json.node(e.traits()));
        o.set("context", context(e.context()));
        return o;
    }

    private static ObjectNode context(SafeContext c) {
        ObjectNode o = Json.object();
        if (c.geo() != null) {
            ObjectNode geo = o.putObject("geo").put("country", c.geo().country());
            Json.putIfPresent(geo, "region", c.geo().region());
        }
        Json.putIfPresent(o, "ip", c.ip());
        if (c.userAgent() != null) {
            ObjectNode ua = o.putObject("userAgentData");
            Json.putIfPresent(ua, "browser", c.userAgent().browser());
            Json.putIfPresent(ua, "browserMajor", c.userAgent().browserMajor());
            Json.putIfPresent(ua, "os", c.userAgent().os());
            Json.putIfPresent(ua, "deviceType", c.userAgent().deviceType());
        }
        Json.putIfPresent(o, "userAgent", c.rawUserAgent());
        ObjectNode page = Json.object();
        Json.putIfPresent(page, "url", c.pageUrl());
        Json.putIfPresent(page, "path", c.pagePath());
        Json.putIfPresent(page, "referrer", c.referrer());
        Json.putIfPresent(page, "title", c.pageTitle());
        if (!page.isEmpty()) {
            o.set("page", page);
        }
        putMap(o, "campaign", c.campaign());
        if (c.session() != null) {
            ObjectNode s = o.putObject("session").put("id", c.session().id());
            if (c.session().number() != null) {
                s.put("number", c.session().number());
            }
            if (c.session().engagementTimeMs() != null) {
                s.put("engagementTimeMs", c.session().engagementTimeMs());
            }
        }
        if (c.device() != null) {
            ObjectNode d = Json.object();
            Json.putIfPresent(d, "locale", c.device().locale());
            Json.putIfPresent(d, "screen", c.device().screen());
            Json.putIfPresent(d, "timezone", c.device().timezone());
            if (!d.isEmpty()) {
                o.set("device", d);
            }
        }
        putMap(o, "clickIds", c.clickIds());
        putMap(o, "consent", c.consent());
        return o;
    }

    private static void putMap(ObjectNode o, String field, Map<String, ?> map) {
        if (!map.isEmpty()) {
            o.set(field, Json.node(new java.util.TreeMap<>(map)));
        }
    }
}
