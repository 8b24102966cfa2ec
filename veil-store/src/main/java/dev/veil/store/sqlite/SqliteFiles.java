package dev.veil.store.sqlite;

import dev.veil.store.StoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opening SQLite files the way every Veil store wants them: private, WAL, fully synchronous, migrated. */
final class SqliteFiles {

    private static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteFiles() {}

    /**
     * Creates the data directory (0700) and an empty database file (0600) if absent. SQLite gives its -wal and
     * -shm files the database file's permissions, so they stay private too.
     */
    static void createPrivate(Path db) {
        try {
            Path dir = db.toAbsolutePath().getParent();
            boolean posix =
                    Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView(PosixFileAttributeView.class);
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            if (!Files.exists(db)) {
                try {
                    if (posix) {
                        Files.createFile(
                                db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(db);
                    }
                } catch (FileAlreadyExistsException e) {
                    // created concurrently: fine
                }
            }
        } catch (IOException e) {
            throw new StoreException(
                    "create database file " + db + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Fixes the page size of a database file that is still empty (just made by {@link #createPrivate}): SQLite
     * records the page size in the file header when it writes the first page (here, when WAL mode is set), and
     * it cannot change afterwards in WAL mode. A file that already has content keeps the page size it was made
     * with, so files made by an older version open unchanged.
     *
     * @return whether the file was empty and now has {@code pageSize}
     */
    static boolean initPageSize(Path db, int pageSize) {
        try {
            if (Files.size(db) != 0) {
                return false;
            }
        } catch (IOException e) {
            throw new StoreException(
                    "read size of database file " + db + ": " + e.getClass().getSimpleName(), e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("PRAGMA journal_mode=WAL");
            return true;
        } catch (SQLException e) {
            throw new StoreException("set page size of database " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * The page cache a connection may fill, in KiB ({@code PRAGMA cache_size}: negative = KiB, positive = pages).
     * It is native memory (SQLite's {@code malloc}), outside the Java heap.
     */
    static long cacheKib(Connection c) throws SQLException {
        long size;
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("PRAGMA cache_size")) {
            rs.next();
            size = rs.getLong(1);
        }
        return size < 0 ? -size : size * pageSize(c) / 1024;
    }

    /** The page size of an open database, in bytes. */
    static int pageSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("PRAGMA page_size")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Takes group and other permissions away from an existing file (on POSIX file systems). */
    static void makePrivate(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                var perms = Files.getPosixFilePermissions(file);
                var owner = java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
                for (var p : perms) {
                    if (p.name().startsWith("OWNER_")) {
                        owner.add(p);
                    }
                }
                if (!owner.equals(perms)) {
                    Files.setPosixFilePermissions(file, owner);
                }
            }
        } catch (IOException e) {
            throw new StoreException(
                    "make " + file + " private: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.getRoot() : p;
    }

    /** A connection in WAL mode with {@code synchronous=FULL}: a committed transaction survives power loss. */
    static Connection open(Path db, boolean readOnly) {
        return open(db, readOnly, false);
    }

    /**
     * As {@link #open(Path, boolean)}; with {@code immediate}, transactions take the write lock at BEGIN so a
     * read-then-write transaction cannot fail half-way with SQLITE_BUSY when another process writes too. Not
     * for a connection that stays in manual-commit mode while idle (the driver begins the next transaction
     * right after each commit, so it would hold the write lock all the time).
     */
    static Connection open(Path db, boolean readOnly, boolean immediate) {
        try {
            SQLiteConfig config = new SQLiteConfig();
            if (immediate) {
                config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                if (readOnly) {
                    s.execute("PRAGMA query_only=1");
                }
            }
            return c;
        } catch (SQLException e) {
            throw new StoreException("open database " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * The durability settings in force on a connection, read back from SQLite (tests assert them: a regression
     * to {@code synchronous=NORMAL} would pass every kill -9 test yet lose commits on power loss).
     *
     * @param journalMode {@code wal} expected
     * @param synchronous 2 = FULL expected (0 OFF, 1 NORMAL, 3 EXTRA)
     */
    record Durability(String journalMode, int synchronous) {}

    static Durability durability(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String mode;
            try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                mode = rs.getString(1);
            }
            try (var rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                return new Durability(mode, rs.getInt(1));
            }
        }
    }

    /**
     * The newest migration version under {@code db/<name>} (SqliteFilesTest checks this against the resources):
     * a database already at it is not handed to Flyway at all, which saved about a quarter of {@code serve}'s
     * start-up work on the main thread (Flyway's set-up and class-path scan, five times; docs/performance.md).
     */
    static final Map<String, Integer> LATEST_VERSION =
            Map.of("config", 2, "deadletters", 2, "dictionary", 1, "events", 1);

    /**
     * Whether {@code db} has every migration of {@code name} applied successfully (and none newer or failed).
     * Flyway's check of the applied migrations' checksums is skipped for such a database.
     */
    static boolean upToDate(Path db, String name) {
        Integer latest = LATEST_VERSION.get(name);
        if (latest == null || !Files.exists(db)) {
            return false;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement()) {
            try (var rs = s.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return false;
                }
            }
            try (var rs = s.executeQuery("SELECT max(CAST(version AS INTEGER)), sum(success = 0), count(*)"
                    + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
                return rs.next() && rs.getInt(3) == latest && rs.getInt(1) == latest && rs.getInt(2) == 0;
            }
        } catch (SQLException e) {
            return false; // Flyway decides, and reports the problem
        }
    }

    /** Applies the Flyway migrations under {@code classpath:db/<name>} (nothing to do when up to date). */
    static void migrate(Path db, String name) {
        if (upToDate(db, name)) {
            return;
        }
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db.toAbsolutePath());
        try {
            Flyway.configure(SqliteFiles.class.getClassLoader())
                    .dataSource(ds)
                    .locations("classpath:db/" + name)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("migrate database " + db + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing on shutdown or after a failure; nothing more to do
        }
    }
}
