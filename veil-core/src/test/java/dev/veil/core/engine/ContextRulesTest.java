package dev.veil.core.engine;

import static dev.veil.core.engine.TestEvents.event;
import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextRulesTest {

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static final PrivacySettings PRIVACY = TestEvents.privacy(
            List.of("utm_source", "utm_medium", "utm_campaign"),
            List.of("/patients/{patientId}/**"),
            List.of(
                    new SensitivePage("/conditions/**", "/conditions/*", SensitiveAction.REPLACE),
                    new SensitivePage("/portal/**", null, SensitiveAction.DROP_EVENT)));

    private final List<ScanListener.Hit> hits = new ArrayList<>();
    private final DefaultPrivacyEngine engine =
            new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                    .privacy(PRIVACY)
                    .geo(SharedParsers.geo())
                    .userAgents(SharedParsers.userAgents())
                    .scanListener(hits::add)
                    .build());

    private static final String FULL = "{'type':'track','event':'E','timestamp':'2026-03-01T11:59:58Z','context':{"
            + "'ip':'214.78.120.5',"
            + "'page':{'url':'https://www.example.org/patients/123/x?utm_source=news&utm_campaign=spring&gclid=G1&fbclid=F1&q=knee#frag',"
            + "'referrer':'https://search.example.com/?q=diabetes+symptoms','title':'Results for jane@doe.com','search':'?q=knee'},"
            + "'campaign':{'medium':'email','term':'knee pain 555-123-4567'},"
            + "'session':{'id':1732900000000,'number':3,'engagementTimeMs':5400},"
            + "'locale':'en-US','timezone':'America/Chicago','screen':{'width':1440,'height':900},"
            + "'clickIds':{'ttclid':'T1','msclkid':'M1'}}}";

    private SafeContext contextFor(Context ctx, boolean baa) {
        DestinationPolicy d = destination("d").allow("E").context(ctx).baa(baa).build();
        Decision decision = engine.evaluate(event(FULL, "216.160.83.56", CHROME, false), d);
        assertThat(decision).isInstanceOf(Decision.Forward.class);
        return ((Decision.Forward) decision).event().context();
    }

    @Test
    void drops_every_context_field_by_default() {
        SafeContext c = contextFor(Context.DEFAULTS, false);
        assertThat(c)
                .isEqualTo(new SafeContext(
                        null, null, null, null, null, null, null, null, Map.of(), null, null, Map.of(), Map.of()));
    }

    @Test
    void ip_geo_yields_the_state_and_never_the_ip() {
        SafeContext c = contextFor(TestPolicies.generousContext(), false);
        assertThat(c.geo()).isEqualTo(new SafeContext.Geo("US", "WA"));
        assertThat(c.ip()).isNull();
    }

    @Test
    void ip_geo_falls_back_to_context_ip_and_yields_nothing_for_unknown_addresses() {
        DestinationPolicy d = destination("d")
                .allow("E")
                .context(TestPolicies.generousContext())
                .build();
        SafeEvent fromContext = ((Decision.Forward) engine.evaluate(event(FULL), d)).event();
        assertThat(fromContext.context().geo()).isEqualTo(new SafeContext.Geo("US", "CA"));
        SafeEvent local = ((Decision.Forward) engine.evaluate(event(FULL, "127.0.0.1", null, false), d)).event();
        assertThat(local.context().geo()).isNull();
    }

    @Test
    void opens_the_geo_database_named_in_the_privacy_settings() {
        PrivacySettings withDb = new PrivacySettings(
                PRIVACY.url(),
                PRIVACY.scanner(),
                new PrivacySettings.Geo(SharedParsers.geoDatabase().toString()),
                PRIVACY.consent());
        EngineConfig config = EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                .privacy(withDb)
                .geoFromSettings()
                .build();
        assertThat(config.geo().locate("2001:480:10::1")).contains(new SafeContext.Geo("US", "CA"));
        assertThat(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                        .geoFromSettings()
                        .build()
                        .geo())
                .isSameAs(GeoLocator.NONE);
    }

    @Test
    void ip_pass_needs_a_baa() {
        Context pass = new Context(
                IpAction.PASS,
                UserAgentAction.DROP,
                UrlAction.DROP,
                UrlAction.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                List.of());
        assertThat(contextFor(pass, true).ip()).isEqualTo("216.160.83.56");
        assertThat(contextFor(pass, false).ip()).isNull();
    }

    @Test
    void user_agent_generalize_yields_browser_os_and_device_class_only() {
        SafeContext c = contextFor(TestPolicies.generousContext(), false);
        assertThat(c.userAgent()).isEqualTo(new SafeContext.UserAgentInfo("Chrome", "131", "Windows", "desktop"));
        assertThat(c.rawUserAgent()).isNull();
    }

    @Test
    void user_agent_generalize_never_copies_unknown_names_from_the_input() {
        SafeContext.UserAgentInfo info = SharedParsers.userAgents()
                .generalize("JaneDoeHealthApp/7.1 (PatientJane)")
                .orElseThrow();
        assertThat(info.toString()).doesNotContain("Jane");
    }

    @Test
    void user_agent_pass_sends_the_full_string() {
        Context pass = new Context(
                IpAction.DROP,
                UserAgentAction.PASS,
                UrlAction.DROP,
                UrlAction.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                List.of());
        assertThat(contextFor(pass, false).rawUserAgent()).isEqualTo(CHROME);
    }

    @Test
    void page_url_and_referrer_are_sanitized() {
        SafeContext c = contextFor(TestPolicies.generousContext(), false);
        assertThat(c.pageUrl())
                .isEqualTo("https://www.example.org/patients/{patientId}/x?utm_source=news&utm_campaign=spring");
        assertThat(c.pagePath()).isEqualTo("/patients/{patientId}/x");
        assertThat(c.referrer()).isEqualTo("https://search.example.com/");
    }

    @Test
    void page_url_pass_needs_a_baa_and_is_otherwise_sanitized() {
        Context pass = new Context(
                IpAction.DROP,
                UserAgentAction.DROP,
                UrlAction.PASS,
                UrlAction.PASS,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                List.of());
        assertThat(contextFor(pass, true).pageUrl())
                .contains("/patients/123/x?")
                .contains("#frag");
        assertThat(contextFor(pass, false).pageUrl())
                .isEqualTo("https://www.example.org/patients/{patientId}/x?utm_source=news&utm_campaign=spring");
    }

    @Test
    void sensitive_pages_generalize_the_url() {
        DestinationPolicy d = destination("d")
                .allow("E")
                .context(TestPolicies.generousContext())
                .build();
        RawEvent e = event(
                "{'type':'track','event':'E','context':{'page':{'url':'https://x.org/conditions/hiv/treatment'}}}");
        assertThat(((Decision.Forward) engine.evaluate(e, d)).event().context().pageUrl())
                .isEqualTo("https://x.org/conditions/*");
    }

    @Test
    void sensitive_pages_with_drop_event_drop_the_event_even_when_the_url_is_not_forwarded() {
        RawEvent e = event("{'type':'track','event':'E','context':{'page':{'url':'https://x.org/portal/inbox'}}}");
        Decision d = engine.evaluate(e, destination("d").allow("E").build());
        assertThat(d)
                .isInstanceOfSatisfying(
                        Decision.Dropped.class, x -> assertThat(x.reason()).isEqualTo("sensitive_page"));
    }

    @Test
    void page_title_is_passed_only_when_allowed_and_is_scanned() {
        assertThat(contextFor(TestPolicies.generousContext(), false).pageTitle())
                .isEqualTo("Results for [REDACTED:email]");
        assertThat(hits).anySatisfy(h -> {
            assertThat(h.field()).isEqualTo("context.page.title");
            assertThat(h.destinationId()).isEqualTo("d");
            assertThat(h.messageId()).matches("[0-9a-f]{32}").isNotEqualTo("m-1");
            assertThat(h.count()).isEqualTo(1);
        });
        assertThat(contextFor(Context.DEFAULTS, false).pageTitle()).isNull();
    }

    @Test
    void campaign_values_come_from_context_or_the_landing_url_and_are_scanned() {
        SafeContext c = contextFor(TestPolicies.generousContext(), false);
        assertThat(c.campaign())
                .isEqualTo(Map.of(
                        "source", "news", "medium", "email", "name", "spring", "term", "knee pain [REDACTED:phone]"));
    }

    @Test
    void session_and_device_pass_when_allowed() {
        SafeContext c = contextFor(TestPolicies.generousContext(), false);
        assertThat(c.session()).isEqualTo(new SafeContext.Session(1732900000000L, 3, 5400L));
        assertThat(c.device()).isEqualTo(new SafeContext.Device("en-US", "1440x900", "America/Chicago"));
    }

    @Test
    void only_listed_click_ids_pass_and_fbc_is_derived_from_fbclid() {
        SafeContext c = contextFor(TestPolicies.generousContext("gclid", "fbc", "ttclid"), false);
        long ms = java.time.Instant.parse("2026-03-01T11:59:58Z").toEpochMilli();
        assertThat(c.clickIds()).isEqualTo(Map.of("gclid", "G1", "fbc", "fb.1." + ms + ".F1", "ttclid", "T1"));
    }

    @Test
    void trace_records_context_decisions_without_values() {
        DestinationPolicy d = destination("d")
                .allow("E")
                .context(TestPolicies.generousContext())
                .build();
        Decision decision = engine.evaluate(event(FULL, "216.160.83.56", CHROME, false), d);
        assertThat(decision.trace())
                .contains(new Decision.TraceEntry("context.ip", "generalized", "context.ip: geo"))
                .contains(new Decision.TraceEntry("context.page.title", "redacted", "detector email"));
        assertThat(decision.trace().toString())
                .doesNotContain("216.160")
                .doesNotContain("jane@doe.com")
                .doesNotContain("knee");
    }
}
