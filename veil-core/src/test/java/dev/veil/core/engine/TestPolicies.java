package dev.veil.core.engine;

import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test-side builder of destination policies with the spec's defaults (the YAML parser lives elsewhere). */
final class TestPolicies {

    private String id = "ga4-marketing";
    private String type = "ga4";
    private boolean enabled = true;
    private boolean baa = false;
    private List<String> consent = List.of();
    private Identity identity = Identity.DEFAULTS;
    private Context context = Context.DEFAULTS;
    private boolean pages;
    private boolean identify;
    private boolean group;
    private boolean alias;
    private final List<AllowedEvent> allow = new ArrayList<>();
    private final Map<String, FieldRule> properties = new LinkedHashMap<>();
    private final Map<String, FieldRule> traits = new LinkedHashMap<>();
    private final Map<String, FieldRule> groupTraits = new LinkedHashMap<>();

    static TestPolicies destination(String id) {
        TestPolicies p = new TestPolicies();
        p.id = id;
        return p;
    }

    TestPolicies type(String type) {
        this.type = type;
        return this;
    }

    TestPolicies enabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    TestPolicies baa(boolean baa) {
        this.baa = baa;
        return this;
    }

    TestPolicies consent(String... categories) {
        this.consent = List.of(categories);
        return this;
    }

    TestPolicies identity(Identity identity) {
        this.identity = identity;
        return this;
    }

    TestPolicies context(Context context) {
        this.context = context;
        return this;
    }

    TestPolicies pages(boolean on) {
        this.pages = on;
        return this;
    }

    TestPolicies identify(boolean on) {
        this.identify = on;
        return this;
    }

    TestPolicies group(boolean on) {
        this.group = on;
        return this;
    }

    TestPolicies alias(boolean on) {
        this.alias = on;
        return this;
    }

    /** Allows {@code name}; {@code rules} are alternating key, transform pairs. */
    TestPolicies allow(String name, String... rules) {
        return allowAs(name, null, rules);
    }

    TestPolicies allowAs(String name, String as, String... rules) {
        allow.add(new AllowedEvent(name, as, rules(rules)));
        return this;
    }

    TestPolicies property(String key, Transform t) {
        properties.put(key, FieldRule.of(t));
        return this;
    }

    TestPolicies trait(String key, Transform t) {
        traits.put(key, FieldRule.of(t));
        return this;
    }

    TestPolicies groupTrait(String key, Transform t) {
        groupTraits.put(key, FieldRule.of(t));
        return this;
    }

    static Map<String, FieldRule> rules(String... pairs) {
        Map<String, FieldRule> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], FieldRule.of(Transform.fromYaml(pairs[i + 1]).orElseThrow()));
        }
        return out;
    }

    DestinationPolicy build() {
        return new DestinationPolicy(
                id,
                type,
                id,
                enabled,
                baa,
                consent,
                Map.of(),
                identity,
                context,
                new Events(pages, identify, group, alias, allow),
                properties,
                traits,
                groupTraits);
    }

    static Context contextWith(
            DestinationPolicy.IpAction ip,
            DestinationPolicy.UserAgentAction ua,
            DestinationPolicy.UrlAction pageUrl,
            DestinationPolicy.UrlAction referrer,
            DestinationPolicy.Toggle title,
            DestinationPolicy.Toggle campaign,
            DestinationPolicy.Toggle session,
            DestinationPolicy.Toggle device,
            List<String> clickIds) {
        return new Context(ip, ua, pageUrl, referrer, title, campaign, session, device, clickIds);
    }

    /** Everything a non-BAA destination may receive at its most generous. */
    static Context generousContext(String... clickIds) {
        return new Context(
                DestinationPolicy.IpAction.GEO,
                DestinationPolicy.UserAgentAction.GENERALIZE,
                DestinationPolicy.UrlAction.SANITIZE,
                DestinationPolicy.UrlAction.SANITIZE,
                DestinationPolicy.Toggle.PASS,
                DestinationPolicy.Toggle.PASS,
                DestinationPolicy.Toggle.PASS,
                DestinationPolicy.Toggle.PASS,
                List.of(clickIds));
    }
}
