package dev.veil.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.crypto.AesGcm;
import dev.veil.store.AccountStore;
import dev.veil.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AccountStore} of the SQL backends: tables {@code admin_users}, {@code admin_setup_tokens},
 * {@code admin_sessions} and {@code api_tokens}. TOTP secrets are sealed with AES-256-GCM under a
 * master-key-derived key, the AAD binding each to its user (or setup token). Changes that must not race are single
 * conditional statements (a new user, a TOTP step, a failed-login count, a token use) or lock the user's row first
 * (a recovery code, {@link SqlDialect#forUpdate()}), so writers sharing the database cannot both accept one code.
 * Thread-safe.
 */
public final class JdbcAccountStore implements AccountStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlConnections db;
    private final SqlDialect dialect;
    private final AesGcm gcm;
    private final Clock clock;

    public JdbcAccountStore(SqlConnections db, SqlDialect dialect, AesGcm gcm, Clock clock) {
        this.db = db;
        this.dialect = dialect;
        this.gcm = gcm;
        this.clock = clock;
    }

    // ---- users

    @Override
    public User createUser(String username, String displayName, String role) {
        return db.write("create user " + username, c -> {
            long now = clock.millis();
            int inserted = Jdbc.update(
                    c,
                    "INSERT INTO admin_users(username, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (username) DO NOTHING",
                    username,
                    displayName,
                    role,
                    now,
                    now);
            if (inserted == 0) {
                throw new StoreException("account store: user '" + username + "' already exists");
            }
            return findUser(c, username).orElseThrow();
        });
    }

    @Override
    public Optional<User> user(String username) {
        return db.read("get user " + username, c -> findUser(c, username));
    }

    @Override
    public List<User> users() {
        return db.read(
                "list users",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM admin_users ORDER BY " + dialect.binaryOrder("username"),
                        JdbcAccountStore::user));
    }

    @Override
    public User updateUser(String username, String displayName, String role, boolean disabled) {
        return db.write("update user " + username, c -> {
            int n = Jdbc.update(
                    c,
                    "UPDATE admin_users SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE username = ?",
                    displayName,
                    role,
                    disabled,
                    clock.millis(),
                    username);
            if (n == 0) {
                throw noUser("update user", username);
            }
            return findUser(c, username).orElseThrow();
        });
    }

    @Override
    public boolean deleteUser(String username) {
        return db.write("delete user " + username, c -> {
            Jdbc.update(c, "DELETE FROM admin_sessions WHERE username = ?", username);
            Jdbc.update(c, "DELETE FROM admin_setup_tokens WHERE username = ?", username);
            return Jdbc.update(c, "DELETE FROM admin_users WHERE username = ?", username) > 0;
        });
    }

    @Override
    public void setPasswordHash(String username, String passwordHash) {
        updateOrFail(
                "set password",
                username,
                "UPDATE admin_users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ?"
                        + " WHERE username = ?",
                passwordHash,
                clock.millis(),
                username);
    }

    @Override
    public Optional<String> passwordHash(String username) {
        return db.read(
                "get password hash",
                c -> Jdbc.queryOne(
                                c,
                                "SELECT password_hash FROM admin_users WHERE username = ?",
                                rs -> Optional.ofNullable(rs.getString(1)),
                                username)
                        .flatMap(o -> o));
    }

    @Override
    public void setTotpSecret(String username, byte @Nullable [] secret) {
        byte[] sealed = secret == null ? null : gcm.seal(secret, aad("user", username));
        updateOrFail(
                "set totp secret",
                username,
                "UPDATE admin_users SET totp_secret = ?, totp_last_step = 0, updated_at = ? WHERE username = ?",
                sealed,
                clock.millis(),
                username);
    }

    @Override
    public Optional<byte[]> totpSecret(String username) {
        Optional<byte[]> sealed = db.read(
                "get totp secret",
                c -> Jdbc.queryOne(
                                c,
                                "SELECT totp_secret FROM admin_users WHERE username = ?",
                                rs -> Optional.ofNullable(rs.getBytes(1)),
                                username)
                        .flatMap(o -> o));
        return sealed.map(s -> open(s, aad("user", username), "totp secret of " + username));
    }

    @Override
    public boolean useTotpStep(String username, long step) {
        return db.write(
                "use totp step",
                c -> Jdbc.update(
                                c,
                                "UPDATE admin_users SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?",
                                step,
                                username,
                                step)
                        > 0);
    }

    @Override
    public void setRecoveryCodeHashes(String username, List<String> hashes) {
        updateOrFail(
                "set recovery codes",
                username,
                "UPDATE admin_users SET recovery_codes = ?, updated_at = ? WHERE username = ?",
                toJson(hashes),
                clock.millis(),
                username);
    }

    @Override
    public boolean useRecoveryCode(String username, String hash) {
        return db.write("use recovery code", c -> {
            List<String> codes = new ArrayList<>(recoveryCodes(c, username, true));
            if (!codes.remove(hash)) {
                return false;
            }
            Jdbc.update(c, "UPDATE admin_users SET recovery_codes = ? WHERE username = ?", toJson(codes), username);
            return true;
        });
    }

    @Override
    public int recoveryCodesLeft(String username) {
        return db.read(
                "count recovery codes", c -> recoveryCodes(c, username, false).size());
    }

    private List<String> recoveryCodes(Connection c, String username, boolean lock) throws SQLException {
        return Jdbc.queryOne(
                        c,
                        "SELECT recovery_codes FROM admin_users WHERE username = ?" + (lock ? dialect.forUpdate() : ""),
                        rs -> fromJson(rs.getString(1)),
                        username)
                .orElseThrow(() -> noUser("recovery codes", username));
    }

    @Override
    public int recordFailedLogin(String username, Instant at) {
        return db.write(
                "record failed login",
                c -> Jdbc.queryOne(
                                c,
                                "UPDATE admin_users SET failed_logins = failed_logins + 1 WHERE username = ?"
                                        + " RETURNING failed_logins",
                                rs -> rs.getInt(1),
                                username)
                        .orElse(0));
    }

    @Override
    public void lockUntil(String username, Instant until) {
        updateOrFail(
                "lock user",
                username,
                "UPDATE admin_users SET locked_until = ?, failed_logins = 0 WHERE username = ?",
                until.toEpochMilli(),
                username);
    }

    @Override
    public void clearFailedLogins(String username) {
        updateOrFail(
                "clear failed logins",
                username,
                "UPDATE admin_users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
                username);
    }

    // ---- setup tokens

    @Override
    public void createSetupToken(String tokenHash, String username, Instant expiresAt) {
        db.write(
                "create setup token",
                c -> Jdbc.update(
                        c,
                        "INSERT INTO admin_setup_tokens(token_hash, username, expires_at, created_at) VALUES (?, ?, ?, ?)",
                        tokenHash,
                        username,
                        expiresAt.toEpochMilli(),
                        clock.millis()));
    }

    @Override
    public Optional<SetupToken> setupToken(String tokenHash) {
        return db.read(
                "get setup token",
                c -> Jdbc.queryOne(
                        c,
                        "SELECT * FROM admin_setup_tokens WHERE token_hash = ?",
                        rs -> new SetupToken(
                                rs.getString("token_hash"),
                                rs.getString("username"),
                                Jdbc.instant(rs, "expires_at"),
                                Jdbc.instant(rs, "created_at")),
                        tokenHash));
    }

    @Override
    public void setSetupTotp(String tokenHash, byte[] secret) {
        db.write(
                "set setup totp",
                c -> Jdbc.update(
                        c,
                        "UPDATE admin_setup_tokens SET totp_secret = ? WHERE token_hash = ?",
                        gcm.seal(secret, aad("setup", tokenHash)),
                        tokenHash));
    }

    @Override
    public Optional<byte[]> setupTotp(String tokenHash) {
        Optional<byte[]> sealed = db.read(
                "get setup totp",
                c -> Jdbc.queryOne(
                                c,
                                "SELECT totp_secret FROM admin_setup_tokens WHERE token_hash = ?",
                                rs -> Optional.ofNullable(rs.getBytes(1)),
                                tokenHash)
                        .flatMap(o -> o));
        return sealed.map(s -> open(s, aad("setup", tokenHash), "setup totp secret"));
    }

    @Override
    public boolean consumeSetupToken(String tokenHash) {
        return db.write(
                "consume setup token",
                c -> Jdbc.update(c, "DELETE FROM admin_setup_tokens WHERE token_hash = ?", tokenHash) > 0);
    }

    // ---- sessions

    @Override
    public void createSession(Session s) {
        db.write(
                "create session",
                c -> Jdbc.update(
                        c,
                        "INSERT INTO admin_sessions(id_hash, username, csrf_token, created_at, last_seen_at, expires_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)",
                        s.idHash(),
                        s.username(),
                        s.csrfToken(),
                        s.createdAt().toEpochMilli(),
                        s.lastSeenAt().toEpochMilli(),
                        s.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<Session> session(String idHash) {
        return db.read(
                "get session",
                c -> Jdbc.queryOne(
                        c,
                        "SELECT * FROM admin_sessions WHERE id_hash = ?",
                        rs -> new Session(
                                rs.getString("id_hash"),
                                rs.getString("username"),
                                rs.getString("csrf_token"),
                                Jdbc.instant(rs, "created_at"),
                                Jdbc.instant(rs, "last_seen_at"),
                                Jdbc.instant(rs, "expires_at")),
                        idHash));
    }

    @Override
    public void touchSession(String idHash, Instant at) {
        db.write(
                "touch session",
                c -> Jdbc.update(
                        c, "UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?", at.toEpochMilli(), idHash));
    }

    @Override
    public boolean deleteSession(String idHash) {
        return db.write(
                "delete session", c -> Jdbc.update(c, "DELETE FROM admin_sessions WHERE id_hash = ?", idHash) > 0);
    }

    @Override
    public int deleteSessionsOf(String username) {
        return db.write(
                "delete sessions", c -> Jdbc.update(c, "DELETE FROM admin_sessions WHERE username = ?", username));
    }

    @Override
    public int purgeSessions(Instant now) {
        return db.write(
                "purge sessions",
                c -> Jdbc.update(c, "DELETE FROM admin_sessions WHERE expires_at < ?", now.toEpochMilli()));
    }

    // ---- API tokens

    @Override
    public void createApiToken(ApiToken t) {
        db.write(
                "create api token",
                c -> Jdbc.update(
                        c,
                        "INSERT INTO api_tokens(id, name, role, secret_hash, created_by, created_at, expires_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        t.id(),
                        t.name(),
                        t.role(),
                        t.secretHash(),
                        t.createdBy(),
                        t.createdAt().toEpochMilli(),
                        t.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<ApiToken> apiToken(String id) {
        return db.read(
                "get api token",
                c -> Jdbc.queryOne(c, "SELECT * FROM api_tokens WHERE id = ?", JdbcAccountStore::token, id));
    }

    @Override
    public List<ApiToken> apiTokens() {
        return db.read(
                "list api tokens",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM api_tokens ORDER BY created_at DESC, " + dialect.binaryOrder("id"),
                        JdbcAccountStore::token));
    }

    @Override
    public boolean revokeApiToken(String id, Instant at) {
        return db.write(
                "revoke api token",
                c -> Jdbc.update(
                                c,
                                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                                at.toEpochMilli(),
                                id)
                        > 0);
    }

    @Override
    public void touchApiToken(String id, Instant at) {
        db.write(
                "touch api token",
                c -> Jdbc.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at.toEpochMilli(), id));
    }

    // ---- plumbing

    private void updateOrFail(String operation, String username, String sql, Object... args) {
        db.write(operation + " of " + username, c -> {
            if (Jdbc.update(c, sql, args) == 0) {
                throw noUser(operation, username);
            }
            return null;
        });
    }

    private static Optional<User> findUser(Connection c, String username) throws SQLException {
        return Jdbc.queryOne(c, "SELECT * FROM admin_users WHERE username = ?", JdbcAccountStore::user, username);
    }

    private static User user(ResultSet rs) throws SQLException {
        String password = rs.getString("password_hash");
        byte[] totp = rs.getBytes("totp_secret");
        return new User(
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("role"),
                password != null,
                totp != null,
                rs.getBoolean("disabled"),
                rs.getInt("failed_logins"),
                Jdbc.instantOrNull(rs, "locked_until"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("role"),
                rs.getString("secret_hash"),
                rs.getString("created_by"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"),
                Jdbc.instantOrNull(rs, "revoked_at"),
                Jdbc.instantOrNull(rs, "last_used_at"));
    }

    private byte[] open(byte[] sealed, byte[] aad, String what) {
        try {
            return gcm.open(sealed, aad);
        } catch (AesGcm.OpenFailedException e) {
            throw new StoreException("account store: " + what + " cannot be decrypted");
        }
    }

    private static byte[] aad(String kind, String id) {
        return ("veil " + kind + " totp " + id).getBytes(UTF_8);
    }

    private static StoreException noUser(String operation, String username) {
        return new StoreException("account store " + operation + ": user '" + username + "' does not exist");
    }

    private static String toJson(List<String> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("account store: cannot encode a list", e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("account store: a list column is not a JSON string array");
        }
    }
}
