package dev.veil.core.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Policy} as policy YAML that {@link PolicyParser} reads back to an equal policy. Every key is
 * written, defaults included, in the spec's order, so an export is a complete, reviewable statement of what
 * flows; secrets are written as their {@code ${env:…}}/{@code ${file:…}} references (the policy holds nothing
 * else). Stateless and thread-safe.
 */
public final class PolicyExporter {

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new SafeQuoting())
            .build();

    /**
     * Jackson's minimal quoting misses some scalars that its parser then reads as numbers ({@code 1e3}); quoting
     * every string that starts like a number keeps export → parse exact.
     */
    private static final class SafeQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || startsLikeNumber(value);
        }

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || startsLikeNumber(name);
        }

        private static boolean startsLikeNumber(String s) {
            return !s.isEmpty() && "+-.0123456789".indexOf(s.charAt(0)) >= 0;
        }
    }

    /** A number written exactly as this text (so a double keeps its decimal point and reads back as one). */
    private record RawNumber(String text) {}

    private PolicyExporter() {}

    /** The policy as YAML text. */
    public static String export(Policy policy) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", (long) policy.version());
        root.put("privacy", privacy(policy.privacy()));
        root.put(
                "sources", policy.sources().stream().map(PolicyExporter::source).toList());
        root.put(
                "destinations",
                policy.destinations().stream().map(PolicyExporter::destination).toList());
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, root);
        } catch (IOException e) {
            throw new UncheckedIOException("policy export: writing YAML to memory failed", e);
        }
        return out.toString();
    }

    private static Map<String, Object> privacy(PrivacySettings p) {
        Map<String, Object> url = new LinkedHashMap<>();
        url.put("keepQueryParams", p.url().keepQueryParams());
        url.put("redactPaths", p.url().redactPaths());
        url.put(
                "sensitivePages",
                p.url().sensitivePages().stream().map(PolicyExporter::page).toList());
        Map<String, Object> scanner = new LinkedHashMap<>();
        List<String> detectors = new ArrayList<>();
        for (Detector d : Detector.values()) {
            if (p.scanner().detectors().contains(d)) {
                detectors.add(YamlNames.word(d));
            }
        }
        scanner.put("detectors", detectors);
        scanner.put("mrnPatterns", p.scanner().mrnPatterns());
        scanner.put("onMatch", YamlNames.word(p.scanner().onMatch()));
        Map<String, Object> geo = new LinkedHashMap<>();
        if (p.geo().database() != null) {
            geo.put("database", p.geo().database());
        }
        Map<String, Object> consent = new LinkedHashMap<>();
        consent.put("default", YamlNames.word(p.consent().defaultConsent()));
        consent.put("honorGpc", p.consent().honorGpc());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url);
        out.put("scanner", scanner);
        out.put("geo", geo);
        out.put("consent", consent);
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("fields", p.money().fields());
        money.put("maximum", new RawNumber(p.money().maximum().toPlainString()));
        out.put("money", money);
        return out;
    }

    private static Map<String, Object> page(SensitivePage page) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("match", page.match());
        if (page.action() == SensitiveAction.REPLACE && page.replaceWith() != null) {
            out.put("replaceWith", page.replaceWith());
        } else {
            out.put("action", YamlNames.word(page.action()));
        }
        return out;
    }

    private static Map<String, Object> source(SourceSpec s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("name", s.name());
        if (s.writeKey() != null) {
            out.put("writeKey", s.writeKey().asYaml());
        }
        out.put("allowedOrigins", s.allowedOrigins());
        if (s.identityCookie() != null) {
            String domain = s.identityCookie().domain();
            out.put("identityCookie", domain == null ? (Object) true : Map.of("domain", domain));
        }
        if (s.trustedServer()) {
            out.put("trustedServer", true);
        }
        return out;
    }

    private static Map<String, Object> destination(DestinationPolicy d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("type", d.type());
        out.put("name", d.name());
        out.put("enabled", d.enabled());
        out.put("baa", d.baa());
        out.put("consent", d.consent());
        Map<String, Object> settings = new LinkedHashMap<>();
        d.settings().forEach((k, v) -> settings.put(k, setting(v)));
        out.put("settings", settings);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("userId", YamlNames.word(d.identity().userId()));
        identity.put("anonymousId", YamlNames.word(d.identity().anonymousId()));
        identity.put("groupId", YamlNames.word(d.identity().groupId()));
        identity.put("previousId", YamlNames.word(d.identity().previousId()));
        out.put("identity", identity);
        out.put("eventId", YamlNames.word(d.eventId()));
        var c = d.context();
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("ip", YamlNames.word(c.ip()));
        context.put("userAgent", YamlNames.word(c.userAgent()));
        context.put("pageUrl", YamlNames.word(c.pageUrl()));
        context.put("referrer", YamlNames.word(c.referrer()));
        context.put("pageTitle", YamlNames.word(c.pageTitle()));
        context.put("campaign", YamlNames.word(c.campaign()));
        context.put("session", YamlNames.word(c.session()));
        context.put("device", YamlNames.word(c.device()));
        context.put("clickIds", c.clickIds());
        out.put("context", context);
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("pages", d.events().pages());
        events.put("identify", d.events().identify());
        events.put("group", d.events().group());
        events.put("alias", d.events().alias());
        events.put(
                "allow",
                d.events().allow().stream().map(PolicyExporter::allowed).toList());
        out.put("events", events);
        out.put("properties", rules(d.properties()));
        out.put("traits", rules(d.traits()));
        out.put("groupTraits", rules(d.groupTraits()));
        return out;
    }

    private static Object setting(SettingValue v) {
        return switch (v) {
            case SettingValue.Secret s -> s.ref().asYaml();
            case SettingValue.Literal l ->
                switch (l.value()) {
                    case Double d -> new RawNumber(decimalText(d));
                    case Float f -> new RawNumber(decimalText(f.doubleValue()));
                    case BigDecimal b -> new RawNumber(decimalText(b.doubleValue()));
                    default -> l.value();
                };
        };
    }

    /** Plain decimal text that YAML reads back as a float: always with a point, never in E notation. */
    private static String decimalText(double d) {
        String plain = new BigDecimal(Double.toString(d)).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static Map<String, Object> allowed(AllowedEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        if (e.as() != null) {
            out.put("as", e.as());
        }
        if (!e.properties().isEmpty()) {
            out.put("properties", rules(e.properties()));
        }
        return out;
    }

    private static Map<String, Object> rules(Map<String, FieldRule> rules) {
        Map<String, Object> out = new LinkedHashMap<>();
        rules.forEach((key, rule) -> {
            if (rule.reason() == null) {
                out.put(key, rule.transform().yamlName());
            } else {
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put("transform", rule.transform().yamlName());
                longForm.put("reason", rule.reason());
                out.put(key, longForm);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case BigInteger b -> g.writeNumber(b);
            case RawNumber n -> g.writeNumber(n.text());
            default -> g.writeString(String.valueOf(value));
        }
    }
}
