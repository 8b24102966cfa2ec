package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.DestinationPolicy.EventIdMode;
import org.junit.jupiter.api.Test;

/** The {@code eventId} destination key: parsed, refused when unknown, exported, diffed. */
class EventIdPolicyTest {

    @Test
    void event_ids_are_derived_unless_the_destination_says_pass_opaque() {
        assertThat(Yaml.parse(Yaml.withDestination("name: x"))
                        .destinations()
                        .getFirst()
                        .eventId())
                .isEqualTo(EventIdMode.DERIVE);
        assertThat(Yaml.parse(Yaml.withDestination("eventId: passOpaque"))
                        .destinations()
                        .getFirst()
                        .eventId())
                .isEqualTo(EventIdMode.PASS_OPAQUE);
    }

    @Test
    void an_unknown_event_id_mode_is_an_error_naming_the_choices() {
        assertThat(Yaml.errors(Yaml.withDestination("eventId: pass")))
                .containsExactly(
                        "destinations[0].eventId: unknown value 'pass'; expected derive or passOpaque (line 5)");
    }

    @Test
    void the_mode_round_trips_through_export_and_shows_in_diffs() {
        Policy derive = Yaml.parse(Yaml.withDestination("eventId: derive"));
        Policy opaque = Yaml.parse(Yaml.withDestination("eventId: passOpaque"));
        assertThat(PolicyExporter.export(derive)).contains("eventId: derive");
        assertThat(Yaml.parse(PolicyExporter.export(opaque))).isEqualTo(opaque);
        assertThat(PolicyDiff.between(derive, opaque))
                .extracting(PolicyDiff.Change::toString)
                .containsExactly("d1: event id: derive → passOpaque");
    }
}
