package dev.veil.server.delivery;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.file.Path;

/** The child JVM of {@link DeliveryCrashTest}: delivers the data directory's log until it is killed. */
public final class DeliveryCrashChild {
    private DeliveryCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String url = args[1];
        MasterKey key = MasterKey.load(dataDir);
        SqliteEventLog log = SqliteEventLog.open(dataDir, key, EventLogOptions.defaults());
        SqliteDeadLetterStore deadLetters = SqliteDeadLetterStore.open(dataDir, key);
        ReplayQueue replays = SqliteReplayQueue.open(dataDir);
        DeliveryEngine engine = DeliveryEngine.builder(
                        log,
                        deadLetters,
                        replays,
                        new PassThroughEngine(),
                        () -> Fixtures.policy(Fixtures.destination("crash", url)),
                        Fixtures.connectors(DeliveryCrashTest.MAX_EVENTS))
                .settings(DeliveryCrashTest.SETTINGS)
                .build();
        engine.start();
        System.out.println("child delivering");
        Thread.sleep(Long.MAX_VALUE);
    }
}
