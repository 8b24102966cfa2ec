package dev.veil.store.postgres;

import dev.veil.store.DraftStore;
import dev.veil.store.DraftStoreContract;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL {@link DraftStore} against the contract, on a real (embedded) PostgreSQL server. */
class PostgresDraftStoreTest extends DraftStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresDraftStoreTest.class);

    private final OpenedStores stores = new OpenedStores(DATABASE);

    @Override
    protected DraftStore open(Path dir, MasterKey key, MutableClock clock) {
        return stores.open(dir, key, clock).drafts();
    }

    @AfterEach
    void closeAll() {
        stores.close();
    }
}
