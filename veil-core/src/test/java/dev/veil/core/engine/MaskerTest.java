package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.core.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MaskerTest {

    private static final byte[] V1 = TestEvents.SECRET;
    private static final byte[] V2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    private static final Instant ROTATED = Instant.parse("2026-06-01T00:00:00Z");

    private final MaskingKeyring keyring = MaskingKeyring.of(List.of(
            new MaskingKeyring.KeyVersion(1, Instant.EPOCH, V1), new MaskingKeyring.KeyVersion(2, ROTATED, V2)));
    private final Masker masker = new Masker(keyring);

    @Test
    void masks_as_the_spec_defines() throws Exception {
        assertThat(masker.mask("ga4", 1, "u-42")).isEqualTo(specMask("u-42"));
    }

    @Test
    void masks_non_ascii_and_long_values_as_the_spec_defines() throws Exception {
        // ASCII ids up to 256 characters take a copy-free path; everything else is UTF-8 encoded the usual way.
        for (String v : List.of(
                "Zoë-Ünïcode-ID", "患者-4711", "id-\uD83D\uDE00", "x".repeat(256), "y".repeat(257), "a\u007f\u0080b")) {
            assertThat(masker.mask("ga4", 1, v)).as(v).isEqualTo(specMask(v));
        }
    }

    @Test
    void masks_thousands_of_random_ids_exactly_as_the_spec_defines() throws Exception {
        // Covers every base64url character and position of the hand-written encoder.
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 3000; i++) {
            String v = Long.toString(random.nextLong(), 36) + "-" + i;
            assertThat(masker.mask("ga4", 1, v)).as(v).isEqualTo(specMask(v));
        }
    }

    private static String specMask(String value) throws Exception {
        byte[] k = Hkdf.derive(V1, "veil/mask/v1/ga4", 32);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k, "HmacSHA256"));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 32);
    }

    @Test
    void is_deterministic_and_differs_per_destination_and_version() {
        assertThat(masker.mask("ga4", 1, "u-42")).isEqualTo(new Masker(keyring).mask("ga4", 1, "u-42"));
        assertThat(masker.mask("ga4", 1, "u-42")).isNotEqualTo(masker.mask("meta", 1, "u-42"));
        assertThat(masker.mask("ga4", 1, "u-42")).isNotEqualTo(masker.mask("ga4", 2, "u-42"));
    }

    @Test
    void trims_values_and_lower_cases_emails() {
        assertThat(masker.mask("ga4", 1, "  Jane.Doe@Example.ORG "))
                .isEqualTo(masker.mask("ga4", 1, "jane.doe@example.org"));
        assertThat(masker.mask("ga4", 1, "ABC")).isNotEqualTo(masker.mask("ga4", 1, "abc"));
    }

    @Test
    void uses_the_key_version_in_force_when_the_event_was_received() {
        assertThat(masker.mask("ga4", ROTATED.minusSeconds(1), "u")).isEqualTo(masker.mask("ga4", 1, "u"));
        assertThat(masker.mask("ga4", ROTATED, "u")).isEqualTo(masker.mask("ga4", 2, "u"));
        assertThat(keyring.versionAt(Instant.EPOCH.minusSeconds(5)).version()).isEqualTo(1);
    }

    @Test
    void keyring_never_prints_its_secrets() {
        String printed = keyring + " " + keyring.versions() + " " + masker;
        assertThat(printed)
                .doesNotContain("0123456789abcdef")
                .doesNotContain("fedcba")
                .contains("v1")
                .contains("v2");
    }

    @Test
    void keyring_rejects_short_secrets_and_duplicate_versions() {
        assertThatThrownBy(() -> MaskingKeyring.single(new byte[8])).hasMessageContaining("at least 16 bytes");
        assertThatThrownBy(() -> keyring.with(new MaskingKeyring.KeyVersion(2, Instant.now(), V1)))
                .hasMessageContaining("duplicate key version 2");
    }

    @Test
    void works_from_many_threads_at_once() throws Exception {
        String expected = masker.mask("ga4", 1, "u-42");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    seen.add(masker.mask("ga4", 1, "u-42"));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(2000).containsOnly(expected);
    }
}
