package dev.veil.core.engine;

import static dev.veil.core.engine.TestEvents.event;
import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Advertising denied (Sec-GPC, or the visitor's consent) means no advertising identifier leaves Veil, for every
 * destination, whatever its own consent list: click ids from the context or the landing URL, an fbc derived
 * from fbclid, click ids kept in sanitized URLs, and allowlisted properties named after them.
 */
class AdvertisingDeniedTest {

    private static final String EVENT = "{'type':'track','event':'E','messageId':'m-1',"
            + "'properties':{'gclid':'Cj0KCQ1','_fbp':'fb.1.1596403881668.1116446470','plan':'gold'},"
            + "'context':{%s'page':{'url':'https://www.example.org/book?utm_source=news&gclid=G1&fbclid=F1',"
            + "'referrer':'https://www.example.org/?gclid=G0'},"
            + "'clickIds':{'ttclid':'T1','fbp':'fb.1.1596403881668.1116446470'}}}";

    private final DefaultPrivacyEngine engine =
            TestEvents.engine(TestEvents.privacy(List.of("utm_source", "gclid"), List.of(), List.of()));

    /** A destination that does not require advertising consent, with every click id listed. */
    private static DestinationPolicy analytics() {
        return destination("ga4")
                .allow("E", "gclid", "pass", "_fbp", "pass", "plan", "pass")
                .context(TestPolicies.generousContext(DestinationPolicy.KNOWN_CLICK_IDS.toArray(String[]::new)))
                .build();
    }

    private SafeEvent forward(RawEvent e) {
        Decision d = engine.evaluate(e, analytics());
        assertThat(d).isInstanceOf(Decision.Forward.class);
        return ((Decision.Forward) d).event();
    }

    @Test
    void regression_gpc_strips_every_advertising_identifier_even_where_no_consent_is_required() {
        RawEvent e = event(EVENT.formatted(""), null, null, true);
        SafeEvent out = forward(e);
        assertThat(out.context().clickIds()).isEmpty();
        assertThat(out.context().pageUrl()).isEqualTo("https://www.example.org/book?utm_source=news");
        assertThat(out.context().referrer()).isEqualTo("https://www.example.org/");
        assertThat(out.properties()).containsOnlyKeys("plan");
        Decision d = engine.evaluate(e, analytics());
        assertThat(d.trace()).anySatisfy(t -> assertThat(t.rule()).isEqualTo("advertising consent denied (Sec-GPC)"));
    }

    @Test
    void advertising_denied_in_the_visitors_consent_strips_them_too() {
        String consent = "'consent':{'categoryPreferences':{'analytics':true,'advertising':false}},";
        SafeEvent out = forward(event(EVENT.formatted(consent)));
        assertThat(out.context().clickIds()).isEmpty();
        assertThat(out.context().pageUrl()).doesNotContain("gclid");
        assertThat(out.properties()).containsOnlyKeys("plan");
    }

    @Test
    void without_a_denial_the_listed_click_ids_still_pass() {
        String consent = "'consent':{'categoryPreferences':{'advertising':true}},";
        SafeEvent out = forward(event(EVENT.formatted(consent)));
        assertThat(out.context().clickIds()).containsKeys("gclid", "fbc", "ttclid", "fbp");
        assertThat(out.context().pageUrl()).contains("gclid=G1");
        assertThat(out.properties()).containsKeys("gclid", "_fbp", "plan");
    }

    @Test
    void regression_a_port_in_a_url_is_not_a_zip_code() {
        DestinationPolicy d = destination("d")
                .allow("E")
                .context(TestPolicies.generousContext())
                .property("link", Transform.PASS)
                .build();
        RawEvent e = event("{'type':'track','event':'E','properties':{'link':'http://localhost:54321/book.html'},"
                + "'context':{'page':{'url':'http://localhost:54321/book.html'}}}");
        SafeEvent out = ((Decision.Forward) engine.evaluate(e, d)).event();
        assertThat(out.context().pageUrl()).isEqualTo("http://localhost:54321/book.html");
        assertThat(out.properties()).containsEntry("link", "http://localhost:54321/book.html");
    }
}
