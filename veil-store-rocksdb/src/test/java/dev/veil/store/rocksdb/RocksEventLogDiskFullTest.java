package dev.veil.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.sqlite.SmallDisk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log on a file system that really fills up, then gets space back. RocksDB refuses every write after a
 * failed WAL write until it is reopened; the log must do that by itself and answer only for what was written.
 */
@Timeout(120)
class RocksEventLogDiskFullTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private SmallDisk disk;

    @BeforeEach
    void mount() throws Exception {
        disk = SmallDisk.mount(tmp, 16);
        Assumptions.assumeTrue(disk != null, "mounting a tmpfs is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    private static RawEvent event(String messageId) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", "track");
        message.put("messageId", messageId);
        message.put("padding", "x".repeat(16_000)); // so that a few appends fill the remaining space
        Instant now = Instant.now();
        return new RawEvent("src-1", messageId, EventType.TRACK, now, now, message, null, null, false);
    }

    /** Fills the space freed since the disk was filled, into a file of its own. */
    private void topUp(int n) throws IOException {
        try (OutputStream out = Files.newOutputStream(disk.dir().resolve("top-up-" + n))) {
            byte[] chunk = new byte[4096];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    @Test
    void after_a_disk_full_the_log_reopens_by_itself_and_answers_for_what_was_written() throws Exception {
        try (RocksEventLog log = RocksEventLog.open(disk.dir(), MasterKey.random(), EventLogOptions.defaults())) {
            assertThat(log.append(List.of(event("before")))).containsExactly(AppendResult.ACCEPTED);
            disk.fill();

            List<String> refused = new ArrayList<>();
            List<String> acceptedWhileFull = new ArrayList<>();
            for (int i = 0; i < 200 && refused.size() < 3; i++) {
                String id = "full-" + i;
                try {
                    log.append(List.of(event(id)));
                    acceptedWhileFull.add(id); // the last free bytes
                } catch (StoreException e) {
                    refused.add(id);
                    // Reopening deletes the old WAL and its preallocated space: take that space too.
                    topUp(refused.size());
                }
            }
            assertThat(refused).as("appends refused while the disk is full").hasSize(3);
            long headWhileFull = log.headOffset();
            assertThat(log.writable()).as("writable while full").isFalse();

            disk.free();
            for (int i = 1; i <= refused.size(); i++) {
                Files.deleteIfExists(disk.dir().resolve("top-up-" + i));
            }
            // Readiness comes back by itself (a write probe), before any client sends again.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(log::writable);
            // Space is back: a new event and a retry of each refused one are stored and acknowledged as new.
            assertThat(log.append(List.of(event("after")))).containsExactly(AppendResult.ACCEPTED);
            for (String id : refused) {
                assertThat(log.append(List.of(event(id)))).as(id).containsExactly(AppendResult.ACCEPTED);
            }
            assertThat(log.append(List.of(event("after")))).containsExactly(AppendResult.DUPLICATE);
            assertThat(log.headOffset()).isGreaterThan(headWhileFull);
            List<String> stored =
                    log.read(0, 1_000).stream().map(e -> e.event().messageId()).toList();
            assertThat(stored)
                    .containsSubsequence("before", "after")
                    .contains(refused.toArray(String[]::new))
                    .containsAll(acceptedWhileFull)
                    .doesNotHaveDuplicates();
            assertThat(log.size()).isEqualTo(stored.size());
        }
    }
}
