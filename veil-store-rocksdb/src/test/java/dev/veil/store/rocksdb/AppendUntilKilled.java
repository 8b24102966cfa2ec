package dev.veil.store.rocksdb;

import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Child process for {@link RocksEventLogCrashTest}: appends from several threads forever and prints
 * {@code ACK <messageId>} after each append returns, until it is killed.
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MasterKey key = MasterKey.of(Base64.getDecoder().decode(System.getenv(MasterKey.ENV_VAR)));
        RocksEventLog log = RocksEventLog.open(dir, key, EventLogOptions.defaults());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("READY");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "t" + thread + "-" + i;
                    // two events per append: a batch is acknowledged whole or not at all
                    List<AppendResult> r = log.append(List.of(
                            TestEvents.event(id + "-a", Instant.now()), TestEvents.event(id + "-b", Instant.now())));
                    if (r.getFirst() == AppendResult.ACCEPTED && r.getLast() == AppendResult.ACCEPTED) {
                        synchronized (out) {
                            out.println("ACK " + id + "-a");
                            out.println("ACK " + id + "-b");
                        }
                    }
                    if (i % 50 == 0) {
                        log.commitCursor("consumer-" + thread, log.headOffset());
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
