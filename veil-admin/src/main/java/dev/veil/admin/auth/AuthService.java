package dev.veil.admin.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.store.AccountStore;
import dev.veil.store.AccountStore.ApiToken;
import dev.veil.store.AccountStore.Session;
import dev.veil.store.AccountStore.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Logins, sessions, setup links and API-token checks.
 *
 * <p>Design note: a login checks, in order, the client's attempt rate, the account's lockout, the password
 * (Argon2id, also run for unknown users so timing does not reveal which names exist) and the second factor
 * (TOTP or a recovery code). Wrong passwords and wrong codes both count toward the lockout. A session id is
 * 256 random bits; only its SHA-256 is stored, and every login issues a new one (the old cookie's session is
 * ended: rotation). A session's role is read from the user on every request, so a role change or a disabled
 * account takes effect at once. Thread-safe.
 */
public final class AuthService {

    /** Prefix of API tokens ({@code veil_<id>_<secret>}), so secret scanners can recognise them. */
    public static final String TOKEN_PREFIX = "veil_";

    private static final Duration TOUCH_EVERY = Duration.ofSeconds(15);

    private final AccountStore accounts;
    private final Audit audit;
    private final Clock clock;
    private final AuthOptions options;
    private final Totp totp;
    private final LoginThrottle throttle;
    private final String dummyHash;

    public AuthService(AccountStore accounts, Audit audit, Clock clock, AuthOptions options) {
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
        this.options = options;
        this.totp = new Totp(clock);
        this.throttle = new LoginThrottle(clock, options.loginsPerMinutePerClient());
        // Checked against for unknown users (same cost as a real hash, so timing does not tell), made without hashing.
        this.dummyHash = options.passwords().unmatchable();
    }

    public AuthOptions options() {
        return options;
    }

    public Totp totp() {
        return totp;
    }

    /** A new session: the cookie value (shown to the browser only), its CSRF token and who it is. */
    public record NewSession(String cookieValue, String csrfToken, Principal principal, Instant expiresAt) {
        @Override
        public String toString() {
            return "NewSession[cookieValue=██, principal=" + principal.name() + "]";
        }
    }

    /**
     * Signs in with password and, when the account has one, a TOTP code or a recovery code.
     *
     * @param client the client's address, for the per-client rate limit only (never stored)
     * @param previousCookie the session cookie the client sent, ended on success (rotation)
     */
    public NewSession login(
            String username,
            String password,
            @Nullable String totpCode,
            @Nullable String recoveryCode,
            String client,
            @Nullable String previousCookie) {
        User user = checkPassword(username, password, client);
        if (user.hasTotp()) {
            secondFactor(user, totpCode, recoveryCode);
        }
        return signedIn(user, previousCookie);
    }

    /**
     * The first step of a login in two steps (the console's: password, then the code on its own page): either
     * the session, for an account without a second factor, or a one-time ticket for {@link #loginSecondFactor}.
     *
     * @param session the new session, null when the second factor is still needed
     * @param ticket the second step's ticket (valid {@link #TICKET_TTL}), null when signed in
     */
    public record PasswordStep(
            @Nullable NewSession session, @Nullable String ticket) {
        @Override
        public String toString() {
            return "PasswordStep[" + (session != null ? "signed in" : "second factor needed") + "]";
        }
    }

    /** How long the second step of a two-step login may wait. */
    public static final Duration TICKET_TTL = Duration.ofMinutes(5);

    private static final int MAX_PENDING = 10_000;

    private record Pending(String username, Instant expiresAt) {}

    /** Second-step tickets by hash: memory only, so a restart simply asks for the password again. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /**
     * Checks the password (with the same throttle, lockout and audit as {@link #login}); for an account with a
     * second factor returns a ticket for {@link #loginSecondFactor} instead of a session.
     */
    public PasswordStep loginPassword(
            String username, String password, String client, @Nullable String previousCookie) {
        User user = checkPassword(username, password, client);
        if (!user.hasTotp()) {
            return new PasswordStep(signedIn(user, previousCookie), null);
        }
        Instant now = clock.instant();
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        if (pending.size() >= MAX_PENDING) {
            throw new AdminException(503, "busy", "too many logins in progress; try again in a few minutes");
        }
        String ticket = Tokens.random();
        pending.put(Tokens.hash(ticket), new Pending(user.username(), now.plus(TICKET_TTL)));
        return new PasswordStep(null, ticket);
    }

    /**
     * The second step: the TOTP or recovery code for the account whose password {@code ticket} vouches for. A
     * wrong code counts toward the lockout like a wrong password; the ticket stays usable until it expires or
     * the login succeeds.
     */
    public NewSession loginSecondFactor(
            String ticket,
            @Nullable String totpCode,
            @Nullable String recoveryCode,
            String client,
            @Nullable String previousCookie) {
        String key = Tokens.hash(ticket);
        Pending p = pending.get(key);
        Instant now = clock.instant();
        if (p == null || !now.isBefore(p.expiresAt())) {
            pending.remove(key);
            throw new AdminException(
                    401, "login_expired", "the sign-in took too long or was already used; sign in again");
        }
        if (!throttle.tryAcquire(client)) {
            audit.failure("user:" + p.username(), "auth.login", "user:" + p.username(), "rate limited");
            throw new AdminException(429, "rate_limited", "too many login attempts from this client; wait a minute");
        }
        Optional<User> found = accounts.user(p.username());
        if (found.isEmpty() || found.get().disabled()) {
            pending.remove(key);
            throw invalidCredentials();
        }
        User user = found.get();
        rejectLocked(user, now);
        secondFactor(user, totpCode, recoveryCode);
        pending.remove(key);
        return signedIn(user, previousCookie);
    }

    /** Throttle, lockout, password (Argon2id, also for unknown users) and second-factor enrolment. */
    private User checkPassword(String username, String password, String client) {
        String name = normalize(username);
        if (!throttle.tryAcquire(client)) {
            audit.failure("user:" + name, "auth.login", "user:" + name, "rate limited");
            throw new AdminException(429, "rate_limited", "too many login attempts from this client; wait a minute");
        }
        Optional<User> found = accounts.user(name);
        Instant now = clock.instant();
        if (found.isPresent()) {
            rejectLocked(found.get(), now);
        }
        String hash = found.flatMap(u -> accounts.passwordHash(u.username())).orElse(dummyHash);
        boolean passwordOk = options.passwords().matches(password, hash) && found.isPresent();
        if (!passwordOk || found.get().disabled() || !found.get().hasPassword()) {
            failed(
                    found,
                    name,
                    passwordOk && found.get().disabled() ? "account disabled" : "wrong user name or password");
            throw invalidCredentials();
        }
        User user = found.get();
        Role role = role(user);
        if (!user.hasTotp() && role.totpRequiredByDefault()) {
            audit.failure("user:" + name, "auth.login", "user:" + name, "second factor not enrolled");
            throw new AdminException(
                    403,
                    "totp_enrollment_required",
                    "the " + role.wire() + " role needs a second factor; ask an owner for a new setup link"
                            + " (or run 'veil users reset " + name + "' on the host)");
        }
        return user;
    }

    private void rejectLocked(User user, Instant now) {
        if (user.lockedUntil() != null && user.lockedUntil().isAfter(now)) {
            String name = user.username();
            audit.failure("user:" + name, "auth.login", "user:" + name, "account locked");
            long minutes =
                    Math.max(1, (Duration.between(now, user.lockedUntil()).toSeconds() + 59) / 60);
            throw new AdminException(
                    429,
                    "account_locked",
                    "too many failed logins; this account is locked for " + minutes + " more minute(s)");
        }
    }

    private NewSession signedIn(User user, @Nullable String previousCookie) {
        String name = user.username();
        accounts.clearFailedLogins(name);
        if (previousCookie != null) {
            accounts.deleteSession(Tokens.hash(previousCookie));
        }
        NewSession s = newSession(user);
        audit.success(s.principal(), "auth.login", "user:" + name, Map.of("secondFactor", user.hasTotp()));
        return s;
    }

    private void secondFactor(User user, @Nullable String totpCode, @Nullable String recoveryCode) {
        String name = user.username();
        if (recoveryCode != null && !recoveryCode.isBlank()) {
            if (accounts.useRecoveryCode(name, Tokens.hash(normalizeRecovery(recoveryCode)))) {
                audit.record(
                        "user:" + name,
                        "auth.recovery_code_used",
                        "user:" + name,
                        "success",
                        Map.of("left", accounts.recoveryCodesLeft(name)));
                return;
            }
            failed(Optional.of(user), name, "wrong recovery code");
            throw invalidCredentials();
        }
        if (totpCode == null || totpCode.isBlank()) {
            throw new AdminException(401, "totp_required", "this account needs its one-time code (field 'totp')");
        }
        byte[] secret = accounts.totpSecret(name).orElseThrow();
        OptionalLong step = totp.match(secret, totpCode);
        if (step.isEmpty() || !accounts.useTotpStep(name, step.getAsLong())) {
            failed(Optional.of(user), name, step.isEmpty() ? "wrong one-time code" : "one-time code reused");
            throw invalidCredentials();
        }
    }

    private void failed(Optional<User> user, String name, String reason) {
        audit.failure("user:" + name, "auth.login", "user:" + name, reason);
        if (user.isEmpty()) {
            return;
        }
        int failures = accounts.recordFailedLogin(name, clock.instant());
        if (failures >= options.maxFailedLogins()) {
            accounts.lockUntil(name, clock.instant().plus(options.lockout()));
            audit.record(
                    "system",
                    "auth.lockout",
                    "user:" + name,
                    "success",
                    Map.of("failures", failures, "minutes", options.lockout().toMinutes()));
        }
    }

    private static AdminException invalidCredentials() {
        return new AdminException(401, "invalid_credentials", "wrong user name, password or code");
    }

    private NewSession newSession(User user) {
        String id = Tokens.random();
        String csrf = Tokens.random();
        Instant now = clock.instant();
        Instant expires = now.plus(options.absoluteTimeout());
        accounts.createSession(new Session(Tokens.hash(id), user.username(), csrf, now, now, expires));
        accounts.purgeSessions(now);
        return new NewSession(id, csrf, Principal.session(user.username(), role(user), Tokens.hash(id), csrf), expires);
    }

    /** Why a presented session cookie does not authenticate. */
    public enum SessionProblem {
        NONE,
        EXPIRED,
        UNKNOWN
    }

    /** The principal of a session cookie, or why there is none. */
    public record SessionCheck(@Nullable Principal principal, SessionProblem problem) {}

    /** Checks a session cookie: idle and absolute timeouts, the user still enabled; touches it. */
    public SessionCheck session(String cookieValue) {
        String idHash = Tokens.hash(cookieValue);
        Optional<Session> found = accounts.session(idHash);
        if (found.isEmpty()) {
            return new SessionCheck(null, SessionProblem.UNKNOWN);
        }
        Session s = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(s.expiresAt()) || !now.isBefore(s.lastSeenAt().plus(options.idleTimeout()))) {
            accounts.deleteSession(idHash);
            return new SessionCheck(null, SessionProblem.EXPIRED);
        }
        Optional<User> user = accounts.user(s.username());
        if (user.isEmpty() || user.get().disabled()) {
            accounts.deleteSession(idHash);
            return new SessionCheck(null, SessionProblem.UNKNOWN);
        }
        if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) >= 0) {
            accounts.touchSession(idHash, now);
        }
        return new SessionCheck(
                Principal.session(s.username(), role(user.get()), idHash, s.csrfToken()), SessionProblem.NONE);
    }

    /** Ends the principal's session. */
    public void logout(Principal p) {
        if (p.sessionIdHash() != null) {
            accounts.deleteSession(p.sessionIdHash());
            audit.success(p, "auth.logout", "user:" + p.name(), Map.of());
        }
    }

    /** The principal of an API token ({@code veil_<id>_<secret>}); empty when unknown, wrong, revoked or expired. */
    public Optional<Principal> token(String bearer) {
        if (!bearer.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String rest = bearer.substring(TOKEN_PREFIX.length());
        int sep = rest.indexOf('_');
        if (sep <= 0) {
            return Optional.empty();
        }
        String id = rest.substring(0, sep);
        Optional<ApiToken> t = accounts.apiToken(id);
        Instant now = clock.instant();
        if (t.isEmpty()
                || !Tokens.same(t.get().secretHash(), Tokens.hash(rest.substring(sep + 1)))
                || t.get().revokedAt() != null
                || !now.isBefore(t.get().expiresAt())) {
            return Optional.empty();
        }
        Optional<Role> role = Role.fromWire(t.get().role());
        if (role.isEmpty()) {
            return Optional.empty();
        }
        accounts.touchApiToken(id, now);
        return Optional.of(Principal.token(id, role.get()));
    }

    // ---- setup links

    /** Issues a one-time setup token for {@code username} (first owner, invitations, resets); returns it plain. */
    public String issueSetupToken(String username) {
        String token = Tokens.random();
        accounts.createSetupToken(Tokens.hash(token), username, clock.instant().plus(options.setupLinkTtl()));
        return token;
    }

    /** What a setup link shows: whose account, and the TOTP secret to enrol (the same on every call). */
    public record SetupStart(String username, Role role, boolean totpRequired, String totpSecret, String totpUri) {
        @Override
        public String toString() {
            return "SetupStart[username=" + username + ", totpSecret=██]";
        }
    }

    public SetupStart startSetup(String token) {
        AccountStore.SetupToken t = validSetup(token);
        User user = accounts.user(t.username()).orElseThrow(() -> invalidSetup());
        byte[] pending = accounts.setupTotp(t.tokenHash()).orElse(null);
        String secret;
        if (pending == null) {
            secret = Totp.newSecret();
            accounts.setSetupTotp(t.tokenHash(), secret.getBytes(UTF_8));
        } else {
            secret = new String(pending, UTF_8);
        }
        Role role = role(user);
        return new SetupStart(
                user.username(),
                role,
                role.totpRequiredByDefault(),
                secret,
                Totp.uri(secret, "Veil:" + user.username()));
    }

    /** A finished setup: the new session and the recovery codes (shown once; empty without TOTP). */
    public record SetupDone(NewSession session, List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "SetupDone[recoveryCodes=██]";
        }
    }

    /**
     * Completes a setup link: sets the password and, with a code from the enrolled app, the second factor (needed
     * for owners and privacy officers). The link stops working.
     */
    public SetupDone finishSetup(String token, String password, @Nullable String totpCode) {
        AccountStore.SetupToken t = validSetup(token);
        User user = accounts.user(t.username()).orElseThrow(() -> invalidSetup());
        Role role = role(user);
        String problem = Passwords.problem(password, user.username());
        if (problem != null) {
            throw AdminException.badRequest("invalid_field", "field 'password': " + problem);
        }
        byte[] secret = null;
        OptionalLong step = OptionalLong.empty();
        if (totpCode != null && !totpCode.isBlank()) {
            secret = accounts.setupTotp(t.tokenHash())
                    .orElseThrow(() -> AdminException.badRequest(
                            "setup_not_started", "start the setup first (POST /api/v1/auth/setup/start)"));
            step = totp.match(secret, totpCode);
            if (step.isEmpty()) {
                throw AdminException.badRequest(
                        "invalid_field",
                        "field 'totp': the code does not match the enrolled secret; check the app's clock");
            }
        } else if (role.totpRequiredByDefault()) {
            throw AdminException.badRequest(
                    "missing_field", "field 'totp' is required: the " + role.wire() + " role needs a second factor");
        }
        if (!accounts.consumeSetupToken(t.tokenHash())) {
            throw invalidSetup();
        }
        accounts.setPasswordHash(user.username(), options.passwords().hash(password));
        List<String> codes = List.of();
        accounts.setTotpSecret(user.username(), secret);
        if (secret != null) {
            accounts.useTotpStep(user.username(), step.getAsLong());
            codes = Totp.newRecoveryCodes();
            accounts.setRecoveryCodeHashes(
                    user.username(),
                    codes.stream().map(c -> Tokens.hash(normalizeRecovery(c))).toList());
        } else {
            accounts.setRecoveryCodeHashes(user.username(), List.of());
        }
        accounts.deleteSessionsOf(user.username());
        User updated = accounts.user(user.username()).orElseThrow();
        NewSession s = newSession(updated);
        audit.success(s.principal(), "auth.setup", "user:" + user.username(), Map.of("secondFactor", secret != null));
        return new SetupDone(s, codes);
    }

    private AccountStore.SetupToken validSetup(String token) {
        Optional<AccountStore.SetupToken> t = accounts.setupToken(Tokens.hash(token));
        if (t.isEmpty() || !clock.instant().isBefore(t.get().expiresAt())) {
            throw invalidSetup();
        }
        return t.get();
    }

    private static AdminException invalidSetup() {
        return new AdminException(
                404, "setup_link_invalid", "this setup link is unknown, used or expired; ask an owner for a new one");
    }

    /** Changes the signed-in user's own password; ends all their sessions (sign in again). */
    public void changePassword(Principal p, String current, String next) {
        String hash = accounts.passwordHash(p.name()).orElse(dummyHash);
        if (!options.passwords().matches(current, hash)) {
            audit.failure(p.actor(), "auth.password_change", "user:" + p.name(), "wrong current password");
            throw AdminException.badRequest("invalid_field", "field 'currentPassword': does not match");
        }
        String problem = Passwords.problem(next, p.name());
        if (problem != null) {
            throw AdminException.badRequest("invalid_field", "field 'newPassword': " + problem);
        }
        accounts.setPasswordHash(p.name(), options.passwords().hash(next));
        int ended = accounts.deleteSessionsOf(p.name());
        audit.success(p, "auth.password_change", "user:" + p.name(), Map.of("sessionsEnded", ended));
    }

    static Role role(User u) {
        return Role.fromWire(u.role()).orElse(Role.VIEWER);
    }

    /** User names are compared lower-cased and trimmed. */
    public static String normalize(String username) {
        return username.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String normalizeRecovery(String code) {
        return code.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
