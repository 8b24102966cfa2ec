package dev.veil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.DictionaryStore;
import dev.veil.store.MasterKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PostgresStores} as a server holds them: every store over one connection pool of {@code maxPoolSize}
 * connections, closed once, and a background probe that reports the database unreachable and reachable again.
 */
class PostgresStoresTest {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresStoresTest.class);
    private static final String NAME = databaseName();

    @TempDir
    Path dir;

    @Test
    void every_store_shares_one_pool_of_max_pool_size_connections() throws Exception {
        PostgresSettings settings = DATABASE.newSchema().withMaxPoolSize(2);
        try (PostgresStores stores = PostgresStores.open(settings, MasterKey.load(dir), Clock.systemUTC())) {
            DictionaryStore dictionary = stores.openDictionary();
            List<Callable<Object>> work = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                work.add(() -> switch (n % 6) {
                    case 0 -> stores.config().sources();
                    case 1 -> stores.deadLetters().count("d");
                    case 2 -> stores.accounts().users();
                    case 3 -> stores.audit().latest(5, "");
                    case 4 -> stores.secrets().list();
                    default -> dictionary.entries();
                });
            }
            Together.run(work);

            // Before, the config, dead letter and admin stores and the dictionary each had a pool (3-8 connections).
            assertThat(connections()).isBetween(1L, 2L);

            dictionary.close();
            assertThat(stores.config().sources()).isEmpty();
            assertThat(stores.accounts().users()).isEmpty();
        }
        // A closed connection's server process ends a moment after the close.
        awaitTrue(() -> connections() == 0, Duration.ofSeconds(10));
    }

    @Test
    void the_probe_reports_the_database_unreachable_and_reachable_again() throws Exception {
        PostgresSettings settings = DATABASE.newSchema();
        try (PostgresStores stores =
                PostgresStores.open(settings, MasterKey.load(dir), Clock.systemUTC(), Duration.ofMillis(200))) {
            assertThat(stores.unavailable()).isEmpty();

            admin("ALTER DATABASE " + NAME + " ALLOW_CONNECTIONS false");
            try {
                admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + NAME + "'");
                awaitTrue(() -> stores.unavailable().isPresent(), Duration.ofSeconds(30));
                assertThat(stores.unavailable().orElseThrow())
                        .startsWith("control store (PostgreSQL) ")
                        .doesNotContain("jdbc:")
                        .doesNotContain("localhost");
            } finally {
                admin("ALTER DATABASE " + NAME + " ALLOW_CONNECTIONS true");
            }

            awaitTrue(() -> stores.unavailable().isEmpty(), Duration.ofSeconds(30));
            assertThat(stores.config().sources()).isEmpty();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration max) throws InterruptedException {
        Instant end = Instant.now().plus(max);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + max);
            }
            Thread.sleep(50);
        }
    }

    private static String databaseName() {
        try (Connection c = DATABASE.connect("public");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code sql} on the server's {@code postgres} database (not the one under test). */
    private static void admin(String sql) throws SQLException {
        try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Connections to this class's database other than this query's own. */
    private static long connections() {
        try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + NAME + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
