package dev.veil.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.SecretStore;
import dev.veil.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@link SecretStore} of the SQL backends: table {@code stored_secrets}, each value sealed with AES-256-GCM
 * under a master-key-derived key with the secret's name as AAD (a value moved to another name does not open); the
 * database never sees a plain value. The revision counter is a row of {@code admin_settings}, bumped in the same
 * transaction as the change. Thread-safe.
 */
public final class JdbcSecretStore implements SecretStore {

    private static final String REVISION = "secrets_revision";

    private final SqlConnections db;
    private final SqlDialect dialect;
    private final AesGcm gcm;
    private final Clock clock;

    public JdbcSecretStore(SqlConnections db, SqlDialect dialect, AesGcm gcm, Clock clock) {
        this.db = db;
        this.dialect = dialect;
        this.gcm = gcm;
        this.clock = clock;
    }

    @Override
    public void put(String name, String value, String by) {
        if (name.isBlank() || value.isEmpty()) {
            throw new IllegalArgumentException("secret store: name and value must not be empty");
        }
        byte[] sealed = gcm.seal(value.getBytes(UTF_8), aad(name));
        db.write("put secret " + name, c -> {
            Jdbc.update(
                    c,
                    "INSERT INTO stored_secrets(name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at ="
                            + " excluded.updated_at, updated_by = excluded.updated_by",
                    name,
                    sealed,
                    clock.millis(),
                    by);
            bump(c);
            return null;
        });
    }

    @Override
    public Optional<String> get(String name) {
        Optional<byte[]> sealed = db.read(
                "get secret " + name,
                c -> Jdbc.queryOne(c, "SELECT value FROM stored_secrets WHERE name = ?", rs -> rs.getBytes(1), name));
        return sealed.map(s -> {
            try {
                return new String(gcm.open(s, aad(name)), UTF_8);
            } catch (AesGcm.OpenFailedException e) {
                throw new StoreException("secret store: secret '" + name + "' cannot be decrypted");
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.write("delete secret " + name, c -> {
            boolean existed = Jdbc.update(c, "DELETE FROM stored_secrets WHERE name = ?", name) > 0;
            if (existed) {
                bump(c);
            }
            return existed;
        });
    }

    @Override
    public List<Info> list() {
        return db.read(
                "list secrets",
                c -> Jdbc.query(
                        c,
                        "SELECT name, updated_at, updated_by FROM stored_secrets ORDER BY "
                                + dialect.binaryOrder("name"),
                        rs -> new Info(rs.getString(1), Jdbc.instant(rs, "updated_at"), rs.getString(3))));
    }

    @Override
    public long revision() {
        return db.read(
                "secrets revision",
                c -> Jdbc.queryOne(
                                c, "SELECT value FROM admin_settings WHERE name = ?", rs -> rs.getString(1), REVISION)
                        .map(Long::parseLong)
                        .orElse(0L));
    }

    private static void bump(Connection c) throws SQLException {
        // The counter is text: CAST(... AS BIGINT) reads it in both databases, the assignment stores text again.
        Jdbc.update(
                c,
                "INSERT INTO admin_settings(name, value) VALUES (?, '1') ON CONFLICT (name) DO UPDATE SET"
                        + " value = CAST(admin_settings.value AS BIGINT) + 1",
                REVISION);
    }

    private static byte[] aad(String name) {
        return ("veil stored secret " + name).getBytes(UTF_8);
    }
}
