package dev.veil.core.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AesGcmTest {

    private static final byte[] MASTER = new byte[32];

    static {
        Arrays.fill(MASTER, (byte) 7);
    }

    private final AesGcm gcm = AesGcm.forPurpose(MASTER, "test");
    private final byte[] aad = "source-1/message-1".getBytes(UTF_8);

    @Test
    void opens_what_it_sealed() {
        byte[] sealed = gcm.seal("patient has diabetes".getBytes(UTF_8), aad);
        assertThat(new String(gcm.open(sealed, aad), UTF_8)).isEqualTo("patient has diabetes");
    }

    @Test
    void does_not_contain_the_plaintext_and_uses_a_fresh_nonce_each_time() {
        byte[] plain = "canary-canary-canary".getBytes(UTF_8);
        byte[] first = gcm.seal(plain, aad);
        byte[] second = gcm.seal(plain, aad);
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, UTF_8)).doesNotContain("canary");
        assertThat(first).hasSize(plain.length + 1 + 12 + 16);
    }

    @Test
    void detects_tampering_anywhere_in_the_sealed_bytes() {
        byte[] sealed = gcm.seal("hello world".getBytes(UTF_8), aad);
        for (int i = 1; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> gcm.open(tampered, aad))
                    .as("flipped byte %d", i)
                    .isInstanceOf(AesGcm.OpenFailedException.class)
                    .hasMessageContaining("authentication failed");
        }
    }

    @Test
    void refuses_other_associated_data() {
        byte[] sealed = gcm.seal("x".getBytes(UTF_8), aad);
        assertThatThrownBy(() -> gcm.open(sealed, "source-1/message-2".getBytes(UTF_8)))
                .isInstanceOf(AesGcm.OpenFailedException.class);
    }

    @Test
    void keys_differ_per_purpose_and_per_master_key() {
        byte[] sealed = gcm.seal("x".getBytes(UTF_8), aad);
        byte[] otherMaster = MASTER.clone();
        otherMaster[0] = 8;
        assertThatThrownBy(() -> AesGcm.forPurpose(MASTER, "other").open(sealed, aad))
                .isInstanceOf(AesGcm.OpenFailedException.class);
        assertThatThrownBy(() -> AesGcm.forPurpose(otherMaster, "test").open(sealed, aad))
                .isInstanceOf(AesGcm.OpenFailedException.class);
        assertThat(AesGcm.forPurpose(MASTER.clone(), "test").open(sealed, aad)).containsExactly('x');
    }

    @Test
    void uses_the_hkdf_key_for_veil_purpose_v1() {
        byte[] sealed = gcm.seal("x".getBytes(UTF_8), aad);
        AesGcm explicit = AesGcm.withKey(Hkdf.derive(MASTER, "veil/test/v1", 32));
        assertThat(explicit.open(sealed, aad)).containsExactly('x');
    }

    @Test
    void refuses_truncated_data_and_unknown_versions() {
        assertThatThrownBy(() -> gcm.open(new byte[10], aad)).hasMessageContaining("minimum is 29");
        byte[] sealed = gcm.seal("x".getBytes(UTF_8), aad);
        sealed[0] = 9;
        assertThatThrownBy(() -> gcm.open(sealed, aad)).hasMessageContaining("format version 9");
    }

    @Test
    void refuses_keys_of_the_wrong_size_and_never_prints_the_key() {
        assertThatThrownBy(() -> AesGcm.withKey(new byte[16])).hasMessageContaining("32 bytes, was 16");
        assertThat(gcm.toString()).doesNotContain("7").contains("██");
    }
}
