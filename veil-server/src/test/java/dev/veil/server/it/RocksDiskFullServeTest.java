package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.sqlite.SmallDisk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code veil serve} with {@code eventLog: rocksdb} on a data directory that really fills up (a tmpfs): ingest
 * answers {@code 503} and {@code /readyz} says not ready while the disk is full; once space returns, both recover by
 * themselves, without a restart. The wiring test: here RocksDB's preallocated WAL takes the writes and the failure is
 * a background flush, from which RocksDB resumes by itself; a failed WAL append, from which only the log's reopen
 * recovers, is {@code RocksEventLogDiskFullTest}'s case.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RocksDiskFullServeTest {

    private static final String KEY = "rocks-disk-full-write-key";

    @TempDir
    Path dir;

    private SmallDisk disk;

    @BeforeEach
    void mount() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        disk = SmallDisk.mount(data, 128);
        Assumptions.assumeTrue(disk != null, "mounting a tmpfs is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void ingest_and_readiness_fail_cleanly_while_full_and_recover_by_themselves() throws Exception {
        int port = ServeProcess.freePort();
        Path config = writeConfig(port);
        try (ServeProcess veil = ServeProcess.start(config, port)) {
            veil.awaitReady(Duration.ofSeconds(90));
            assertThat(veil.post("/v1/batch", KEY, paddedBatch("before"))).isEqualTo(200);

            disk.fill();
            int refused = 0;
            List<Path> topUps = new ArrayList<>();
            for (int i = 0; i < 500 && refused < 3; i++) {
                int status = veil.post("/v1/batch", KEY, paddedBatch("full-" + i));
                assertThat(status).as("batch %d while full", i).isIn(200, 503);
                if (status == 503) {
                    refused++;
                    // Reopening frees the old WAL's preallocated space: take that too.
                    topUps.add(topUp(topUps.size()));
                }
            }
            assertThat(refused).as("batches refused while the disk is full").isEqualTo(3);
            assertThat(veil.get("/readyz")).as("/readyz while full").isEqualTo(503);

            disk.free();
            for (Path p : topUps) {
                Files.deleteIfExists(p);
            }
            // The log's own probe turns writable within a second or two; 60 s leaves room for a delivery start-up
            // retry (up to 30 s apart) should one have failed on the full disk too.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(veil.get("/readyz"))
                            .as("/readyz after space returned; serve said: %s", veil.output())
                            .isEqualTo(200));
            assertThat(veil.post("/v1/batch", KEY, paddedBatch("after"))).isEqualTo(200);
            assertThat(veil.process().isAlive()).isTrue();
            assertThat(veil.output()).contains("writes succeed again");
        }
    }

    /** Fills the space freed since the disk was filled, into a file of its own. */
    private Path topUp(int n) throws IOException {
        Path file = disk.dir().resolve("top-up-" + n);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[4096];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return file;
    }

    /** A batch of 40 track calls with 8 KB of properties each (~330 KB): each batch needs real space. */
    private static String paddedBatch(String prefix) {
        StringBuilder sb = new StringBuilder("{\"batch\":[");
        String pad = "x".repeat(8_000);
        for (int i = 0; i < 40; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Disk Full\",\"messageId\":\"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\",\"properties\":{\"pad\":\"")
                    .append(pad)
                    .append("\"}}");
        }
        return sb.append("]}").toString();
    }

    private Path writeConfig(int port) throws IOException {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(
                dir.resolve("policy.yaml"),
                "version: 1\nsources:\n  - id: site\n    name: Site\n    writeKey: ${file:" + dir.resolve("write.key")
                        + "}\n");
        Path config = dir.resolve("veil.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: %d}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                policy: policy.yaml
                eventLog: rocksdb
                rateLimits: {perIp: off, perSource: off, failedAuthPerIp: off}
                """.formatted(port));
        return config;
    }
}
