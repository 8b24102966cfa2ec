package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code veil serve} process: what it leaves on disk and how it stops. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServeLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void keeps_every_data_file_private_and_exits_0_on_sigterm() throws Exception {
        try (ServeProcess veil = ServeProcess.start(dir, "")) {
            veil.awaitReady(Duration.ofSeconds(90));

            Map<String, String> modes = new TreeMap<>();
            try (Stream<Path> files = Files.walk(veil.dataDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    modes.put(
                            veil.dataDir().relativize(f).toString(),
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                }
            }
            // ready means delivery runs, so its replay.db is open by now
            assertThat(modes).containsKeys("events.db", "replay.db");
            assertThat(modes)
                    .allSatisfy((file, mode) -> assertThat(mode).as(file).isEqualTo("rw-------"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(veil.dataDir())))
                    .isEqualTo("rwx------");

            veil.process().destroy(); // SIGTERM
            assertThat(veil.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(veil.process().exitValue())
                    .as("exit status after SIGTERM")
                    .isZero();
            assertThat(List.of(veil.output().split("\n"))).anyMatch(l -> l.contains("event log closed"));
        }
    }
}
