package dev.veil.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.PrivacySettings.ConsentDefault;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The privacy engine of shared spec/policy.md: allowlists, consent, masking, value transforms, context
 * generalization, URL sanitizing and the PHI scanner. Thread-safe, never mutates its input, does no I/O.
 *
 * <p>Input fields read from {@link RawEvent#message()} (the Segment message):
 *
 * <ul>
 *   <li>{@code event} (track name), {@code name} (page/screen name), {@code userId}, {@code anonymousId},
 *       {@code groupId} (group calls), {@code previousId} (alias calls);
 *   <li>{@code properties} (all calls), {@code traits} (identify: user traits; group: group traits);
 *   <li>{@code context.traits} (user traits on any call but group), {@code context.ip} (when the server captured
 *       no client IP), {@code context.userAgent} (when no User-Agent header was captured);
 *   <li>{@code context.page.url|path|referrer|title} (page calls fall back to {@code properties.url|referrer|title});
 *   <li>{@code context.campaign.source|medium|name|term|content|id}, falling back to the page URL's
 *       {@code utm_*} parameters;
 *   <li>{@code context.session.id|number|engagementTimeMs}; {@code context.locale}, {@code context.timezone},
 *       {@code context.screen.width|height};
 *   <li>{@code context.clickIds.<name>}, falling back to the page URL's query parameter of the same name;
 *   <li>{@code context.consent.categoryPreferences} (booleans per category).
 * </ul>
 *
 * <p>Everything else in the message is ignored. Only strings are PHI-scanned (see {@link PhiScanner}); masked ids
 * and transform outputs are not (they are generated), and neither are fields a BAA destination receives with
 * {@code pass} (ids, ip, pageUrl, referrer), since passing them is the point of the BAA. A {@code pass} on those
 * fields for a destination without a BAA is treated as the safe alternative (mask ids, drop ip, sanitize URLs).
 */
public final class DefaultPrivacyEngine implements PrivacyEngine {

    /** Consent categories forwarded to connectors (with any category a destination requires). */
    private static final Set<String> CONSENT_CATEGORIES =
            Set.of("necessary", "functional", "analytics", "advertising", "marketing", "personalization");

    private static final int MAX_COMPILED = 1024;

    private final EngineConfig config;
    private final Masker masker;
    private final EventIds eventIds;
    private final PhiScanner scanner;
    private final FieldFilter fields;
    private final ContextFilter contexts;
    private final Map<IdentityKey, Compiled> compiled = new ConcurrentHashMap<>();

    /** Destination policy compiled for fast evaluation; cached per policy instance. */
    private record Compiled(
            Map<String, AllowedEvent> allowed,
            Map<String, FieldTree> eventProperties,
            FieldTree properties,
            FieldTree traits,
            FieldTree groupTraits,
            List<String> consentCategories) {}

    /** Identity-based key: record equality would hash whole policies on every call. */
    private record IdentityKey(DestinationPolicy policy) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityKey k && k.policy == policy;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(policy);
        }
    }

    public DefaultPrivacyEngine(EngineConfig config) {
        this.config = config;
        this.masker = new Masker(config.keyring());
        this.eventIds = new EventIds(config.keyring());
        PrivacySettings.Scanner s = config.privacy().scanner();
        this.scanner = PhiScanner.of(s.detectors(), s.mrnPatterns());
        this.fields = new FieldFilter(masker, config.privacy().money());
        this.contexts = new ContextFilter(
                new UrlSanitizer(config.privacy().url(), scanner), scanner, config.geo(), config.userAgents());
    }

    /** The configuration this engine was built with. */
    public EngineConfig config() {
        return config;
    }

    /** The masker (e.g. for previewing what a destination will receive for a known id). */
    public Masker masker() {
        return masker;
    }

    @Override
    public Decision evaluate(RawEvent event, DestinationPolicy d) {
        JsonNode msg = event.message();
        EventType type = event.type();
        Compiled c = compile(d);
        int keyVersion = config.keyring().versionAt(event.receivedAt()).version();

        if (!d.enabled()) {
            return dropped("destination_disabled", "destination " + d.id() + " is disabled", List.of());
        }
        String name = null;
        FieldTree propertyTree = c.properties();
        switch (type) {
            case TRACK -> {
                String eventName =
                        msg.path("event").isTextual() ? msg.path("event").textValue() : null;
                AllowedEvent allowed = eventName == null ? null : c.allowed().get(eventName);
                if (allowed == null) {
                    return dropped("event_not_allowed", "the event is not in events.allow of " + d.id(), List.of());
                }
                name = allowed.as() != null ? allowed.as() : allowed.name();
                propertyTree = c.eventProperties().get(allowed.name());
            }
            case PAGE, SCREEN -> {
                if (!d.events().pages()) {
                    return typeNotAllowed(type, "pages", d);
                }
            }
            case IDENTIFY -> {
                if (!d.events().identify()) {
                    return typeNotAllowed(type, "identify", d);
                }
            }
            case GROUP -> {
                if (!d.events().group()) {
                    return typeNotAllowed(type, "group", d);
                }
            }
            case ALIAS -> {
                if (!d.events().alias()) {
                    return typeNotAllowed(type, "alias", d);
                }
            }
        }

        Map<String, Boolean> consent = consent(event, d, c.consentCategories());
        for (String category : d.consent()) {
            if (!Boolean.TRUE.equals(consent.get(category))) {
                return dropped(
                        "consent_denied",
                        "consent category " + category + " is not granted"
                                + (category.equals("advertising") && event.gpc() ? " (Sec-GPC)" : ""),
                        List.of());
            }
        }

        String traceName = type == EventType.TRACK ? name : type.wireName();
        EventId eventId = eventId(event, d, keyVersion);
        EvaluationState st = new EvaluationState(
                d.id(),
                eventId.value(),
                traceName,
                keyVersion,
                scanner,
                config.privacy().scanner().onMatch(),
                config.scanListener());
        st.advertisingDenied = Boolean.FALSE.equals(consent.get(ADVERTISING));
        st.trace("messageId", eventId.action(), eventId.rule());

        // Sensitive pages drop events of every destination that does not receive the raw URL under a BAA.
        ContextFilter.ParsedUrl page = contexts.page(event);
        boolean rawPagePassed = d.context().pageUrl() == UrlAction.PASS && d.baa();
        if (page != null && page.sanitized().dropEvent() && !rawPagePassed) {
            st.trace("context.page.url", "dropped", page.rules());
            return dropped("sensitive_page", "the page matches a privacy.url.sensitivePages rule", st.trace());
        }

        if (type == EventType.PAGE || type == EventType.SCREEN) {
            String pageName = ContextFilter.text(msg.path("name"));
            name = pageName == null ? null : st.scan("name", pageName);
        }

        DestinationPolicy.Identity ids = d.identity();
        String userId = id(msg.path("userId"), "userId", ids.userId(), d, event, st);
        String anonymousId = id(msg.path("anonymousId"), "anonymousId", ids.anonymousId(), d, event, st);
        String groupId =
                type == EventType.GROUP ? id(msg.path("groupId"), "groupId", ids.groupId(), d, event, st) : null;
        String previousId = type == EventType.ALIAS
                ? id(msg.path("previousId"), "previousId", ids.previousId(), d, event, st)
                : null;

        Map<String, Object> properties = fields.filter(msg.path("properties"), propertyTree, "properties", st);
        Map<String, Object> traits;
        if (type == EventType.GROUP) {
            traits = fields.filter(msg.path("traits"), c.groupTraits(), "traits", st);
        } else {
            traits = fields.filter(msg.path("context").path("traits"), c.traits(), "context.traits", st);
            if (type == EventType.IDENTIFY) {
                Map<String, Object> own = fields.filter(msg.path("traits"), c.traits(), "traits", st);
                if (!own.isEmpty()) {
                    // An identify call's own traits win over context.traits of the same name.
                    Map<String, Object> merged = new LinkedHashMap<>(traits);
                    merged.putAll(own);
                    traits = merged;
                }
            }
        }

        SafeContext context = contexts.build(event, d, page, consent, st);
        if (st.phiDropsEvent()) {
            return dropped("phi_detected", st.phiDropDetail(), st.trace());
        }
        SafeEvent safe = new SafeEvent(
                d.id(),
                type,
                eventId.value(),
                event.timestamp(),
                name,
                userId,
                anonymousId,
                groupId,
                previousId,
                properties,
                traits,
                context);
        return new Decision.Forward(safe, st.trace());
    }

    /** The event id a destination receives, with its trace action and rule. */
    private record EventId(String value, String action, String rule) {}

    private static final String ADVERTISING = "advertising";
    private static final String DERIVED_RULE = "eventId: derive";

    private EventId eventId(RawEvent event, DestinationPolicy d, int keyVersion) {
        String derived = eventIds.derive(d.id(), keyVersion, event.sourceId(), event.messageId());
        if (d.eventId() != DestinationPolicy.EventIdMode.PASS_OPAQUE) {
            return new EventId(derived, "derived", DERIVED_RULE);
        }
        JsonNode msg = event.message();
        String callers = ContextFilter.text(msg.path("context").path("eventId"));
        if (callers == null || !msg.path("context").path("eventId").isTextual()) {
            callers = event.messageId();
        }
        String[] ids = {
            ContextFilter.text(msg.path("userId")),
            ContextFilter.text(msg.path("anonymousId")),
            ContextFilter.text(msg.path("groupId")),
            ContextFilter.text(msg.path("previousId"))
        };
        String problem = OpaqueEventIds.problem(callers, ids, scanner);
        if (problem != null) {
            return new EventId(derived, "derived", "eventId: passOpaque, but the caller's id " + problem);
        }
        return new EventId(callers, "passed", "eventId: passOpaque (an opaque token)");
    }

    private @Nullable String id(
            JsonNode node, String field, IdAction action, DestinationPolicy d, RawEvent e, EvaluationState st) {
        String value = ContextFilter.text(node);
        if (value == null || value.isBlank()) {
            return null;
        }
        IdAction effective = action == IdAction.PASS && !d.baa() ? IdAction.MASK : action;
        return switch (effective) {
            case DROP -> {
                st.trace(field, "dropped", "identity." + field + ": drop");
                yield null;
            }
            case PASS -> {
                st.trace(field, "passed", "identity." + field + ": pass (baa)");
                yield value;
            }
            case MASK -> {
                st.trace(
                        field,
                        "masked",
                        action == IdAction.PASS
                                ? "identity." + field + ": pass needs baa"
                                : "identity." + field + ": mask");
                yield masker.mask(d.id(), st.keyVersion, value);
            }
        };
    }

    /** The event's consent preferences, restricted to known categories, with defaults and GPC applied. */
    private Map<String, Boolean> consent(RawEvent event, DestinationPolicy d, List<String> categories) {
        PrivacySettings.Consent settings = config.privacy().consent();
        JsonNode prefs = event.message().path("context").path("consent").path("categoryPreferences");
        Map<String, Boolean> out = new HashMap<>();
        for (String category : categories) {
            Boolean granted;
            if (prefs.isObject()) {
                JsonNode v = prefs.get(category);
                granted = v != null && v.isBoolean() ? v.booleanValue() : null;
            } else {
                granted = settings.defaultConsent() == ConsentDefault.GRANTED
                                && d.consent().contains(category)
                        ? Boolean.TRUE
                        : null;
            }
            if (category.equals("advertising") && settings.honorGpc() && event.gpc()) {
                granted = Boolean.FALSE;
            }
            if (granted != null) {
                out.put(category, granted);
            }
        }
        return out;
    }

    private Compiled compile(DestinationPolicy d) {
        IdentityKey key = new IdentityKey(d);
        Compiled c = compiled.get(key);
        if (c != null) {
            return c;
        }
        if (compiled.size() >= MAX_COMPILED) {
            compiled.clear(); // policies are replaced, not accumulated: a reload simply recompiles
        }
        Map<String, AllowedEvent> allowed = new LinkedHashMap<>();
        Map<String, FieldTree> eventProperties = new HashMap<>();
        for (AllowedEvent a : d.events().allow()) {
            if (allowed.putIfAbsent(a.name(), a) == null) {
                eventProperties.put(a.name(), FieldTree.of(d.properties(), a.properties()));
            }
        }
        c = new Compiled(
                Map.copyOf(allowed),
                Map.copyOf(eventProperties),
                FieldTree.of(d.properties(), Map.of()),
                FieldTree.of(d.traits(), Map.of()),
                FieldTree.of(d.groupTraits(), Map.of()),
                List.copyOf(consentCategories(d)));
        compiled.put(key, c);
        return c;
    }

    /** The consent categories forwarded to connectors: the known ones and any the destination requires. */
    private static Set<String> consentCategories(DestinationPolicy d) {
        Set<String> categories = new LinkedHashSet<>(CONSENT_CATEGORIES);
        categories.addAll(d.consent());
        return categories;
    }

    private static Decision typeNotAllowed(EventType type, String switchName, DestinationPolicy d) {
        return dropped(
                "type_not_allowed",
                type.wireName() + " calls are off for " + d.id() + " (events." + switchName + " is false)",
                List.of());
    }

    private static Decision dropped(String reason, String detail, List<Decision.TraceEntry> trace) {
        return new Decision.Dropped(reason, detail, trace);
    }

    @Override
    public String toString() {
        return "DefaultPrivacyEngine[" + config.keyring() + "]";
    }
}
