package dev.veil.store.postgres;

import dev.veil.store.MasterKey;
import dev.veil.store.SecretStore;
import dev.veil.store.SecretStoreContract;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL {@link SecretStore} against the contract, on a real (embedded) PostgreSQL server. */
class PostgresSecretStoreTest extends SecretStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresSecretStoreTest.class);

    private final OpenedStores stores = new OpenedStores(DATABASE);

    @Override
    protected SecretStore open(Path dir, MasterKey key, MutableClock clock) {
        return stores.open(dir, key, clock).secrets();
    }

    @AfterEach
    void closeAll() {
        stores.close();
    }
}
