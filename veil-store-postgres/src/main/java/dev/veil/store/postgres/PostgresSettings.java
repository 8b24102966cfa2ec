package dev.veil.store.postgres;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the PostgreSQL stores live and how many connections they may hold.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, without credentials (they are separate so that the
 *     URL can be logged)
 * @param user the role to connect as
 * @param password its password, or null for trust/peer authentication; never shown by {@link #toString()}
 * @param schema the schema holding Veil's tables (created by the first migration if missing): lower-case letters,
 *     digits and underscores, so several installations (or test classes) can share one database
 * @param maxPoolSize the most connections the pool opens (at least 1)
 */
public record PostgresSettings(
        String jdbcUrl, String user, @Nullable String password, String schema, int maxPoolSize) {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(schema, "schema");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("postgres jdbcUrl: must start with 'jdbc:postgresql:'");
        }
        if (jdbcUrl.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            // the URL is shown in messages and by the pool's and Flyway's logs
            throw new IllegalArgumentException(
                    "postgres jdbcUrl: must not carry the password (it would be logged); pass it as 'password'");
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "postgres schema: must be 1-63 lower-case letters, digits or '_', not starting with a digit");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("postgres maxPoolSize: must be at least 1, was " + maxPoolSize);
        }
    }

    /** Settings with the default schema {@code veil} and a pool of 8 connections. */
    public static PostgresSettings of(String jdbcUrl, String user, @Nullable String password) {
        return new PostgresSettings(jdbcUrl, user, password, "veil", 8);
    }

    public PostgresSettings withSchema(String schema) {
        return new PostgresSettings(jdbcUrl, user, password, schema, maxPoolSize);
    }

    public PostgresSettings withMaxPoolSize(int maxPoolSize) {
        return new PostgresSettings(jdbcUrl, user, password, schema, maxPoolSize);
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                + (password == null ? "none" : "██") + ", schema=" + schema + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
