package dev.veil.store.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.crypto.AesGcm;
import dev.veil.store.ConfigStore;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.jdbc.Jdbc;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL {@link ConfigStore}: tables {@code sources}, {@code policy_versions}, {@code masking_secrets} and
 * {@code meta} of the schema (migrations {@code db/postgres}, shared with the admin stores). Write keys are kept
 * as SHA-256 hashes and masking secrets sealed with AES-256-GCM (purpose {@code masking-secrets}, AAD the version),
 * exactly as the SQLite backend keeps them.
 *
 * <p>Several servers may share the schema: numbering ("max + 1" for policy versions and masking-secret versions,
 * and the first masking secret) runs under a {@code SHARE ROW EXCLUSIVE} table lock, which serializes numberers but
 * not readers; generating a write key locks the source's row, so two servers cannot both hand out a key for it.
 * Thread-safe.
 */
public final class PostgresConfigStore implements ConfigStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConfigStore.class);
    private static final String PURPOSE = "masking-secrets";
    private static final int KEY_BYTES = 32;
    private static final byte[] KEY_CHECK = "veil config store key check".getBytes(UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PostgresDb db;
    private final String schema;
    private final AesGcm gcm;
    private final Clock clock;

    private PostgresConfigStore(PostgresDb db, String schema, AesGcm gcm, Clock clock) {
        this.db = db;
        this.schema = schema;
        this.gcm = gcm;
        this.clock = clock;
    }

    /**
     * Connects, migrates the schema if needed and checks the master key.
     *
     * @throws StoreException if the database cannot be reached or the schema was written under another master key
     */
    public static PostgresConfigStore open(PostgresSettings settings, MasterKey key, Clock clock) {
        return on(PostgresDb.open("config store", settings, "db/postgres"), settings, key, clock);
    }

    /** The store over {@code db} (migrated); closing the store closes {@code db}. */
    static PostgresConfigStore on(PostgresDb db, PostgresSettings settings, MasterKey key, Clock clock) {
        byte[] master = key.bytes();
        PostgresConfigStore store;
        try {
            store = new PostgresConfigStore(db, settings.schema(), AesGcm.forPurpose(master, PURPOSE), clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
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
        db.write("open", c -> {
            Jdbc.update(
                    c,
                    "INSERT INTO meta(name, value) VALUES ('key_check', ?) ON CONFLICT (name) DO NOTHING",
                    gcm.seal(KEY_CHECK, KEY_CHECK));
            byte[] sealed = Jdbc.queryOne(c, "SELECT value FROM meta WHERE name = 'key_check'", rs -> rs.getBytes(1))
                    .orElseThrow();
            try {
                gcm.open(sealed, KEY_CHECK);
            } catch (AesGcm.OpenFailedException e) {
                throw new StoreException("open config store (schema " + schema + "): the master key does not match"
                        + " the key the store was written with (key check failed); restore the original "
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
        return db.write("save source " + id, c -> {
            long now = clock.millis();
            Jdbc.update(
                    c,
                    "INSERT INTO sources(id, name, allowed_origins, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, allowed_origins ="
                            + " excluded.allowed_origins, updated_at = excluded.updated_at",
                    id,
                    name,
                    origins,
                    now,
                    now);
            return findSource(c, "id = ?", id, false).orElseThrow();
        });
    }

    @Override
    public Optional<Source> source(String id) {
        return db.read("get source " + id, c -> findSource(c, "id = ?", id, false));
    }

    @Override
    public List<Source> sources() {
        return db.read(
                "list sources",
                c -> Jdbc.query(c, "SELECT * FROM sources ORDER BY id COLLATE \"C\"", PostgresConfigStore::source));
    }

    @Override
    public boolean deleteSource(String id) {
        return db.write("delete source " + id, c -> Jdbc.update(c, "DELETE FROM sources WHERE id = ?", id) > 0);
    }

    @Override
    public Optional<Source> findSourceByWriteKey(String writeKey) {
        if (writeKey.isEmpty()) {
            return Optional.empty();
        }
        String hash = sha256(writeKey);
        return db.read("find source by write key", c -> findSource(c, "write_key_hash = ?", hash, false));
    }

    @Override
    public Optional<String> ensureGeneratedWriteKey(String sourceId) {
        return db.write("ensure write key of source " + sourceId, c -> {
            Source s =
                    findSource(c, "id = ?", sourceId, true).orElseThrow(() -> noSource("ensure write key", sourceId));
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
        return db.write("rotate write key of source " + sourceId, c -> {
            findSource(c, "id = ?", sourceId, true).orElseThrow(() -> noSource("rotate write key", sourceId));
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
        db.write("set write key of source " + sourceId, c -> {
            findSource(c, "id = ?", sourceId, true).orElseThrow(() -> noSource("set write key", sourceId));
            updateWriteKeyHash(c, sourceId, sha256(writeKey));
            return null;
        });
    }

    private void updateWriteKeyHash(Connection c, String sourceId, String hash) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE sources SET write_key_hash = ?, updated_at = ? WHERE id = ?",
                hash,
                clock.millis(),
                sourceId);
    }

    private static String newWriteKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static StoreException noSource(String operation, String sourceId) {
        return new StoreException("config store " + operation + ": source '" + sourceId + "' does not exist");
    }

    private static Optional<Source> findSource(Connection c, String where, String arg, boolean lock)
            throws SQLException {
        return Jdbc.queryOne(
                c,
                "SELECT * FROM sources WHERE " + where + (lock ? " FOR UPDATE" : ""),
                PostgresConfigStore::source,
                arg);
    }

    private static Source source(ResultSet rs) throws SQLException {
        return new Source(
                rs.getString("id"),
                rs.getString("name"),
                fromJson(rs.getString("allowed_origins")),
                rs.getString("write_key_hash") != null,
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    // ---- policies

    @Override
    public PolicyVersion savePolicy(String yaml, String author, String comment) {
        return db.write("save policy", c -> {
            lock(c, "policy_versions");
            int version = Jdbc.queryOne(
                            c, "SELECT coalesce(max(version), 0) + 1 FROM policy_versions", rs -> rs.getInt(1))
                    .orElseThrow();
            long now = clock.millis();
            Jdbc.update(
                    c,
                    "INSERT INTO policy_versions(version, yaml, author, created_at, comment) VALUES (?, ?, ?, ?, ?)",
                    version,
                    yaml,
                    author,
                    now,
                    comment);
            LOG.info("saved policy version {} by {} ({} bytes)", version, author, yaml.length());
            return new PolicyVersion(version, yaml, author, Instant.ofEpochMilli(now), comment);
        });
    }

    @Override
    public Optional<PolicyVersion> latestPolicy() {
        return db.read(
                "latest policy",
                c -> Jdbc.queryOne(
                        c, "SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1", PostgresConfigStore::policy));
    }

    @Override
    public Optional<PolicyVersion> policy(int version) {
        return db.read(
                "policy version " + version,
                c -> Jdbc.queryOne(
                        c, "SELECT * FROM policy_versions WHERE version = ?", PostgresConfigStore::policy, version));
    }

    @Override
    public List<PolicyVersion> policyHistory() {
        return db.read(
                "policy history",
                c -> Jdbc.query(c, "SELECT * FROM policy_versions ORDER BY version DESC", PostgresConfigStore::policy));
    }

    private static PolicyVersion policy(ResultSet rs) throws SQLException {
        return new PolicyVersion(
                rs.getInt("version"),
                rs.getString("yaml"),
                rs.getString("author"),
                Jdbc.instant(rs, "created_at"),
                rs.getString("comment"));
    }

    // ---- masking secrets

    @Override
    public List<MaskingSecret> maskingSecrets() {
        List<MaskingSecret> all = db.read("masking secrets", this::loadSecrets);
        if (!all.isEmpty()) {
            return all;
        }
        return db.write("masking secrets", c -> {
            lock(c, "masking_secrets");
            List<MaskingSecret> again = loadSecrets(c); // another server may have generated it meanwhile
            if (!again.isEmpty()) {
                return again;
            }
            LOG.info("generated masking secret version 1");
            return List.of(insertSecret(c, 1));
        });
    }

    @Override
    public MaskingSecret rotateMaskingSecret() {
        return db.write("rotate masking secret", c -> {
            lock(c, "masking_secrets");
            int next = Jdbc.queryOne(c, "SELECT coalesce(max(version), 0) + 1 FROM masking_secrets", rs -> rs.getInt(1))
                    .orElseThrow();
            MaskingSecret secret = insertSecret(c, next);
            LOG.info("rotated masking secret to version {}", next);
            return secret;
        });
    }

    /** Serializes numberers of {@code table} until the transaction ends; readers are not blocked. */
    private static void lock(Connection c, String table) throws SQLException {
        Jdbc.update(c, "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
    }

    private static byte[] secretAad(int version) {
        return ("veil masking secret v" + version).getBytes(UTF_8);
    }

    private MaskingSecret insertSecret(Connection c, int version) throws SQLException {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        long now = clock.millis();
        Jdbc.update(
                c,
                "INSERT INTO masking_secrets(version, secret, activated_at) VALUES (?, ?, ?)",
                version,
                gcm.seal(secret, secretAad(version)),
                now);
        try {
            return new MaskingSecret(version, secret, Instant.ofEpochMilli(now));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private List<MaskingSecret> loadSecrets(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT * FROM masking_secrets ORDER BY version", rs -> {
            int version = rs.getInt("version");
            byte[] secret;
            try {
                secret = gcm.open(rs.getBytes("secret"), secretAad(version));
            } catch (AesGcm.OpenFailedException e) {
                throw new StoreException(
                        "config store masking secret version " + version + " cannot be decrypted: " + e.getMessage());
            }
            try {
                return new MaskingSecret(version, secret, Jdbc.instant(rs, "activated_at"));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        });
    }

    // ---- plumbing

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

    /** Closes the connection pool (unless it is shared: {@link PostgresStores} closes that). */
    @Override
    public void close() {
        db.close();
    }
}
