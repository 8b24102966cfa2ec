package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeEvent;
import dev.veil.core.engine.FieldTreatments.Kind;
import dev.veil.core.engine.FieldTreatments.Treatment;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyParser;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldTreatments} decides without an event what the engine does with one; these tests hold it to the
 * engine: for every path and destination, the static answer must match what a real evaluation releases.
 */
class FieldTreatmentsTest {

    private static Policy parse(String yaml) {
        var result = PolicyParser.parse(yaml, "test");
        if (result.policy() == null) {
            throw new IllegalArgumentException(result.errors().toString());
        }
        return result.policy();
    }

    private static final Policy POLICY = parse("""
            version: 1
            destinations:
              - id: ga4
                type: ga4
                events:
                  identify: true
                  allow:
                    - name: Appointment Booked
                      properties:
                        service_line: pass
                        clinic_zip: zip3
                        items.sku: pass
                        visit: pass
                    - name: Signed Up
                properties:
                  plan: pass
                  email: mask
                traits:
                  birth_date: year
                  age: age90
                  zip: zip3
              - id: crm
                type: webhook
                baa: true
                identity:
                  userId: pass
                  anonymousId: drop
                events:
                  allow:
                    - name: Appointment Booked
                      properties:
                        service_line: drop
                properties:
                  plan: pass
              - id: paused
                type: webhook
                enabled: false
                events:
                  allow:
                    - name: Appointment Booked
                properties:
                  plan: pass
            """);

    private static final String BOOKED = """
            {"type":"track","event":"Appointment Booked","userId":"u-42","anonymousId":"a-7",
             "properties":{"service_line":"cardiology","clinic_zip":"02139","plan":"gold","email":"x@y.example",
               "notes":"n","items":[{"sku":"S1","name":"n"}],"visit":{"kind":"new"}},
             "context":{"traits":{"birth_date":"1987-03-14","age":95,"zip":"02139","other":"o"}}}
            """;

    private static final String IDENTIFY = """
            {"type":"identify","userId":"u-42","traits":{"birth_date":"1987-03-14","age":95,"zip":"02139","x":"y"}}
            """;

    private static final List<String> BOOKED_PATHS = List.of(
            "userId",
            "anonymousId",
            "properties.service_line",
            "properties.clinic_zip",
            "properties.plan",
            "properties.email",
            "properties.notes",
            "properties.items[].sku",
            "properties.items[].name",
            "properties.visit.kind",
            "context.traits.birth_date",
            "context.traits.age",
            "context.traits.zip",
            "context.traits.other");

    private static final List<String> IDENTIFY_PATHS =
            List.of("userId", "traits.birth_date", "traits.age", "traits.zip", "traits.x");

    private final DefaultPrivacyEngine engine = TestEvents.engine();

    @Test
    void agrees_with_the_engine_on_every_field_of_a_track_event_for_every_destination() {
        for (DestinationPolicy d : POLICY.destinations()) {
            for (String path : BOOKED_PATHS) {
                check(d, BOOKED, EventType.TRACK, "Appointment Booked", path);
            }
        }
    }

    @Test
    void agrees_with_the_engine_on_identify_traits() {
        for (DestinationPolicy d : POLICY.destinations()) {
            for (String path : IDENTIFY_PATHS) {
                check(d, IDENTIFY, EventType.IDENTIFY, null, path);
            }
        }
    }

    @Test
    void names_the_rule_responsible() {
        DestinationPolicy ga4 = POLICY.destination("ga4").orElseThrow();
        DestinationPolicy crm = POLICY.destination("crm").orElseThrow();
        DestinationPolicy off = POLICY.destination("paused").orElseThrow();

        assertThat(FieldTreatments.of(ga4, EventType.TRACK, "Appointment Booked", "properties.clinic_zip"))
                .isEqualTo(new Treatment(Kind.ZIP3, "transform zip3"));
        assertThat(FieldTreatments.of(ga4, EventType.TRACK, "Appointment Booked", "properties.notes"))
                .isEqualTo(new Treatment(Kind.BLOCKED, "not allowlisted"));
        assertThat(FieldTreatments.of(ga4, EventType.TRACK, "Other", "properties.plan"))
                .isEqualTo(new Treatment(Kind.BLOCKED, "event not allowed"));
        assertThat(FieldTreatments.of(crm, EventType.TRACK, "Appointment Booked", "userId"))
                .isEqualTo(new Treatment(Kind.PASS, "identity.userId: pass (baa)"));
        assertThat(FieldTreatments.of(off, EventType.TRACK, "Appointment Booked", "properties.plan"))
                .isEqualTo(new Treatment(Kind.BLOCKED, "destination disabled"));
        assertThat(FieldTreatments.of(ga4, EventType.PAGE, null, "context.page.url"))
                .isEqualTo(new Treatment(Kind.BLOCKED, "events.pages is false"));
    }

    @Test
    void reads_context_fields_as_the_engine_does() {
        DestinationPolicy d =
                PolicyParser.parse("""
                version: 1
                destinations:
                  - id: w
                    type: webhook
                    context: {ip: pass, userAgent: generalize, pageUrl: pass, campaign: pass, clickIds: [gclid]}
                    events: {pages: true}
                """, "t").policy().destinations().getFirst();

        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.ip").rule())
                .isEqualTo("context.ip: pass needs baa");
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.userAgent")
                        .kind())
                .isEqualTo(Kind.GENERALIZED);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.page.url")
                        .kind())
                .isEqualTo(Kind.GENERALIZED);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.campaign.source")
                        .kind())
                .isEqualTo(Kind.PASS);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.campaign.other")
                        .kind())
                .isEqualTo(Kind.BLOCKED);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.clickIds.gclid")
                        .kind())
                .isEqualTo(Kind.PASS);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.clickIds.fbclid")
                        .kind())
                .isEqualTo(Kind.BLOCKED);
        assertThat(FieldTreatments.of(d, EventType.PAGE, null, "context.library.name")
                        .kind())
                .isEqualTo(Kind.BLOCKED);
    }

    private void check(DestinationPolicy d, String json, EventType type, @Nullable String name, String path) {
        RawEvent raw = TestEvents.event(json.replace('"', '\''));
        Decision decision = engine.evaluate(raw, d);
        Object out = decision instanceof Decision.Forward f ? released(f.event(), path) : null;
        Object in = rawValue(raw.message(), path);
        Treatment t = FieldTreatments.of(d, type, name, path);
        String what = d.id() + " " + path + " (" + t + ")";
        switch (t.kind()) {
            case BLOCKED -> assertThat(out).as(what).isNull();
            case PASS -> assertThat(out).as(what).isEqualTo(in);
            case MASK -> assertThat(out).as(what).isNotNull().isNotEqualTo(in);
            case ZIP3 -> assertThat(out).as(what).isEqualTo("021");
            case YEAR -> assertThat(out).as(what).isEqualTo("1987");
            case AGE90 -> assertThat(out).as(what).isEqualTo("90+");
            case GENERALIZED -> assertThat(out).as(what).isNotNull();
        }
    }

    private static @Nullable Object rawValue(ObjectNode msg, String path) {
        com.fasterxml.jackson.databind.JsonNode n = msg;
        for (String part : path.split("\\.")) {
            boolean array = part.endsWith("[]");
            n = n.path(array ? part.substring(0, part.length() - 2) : part);
            if (array) {
                n = n.path(0);
            }
        }
        return n.isNumber() ? n.numberValue() : n.isTextual() ? n.textValue() : null;
    }

    private static @Nullable Object released(SafeEvent e, String path) {
        if (path.equals("userId")) {
            return e.userId();
        }
        if (path.equals("anonymousId")) {
            return e.anonymousId();
        }
        String[] parts = path.split("\\.");
        Object node = parts[0].equals("properties") ? e.properties() : e.traits();
        int from = parts[0].equals("context") ? 2 : 1;
        for (int i = from; i < parts.length && node != null; i++) {
            boolean array = parts[i].endsWith("[]");
            String key = array ? parts[i].substring(0, parts[i].length() - 2) : parts[i];
            node = node instanceof Map<?, ?> m ? m.get(key) : null;
            if (array) {
                node = node instanceof List<?> l && !l.isEmpty() ? l.getFirst() : null;
            }
        }
        return node;
    }
}
