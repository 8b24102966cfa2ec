package dev.veil.core.engine;

import static dev.veil.core.engine.TestEvents.event;
import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.EventIdMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event id (dedup key) a destination receives: derived by default, the caller's only when opaque. */
class EventIdTest {

    private final DefaultPrivacyEngine engine = TestEvents.engine();

    private static RawEvent track(String messageId) {
        return event("{'type':'track','event':'Signed Up','messageId':'" + messageId + "','userId':'u-42',"
                + "'anonymousId':'0f8fad5b-d9cb-469f-a165-70867728950e'}");
    }

    private SafeEvent forward(RawEvent e, DestinationPolicy d) {
        Decision decision = engine.evaluate(e, d);
        assertThat(decision).isInstanceOf(Decision.Forward.class);
        return ((Decision.Forward) decision).event();
    }

    private static DestinationPolicy dest(String id) {
        return destination(id).allow("Signed Up").build();
    }

    @ParameterizedTest(name = "message id {0} never leaves")
    @ValueSource(
            strings = {
                "jane@example.org-1741962687440",
                "MRN51293564-1111",
                "0f8fad5b-d9cb-469f-a165-70867728950e-3",
                "m-1"
            })
    void regression_message_ids_leave_derived_never_as_sent(String messageId) {
        SafeEvent e = forward(track(messageId), dest("meta"));
        assertThat(e.messageId()).matches("[0-9a-f]{32}").doesNotContain(messageId);
    }

    @Test
    void the_derived_id_is_stable_across_retries_and_differs_per_destination_and_source() {
        String a = forward(track("m-77"), dest("meta")).messageId();
        assertThat(forward(track("m-77"), dest("meta")).messageId()).isEqualTo(a);
        assertThat(forward(track("m-77"), dest("tiktok")).messageId()).isNotEqualTo(a);
        assertThat(forward(track("m-78"), dest("meta")).messageId()).isNotEqualTo(a);
        RawEvent other = track("m-77");
        RawEvent otherSource = new RawEvent(
                "app",
                other.messageId(),
                other.type(),
                other.receivedAt(),
                other.timestamp(),
                other.message(),
                null,
                null,
                false);
        assertThat(forward(otherSource, dest("meta")).messageId()).isNotEqualTo(a);
    }

    @Test
    void the_derived_id_follows_the_masking_key_version_of_the_event() {
        MaskingKeyring keys = MaskingKeyring.of(List.of(
                new MaskingKeyring.KeyVersion(1, Instant.EPOCH, TestEvents.SECRET),
                new MaskingKeyring.KeyVersion(
                        2, Instant.parse("2026-06-01T00:00:00Z"), "another-secret-of-32-bytes-long!".getBytes())));
        DefaultPrivacyEngine rotated =
                new DefaultPrivacyEngine(EngineConfig.builder(keys).build());
        String before = ((Decision.Forward) rotated.evaluate(track("m-9"), dest("meta")))
                .event()
                .messageId();
        assertThat(before).isEqualTo(forward(track("m-9"), dest("meta")).messageId());
        RawEvent late = track("m-9");
        RawEvent afterRotation = new RawEvent(
                late.sourceId(),
                late.messageId(),
                late.type(),
                Instant.parse("2026-07-01T00:00:00Z"),
                late.timestamp(),
                late.message(),
                null,
                null,
                false);
        String after = ((Decision.Forward) rotated.evaluate(afterRotation, dest("meta")))
                .event()
                .messageId();
        assertThat(after).isNotEqualTo(before).matches("[0-9a-f]{32}");
    }

    @ParameterizedTest(name = "opaque {0} passes for pixel deduplication")
    @ValueSource(
            strings = {
                "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                "ajs-next-5d41402abc4b2a76b9719d911017c592",
                "V1StGXR8_Z5jdHi6B-myT",
                "evt_2NfXk9QzLm4RtY7wB3cD"
            })
    void pass_opaque_passes_a_random_token_unchanged(String id) {
        DestinationPolicy d = dest("meta").withEventId(EventIdMode.PASS_OPAQUE);
        Decision decision = engine.evaluate(track(id), d);
        assertThat(((Decision.Forward) decision).event().messageId()).isEqualTo(id);
        assertThat(decision.trace()).anySatisfy(t -> {
            assertThat(t.field()).isEqualTo("messageId");
            assertThat(t.action()).isEqualTo("passed");
        });
    }

    @ParameterizedTest(name = "{0} is not opaque: the derived id is sent")
    @ValueSource(
            strings = {
                "jane@example.org-1741962687440",
                "MRN51293564-1111",
                "0f8fad5b-d9cb-469f-a165-70867728950e-3",
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "node-next-1712345678901-aB3dE",
                "janedoe-appointment-1",
                "5551234567",
                "short"
            })
    void pass_opaque_falls_back_to_the_derived_id_for_anything_else(String id) {
        DestinationPolicy d = dest("meta").withEventId(EventIdMode.PASS_OPAQUE);
        Decision decision = engine.evaluate(track(id), d);
        SafeEvent e = ((Decision.Forward) decision).event();
        assertThat(e.messageId()).isEqualTo(forward(track(id), dest("meta")).messageId());
        assertThat(decision.trace())
                .anySatisfy(t -> assertThat(t.rule()).startsWith("eventId: passOpaque, but the caller's id"));
        assertThat(decision.trace().toString()).doesNotContain(id);
    }

    @Test
    void pass_opaque_prefers_the_callers_context_event_id() {
        RawEvent e = event("{'type':'track','event':'Signed Up','messageId':'m-1',"
                + "'context':{'eventId':'7c9e6679-7425-40de-944b-e07fc1f90ae7'}}");
        DestinationPolicy d = dest("meta").withEventId(EventIdMode.PASS_OPAQUE);
        assertThat(forward(e, d).messageId()).isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    }

    @Test
    void scan_hits_report_the_derived_id_never_the_callers() {
        List<ScanListener.Hit> hits = new ArrayList<>();
        DefaultPrivacyEngine listening =
                new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                        .scanListener(hits::add)
                        .build());
        RawEvent e = event("{'type':'track','event':'Signed Up','messageId':'jane@example.org-1',"
                + "'properties':{'note':'call 555-123-4567'}}");
        listening.evaluate(
                e, destination("meta").allow("Signed Up", "note", "pass").build());
        assertThat(hits).isNotEmpty().allSatisfy(h -> assertThat(h.messageId()).matches("[0-9a-f]{32}"));
    }
}
