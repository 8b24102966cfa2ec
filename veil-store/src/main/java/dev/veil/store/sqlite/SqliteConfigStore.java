package dev.veil.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.crypto.AesGcm;
import dev.veil.store.ConfigStore;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link ConfigStore}: {@code config.db} in the data directory, schema by Flyway migrations
 * ({@code db/config}), WAL, {@code synchronous=FULL}. Config changes are rare, so one connection behind a lock
 * serves all callers; write transactions start {@code IMMEDIATE}, so "max + 1" numbering is safe even with a
 * CLI process writing to the same file. Thread-safe.
 */
public final class SqliteConfigStore implements ConfigStore {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "config.db";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteConfigStore.class);
    private static final String PURPOSE = "masking-secrets";
    private static final int KEY_BYTES = 32;
    private static final byte[] KEY_CHECK = "veil config store key check".getBytes(UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final AesGcm gcm;
    private final Clock clock;
    private final Connection connection;

    private SqliteConfigStore(Path file, AesGcm gcm, Clock clock, Connection connection) {
        this.file = file;
        this.gcm = gcm;
        this.clock = clock;
        this.connection = connection;
    }

    /** Opens (creating and migrating if needed) {@code dataDir/config.db}. */
    public static SqliteConfigStore open(Path dataDir, MasterKey key) {
        return open(dataDir, key, Clock.systemUTC());
    }

    /**
     * As {@link #open(Path, MasterKey)} with an explicit clock.
     *
     * @throws StoreException if the file cannot be opened or was written under another master key
     */
    public static SqliteConfigStore open(Path dataDir, MasterKey key, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "config");
        byte[] master = key.bytes();
        SqliteConfigStore store;
        try {
            store = new SqliteConfigStore(
                    file, AesGcm.forPurpose(master, PURPOSE), clock, SqliteFiles.open(file, false, true));
        } finally {
            Arrays.fill(master, (byte) 0);
        }
        try {
            store.checkKey();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void checkKey() {
        inTransaction("open config store", c -> {
            byte[] sealed = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE name = 'key_check'");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    sealed = rs.getBytes(1);
                }
            }
            if (sealed == null) {
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO meta(name, value) VALUES ('key_check', ?)")) {
                    ps.setBytes(1, gcm.seal(KEY_CHECK, KEY_CHECK));
                    ps.executeUpdate();
                }
                return null;
            }
            try {
                gcm.open(sealed, KEY_CHECK);
            } catch (AesGcm.OpenFailedException e) {
                throw new StoreException("open config store " + file + ": the master key does not match the key"
                        + " the store was written with (key check failed); restore the original "
                        + MasterKey.FILE_NAME + " or " + MasterKey.ENV_VAR);
            }
            return null;
        });
    }

    // ---- sources

    @Override
    public Source saveSource(String id, String name, List<String> allowedOrigins) {
        if (id.isBlank()) {
            throw new IllegalArgumentException("config store save source: id must not be blank");
        }
        String origins = toJson(List.copyOf(allowedOrigins));
        return inTransaction("save source " + id, c -> {
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sources(id, name, allowed_origins, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    + " allowed_origins = excluded.allowed_origins, updated_at = excluded.updated_at")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, origins);
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            return findSource(c, "id = ?", id).orElseThrow();
        });
    }

    @Override
    public Optional<Source> source(String id) {
        return read("get source " + id, c -> findSource(c, "id = ?", id));
    }

    @Override
    public List<Source> sources() {
        return read("list sources", c -> {
            List<Source> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sources ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(source(rs));
                }
            }
            return out;
        });
    }

    @Override
    public boolean deleteSource(String id) {
        return inTransaction("delete source " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sources WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<Source> findSourceByWriteKey(String writeKey) {
        if (writeKey.isEmpty()) {
            return Optional.empty();
        }
        String hash = sha256(writeKey);
        return read("find source by write key", c -> findSource(c, "write_key_hash = ?", hash));
    }

    @Override
    public Optional<String> ensureGeneratedWriteKey(String sourceId) {
        return inTransaction("ensure write key of source " + sourceId, c -> {
            Source s = findSource(c, "id = ?", sourceId).orElseThrow(() -> noSource("ensure write key", sourceId));
            if (s.hasWriteKey()) {
                return Optional.<String>empty();
            }
            String key = newWriteKey();
            updateWriteKeyHash(c, sourceId, sha256(key));
            LOG.info("generated write key for source {}", sourceId);
            return Optional.of(key);
        });
    }

    @Override
    public String rotateWriteKey(String sourceId) {
        return inTransaction("rotate write key of source " + sourceId, c -> {
            findSource(c, "id = ?", sourceId).orElseThrow(() -> noSource("rotate write key", sourceId));
            String key = newWriteKey();
            updateWriteKeyHash(c, sourceId, sha256(key));
            LOG.info("rotated write key for source {}", sourceId);
            return key;
        });
    }

    @Override
    public void setWriteKey(String sourceId, String writeKey) {
        if (writeKey.length() < 16) {
            throw new IllegalArgumentException("config store set write key of source " + sourceId + ": key is "
                    + writeKey.length() + " characters; at least 16 are required");
        }
        inTransaction("set write key of source " + sourceId, c -> {
            findSource(c, "id = ?", sourceId).orElseThrow(() -> noSource("set write key", sourceId));
            updateWriteKeyHash(c, sourceId, sha256(writeKey));
            return null;
        });
    }

    private void updateWriteKeyHash(Connection c, String sourceId, String hash) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE sources SET write_key_hash = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setLong(2, clock.millis());
            ps.setString(3, sourceId);
            ps.executeUpdate();
        }
    }

    private static String newWriteKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static StoreException noSource(String operation, String sourceId) {
        return new StoreException("config store " + operation + ": source '" + sourceId + "' does not exist");
    }

    private Optional<Source> findSource(Connection c, String where, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sources WHERE " + where)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(source(rs)) : Optional.empty();
            }
        }
    }

    private static Source source(ResultSet rs) throws SQLException {
        rs.getString("write_key_hash");
        boolean hasKey = !rs.wasNull();
        return new Source(
                rs.getString("id"),
                rs.getString("name"),
                fromJson(rs.getString("allowed_origins")),
                hasKey,
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    // ---- policies

    @Override
    public PolicyVersion savePolicy(String yaml, String author, String comment) {
        return inTransaction("save policy", c -> {
            int version;
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM policy_versions");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policy_versions(version, yaml, author, created_at, comment) VALUES (?, ?, ?, ?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, yaml);
                ps.setString(3, author);
                ps.setLong(4, now);
                ps.setString(5, comment);
                ps.executeUpdate();
            }
            LOG.info("saved policy version {} by {} ({} bytes)", version, author, yaml.length());
            return new PolicyVersion(version, yaml, author, Instant.ofEpochMilli(now), comment);
        });
    }

    @Override
    public Optional<PolicyVersion> latestPolicy() {
        return read(
                "latest policy",
                c -> policies(c, "ORDER BY version DESC LIMIT 1", null).stream().findFirst());
    }

    @Override
    public Optional<PolicyVersion> policy(int version) {
        return read(
                "policy version " + version,
                c -> policies(c, "WHERE version = ?", version).stream().findFirst());
    }

    @Override
    public List<PolicyVersion> policyHistory() {
        return read("policy history", c -> policies(c, "ORDER BY version DESC", null));
    }

    private static List<PolicyVersion> policies(Connection c, String tail, @Nullable Integer arg) throws SQLException {
        List<PolicyVersion> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM policy_versions " + tail)) {
            if (arg != null) {
                ps.setInt(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PolicyVersion(
                            rs.getInt("version"),
                            rs.getString("yaml"),
                            rs.getString("author"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            rs.getString("comment")));
                }
            }
        }
        return out;
    }

    // ---- masking secrets

    @Override
    public List<MaskingSecret> maskingSecrets() {
        return inTransaction("masking secrets", c -> {
            List<MaskingSecret> all = loadSecrets(c);
            if (all.isEmpty()) {
                all = List.of(insertSecret(c, 1));
                LOG.info("generated masking secret version 1");
            }
            return all;
        });
    }

    @Override
    public MaskingSecret rotateMaskingSecret() {
        return inTransaction("rotate masking secret", c -> {
            int next;
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM masking_secrets");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                next = rs.getInt(1);
            }
            MaskingSecret secret = insertSecret(c, next);
            LOG.info("rotated masking secret to version {}", next);
            return secret;
        });
    }

    private static byte[] secretAad(int version) {
        return ("veil masking secret v" + version).getBytes(UTF_8);
    }

    private MaskingSecret insertSecret(Connection c, int version) throws SQLException {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        long now = clock.millis();
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO masking_secrets(version, secret, activated_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setBytes(2, gcm.seal(secret, secretAad(version)));
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        try {
            return new MaskingSecret(version, secret, Instant.ofEpochMilli(now));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private List<MaskingSecret> loadSecrets(Connection c) throws SQLException {
        List<MaskingSecret> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM masking_secrets ORDER BY version");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int version = rs.getInt("version");
                byte[] secret;
                try {
                    secret = gcm.open(rs.getBytes("secret"), secretAad(version));
                } catch (AesGcm.OpenFailedException e) {
                    throw new StoreException("config store masking secret version " + version + " cannot be decrypted: "
                            + e.getMessage());
                }
                out.add(new MaskingSecret(version, secret, Instant.ofEpochMilli(rs.getLong("activated_at"))));
                Arrays.fill(secret, (byte) 0);
            }
        }
        return out;
    }

    // ---- plumbing

    @FunctionalInterface
    private interface SqlWork<R> {
        R apply(Connection c) throws SQLException;
    }

    private <R> R read(String operation, SqlWork<R> work) {
        synchronized (connection) {
            try {
                return work.apply(connection);
            } catch (SQLException e) {
                throw new StoreException("config store " + operation + ": " + e.getMessage(), e);
            }
        }
    }

    private <R> R inTransaction(String operation, SqlWork<R> work) {
        synchronized (connection) {
            try {
                connection.setAutoCommit(false);
                R result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // report the original failure
                }
                if (e instanceof StoreException se) {
                    throw se;
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StoreException("config store " + operation + ": " + e.getMessage(), e);
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.warn(
                            "config store: cannot restore autocommit: {}",
                            e.getClass().getSimpleName());
                }
            }
        }
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String toJson(List<String> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config store: cannot encode allowed origins", e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("config store: column sources.allowed_origins is not a JSON string array");
        }
    }

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }

    /** The durability settings of the store's connection (tests). */
    SqliteFiles.Durability durability() {
        synchronized (connection) {
            try {
                return SqliteFiles.durability(connection);
            } catch (SQLException e) {
                throw new StoreException("config store durability: " + e.getMessage(), e);
            }
        }
    }
}
