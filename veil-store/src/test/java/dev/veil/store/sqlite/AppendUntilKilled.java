package dev.veil.store.sqlite;

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
 * Child process for {@link SqliteEventLogCrashTest}: appends from several threads forever and prints
 * {@code ACK <messageId>} after each append returns, until it is killed.
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MasterKey key = MasterKey.of(Base64.getDecoder().decode(System.getenv(MasterKey.ENV_VAR)));
        SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.out.println("READY");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "t" + thread + "-" + i;
                    List<AppendResult> r = log.append(List.of(TestEvents.event(id, Instant.now())));
                    if (r.getFirst() == AppendResult.ACCEPTED) {
                        synchronized (out) {
                            out.println("ACK " + id);
                        }
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
