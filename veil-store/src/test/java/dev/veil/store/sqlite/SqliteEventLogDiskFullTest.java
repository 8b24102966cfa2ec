package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
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

/** The event log on a file system that really fills up, then gets space back. */
@Timeout(120)
class SqliteEventLogDiskFullTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private SmallDisk disk;

    @BeforeEach
    void mount() throws Exception {
        disk = SmallDisk.mount(tmp, 8);
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

    @Test
    void after_a_disk_full_the_writer_starts_clean_and_answers_for_what_committed() throws Exception {
        try (SqliteEventLog log = SqliteEventLog.open(disk.dir(), MasterKey.random(), EventLogOptions.defaults())) {
            assertThat(log.append(List.of(event("before")))).containsExactly(AppendResult.ACCEPTED);
            disk.fill();

            List<String> refused = new ArrayList<>();
            for (int i = 0; i < 200 && refused.size() < 3; i++) {
                String id = "full-" + i;
                try {
                    log.append(List.of(event(id)));
                } catch (StoreException e) {
                    refused.add(id);
                }
            }
            assertThat(refused).as("appends refused while the disk is full").hasSize(3);
            long headWhileFull = log.headOffset();
            assertThat(log.writable()).as("writable while full").isFalse();

            disk.free();
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
            assertThat(stored).containsSubsequence("before", "after").contains(refused.toArray(String[]::new));
            assertThat(stored).doesNotHaveDuplicates();
        }
    }
}
