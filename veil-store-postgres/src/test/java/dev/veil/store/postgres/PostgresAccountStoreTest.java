package dev.veil.store.postgres;

import dev.veil.store.AccountStore;
import dev.veil.store.AccountStoreContract;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL {@link AccountStore} against the contract, on a real (embedded) PostgreSQL server. */
class PostgresAccountStoreTest extends AccountStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresAccountStoreTest.class);

    private final OpenedStores stores = new OpenedStores(DATABASE);

    @Override
    protected AccountStore open(Path dir, MasterKey key, MutableClock clock) {
        return stores.open(dir, key, clock).accounts();
    }

    @AfterEach
    void closeAll() {
        stores.close();
    }
}
