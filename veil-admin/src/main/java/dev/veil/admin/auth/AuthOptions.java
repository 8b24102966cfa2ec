package dev.veil.admin.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Authentication settings, with the defaults a serious install wants.
 *
 * @param idleTimeout a session ends after this long without a request (default 30 minutes)
 * @param absoluteTimeout a session ends this long after login whatever happens (default 12 hours)
 * @param maxFailedLogins failed passwords or codes before the account's password login is locked (default 5)
 * @param lockout how long it stays locked (default 15 minutes)
 * @param loginsPerMinutePerClient login attempts per client address per minute (default 20)
 * @param setupLinkTtl how long a setup link works (default 24 hours)
 * @param passwords Argon2id parameters
 */
public record AuthOptions(
        Duration idleTimeout,
        Duration absoluteTimeout,
        int maxFailedLogins,
        Duration lockout,
        int loginsPerMinutePerClient,
        Duration setupLinkTtl,
        Passwords passwords) {

    public static final AuthOptions DEFAULTS = new AuthOptions(
            Duration.ofMinutes(30),
            Duration.ofHours(12),
            5,
            Duration.ofMinutes(15),
            20,
            Duration.ofHours(24),
            Passwords.DEFAULT);

    public AuthOptions {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(absoluteTimeout, "absoluteTimeout");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(setupLinkTtl, "setupLinkTtl");
        Objects.requireNonNull(passwords, "passwords");
        if (maxFailedLogins < 1 || loginsPerMinutePerClient < 1) {
            throw new IllegalArgumentException("auth options: limits must be at least 1");
        }
    }

    public AuthOptions withPasswords(Passwords p) {
        return new AuthOptions(
                idleTimeout, absoluteTimeout, maxFailedLogins, lockout, loginsPerMinutePerClient, setupLinkTtl, p);
    }

    public AuthOptions withLoginsPerMinutePerClient(int n) {
        return new AuthOptions(idleTimeout, absoluteTimeout, maxFailedLogins, lockout, n, setupLinkTtl, passwords);
    }
}
