package dev.veil.core.engine;

import static dev.veil.core.engine.TestEvents.event;
import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.SafeEvent;
import dev.veil.core.engine.Decision.TraceEntry;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.PrivacySettings.ConsentDefault;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import dev.veil.core.policy.Transform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DefaultPrivacyEngineTest {

    private final DefaultPrivacyEngine engine = TestEvents.engine();

    private static SafeEvent forwarded(Decision d) {
        assertThat(d).isInstanceOf(Decision.Forward.class);
        return ((Decision.Forward) d).event();
    }

    private static Decision.Dropped dropped(Decision d) {
        assertThat(d).isInstanceOf(Decision.Dropped.class);
        return (Decision.Dropped) d;
    }

    private static final String BOOKED = "{'type':'track','event':'Appointment Booked','userId':'u-42',"
            + "'anonymousId':'a-7','properties':{'service_line':'cardiology','value':129.99,'currency':'USD',"
            + "'patient_name':'Jane Doe','clinic_zip':'94110'}}";

    @Nested
    class Events {
        @Test
        void forwards_an_allowed_event_with_only_its_allowed_properties() {
            DestinationPolicy d = destination("ga4")
                    .allow("Appointment Booked", "service_line", "pass", "value", "pass")
                    .build();
            SafeEvent e = forwarded(engine.evaluate(event(BOOKED), d));
            assertThat(e.name()).isEqualTo("Appointment Booked");
            assertThat(e.properties()).containsOnlyKeys("service_line", "value");
            assertThat(e.properties().get("value")).isEqualTo(129.99);
            assertThat(e.messageId()).matches("[0-9a-f]{32}");
            assertThat(e.destinationId()).isEqualTo("ga4");
        }

        @Test
        void drops_an_event_that_is_not_in_the_allow_list() {
            Decision.Dropped d = dropped(engine.evaluate(
                    event(BOOKED), destination("ga4").allow("Signed Up").build()));
            assertThat(d.reason()).isEqualTo("event_not_allowed");
        }

        @Test
        void a_destination_with_no_allow_list_forwards_nothing() {
            assertThat(dropped(engine.evaluate(event(BOOKED), destination("ga4").build()))
                            .reason())
                    .isEqualTo("event_not_allowed");
        }

        @Test
        void renames_an_allowed_event_with_as() {
            DestinationPolicy d = destination("ga4")
                    .allowAs("Appointment Booked", "book_appointment")
                    .build();
            assertThat(forwarded(engine.evaluate(event(BOOKED), d)).name()).isEqualTo("book_appointment");
        }

        @Test
        void matches_event_names_exactly() {
            DestinationPolicy d = destination("ga4").allow("appointment booked").build();
            assertThat(engine.evaluate(event(BOOKED), d)).isInstanceOf(Decision.Dropped.class);
        }

        @Test
        void a_disabled_destination_receives_nothing() {
            DestinationPolicy d = destination("ga4")
                    .allow("Appointment Booked")
                    .enabled(false)
                    .build();
            assertThat(dropped(engine.evaluate(event(BOOKED), d)).reason()).isEqualTo("destination_disabled");
        }

        @Test
        void page_calls_flow_only_when_pages_is_on_and_their_name_is_scanned() {
            RawEvent page = event("{'type':'page','name':'Call 555-123-4567','anonymousId':'a'}");
            assertThat(dropped(engine.evaluate(page, destination("ga4").build()))
                            .reason())
                    .isEqualTo("type_not_allowed");
            SafeEvent e = forwarded(
                    engine.evaluate(page, destination("ga4").pages(true).build()));
            assertThat(e.name()).isEqualTo("Call [REDACTED:phone]");
        }

        @Test
        void identify_group_and_alias_calls_need_their_switches() {
            RawEvent identify = event("{'type':'identify','userId':'u','traits':{'plan':'gold'}}");
            RawEvent group = event("{'type':'group','userId':'u','groupId':'g-1','traits':{'tier':'a'}}");
            RawEvent alias = event("{'type':'alias','userId':'u','previousId':'old'}");
            DestinationPolicy off = destination("ga4").build();
            assertThat(engine.evaluate(identify, off)).isInstanceOf(Decision.Dropped.class);
            assertThat(engine.evaluate(group, off)).isInstanceOf(Decision.Dropped.class);
            assertThat(engine.evaluate(alias, off)).isInstanceOf(Decision.Dropped.class);

            DestinationPolicy on = destination("ga4")
                    .identify(true)
                    .group(true)
                    .alias(true)
                    .trait("plan", Transform.PASS)
                    .groupTrait("tier", Transform.PASS)
                    .build();
            assertThat(forwarded(engine.evaluate(identify, on)).traits()).containsEntry("plan", "gold");
            SafeEvent g = forwarded(engine.evaluate(group, on));
            assertThat(g.traits()).containsOnlyKeys("tier");
            assertThat(g.groupId()).hasSize(Masker.MASK_LENGTH).isNotEqualTo("g-1");
            SafeEvent a = forwarded(engine.evaluate(alias, on));
            assertThat(a.previousId()).hasSize(Masker.MASK_LENGTH).isNotEqualTo("old");
        }
    }

    @Nested
    class Consent {
        private final String withConsent = "{'type':'track','event':'E','context':{'consent':"
                + "{'categoryPreferences':{'analytics':true,'advertising':false}}}}";

        @Test
        void forwards_when_every_required_category_is_granted() {
            DestinationPolicy d =
                    destination("ga4").allow("E").consent("analytics").build();
            SafeEvent e = forwarded(engine.evaluate(event(withConsent), d));
            assertThat(e.context().consent()).containsEntry("analytics", true).containsEntry("advertising", false);
        }

        @Test
        void drops_when_a_required_category_is_denied() {
            DestinationPolicy d = destination("meta")
                    .allow("E")
                    .consent("analytics", "advertising")
                    .build();
            Decision.Dropped dr = dropped(engine.evaluate(event(withConsent), d));
            assertThat(dr.reason()).isEqualTo("consent_denied");
            assertThat(dr.detail()).contains("advertising");
        }

        @Test
        void applies_the_default_when_the_event_carries_no_consent() {
            DestinationPolicy d =
                    destination("ga4").allow("E").consent("analytics").build();
            RawEvent e = event("{'type':'track','event':'E'}");
            assertThat(dropped(engine.evaluate(e, d)).reason()).isEqualTo("consent_denied");
            DefaultPrivacyEngine granting = TestEvents.engine(TestEvents.withConsent(ConsentDefault.GRANTED, true));
            assertThat(granting.evaluate(e, d)).isInstanceOf(Decision.Forward.class);
        }

        @Test
        void global_privacy_control_denies_advertising() {
            DestinationPolicy d =
                    destination("meta").allow("E").consent("advertising").build();
            RawEvent e = event(
                    "{'type':'track','event':'E','context':{'consent':"
                            + "{'categoryPreferences':{'advertising':true}}}}",
                    null,
                    null,
                    true);
            assertThat(dropped(engine.evaluate(e, d)).reason()).isEqualTo("consent_denied");
            DefaultPrivacyEngine ignoring = TestEvents.engine(TestEvents.withConsent(ConsentDefault.DENIED, false));
            assertThat(ignoring.evaluate(e, d)).isInstanceOf(Decision.Forward.class);
        }

        @Test
        void a_destination_without_consent_categories_needs_no_consent() {
            assertThat(engine.evaluate(
                            event("{'type':'track','event':'E'}"),
                            destination("x").allow("E").build()))
                    .isInstanceOf(Decision.Forward.class);
        }
    }

    @Nested
    class Identities {
        @Test
        void masks_user_and_anonymous_ids_by_default() {
            SafeEvent e = forwarded(engine.evaluate(
                    event(BOOKED),
                    destination("ga4").allow("Appointment Booked").build()));
            assertThat(e.userId()).hasSize(32).isNotEqualTo("u-42");
            assertThat(e.anonymousId()).hasSize(32).isNotEqualTo("a-7");
            assertThat(e.userId()).isEqualTo(engine.masker().mask("ga4", 1, "u-42"));
        }

        @Test
        void masks_user_id_differently_per_destination() {
            SafeEvent a = forwarded(engine.evaluate(
                    event(BOOKED),
                    destination("ga4").allow("Appointment Booked").build()));
            SafeEvent b = forwarded(engine.evaluate(
                    event(BOOKED),
                    destination("meta").allow("Appointment Booked").build()));
            assertThat(a.userId()).isNotEqualTo(b.userId());
        }

        @Test
        void drops_ids_when_the_policy_says_drop() {
            DestinationPolicy d = destination("ga4")
                    .allow("Appointment Booked")
                    .identity(new Identity(IdAction.DROP, IdAction.DROP, IdAction.MASK, IdAction.MASK))
                    .build();
            SafeEvent e = forwarded(engine.evaluate(event(BOOKED), d));
            assertThat(e.userId()).isNull();
            assertThat(e.anonymousId()).isNull();
        }

        @Test
        void passes_ids_only_to_a_baa_destination() {
            Identity pass = new Identity(IdAction.PASS, IdAction.PASS, IdAction.PASS, IdAction.PASS);
            SafeEvent baa = forwarded(engine.evaluate(
                    event(BOOKED),
                    destination("hook")
                            .allow("Appointment Booked")
                            .identity(pass)
                            .baa(true)
                            .build()));
            assertThat(baa.userId()).isEqualTo("u-42");
            SafeEvent noBaa = forwarded(engine.evaluate(
                    event(BOOKED),
                    destination("hook")
                            .allow("Appointment Booked")
                            .identity(pass)
                            .build()));
            assertThat(noBaa.userId()).isNotEqualTo("u-42").hasSize(32);
        }
    }

    @Nested
    class Properties {
        @Test
        void applies_destination_wide_properties_to_every_allowed_event() {
            DestinationPolicy d = destination("ga4")
                    .allow("Appointment Booked")
                    .property("currency", Transform.PASS)
                    .build();
            assertThat(forwarded(engine.evaluate(event(BOOKED), d)).properties())
                    .containsOnlyKeys("currency");
        }

        @Test
        void transforms_properties_with_zip3_and_mask() {
            DestinationPolicy d = destination("ga4")
                    .allow("Appointment Booked", "clinic_zip", "zip3", "patient_name", "mask")
                    .build();
            SafeEvent e = forwarded(engine.evaluate(event(BOOKED), d));
            assertThat(e.properties()).containsEntry("clinic_zip", "941");
            assertThat((String) e.properties().get("patient_name")).hasSize(32).doesNotContain("Jane");
        }

        @Test
        void a_dotted_key_addresses_a_nested_field() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'product':"
                    + "{'category':'derm','patient_name':'Jane'}}}");
            SafeEvent s = forwarded(engine.evaluate(
                    e, destination("x").allow("E", "product.category", "pass").build()));
            assertThat(s.properties()).isEqualTo(Map.of("product", Map.of("category", "derm")));
        }

        @Test
        void allowing_an_object_key_does_not_pass_its_unlisted_leaves() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'product':"
                    + "{'category':'derm','patient_name':'Jane'}}}");
            Decision d = engine.evaluate(
                    e, destination("x").allow("E", "product", "pass").build());
            assertThat(forwarded(d).properties()).isEmpty();
            assertThat(d.trace())
                    .contains(new TraceEntry("properties.product", "dropped", "objects pass only allowlisted leaves"));
        }

        @Test
        void arrays_pass_scalar_elements_and_allowed_leaves_of_object_elements() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'tags':['a','b'],"
                    + "'items':[{'sku':'S1','patient':'Jane'},{'sku':'S2'}]}}");
            SafeEvent s = forwarded(engine.evaluate(
                    e,
                    destination("x")
                            .allow("E", "tags", "pass", "items.sku", "pass")
                            .build()));
            assertThat(s.properties()).containsEntry("tags", List.of("a", "b"));
            assertThat(s.properties()).containsEntry("items", List.of(Map.of("sku", "S1"), Map.of("sku", "S2")));
        }

        @Test
        void property_keys_are_case_sensitive() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'Plan':'gold'}}");
            assertThat(forwarded(engine.evaluate(
                                    e,
                                    destination("x").allow("E", "plan", "pass").build()))
                            .properties())
                    .isEmpty();
        }

        @Test
        void the_trace_names_dropped_fields_but_never_their_values() {
            Decision d = engine.evaluate(
                    event(BOOKED),
                    destination("ga4").allow("Appointment Booked").build());
            assertThat(d.trace()).contains(new TraceEntry("properties.patient_name", "dropped", "not allowlisted"));
            assertThat(d.trace().toString())
                    .doesNotContain("Jane")
                    .doesNotContain("94110")
                    .doesNotContain("u-42");
        }

        @Test
        void the_trace_hides_key_names_that_look_like_phi() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'jane@doe.com':'x'}}");
            Decision d = engine.evaluate(e, destination("x").allow("E").build());
            assertThat(d.trace().toString()).doesNotContain("jane@doe.com").contains("<unnamed key>");
        }
    }

    @Nested
    class Traits {
        @Test
        void identify_traits_are_allowlisted_and_transformed() {
            RawEvent e = event("{'type':'identify','userId':'u','traits':{'birth_date':'1984-03-12',"
                    + "'age':93,'zip':'03601','email':'jane@doe.com','plan':'gold'}}");
            DestinationPolicy d = destination("x")
                    .identify(true)
                    .trait("birth_date", Transform.YEAR)
                    .trait("age", Transform.AGE90)
                    .trait("zip", Transform.ZIP3)
                    .build();
            SafeEvent s = forwarded(engine.evaluate(e, d));
            assertThat(s.traits()).isEqualTo(Map.of("birth_date", "1984", "age", "90+", "zip", "000"));
        }

        @Test
        void context_traits_are_filtered_on_every_call() {
            RawEvent e = event("{'type':'track','event':'E','context':{'traits':{'plan':'gold','email':'j@d.com'}}}");
            SafeEvent s = forwarded(engine.evaluate(
                    e, destination("x").allow("E").trait("plan", Transform.PASS).build()));
            assertThat(s.traits()).isEqualTo(Map.of("plan", "gold"));
        }

        @Test
        void group_calls_use_group_traits_only() {
            RawEvent e = event("{'type':'group','groupId':'g','traits':{'plan':'gold','tier':'a'}}");
            SafeEvent s = forwarded(engine.evaluate(
                    e,
                    destination("x")
                            .group(true)
                            .trait("plan", Transform.PASS)
                            .groupTrait("tier", Transform.PASS)
                            .build()));
            assertThat(s.traits()).isEqualTo(Map.of("tier", "a"));
        }
    }

    @Nested
    class Scanning {
        private final RawEvent notes = event("{'type':'track','event':'E','properties':"
                + "{'notes':'reach me at jane@doe.com','plan':'gold','count':5551234567,'value':5551234567}}");
        private final DestinationPolicy d = destination("x")
                .allow("E", "notes", "pass", "plan", "pass", "count", "pass", "value", "pass")
                .build();

        @Test
        void redacts_phi_in_passed_strings_by_default() {
            SafeEvent e = forwarded(engine.evaluate(notes, d));
            assertThat(e.properties())
                    .containsEntry("notes", "reach me at [REDACTED:email]")
                    .containsEntry("plan", "gold");
        }

        @Test
        void numbers_are_not_pattern_scanned_but_money_fields_must_hold_plausible_amounts() {
            assertThat(forwarded(engine.evaluate(notes, d)).properties())
                    .containsEntry("count", 5551234567L)
                    .doesNotContainKey("value");
        }

        @Test
        void drop_property_removes_the_field() {
            DefaultPrivacyEngine e = TestEvents.engine(TestEvents.withScanner(OnMatch.DROP_PROPERTY));
            assertThat(forwarded(e.evaluate(notes, d)).properties())
                    .doesNotContainKey("notes")
                    .containsKey("plan");
        }

        @Test
        void drop_event_drops_the_whole_event_for_the_destination() {
            DefaultPrivacyEngine e = TestEvents.engine(TestEvents.withScanner(OnMatch.DROP_EVENT));
            Decision.Dropped dr = dropped(e.evaluate(notes, d));
            assertThat(dr.reason()).isEqualTo("phi_detected");
            assertThat(dr.detail())
                    .contains("properties.notes")
                    .contains("email")
                    .doesNotContain("jane");
        }

        @Test
        void reports_match_counts_to_the_scan_listener_without_values() {
            List<ScanListener.Hit> hits = new java.util.ArrayList<>();
            DefaultPrivacyEngine e =
                    new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                            .scanListener(hits::add)
                            .build());
            SafeEvent out = forwarded(e.evaluate(notes, d));
            assertThat(hits)
                    .containsExactly(
                            new ScanListener.Hit("x", out.messageId(), "E", "properties.notes", Detector.EMAIL, 1));
        }

        @Test
        void masked_values_are_not_scanned() {
            RawEvent e = event("{'type':'track','event':'E','properties':{'email':'jane@doe.com'}}");
            SafeEvent s = forwarded(engine.evaluate(
                    e, destination("x").allow("E", "email", "mask").build()));
            assertThat((String) s.properties().get("email")).hasSize(32).doesNotContain("REDACTED");
        }
    }

    @Test
    void never_mutates_its_input() {
        RawEvent e = event(BOOKED);
        String before = e.message().toString();
        engine.evaluate(
                e,
                destination("ga4")
                        .allow("Appointment Booked", "patient_name", "mask", "clinic_zip", "zip3")
                        .build());
        assertThat(e.message().toString()).isEqualTo(before);
    }
}
