package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Properties of the engine over random events and random policies. */
class EnginePropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final MaskingKeyring KEYRING = MaskingKeyring.of(List.of(
            new MaskingKeyring.KeyVersion(1, Instant.EPOCH, TestEvents.SECRET),
            new MaskingKeyring.KeyVersion(
                    2, Instant.parse("2026-03-05T00:00:00Z"), "another-secret-of-32-bytes-long!".getBytes())));
    private static final DefaultPrivacyEngine ENGINE = new DefaultPrivacyEngine(EngineConfig.builder(KEYRING)
            .privacy(TestEvents.privacy(List.of("utm_source", "utm_medium"), List.of("/u/{user}/**"), List.of()))
            .geo(SharedParsers.geo())
            .userAgents(SharedParsers.userAgents())
            .build());

    /** A seed from which one random event and policies are built (jqwik drives and reports the seed). */
    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400)
    void forwarded_fields_are_a_subset_of_the_allowed_fields(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        RandomEvents.Generated g = RandomEvents.event(r);
        DestinationPolicy d = RandomEvents.policy(r, "dest-" + r.nextInt(3), r.nextBoolean());
        if (!(ENGINE.evaluate(g.event(), d) instanceof Decision.Forward f)) {
            return;
        }
        SafeEvent e = f.event();
        Map<String, FieldRule> propertyRules = new LinkedHashMap<>(d.properties());
        if (e.type() == EventType.TRACK) {
            AllowedEvent allowed = d.events().allow().stream()
                    .filter(a ->
                            a.name().equals(g.event().message().get("event").asText()))
                    .findFirst()
                    .orElseThrow();
            propertyRules.putAll(allowed.properties());
            assertThat(e.name()).isEqualTo(allowed.as() == null ? allowed.name() : allowed.as());
        }
        assertThat(leafPaths(e.properties(), "")).isSubsetOf(passing(propertyRules));
        Map<String, FieldRule> traitRules = e.type() == EventType.GROUP ? d.groupTraits() : d.traits();
        assertThat(leafPaths(e.traits(), "")).isSubsetOf(passing(traitRules));

        DestinationPolicy.Context c = d.context();
        SafeContext ctx = e.context();
        if (c.ip() != DestinationPolicy.IpAction.GEO) {
            assertThat(ctx.geo()).isNull();
        }
        if (c.ip() != DestinationPolicy.IpAction.PASS || !d.baa()) {
            assertThat(ctx.ip()).isNull();
        }
        if (c.userAgent() != DestinationPolicy.UserAgentAction.GENERALIZE) {
            assertThat(ctx.userAgent()).isNull();
        }
        if (c.userAgent() != DestinationPolicy.UserAgentAction.PASS) {
            assertThat(ctx.rawUserAgent()).isNull();
        }
        if (c.pageUrl() == DestinationPolicy.UrlAction.DROP) {
            assertThat(ctx.pageUrl()).isNull();
            assertThat(ctx.pagePath()).isNull();
        }
        if (c.referrer() == DestinationPolicy.UrlAction.DROP) {
            assertThat(ctx.referrer()).isNull();
        }
        if (c.pageTitle() == Toggle.DROP) {
            assertThat(ctx.pageTitle()).isNull();
        }
        if (c.campaign() == Toggle.DROP) {
            assertThat(ctx.campaign()).isEmpty();
        }
        if (c.session() == Toggle.DROP) {
            assertThat(ctx.session()).isNull();
        }
        if (c.device() == Toggle.DROP) {
            assertThat(ctx.device()).isNull();
        }
        assertThat(ctx.clickIds().keySet()).isSubsetOf(c.clickIds());
        if (e.type() != EventType.GROUP) {
            assertThat(e.groupId()).isNull();
        }
        if (e.type() != EventType.ALIAS) {
            assertThat(e.previousId()).isNull();
        }
    }

    @Property(tries = 400)
    void no_planted_identifier_email_or_ip_reaches_a_destination_without_a_baa(@ForAll("seeds") long seed)
            throws Exception {
        Random r = new Random(seed);
        RandomEvents.Generated g = RandomEvents.event(r);
        DestinationPolicy d = RandomEvents.policy(r, "dest-" + r.nextInt(3), false);
        Decision decision = ENGINE.evaluate(g.event(), d);
        String trace = decision.trace().toString();
        for (String secret : g.planted().all()) {
            assertThat(trace).doesNotContain(secret);
        }
        if (decision instanceof Decision.Forward f) {
            String out = JSON.writeValueAsString(f.event());
            for (String secret : g.planted().all()) {
                assertThat(out).doesNotContain(secret);
            }
        }
    }

    @Property(tries = 200)
    void the_input_event_is_never_mutated(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        RandomEvents.Generated g = RandomEvents.event(r);
        JsonNode before = g.event().message().deepCopy();
        for (int i = 0; i < 3; i++) {
            ENGINE.evaluate(g.event(), RandomEvents.policy(r, "dest-" + i, r.nextBoolean()));
        }
        assertThat(g.event().message()).isEqualTo(before);
    }

    @Property(tries = 200)
    void evaluation_is_deterministic(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        RandomEvents.Generated g = RandomEvents.event(r);
        DestinationPolicy d = RandomEvents.policy(r, "dest", r.nextBoolean());
        assertThat(ENGINE.evaluate(g.event(), d)).isEqualTo(ENGINE.evaluate(g.event(), d));
    }

    @Property(tries = 500)
    void masking_is_deterministic_per_destination_and_version_and_differs_across_them(
            @ForAll @StringLength(min = 1, max = 200) String value,
            @ForAll @StringLength(min = 1, max = 30) String destA,
            @ForAll @StringLength(min = 1, max = 30) String destB) {
        if (value.isBlank()) {
            return;
        }
        Masker masker = new Masker(KEYRING);
        String a1 = masker.mask(destA, 1, value);
        assertThat(a1).hasSize(Masker.MASK_LENGTH).isEqualTo(new Masker(KEYRING).mask(destA, 1, value));
        assertThat(a1).isNotEqualTo(masker.mask(destA, 2, value));
        if (!destA.equals(destB)) {
            assertThat(a1).isNotEqualTo(masker.mask(destB, 1, value));
        }
    }

    private static Set<String> passing(Map<String, FieldRule> rules) {
        Set<String> out = new HashSet<>();
        rules.forEach((k, v) -> {
            if (v.transform() != Transform.DROP) {
                out.add(k);
            }
        });
        return out;
    }

    /** Leaf paths of a JSON-like map; arrays are transparent ({@code items.sku} for a list of objects). */
    private static Set<String> leafPaths(Object value, String prefix) {
        Set<String> out = new HashSet<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.addAll(leafPaths(v, prefix.isEmpty() ? (String) k : prefix + "." + k)));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> out.addAll(leafPaths(v, prefix)));
        } else {
            out.add(prefix);
        }
        return out;
    }
}
