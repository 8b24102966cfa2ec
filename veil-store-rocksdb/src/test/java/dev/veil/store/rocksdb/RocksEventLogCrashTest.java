package dev.veil.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLog.LogEntry;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged append survives the process being killed with SIGKILL in the middle of further appends. */
class RocksEventLogCrashTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180) // a hung child must not hang the build
    void every_acknowledged_append_survives_kill_9_twice() throws Exception {
        MasterKey key = MasterKey.random();
        Set<String> acked = new HashSet<>();
        long headBefore = 0;
        for (int round = 0; round < 2; round++) {
            acked.addAll(runAndKill(key, 600));
            try (RocksEventLog log = RocksEventLog.open(dir, key, EventLogOptions.defaults())) {
                List<LogEntry> all = log.read(0, 1_000_000);
                Set<String> stored = new HashSet<>();
                all.forEach(e -> stored.add(e.event().messageId()));
                assertThat(stored).as("round %d", round).containsAll(acked);
                assertThat(all).hasSize(stored.size()); // no duplicates either
                assertThat(log.size()).isEqualTo(all.size());
                assertThat(log.headOffset())
                        .isGreaterThan(headBefore)
                        .isEqualTo(all.getLast().offset());
                headBefore = log.headOffset();
                // Dedup survived the crash too: an acknowledged id is a duplicate now.
                String someAcked = acked.iterator().next();
                assertThat(log.append(List.of(TestEvents.event(someAcked, Instant.now()))))
                        .containsExactly(AppendResult.DUPLICATE);
                assertThat(log.consumers()).isNotEmpty();
            }
        }
    }

    private Set<String> runAndKill(MasterKey key, int acks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
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
            while ((line = in.readLine()) != null && acked.size() < acks) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, appends in flight
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).hasSize(acks);
        return acked;
    }
}
