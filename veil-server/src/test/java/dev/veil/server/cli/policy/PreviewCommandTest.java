package dev.veil.server.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.engine.Masker;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path policy;
    private Path booked;
    private Path dataDir;

    @BeforeEach
    void files() {
        policy = Fixtures.write(dir.resolve("policy.yaml"), Fixtures.policy(dir));
        booked = Fixtures.write(dir.resolve("booked.json"), Fixtures.BOOKED);
        dataDir = dir.resolve("veil-data");
    }

    private static CliRun preview(String... args) {
        return CliRun.of(new PreviewCommand(), args);
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private void applyPolicy() {
        CliRun.policy("approvals", "off", "--data-dir", dataDir.toString());
        assertThat(CliRun.policy("apply", policy.toString(), "--data-dir", dataDir.toString())
                        .exitCode())
                .isZero();
    }

    @Test
    void an_allowed_event_shows_the_masked_id_and_only_allowed_properties() throws Exception {
        CliRun run = preview("--policy", policy.toString(), "--destination", "ga4-marketing", booked.toString());

        JsonNode out = json(run);
        JsonNode event = out.get("event");
        assertThat(event.get("name").asText()).isEqualTo("book_appointment");
        assertThat(event.get("userId").asText()).isNotBlank().isNotEqualTo("patient-4711");
        assertThat(event.get("properties").get("service_line").asText()).isEqualTo("cardiology");
        assertThat(event.get("properties").get("clinic_zip").asText()).isEqualTo("941");
        assertThat(run.out()).doesNotContain("patient-4711", "anon-93", "jane.doe", "arrhythmia", "94110");
        assertThat(out.get("trace").toString()).contains("properties.diagnosis");
        assertThat(run.err()).contains("ephemeral random key");
    }

    @Test
    void a_free_text_field_passed_to_the_destination_is_flagged_next_to_the_preview() throws Exception {
        Path notes = Fixtures.write(
                dir.resolve("notes.yaml"),
                Fixtures.policy(dir)
                        .replace(
                                "            service_line: pass\n",
                                "            service_line: pass\n" + "            notes: pass\n"));
        JsonNode out = json(preview("--policy", notes.toString(), "--destination", "ga4-marketing", booked.toString()));
        assertThat(out.get("warnings").toString())
                .contains("destinations[0].events.allow[0].properties.notes")
                .contains("looks like free text");
        JsonNode plain =
                json(preview("--policy", policy.toString(), "--destination", "ga4-marketing", booked.toString()));
        assertThat(plain.has("warnings")).isFalse();
    }

    @Test
    void a_dropped_event_shows_the_reason_and_no_event() throws Exception {
        Path viewed = Fixtures.write(dir.resolve("viewed.json"), Fixtures.DIAGNOSIS_VIEWED);

        JsonNode out =
                json(preview("--policy", policy.toString(), "--destination", "ga4-marketing", viewed.toString()));

        assertThat(out.has("event")).isFalse();
        assertThat(out.get("dropped").get("reason").asText()).isEqualTo("event_not_allowed");
        assertThat(out.get("dropped").get("detail").asText()).isNotBlank();
    }

    @Test
    void without_policy_it_uses_the_applied_policy_and_the_workspace_keys() throws Exception {
        applyPolicy();

        CliRun fromStore =
                preview("--data-dir", dataDir.toString(), "--destination", "ga4-marketing", booked.toString());
        CliRun fromFile = preview(
                "--policy",
                policy.toString(),
                "--data-dir",
                dataDir.toString(),
                "--destination",
                "ga4-marketing",
                booked.toString());

        String masked = json(fromStore).get("event").get("userId").asText();
        assertThat(masked).isNotEqualTo("patient-4711");
        // Same workspace keys: the same masked id, whichever way the policy came.
        assertThat(json(fromFile).get("event").get("userId").asText()).isEqualTo(masked);
        assertThat(fromStore.err()).doesNotContain("ephemeral");
    }

    @Test
    void with_a_data_dir_the_masked_id_is_the_one_the_workspace_keys_give() throws Exception {
        applyPolicy();

        JsonNode out =
                json(preview("--data-dir", dataDir.toString(), "--destination", "ga4-marketing", booked.toString()));

        MaskingKeyring keyring;
        try (SqliteConfigStore store = SqliteConfigStore.open(dataDir, MasterKey.load(dataDir))) {
            keyring = MaskingKeyring.of(store.maskingSecrets().stream()
                    .map(k -> new MaskingKeyring.KeyVersion(k.version(), k.activatedAt(), k.secret()))
                    .toList());
        }
        assertThat(out.get("event").get("userId").asText())
                .isEqualTo(new Masker(keyring).mask("ga4-marketing", 1, "patient-4711"));
    }

    @Test
    void ephemeral_keys_mask_differently_on_every_run() throws Exception {
        String first = json(preview("--policy", policy.toString(), "--destination", "ga4-marketing", booked.toString()))
                .get("event")
                .get("userId")
                .asText();
        String second = json(preview(
                        "--policy", policy.toString(), "--destination", "ga4-marketing", booked.toString()))
                .get("event")
                .get("userId")
                .asText();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void key_rotation_changes_masked_ids_of_new_events_and_keeps_old_ones_stable() throws Exception {
        applyPolicy();
        String[] old = {
            "--data-dir",
            dataDir.toString(),
            "--destination",
            "ga4-marketing",
            "--received-at",
            "2020-01-01T00:00:00Z",
            booked.toString()
        };
        String[] fresh = {"--data-dir", dataDir.toString(), "--destination", "ga4-marketing", booked.toString()};
        String oldBefore = json(preview(old)).get("event").get("userId").asText();
        JsonNode freshBefore = json(preview(fresh));
        assertThat(freshBefore.get("maskingKeyVersion").asInt()).isEqualTo(1);

        assertThat(CliRun.of(new KeysCommand(), "rotate", "--data-dir", dataDir.toString())
                        .exitCode())
                .isZero();

        JsonNode oldAfter = json(preview(old));
        JsonNode freshAfter = json(preview(fresh));
        assertThat(oldAfter.get("event").get("userId").asText()).isEqualTo(oldBefore);
        assertThat(freshAfter.get("maskingKeyVersion").asInt()).isEqualTo(2);
        assertThat(freshAfter.get("event").get("userId").asText())
                .isNotEqualTo(freshBefore.get("event").get("userId").asText());
    }

    @Test
    void request_options_reach_the_engine_gpc_denies_advertising_and_ip_passes_under_a_baa() throws Exception {
        Path advertising = Fixtures.write(
                dir.resolve("ads.yaml"),
                Fixtures.policy(dir)
                        .replace(
                                "    name: GA4 (marketing)\n",
                                "    name: GA4 (marketing)\n    consent: [advertising]\n"));
        Path baa = Fixtures.write(
                dir.resolve("baa.yaml"),
                Fixtures.policy(dir)
                        .replace("    name: GA4 (marketing)\n", "    name: GA4 (marketing)\n    baa: true\n")
                        .replace("      userAgent: drop\n", "      userAgent: drop\n      ip: pass\n"));

        JsonNode withGpc = json(preview(
                "--policy", advertising.toString(), "--destination", "ga4-marketing", "--gpc", booked.toString()));
        JsonNode withoutGpc =
                json(preview("--policy", advertising.toString(), "--destination", "ga4-marketing", booked.toString()));
        JsonNode withIp = json(preview(
                "--policy",
                baa.toString(),
                "--destination",
                "ga4-marketing",
                "--ip",
                "203.0.113.9",
                booked.toString()));

        assertThat(withGpc.get("dropped").get("reason").asText()).isEqualTo("consent_denied");
        assertThat(withoutGpc.has("event")).isTrue();
        assertThat(withIp.get("event").get("context").get("ip").asText()).isEqualTo("203.0.113.9");
    }

    @Test
    void input_errors_exit_one_without_echoing_event_values() {
        Path broken = Fixtures.write(dir.resolve("broken.json"), "{\"userId\": \"patient-4711\", ");
        CliRun bad = preview("--policy", policy.toString(), "--destination", "ga4-marketing", broken.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("not valid JSON").doesNotContain("patient-4711");

        CliRun unknown = preview("--policy", policy.toString(), "--destination", "tiktok", booked.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no destination 'tiktok'").contains("ga4-marketing");

        CliRun noPolicy =
                preview("--data-dir", dataDir.toString(), "--destination", "ga4-marketing", booked.toString());
        assertThat(noPolicy.exitCode()).isEqualTo(1);

        assertThat(preview(booked.toString()).exitCode()).isEqualTo(2);
    }
}
