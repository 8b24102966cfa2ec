package dev.veil.server.testing;

import dev.veil.store.EventLog;
import dev.veil.store.EventLogContract;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The server tests' event log behaves as every event log must (dedup expiry, purge, cursors, encryption). */
class TestEventLogContractTest extends EventLogContract {

    @Override
    protected EventLog open(Path dir, MasterKey key, EventLogOptions options) {
        return TestEventLog.open(dir, key, options);
    }

    @Override
    protected List<Path> filesAtRest(Path dir) throws IOException {
        return regularFiles(dir);
    }
}
