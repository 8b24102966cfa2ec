package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

    @TempDir
    Path dir;

    @Test
    void creates_a_private_key_file_on_first_start_and_reads_it_back() throws Exception {
        Path dataDir = dir.resolve("data");

        MasterKey created = MasterKey.load(dataDir, Map.of());
        MasterKey loaded = MasterKey.load(dataDir, Map.of());

        Path file = dataDir.resolve(MasterKey.FILE_NAME);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(loaded.bytes()).isEqualTo(created.bytes()).isNotEqualTo(new byte[32]);
        assertThat(loaded.source()).isEqualTo(file.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        try (var files = Files.list(dataDir)) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
    }

    @Test
    void prefers_the_environment_variable_and_then_creates_no_file() {
        byte[] key = new byte[32];
        key[0] = 42;
        MasterKey fromEnv = MasterKey.load(
                dir, Map.of(MasterKey.ENV_VAR, Base64.getEncoder().encodeToString(key)));

        assertThat(fromEnv.bytes()).isEqualTo(key);
        assertThat(fromEnv.source()).isEqualTo(MasterKey.ENV_VAR);
        assertThat(dir.resolve(MasterKey.FILE_NAME)).doesNotExist();
    }

    @Test
    void refuses_an_environment_key_of_the_wrong_size_or_encoding_without_echoing_it() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, shortKey)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("expected 32 bytes, found 16")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, "not*base64!")))
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not*base64!");
    }

    @Test
    void refuses_a_key_file_others_can_read() throws Exception {
        MasterKey.load(dir, Map.of());
        Path file = dir.resolve(MasterKey.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.load(dir, Map.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("permissions rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refuses_a_key_file_of_the_wrong_size() throws Exception {
        Path file = dir.resolve(MasterKey.FILE_NAME);
        Files.write(file, new byte[31]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.load(dir, Map.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("expected 32 bytes, found 31");
    }

    @Test
    void never_shows_the_key_in_to_string() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x41);
        MasterKey k = MasterKey.of(key);

        assertThat(k.toString())
                .doesNotContain("AAAA")
                .doesNotContain(Base64.getEncoder().encodeToString(key))
                .contains("██");
        assertThat(k.fingerprint()).hasSize(8);
    }
}
