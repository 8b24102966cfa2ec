package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStoreContract;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqliteConfigStoreTest extends ConfigStoreContract {

    @Override
    protected ConfigStore open(Path dir, MasterKey key, MutableClock clock) {
        return SqliteConfigStore.open(dir, key, clock);
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = SqliteFiles.open(dir.resolve(SqliteConfigStore.FILE_NAME), true);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void applies_the_flyway_migrations_once() throws SQLException {
        open().close();
        open().close();

        assertThat(query("SELECT version || ':' || success FROM flyway_schema_history WHERE version IS NOT NULL"))
                .containsExactly("1:1", "2:1");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'flyway%'"
                        + " AND name NOT LIKE 'sqlite%' ORDER BY name"))
                .contains("masking_secrets", "meta", "policy_versions", "sources", "audit_log", "admin_users");
        assertThat(Files.exists(dir.resolve("config.db"))).isTrue();
    }

    @Test
    void stores_only_the_hash_of_write_keys_and_only_sealed_masking_secrets() throws Exception {
        ConfigStore store = open();
        store.saveSource("web", "Website", List.of());
        String writeKey = store.ensureGeneratedWriteKey("web").orElseThrow();
        byte[] secret = store.maskingSecrets().getFirst().secret();
        store.close();

        byte[] keyBytes = writeKey.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                assertThat(contains(bytes, keyBytes)).as("write key in %s", f).isFalse();
                assertThat(contains(bytes, secret))
                        .as("masking secret in %s", f)
                        .isFalse();
            }
        }
        assertThat(query("SELECT length(write_key_hash) FROM sources")).containsExactly("64");
    }

    @Test
    void creates_the_database_file_private_to_the_owner() throws Exception {
        open().close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void numbers_policy_versions_uniquely_when_two_processes_save_at_once() throws Exception {
        ConfigStore a = open();
        ConfigStore b = open(); // a second connection to the same file, as the CLI would open
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var fa = pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    a.savePolicy("a", "a", "");
                }
                return null;
            });
            var fb = pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    b.savePolicy("b", "b", "");
                }
                return null;
            });
            fa.get();
            fb.get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(a.policyHistory())
                .extracting(ConfigStore.PolicyVersion::version)
                .hasSize(50)
                .doesNotHaveDuplicates()
                .startsWith(50)
                .endsWith(1);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
