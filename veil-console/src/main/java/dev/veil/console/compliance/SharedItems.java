package dev.veil.console.compliance;

import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one destination's policy shares, as a list of items in words: the events it receives, and every
 * property, trait, identifier and context field with its treatment. Only what flows is listed (a field set to
 * {@code drop} is not shared). Pure.
 */
final class SharedItems {

    /**
     * One shared thing.
     *
     * @param category {@code event}, {@code property}, {@code trait}, {@code group trait}, {@code identifier} or
     *     {@code context}
     * @param appliesTo the events it applies to, in words
     * @param field the field (empty for events)
     * @param treatment what the destination receives of it, in words
     * @param reason the reason recorded in the policy, or empty
     */
    record Item(String category, String appliesTo, String field, String treatment, String reason) {
        /** What identifies the item across policy versions (a changed treatment is a new item). */
        String key() {
            return category + '\u0000' + appliesTo + '\u0000' + field + '\u0000' + treatment;
        }
    }

    private SharedItems() {}

    static List<Item> of(DestinationPolicy d) {
        List<Item> out = new ArrayList<>();
        for (AllowedEvent e : d.events().allow()) {
            out.add(new Item("event", e.name(), "", e.as() == null ? "sent" : "sent, renamed to " + e.as(), ""));
        }
        if (d.events().pages()) {
            out.add(new Item("event", "page and screen calls", "", "sent", ""));
        }
        if (d.events().identify()) {
            out.add(new Item("event", "identify calls", "", "sent", ""));
        }
        if (d.events().group()) {
            out.add(new Item("event", "group calls", "", "sent", ""));
        }
        if (d.events().alias()) {
            out.add(new Item("event", "alias calls", "", "sent", ""));
        }
        fields(out, "property", "every allowed event", d.properties());
        for (AllowedEvent e : d.events().allow()) {
            fields(out, "property", e.name(), e.properties());
        }
        fields(out, "trait", "identify calls and context.traits", d.traits());
        fields(out, "group trait", "group calls", d.groupTraits());
        id(out, "userId", d.identity().userId());
        id(out, "anonymousId", d.identity().anonymousId());
        // The engine reads groupId on group calls and previousId on alias calls only.
        if (d.events().group()) {
            id(out, "groupId", d.identity().groupId());
        }
        if (d.events().alias()) {
            id(out, "previousId", d.identity().previousId());
        }
        context(out, d.context());
        return out;
    }

    private static void fields(List<Item> out, String category, String appliesTo, Map<String, FieldRule> rules) {
        rules.forEach((key, rule) -> {
            if (rule.transform() != Transform.DROP) {
                out.add(new Item(category, appliesTo, key, transform(rule.transform()), nullToEmpty(rule.reason())));
            }
        });
    }

    static String transform(Transform t) {
        return switch (t) {
            case PASS -> "passed (after the PHI scanner)";
            case MASK -> "masked (keyed hash)";
            case ZIP3 -> "zip3 (first three digits of the ZIP code)";
            case YEAR -> "year only";
            case AGE90 -> "age, 90 and over as 90+";
            case DROP -> "not sent";
        };
    }

    private static void id(List<Item> out, String field, IdAction a) {
        switch (a) {
            case MASK -> out.add(new Item("identifier", "every sent event", field, "masked (keyed hash)", ""));
            case PASS -> out.add(new Item("identifier", "every sent event", field, "passed as is", ""));
            case DROP -> {}
        }
    }

    private static void context(List<Item> out, Context c) {
        String all = "every sent event";
        switch (c.ip()) {
            case GEO -> out.add(new Item("context", all, "ip", "country and region only", ""));
            case PASS -> out.add(new Item("context", all, "ip", "passed as is", ""));
            case DROP -> {}
        }
        switch (c.userAgent()) {
            case GENERALIZE -> out.add(new Item("context", all, "userAgent", "browser, OS and device type only", ""));
            case PASS -> out.add(new Item("context", all, "userAgent", "passed as is", ""));
            case DROP -> {}
        }
        url(out, "page.url", c.pageUrl());
        url(out, "page.referrer", c.referrer());
        toggle(out, "page.title", c.pageTitle());
        toggle(out, "campaign", c.campaign());
        toggle(out, "session", c.session());
        toggle(out, "device (locale, timezone, screen)", c.device());
        for (String id : c.clickIds()) {
            out.add(new Item("context", all, "clickIds." + id, "passed as is", ""));
        }
    }

    private static void url(List<Item> out, String field, DestinationPolicy.UrlAction a) {
        switch (a) {
            case SANITIZE ->
                out.add(new Item(
                        "context", "every sent event", field, "sanitized (query and identifiers removed)", ""));
            case PASS -> out.add(new Item("context", "every sent event", field, "passed as is", ""));
            case DROP -> {}
        }
    }

    private static void toggle(List<Item> out, String field, DestinationPolicy.Toggle t) {
        if (t == DestinationPolicy.Toggle.PASS) {
            out.add(new Item("context", "every sent event", field, "passed", ""));
        }
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
