package dev.veil.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.crypto.AesGcm;
import dev.veil.store.ConfigStore;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
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
 * The {@link ConfigStore} of the SQL backends: tables {@code sources}, {@code policy_versions},
 * {@code masking_secrets} and {@code meta}. Write keys are kept as SHA-256 hashes and masking secrets sealed with
 * AES-256-GCM (purpose {@code masking-secrets}, AAD the version); a key check sealed in {@code meta} when the store
 * is first written refuses another master key later.
 *
 * <p>Several writers may share the database (a CLI process next to the server on SQLite, several servers on
 * PostgreSQL): numbering ("max + 1" for policy versions and masking-secret versions, and the first masking secret)
 * runs under {@link SqlDialect#lockForNumbering}, and generating a write key locks the source's row
 * ({@link SqlDialect#forUpdate()}), so two writers cannot both hand out a key for it. Each backend subclasses this
 * class only to open its database. Thread-safe.
 */
public class JdbcConfigStore implements ConfigStore {

    /** The purpose under which masking secrets are sealed ({@link AesGcm#forPurpose}). */
    protected static final String PURPOSE = "masking-secrets";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcConfigStore.class);
    private static final int KEY_BYTES = 32;
    private static final byte[] KEY_CHECK = "veil config store key check".getBytes(UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SqlConnections db;
    private final SqlDialect dialect;
    private final String location;
    private final AesGcm gcm;
    private final Clock clock;

    /**
     * A store over {@code db} (migrated), not yet checked against the master key: open it through
     * {@link #checked}.
     *
     * @param location where the store is, for messages (a file, a schema)
     */
    protected JdbcConfigStore(SqlConnections db, SqlDialect dialect, String location, AesGcm gcm, Clock clock) {
        this.db = db;
        this.dialect = dialect;
        this.location = location;
        this.gcm = gcm;
        this.clock = clock;
    }

    /**
     * {@code store} once its master key is checked (the first opening seals the check); closes it and throws if
     * the key does not match.
     *
     * @throws StoreException if the store was written under another master key
     */
    protected static <S extends JdbcConfigStore> S checked(S store) {
        try {
            ((JdbcConfigStore) store).checkKey();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The connections the store runs on. */
    protected final SqlConnections connections() {
        return db;
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
                throw new StoreException("open config store " + location + ": the master key does not match"
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
                c -> Jdbc.query(
                        c, "SELECT * FROM sources ORDER BY " + dialect.binaryOrder("id"), JdbcConfigStore::source));
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

    private Optional<Source> findSource(Connection c, String where, String arg, boolean lock) throws SQLException {
        return Jdbc.queryOne(
                c,
                "SELECT * FROM sources WHERE " + where + (lock ? dialect.forUpdate() : ""),
                JdbcConfigStore::source,
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
            dialect.lockForNumbering(c, "policy_versions");
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
                        c, "SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1", JdbcConfigStore::policy));
    }

    @Override
    public Optional<PolicyVersion> policy(int version) {
        return db.read(
                "policy version " + version,
                c -> Jdbc.queryOne(
                        c, "SELECT * FROM policy_versions WHERE version = ?", JdbcConfigStore::policy, version));
    }

    @Override
    public List<PolicyVersion> policyHistory() {
        return db.read(
                "policy history",
                c -> Jdbc.query(c, "SELECT * FROM policy_versions ORDER BY version DESC", JdbcConfigStore::policy));
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
            dialect.lockForNumbering(c, "masking_secrets");
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
            dialect.lockForNumbering(c, "masking_secrets");
            int next = Jdbc.queryOne(c, "SELECT coalesce(max(version), 0) + 1 FROM masking_secrets", rs -> rs.getInt(1))
                    .orElseThrow();
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

    /** Closes the connections (a view over shared ones leaves them open). */
    @Override
    public void close() {
        db.close();
    }
}
