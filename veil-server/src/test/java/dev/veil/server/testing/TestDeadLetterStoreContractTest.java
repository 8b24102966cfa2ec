package dev.veil.server.testing;

import dev.veil.store.DeadLetterStore;
import dev.veil.store.DeadLetterStoreContract;
import dev.veil.store.MasterKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The server tests' dead-letter store behaves as every dead-letter store must (purge, replay marks, encryption). */
class TestDeadLetterStoreContractTest extends DeadLetterStoreContract {

    @Override
    protected DeadLetterStore open(Path dir, MasterKey key) {
        return TestDeadLetterStore.open(dir, key);
    }

    @Override
    protected void close(DeadLetterStore store) {
        ((TestDeadLetterStore) store).close();
    }

    @Override
    protected List<Path> filesAtRest(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
