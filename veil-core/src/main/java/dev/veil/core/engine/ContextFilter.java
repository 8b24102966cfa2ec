package dev.veil.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Builds the {@link SafeContext} a destination may receive (spec "Context fields"). Thread-safe. */
final class ContextFilter {

    static final List<String> CAMPAIGN_KEYS = List.of("source", "medium", "name", "term", "content", "id");
    private static final Map<String, String> CAMPAIGN_FIELDS = CAMPAIGN_KEYS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(k -> k, k -> "context.campaign." + k));
    private static final Map<String, String> CAMPAIGN_UTM = CAMPAIGN_KEYS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(
                    k -> k, k -> k.equals("name") ? "utm_campaign" : "utm_" + k));
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}");
    private static final Pattern TIMEZONE = Pattern.compile("[A-Za-z_]{1,32}(?:/[A-Za-z0-9_+\\-]{1,32}){0,2}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");

    /**
     * A URL as the engine uses it: the raw URL, its sanitized form, the sanitizer's rules as one trace string, and
     * its decoded query parameters (the fallbacks for campaign values and click ids).
     */
    record ParsedUrl(String raw, UrlSanitizer.Outcome sanitized, String rules, Map<String, String> query) {}

    static final String ADVERTISING_DENIED = "advertising consent denied";

    private final UrlSanitizer sanitizer;
    // The same page URL is parsed for every destination of an event and for every event of a page view.
    private final Cache<String, ParsedUrl> parsed =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, PhiScanner.Result> userAgentScans =
            Caffeine.newBuilder().maximumSize(10_000).build();
    // Sanitized URLs repeat for every destination of an event and across a page's events; their scan (with the
    // decoders) is kept per field and URL string (the parsed URL's own instance, so its hash is computed once).
    private final Cache<String, PhiScanner.Result> pageUrlScans =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, PhiScanner.Result> pagePathScans =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, PhiScanner.Result> referrerScans =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final PhiScanner scanner;
    private final GeoLocator geo;
    private final UserAgentGeneralizer userAgents;

    ContextFilter(UrlSanitizer urls, PhiScanner scanner, GeoLocator geo, UserAgentGeneralizer userAgents) {
        this.scanner = scanner;
        this.sanitizer = urls;
        this.geo = geo;
        this.userAgents = userAgents;
    }

    /** The page URL of an event: {@code context.page.url}, else {@code properties.url} of page calls. */
    static @Nullable String pageUrl(RawEvent e) {
        String url = text(e.message().path("context").path("page").path("url"));
        if (url == null && (e.type() == EventType.PAGE || e.type() == EventType.SCREEN)) {
            url = text(e.message().path("properties").path("url"));
        }
        if (url == null) {
            url = text(e.message().path("context").path("page").path("path"));
        }
        return url;
    }

    static @Nullable String referrer(RawEvent e) {
        String r = text(e.message().path("context").path("page").path("referrer"));
        if (r == null && (e.type() == EventType.PAGE || e.type() == EventType.SCREEN)) {
            r = text(e.message().path("properties").path("referrer"));
        }
        return r;
    }

    /** Parses the event's page URL once; the engine uses it both for sensitive-page drops and for the context. */
    @Nullable
    ParsedUrl page(RawEvent e) {
        String raw = pageUrl(e);
        return raw == null ? null : parse(raw);
    }

    SafeContext build(
            RawEvent e,
            DestinationPolicy d,
            @Nullable ParsedUrl page,
            Map<String, Boolean> consent,
            EvaluationState st) {
        DestinationPolicy.Context c = d.context();
        JsonNode ctx = e.message().path("context");

        SafeContext.Geo geoOut = null;
        String ipOut = null;
        String ip = e.clientIp() != null ? e.clientIp() : text(ctx.path("ip"));
        if (ip != null) {
            IpAction action = c.ip() == IpAction.PASS && !d.baa() ? IpAction.DROP : c.ip();
            switch (action) {
                case GEO -> {
                    geoOut = geo.locate(ip).orElse(null);
                    st.trace("context.ip", geoOut == null ? "dropped" : "generalized", "context.ip: geo");
                }
                case PASS -> {
                    ipOut = IpLiterals.parse(ip).isPresent() ? ip.strip() : null;
                    st.trace("context.ip", ipOut == null ? "dropped" : "passed", "context.ip: pass (baa)");
                }
                case DROP -> st.trace("context.ip", "dropped", rule("ip", c.ip() == IpAction.PASS));
            }
        }

        SafeContext.UserAgentInfo uaOut = null;
        String rawUa = null;
        String ua = e.userAgent() != null ? e.userAgent() : text(ctx.path("userAgent"));
        if (ua != null) {
            if (c.userAgent() == UserAgentAction.GENERALIZE) {
                uaOut = userAgents.generalize(ua).orElse(null);
                st.trace(
                        "context.userAgent",
                        uaOut == null ? "dropped" : "generalized",
                        "context.userAgent: generalize");
            } else if (c.userAgent() == UserAgentAction.PASS) {
                rawUa = ua.length() > 2048
                        ? st.scan("context.userAgent", ua)
                        : st.apply("context.userAgent", userAgentScans.get(ua, scanner::scan));
            } else {
                st.trace("context.userAgent", "dropped", "context.userAgent: drop");
            }
        }

        String pageUrl = null;
        String pagePath = null;
        String rawPage = page == null ? null : page.raw();
        if (page != null) {
            if (c.pageUrl() == UrlAction.PASS && d.baa()) {
                pageUrl = rawPage;
                pagePath = page.sanitized().path();
                st.trace("context.page.url", "passed", "context.pageUrl: pass (baa)");
            } else if (c.pageUrl() != UrlAction.DROP && page.sanitized().url() != null) {
                pageUrl = scanUrl(
                        "context.page.url", withoutAdIds(page.sanitized().url(), "context.page.url", st), st);
                pagePath = pageUrl == null
                        ? null
                        : scanUrl("context.page.path", page.sanitized().path(), st);
                if (!page.rules().isEmpty()) {
                    st.trace("context.page.url", "sanitized", page.rules());
                }
            } else {
                st.trace("context.page.url", "dropped", rule("pageUrl", c.pageUrl() == UrlAction.PASS));
            }
            if (pageUrl != null && pagePath == null) {
                pagePath = c.pageUrl() == UrlAction.PASS
                        ? parse(pageUrl).sanitized().path()
                        : null;
            }
        }

        String referrerOut = null;
        String rawRef = referrer(e);
        if (rawRef != null) {
            if (c.referrer() == UrlAction.PASS && d.baa()) {
                referrerOut = rawRef;
                st.trace("context.page.referrer", "passed", "context.referrer: pass (baa)");
            } else if (c.referrer() != UrlAction.DROP) {
                ParsedUrl ref = parse(rawRef);
                UrlSanitizer.Outcome r = ref.sanitized();
                if (r.url() == null || r.dropEvent()) {
                    st.trace("context.page.referrer", "dropped", r.dropEvent() ? "sensitive page" : "not an http url");
                } else {
                    referrerOut =
                            scanUrl("context.page.referrer", withoutAdIds(r.url(), "context.page.referrer", st), st);
                    if (!ref.rules().isEmpty()) {
                        st.trace("context.page.referrer", "sanitized", ref.rules());
                    }
                }
            } else {
                st.trace("context.page.referrer", "dropped", rule("referrer", c.referrer() == UrlAction.PASS));
            }
        }

        String title = text(ctx.path("page").path("title"));
        if (title == null && (e.type() == EventType.PAGE || e.type() == EventType.SCREEN)) {
            title = text(e.message().path("properties").path("title"));
        }
        String titleOut = null;
        if (title != null) {
            if (c.pageTitle() == Toggle.PASS) {
                titleOut = st.scan("context.page.title", title);
            } else {
                st.trace("context.page.title", "dropped", "context.pageTitle: drop");
            }
        }

        Map<String, String> pageQuery = page == null ? Map.of() : page.query();
        Map<String, String> campaign = campaign(ctx, pageQuery, c.campaign() == Toggle.PASS, st);
        SafeContext.Session session = c.session() == Toggle.PASS ? session(ctx) : null;
        if (c.session() != Toggle.PASS && ctx.has("session")) {
            st.trace("context.session", "dropped", "context.session: drop");
        }
        SafeContext.Device device = c.device() == Toggle.PASS ? device(ctx) : null;
        if (c.device() != Toggle.PASS && (ctx.has("locale") || ctx.has("screen") || ctx.has("timezone"))) {
            st.trace("context.device", "dropped", "context.device: drop");
        }
        Map<String, String> clickIds = clickIds(e, ctx, pageQuery, c.clickIds(), st);

        return new SafeContext(
                geoOut,
                ipOut,
                uaOut,
                rawUa,
                pageUrl,
                pagePath,
                referrerOut,
                titleOut,
                campaign,
                session,
                device,
                clickIds,
                consent);
    }

    /** Scans a sanitized URL or path, with the scan kept per field and URL. */
    private @Nullable String scanUrl(String field, String url, EvaluationState st) {
        Cache<String, PhiScanner.Result> cache = switch (field) {
            case "context.page.url" -> pageUrlScans;
            case "context.page.path" -> pagePathScans;
            default -> referrerScans;
        };
        if (url.length() > 4096) {
            return st.scan(field, url);
        }
        return st.apply(field, cache.get(url, k -> scanner.scan(url, field)));
    }

    /** A sanitized URL without kept click id parameters when advertising is denied. */
    private String withoutAdIds(String url, String field, EvaluationState st) {
        if (!st.advertisingDenied || !sanitizer.keepsClickIds() || url.indexOf('?') < 0) {
            return url;
        }
        String out = UrlSanitizer.withoutQueryParams(url, DestinationPolicy.KNOWN_CLICK_IDS);
        if (!out.equals(url)) {
            st.trace(field, "sanitized", "click id query param: " + ADVERTISING_DENIED);
        }
        return out;
    }

    private static String rule(String field, boolean passWithoutBaa) {
        return passWithoutBaa ? "context." + field + ": pass needs baa" : "context." + field + ": drop";
    }

    private Map<String, String> campaign(
            JsonNode ctx, Map<String, String> fromUrl, boolean allowed, EvaluationState st) {
        JsonNode camp = ctx.path("campaign");
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : CAMPAIGN_KEYS) {
            String v = text(camp.path(key));
            if (v == null) {
                v = fromUrl.get(CAMPAIGN_UTM.get(key));
            }
            if (v == null) {
                continue;
            }
            if (!allowed) {
                st.trace(CAMPAIGN_FIELDS.get(key), "dropped", "context.campaign: drop");
                continue;
            }
            String scanned = st.scan(CAMPAIGN_FIELDS.get(key), v);
            if (scanned != null) {
                out.put(key, scanned);
            }
        }
        return out;
    }

    private static SafeContext.@Nullable Session session(JsonNode ctx) {
        JsonNode s = ctx.path("session");
        Long id = longValue(s.path("id"));
        if (id == null) {
            return null;
        }
        Long number = longValue(s.path("number"));
        Long engagement = longValue(s.path("engagementTimeMs"));
        return new SafeContext.Session(
                id, number == null || number > Integer.MAX_VALUE ? null : number.intValue(), engagement);
    }

    private static SafeContext.@Nullable Device device(JsonNode ctx) {
        String locale = text(ctx.path("locale"));
        if (locale != null && !LOCALE.matcher(locale).matches()) {
            locale = null;
        }
        String tz = text(ctx.path("timezone"));
        if (tz != null && !TIMEZONE.matcher(tz).matches()) {
            tz = null;
        }
        Long w = longValue(ctx.path("screen").path("width"));
        Long h = longValue(ctx.path("screen").path("height"));
        String screen = w != null && h != null && w > 0 && h > 0 && w < 100_000 && h < 100_000 ? w + "x" + h : null;
        if (locale == null && tz == null && screen == null) {
            return null;
        }
        return new SafeContext.Device(locale, screen, tz);
    }

    private static Map<String, String> clickIds(
            RawEvent e, JsonNode ctx, Map<String, String> fromUrl, List<String> allowed, EvaluationState st) {
        JsonNode ids = ctx.path("clickIds");
        Map<String, String> out = new LinkedHashMap<>();
        if (st.advertisingDenied) {
            // Advertising denied (Sec-GPC or the visitor's consent) means no advertising identifier leaves Veil,
            // whatever this destination's consent list says; fbc is derived from fbclid, so it goes too.
            String rule = e.gpc() ? ADVERTISING_DENIED + " (Sec-GPC)" : ADVERTISING_DENIED;
            for (String name : allowed) {
                boolean present = text(ids.path(name)) != null || fromUrl.containsKey(name);
                if (present
                        || (name.equals("fbc")
                                && (text(ids.path("fbclid")) != null || fromUrl.containsKey("fbclid")))) {
                    st.trace(FieldPath.allowed("context.clickIds", name), "dropped", rule);
                }
            }
            allowed = List.of();
        }
        for (String name : allowed) {
            String v = text(ids.path(name));
            if (v == null) {
                v = fromUrl.get(name);
            }
            // What the user sent: the value, or the fbclid an fbc is derived from. Only that part is checked and
            // scanned; the "fb.1.<timestamp>." prefix of a derived fbc is the engine's own.
            String sent = v;
            if (v == null && name.equals("fbc")) {
                String fbclid = text(ids.path("fbclid"));
                if (fbclid == null) {
                    fbclid = fromUrl.get("fbclid");
                }
                if (fbclid != null && isClickIdToken(fbclid)) {
                    sent = fbclid;
                    v = "fb.1." + e.timestamp().toEpochMilli() + "." + fbclid;
                    st.trace("context.clickIds.fbc", "transformed", "fbc derived from fbclid");
                }
            }
            if (v == null) {
                continue;
            }
            FieldPath field = FieldPath.allowed("context.clickIds", name);
            if (!isClickIdToken(sent) || st.scan(field, sent) != sent) {
                st.trace(field, "dropped", "not a click id token");
                continue;
            }
            out.put(name, v);
        }
        if (ids.isObject()) {
            for (Map.Entry<String, JsonNode> f : ids.properties()) {
                if (!out.containsKey(f.getKey()) && !allowed.contains(f.getKey())) {
                    st.trace(
                            FieldPath.unchecked("context.clickIds", f.getKey()),
                            "dropped",
                            "context.clickIds: not listed");
                }
            }
        }
        return out;
    }

    private ParsedUrl parse(String url) {
        return url.length() > 4096 ? parseUncached(url) : parsed.get(url, this::parseUncached);
    }

    private ParsedUrl parseUncached(String url) {
        UrlSanitizer.Outcome o = sanitizer.sanitize(url);
        return new ParsedUrl(url, o, String.join(", ", o.rules()), QueryParams.parse(url));
    }

    /** A click id token: 1 to 512 characters of {@code A-Z a-z 0-9 . _ ~ -} (a loop: it runs for every id). */
    static boolean isClickIdToken(String v) {
        int n = v.length();
        if (n == 0 || n > 512) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static @Nullable String text(JsonNode n) {
        if (n.isTextual()) {
            String s = n.textValue();
            return s.isEmpty() ? null : s;
        }
        if (n.isNumber()) {
            return n.asText();
        }
        return null;
    }

    static @Nullable Long longValue(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual() && DIGITS.matcher(n.textValue()).matches()) {
            try {
                return Long.parseLong(n.textValue());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
