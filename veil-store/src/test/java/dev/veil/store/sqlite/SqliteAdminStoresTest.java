package dev.veil.store.sqlite;

import dev.veil.store.AccountStore;
import dev.veil.store.AccountStoreContract;
import dev.veil.store.DraftStore;
import dev.veil.store.DraftStoreContract;
import dev.veil.store.MasterKey;
import dev.veil.store.SecretStore;
import dev.veil.store.SecretStoreContract;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The SQLite admin stores against their contract suites. */
class SqliteAdminStoresTest {

    private static final List<SqliteAdminStores> OPENED = new ArrayList<>();

    static SqliteAdminStores open(Path dir, MasterKey key, MutableClock clock) {
        SqliteAdminStores s = SqliteAdminStores.open(dir, key, clock);
        OPENED.add(s);
        return s;
    }

    @AfterEach
    void closeAll() {
        OPENED.forEach(SqliteAdminStores::close);
        OPENED.clear();
    }

    @Nested
    class Accounts extends AccountStoreContract {
        @Override
        protected AccountStore open(Path dir, MasterKey key, MutableClock clock) {
            return SqliteAdminStoresTest.open(dir, key, clock).accounts();
        }
    }

    @Nested
    class Drafts extends DraftStoreContract {
        @Override
        protected DraftStore open(Path dir, MasterKey key, MutableClock clock) {
            return SqliteAdminStoresTest.open(dir, key, clock).drafts();
        }
    }

    @Nested
    class Secrets extends SecretStoreContract {
        @Override
        protected SecretStore open(Path dir, MasterKey key, MutableClock clock) {
            return SqliteAdminStoresTest.open(dir, key, clock).secrets();
        }
    }
}
