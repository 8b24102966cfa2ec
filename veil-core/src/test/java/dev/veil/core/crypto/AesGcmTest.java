package dev.veil.core.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    @Test
    void never_repeats_a_nonce_across_threads() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        List<byte[]> sealed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sealed.add(gcm.seal(new byte[] {1}, aad));
                    }
                });
            }
        }
        Set<String> nonces = new HashSet<>();
        for (byte[] s : sealed) {
            nonces.add(HexFormat.of().formatHex(s, 1, 13));
        }
        assertThat(sealed).hasSize(threads * perThread);
        assertThat(nonces).hasSize(threads * perThread);
        for (byte[] s : sealed.subList(0, 100)) {
            assertThat(gcm.open(s, aad)).containsExactly(1);
        }
    }

    @Test
    void draws_a_new_random_prefix_when_a_nonce_block_is_used_up() {
        AesGcm small = new AesGcm(new byte[32], 3);
        List<byte[]> nonces = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] out = new byte[12];
            small.nextNonce(out, 0);
            nonces.add(out);
        }

        // prefix(8) || counter(4): within a block the counter counts up from a random start; then a new block.
        List<Integer> counters =
                nonces.stream().map(n -> ByteBuffer.wrap(n, 8, 4).getInt()).toList();
        for (int blockStart : new int[] {0, 3}) {
            assertThat(counters.get(blockStart + 1)).isEqualTo(counters.get(blockStart) + 1);
            assertThat(counters.get(blockStart + 2)).isEqualTo(counters.get(blockStart) + 2);
        }
        List<Long> prefixes =
                nonces.stream().map(n -> ByteBuffer.wrap(n, 0, 8).getLong()).toList();
        assertThat(prefixes.subList(0, 3)).containsOnly(prefixes.get(0));
        assertThat(prefixes.subList(3, 6)).containsOnly(prefixes.get(3));
        assertThat(List.of(prefixes.get(0), prefixes.get(3), prefixes.get(6))).doesNotHaveDuplicates();
    }
}
