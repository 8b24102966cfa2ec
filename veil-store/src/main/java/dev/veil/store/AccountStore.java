package dev.veil.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Admin accounts and credentials: users with a role, their password hash, TOTP secret (stored only
 * encrypted under the master key) and recovery-code hashes, one-time setup tokens, login sessions and API
 * tokens. The store keeps what it is given; hashing passwords, checking codes and deciding lockouts is the
 * admin module's job. Bearer values (session ids, setup and API token secrets) are stored only as hashes the
 * caller computes.
 *
 * <p>Thread-safe; every write is durable when the method returns. User names are compared as given (callers
 * normalize them).
 */
public interface AccountStore {

    // ---- users

    /**
     * Creates a user without password or second factor (they are set through a setup token).
     *
     * @throws StoreException if the user exists
     */
    User createUser(String username, String displayName, String role);

    Optional<User> user(String username);

    /** All users, by name. */
    List<User> users();

    /** Changes role, display name or the disabled flag; returns the updated user. */
    User updateUser(String username, String displayName, String role, boolean disabled);

    /** Deletes a user with their sessions and setup tokens; returns whether they existed. */
    boolean deleteUser(String username);

    /** Sets the password hash (an encoded Argon2id hash) and clears failed logins and any lockout. */
    void setPasswordHash(String username, String passwordHash);

    /** The encoded password hash; empty before setup. */
    Optional<String> passwordHash(String username);

    /** Sets (or with null removes) the TOTP secret, sealed at rest; resets the last used time step. */
    void setTotpSecret(String username, byte @Nullable [] secret);

    /** The TOTP secret, decrypted; empty when the user has none. */
    Optional<byte[]> totpSecret(String username);

    /**
     * Records that a TOTP code of time step {@code step} was used, only if {@code step} is later than the last
     * one used (so a code is accepted once). Returns whether it was.
     */
    boolean useTotpStep(String username, long step);

    /** Replaces the user's recovery-code hashes. */
    void setRecoveryCodeHashes(String username, List<String> hashes);

    /** Removes one recovery-code hash if present; returns whether it was (each code works once). */
    boolean useRecoveryCode(String username, String hash);

    /** How many recovery codes remain. */
    int recoveryCodesLeft(String username);

    /** Counts a failed login and returns the count since the last success or unlock. */
    int recordFailedLogin(String username, Instant at);

    /** Locks the user's password login until {@code until}, and restarts the failure count. */
    void lockUntil(String username, Instant until);

    /** Clears failed logins after a successful one. */
    void clearFailedLogins(String username);

    // ---- setup tokens

    /** Stores a one-time setup token (by hash) for {@code username}, valid until {@code expiresAt}. */
    void createSetupToken(String tokenHash, String username, Instant expiresAt);

    Optional<SetupToken> setupToken(String tokenHash);

    /** Keeps a TOTP secret proposed during setup with the token, sealed, until setup completes. */
    void setSetupTotp(String tokenHash, byte[] secret);

    /** The TOTP secret proposed during setup, decrypted. */
    Optional<byte[]> setupTotp(String tokenHash);

    /** Deletes the token; returns whether it existed (so two concurrent uses cannot both succeed). */
    boolean consumeSetupToken(String tokenHash);

    // ---- sessions

    void createSession(Session session);

    Optional<Session> session(String idHash);

    /** Moves the session's last activity to {@code at}. */
    void touchSession(String idHash, Instant at);

    boolean deleteSession(String idHash);

    /** Ends every session of a user (password change, role change, removal); returns how many. */
    int deleteSessionsOf(String username);

    /** Deletes sessions whose absolute expiry is before {@code now}. */
    int purgeSessions(Instant now);

    // ---- API tokens

    void createApiToken(ApiToken token);

    Optional<ApiToken> apiToken(String id);

    /** All API tokens, newest first. */
    List<ApiToken> apiTokens();

    /** Revokes a token at {@code at}; returns whether it existed and was not already revoked. */
    boolean revokeApiToken(String id, Instant at);

    /** Records a use of the token. */
    void touchApiToken(String id, Instant at);

    /**
     * An admin user.
     *
     * @param username login name
     * @param displayName shown name
     * @param role {@code owner}, {@code privacy_officer}, {@code editor} or {@code viewer}
     * @param hasPassword whether setup was completed
     * @param hasTotp whether a TOTP secret is enrolled
     * @param disabled a disabled user cannot log in
     * @param failedLogins failures since the last success
     * @param lockedUntil password login refused until then; null when not locked
     * @param createdAt when created
     * @param updatedAt when last changed
     */
    record User(
            String username,
            String displayName,
            String role,
            boolean hasPassword,
            boolean hasTotp,
            boolean disabled,
            int failedLogins,
            @Nullable Instant lockedUntil,
            Instant createdAt,
            Instant updatedAt) {
        public User {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(role, "role");
        }
    }

    /** A one-time setup token: who it sets up and until when. */
    record SetupToken(String tokenHash, String username, Instant expiresAt, Instant createdAt) {}

    /**
     * A login session.
     *
     * @param idHash SHA-256 of the session id in the cookie
     * @param username whose
     * @param csrfToken the anti-CSRF token the client echoes in a header (not a credential on its own)
     * @param createdAt login time (absolute timeout counts from here)
     * @param lastSeenAt last request (idle timeout counts from here)
     * @param expiresAt absolute expiry
     */
    record Session(
            String idHash,
            String username,
            String csrfToken,
            Instant createdAt,
            Instant lastSeenAt,
            Instant expiresAt) {}

    /**
     * An API token for automation.
     *
     * @param id public id (the first part of the token)
     * @param name what it is for
     * @param role the role it acts with
     * @param secretHash SHA-256 of the secret part
     * @param createdBy who created it
     * @param createdAt when
     * @param expiresAt when it stops working
     * @param revokedAt when revoked, null while active
     * @param lastUsedAt last use, null if never used
     */
    record ApiToken(
            String id,
            String name,
            String role,
            String secretHash,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            @Nullable Instant revokedAt,
            @Nullable Instant lastUsedAt) {}
}
