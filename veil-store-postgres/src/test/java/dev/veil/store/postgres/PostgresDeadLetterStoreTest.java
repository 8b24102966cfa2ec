package dev.veil.store.postgres;

import dev.veil.store.DeadLetterStore;
import dev.veil.store.DeadLetterStoreContract;
import dev.veil.store.MasterKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL {@link DeadLetterStore} against the contract, on a real (embedded) PostgreSQL server; the files at
 * rest scanned for plaintext are the server's own: this database's heap files, the shared catalogs and the WAL.
 */
class PostgresDeadLetterStoreTest extends DeadLetterStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresDeadLetterStoreTest.class);

    private final Map<Path, PostgresSettings> schemas = new HashMap<>();

    @Override
    protected DeadLetterStore open(Path dir, MasterKey key) {
        return PostgresDeadLetterStore.open(schemas.computeIfAbsent(dir, d -> DATABASE.newSchema()), key);
    }

    @Override
    protected void close(DeadLetterStore store) {
        ((PostgresDeadLetterStore) store).close();
    }

    @Override
    protected List<Path> filesAtRest(Path dir) throws IOException {
        return DATABASE.filesAtRest();
    }
}
