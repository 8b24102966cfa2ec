package dev.veil.console.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data-dictionary paths of what a destination received: {@code properties.items[].sku}, {@code traits.zip}
 * or {@code context.traits.zip}, {@code userId}, {@code context.page.url}, … named as they were received (an
 * event renamed for the destination keeps its fields' names). Pure.
 */
final class ReleasedFields {

    private ReleasedFields() {}

    static Set<String> of(SafeEvent e, JsonNode message) {
        Set<String> out = new LinkedHashSet<>();
        if (e.userId() != null) {
            out.add("userId");
        }
        if (e.anonymousId() != null) {
            out.add("anonymousId");
        }
        if (e.groupId() != null) {
            out.add("groupId");
        }
        if (e.previousId() != null) {
            out.add("previousId");
        }
        if (e.name() != null && (e.type() == EventType.PAGE || e.type() == EventType.SCREEN)) {
            out.add("name");
        }
        walk(e.properties(), "properties", out);
        if (e.type() == EventType.GROUP) {
            walk(e.traits(), "traits", out);
        } else {
            JsonNode own = message.path("traits");
            for (Map.Entry<String, Object> t : e.traits().entrySet()) {
                // An identify call's own traits win over context.traits of the same name (the engine merges them).
                String root = e.type() == EventType.IDENTIFY && own.has(t.getKey()) ? "traits" : "context.traits";
                walkValue(t.getValue(), root + "." + t.getKey(), out);
            }
        }
        context(e.context(), message.path("context").path("page"), out);
        return out;
    }

    private static void context(SafeContext c, JsonNode rawPage, Set<String> out) {
        if (c.geo() != null || c.ip() != null) {
            out.add("context.ip");
        }
        if (c.userAgent() != null || c.rawUserAgent() != null) {
            out.add("context.userAgent");
        }
        if (c.pageUrl() != null) {
            out.add("context.page.url");
            if (rawPage.has("path")) {
                out.add("context.page.path");
            }
        }
        if (c.referrer() != null) {
            out.add("context.page.referrer");
        }
        if (c.pageTitle() != null) {
            out.add("context.page.title");
        }
        c.campaign().keySet().forEach(k -> out.add("context.campaign." + k));
        if (c.session() != null) {
            out.add("context.session.id");
            if (c.session().number() != null) {
                out.add("context.session.number");
            }
            if (c.session().engagementTimeMs() != null) {
                out.add("context.session.engagementTimeMs");
            }
        }
        if (c.device() != null) {
            if (c.device().locale() != null) {
                out.add("context.locale");
            }
            if (c.device().timezone() != null) {
                out.add("context.timezone");
            }
            if (c.device().screen() != null) {
                out.add("context.screen.width");
                out.add("context.screen.height");
            }
        }
        c.clickIds().keySet().forEach(k -> out.add("context.clickIds." + k));
    }

    private static void walk(Map<String, Object> map, String prefix, Set<String> out) {
        map.forEach((k, v) -> walkValue(v, prefix + "." + k, out));
    }

    private static void walkValue(Object v, String path, Set<String> out) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, child) -> walkValue(child, path + "." + k, out));
        } else if (v instanceof List<?> l) {
            l.forEach(child -> walkValue(child, path + "[]", out));
        } else {
            out.add(path);
        }
    }
}
