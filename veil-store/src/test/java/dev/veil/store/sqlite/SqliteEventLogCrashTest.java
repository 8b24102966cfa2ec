package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLog.LogEntry;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged append survives the process being killed with SIGKILL in the middle of further appends. */
class SqliteEventLogCrashTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120) // a hung child must not hang the build
    void every_acknowledged_append_survives_kill_9() throws Exception {
        MasterKey key = MasterKey.random();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AppendUntilKilled.class.getName(),
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(MasterKey.ENV_VAR, Base64.getEncoder().encodeToString(key.bytes()));
        Process child = pb.start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && acked.size() < 300) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, appends in flight
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).hasSize(300);

        try (SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults())) {
            List<LogEntry> all = log.read(0, 1_000_000);
            Set<String> stored = new HashSet<>();
            all.forEach(e -> stored.add(e.event().messageId()));
            assertThat(stored).containsAll(acked);
            assertThat(all).hasSize(stored.size()); // no duplicates either
            assertThat(log.size()).isEqualTo(all.size());
        }
    }
}
