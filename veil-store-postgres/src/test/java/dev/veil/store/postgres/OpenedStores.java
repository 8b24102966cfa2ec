package dev.veil.store.postgres;

import dev.veil.store.MasterKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract suites name a store by a directory ({@code open(dir, key, clock)}: the same directory reopens the
 * same store); here each directory maps to a fresh schema of the test class's database, and every opened pool is
 * closed after the test.
 */
final class OpenedStores implements AutoCloseable {

    private final TestPostgres.Database database;
    private final Map<Path, PostgresSettings> schemas = new HashMap<>();
    private final List<PostgresAdminStores> opened = new ArrayList<>();

    OpenedStores(TestPostgres.Database database) {
        this.database = database;
    }

    PostgresAdminStores open(Path dir, MasterKey key, Clock clock) {
        PostgresAdminStores s =
                PostgresAdminStores.open(schemas.computeIfAbsent(dir, d -> database.newSchema()), key, clock);
        opened.add(s);
        return s;
    }

    /** The schema {@code dir} maps to (after a first {@link #open}). */
    String schema(Path dir) {
        return schemas.get(dir).schema();
    }

    @Override
    public void close() {
        opened.forEach(PostgresAdminStores::close);
        opened.clear();
    }
}
