package dev.veil.admin.resources;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.auth.Tokens;
import dev.veil.store.AccountStore;
import dev.veil.store.AccountStore.ApiToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * API tokens for automation: {@code veil_<id>_<secret>}, shown once, stored as the SHA-256 of the secret, acting
 * with one role, expiring, revocable with immediate effect (every request checks the store). Thread-safe.
 */
public final class TokenService {

    /** Longest allowed lifetime. */
    public static final int MAX_DAYS = 365;

    private final AccountStore accounts;
    private final Audit audit;
    private final Clock clock;

    public TokenService(AccountStore accounts, Audit audit, Clock clock) {
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    /** A created token with its value, the only time it is available. */
    public record Created(ApiToken token, String value) {
        @Override
        public String toString() {
            return "Created[token=" + token.id() + ", value=██]";
        }
    }

    public List<ApiToken> list() {
        return accounts.apiTokens();
    }

    public Created create(Principal who, String name, Role role, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw AdminException.badRequest(
                    "invalid_field", "field 'expiresInDays': " + days + " is outside 1.." + MAX_DAYS);
        }
        String id = Tokens.random(6).replace('-', 'x').replace('_', 'y');
        String secret = Tokens.random();
        Instant now = clock.instant();
        ApiToken t = new ApiToken(
                id,
                name,
                role.wire(),
                Tokens.hash(secret),
                who.who(),
                now,
                now.plus(Duration.ofDays(days)),
                null,
                null);
        accounts.createApiToken(t);
        audit.success(
                who,
                "token.create",
                "token:" + id,
                Map.of(
                        "name",
                        name,
                        "role",
                        role.wire(),
                        "expiresAt",
                        t.expiresAt().toString()));
        return new Created(t, AuthService.TOKEN_PREFIX + id + "_" + secret);
    }

    public void revoke(Principal who, String id) {
        if (accounts.apiToken(id).isEmpty()) {
            throw AdminException.notFound("token '" + id + "'");
        }
        if (!accounts.revokeApiToken(id, clock.instant())) {
            throw AdminException.conflict("already_revoked", "token '" + id + "' is already revoked");
        }
        audit.success(who, "token.revoke", "token:" + id, Map.of());
    }
}
