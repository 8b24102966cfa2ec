package dev.veil.admin.resources;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.store.AccountStore;
import dev.veil.store.AccountStore.User;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Admin users: invite (a one-time setup link, never a password), change role or name, disable, reset (a new
 * setup link; the old password and second factor stop working), delete. The last enabled owner can be neither
 * removed, demoted nor disabled. Used by the API (owners) and by {@code veil users} on the host. Thread-safe.
 */
public final class UserService {

    /** Path of the setup page; the token follows as {@code ?token=}. */
    public static final String SETUP_PATH = "/setup";

    /** The password hash that matches nothing (a reset account until its setup link is used). */
    static final String NO_PASSWORD = "!reset";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private final AccountStore accounts;
    private final AuthService auth;
    private final Audit audit;

    public UserService(AccountStore accounts, AuthService auth, Audit audit) {
        this.accounts = accounts;
        this.auth = auth;
        this.audit = audit;
    }

    /** A user and the setup token to hand them (shown once). */
    public record Invitation(User user, String setupToken) {
        /** The setup link under {@code baseUrl} (e.g. {@code http://localhost:8080}). */
        public String link(String baseUrl) {
            return baseUrl + SETUP_PATH + "?token=" + setupToken;
        }

        @Override
        public String toString() {
            return "Invitation[user=" + user.username() + ", setupToken=██]";
        }
    }

    public List<User> list() {
        return accounts.users();
    }

    public User get(String username) {
        return accounts.user(AuthService.normalize(username))
                .orElseThrow(() -> AdminException.notFound("user '" + username + "'"));
    }

    /** Whether any user exists (first start creates the owner). */
    public boolean anyUser() {
        return !accounts.users().isEmpty();
    }

    public Invitation create(Principal who, String username, String displayName, Role role) {
        String name = AuthService.normalize(username);
        if (!NAME.matcher(name).matches()) {
            throw AdminException.badRequest(
                    "invalid_field", "field 'username': expected 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        if (accounts.user(name).isPresent()) {
            throw AdminException.conflict("already_exists", "user '" + name + "' already exists");
        }
        User u = accounts.createUser(name, displayName.isBlank() ? name : displayName, role.wire());
        String token = auth.issueSetupToken(name);
        audit.success(
                who,
                "user.create",
                "user:" + name,
                Audit.changes(Map.of(), Map.of("role", role.wire(), "displayName", u.displayName()), Set.of()));
        return new Invitation(u, token);
    }

    public User update(
            Principal who,
            String username,
            @Nullable String displayName,
            @Nullable Role role,
            @Nullable Boolean disabled) {
        User before = get(username);
        Role newRole = role != null ? role : Role.fromWire(before.role()).orElse(Role.VIEWER);
        boolean newDisabled = disabled != null ? disabled : before.disabled();
        if (before.role().equals(Role.OWNER.wire())
                && !before.disabled()
                && (newRole != Role.OWNER || newDisabled)
                && enabledOwners() <= 1) {
            throw AdminException.conflict("last_owner", "user '" + before.username() + "' is the last enabled owner");
        }
        User after = accounts.updateUser(
                before.username(),
                displayName != null ? displayName : before.displayName(),
                newRole.wire(),
                newDisabled);
        if (!after.role().equals(before.role()) || after.disabled() != before.disabled()) {
            accounts.deleteSessionsOf(after.username());
        }
        audit.success(
                who,
                "user.update",
                "user:" + after.username(),
                Audit.changes(
                        Map.of(
                                "role",
                                before.role(),
                                "displayName",
                                before.displayName(),
                                "disabled",
                                before.disabled()),
                        Map.of("role", after.role(), "displayName", after.displayName(), "disabled", after.disabled()),
                        Set.of()));
        return after;
    }

    /** A new setup link; the old password, second factor, recovery codes and sessions stop working. */
    public Invitation reset(Principal who, String username) {
        User u = get(username);
        accounts.setPasswordHash(u.username(), NO_PASSWORD);
        accounts.setTotpSecret(u.username(), null);
        accounts.setRecoveryCodeHashes(u.username(), List.of());
        accounts.deleteSessionsOf(u.username());
        String token = auth.issueSetupToken(u.username());
        audit.success(
                who,
                "user.reset",
                "user:" + u.username(),
                Audit.changes(
                        Map.of("password", "old", "totp", "old"),
                        Map.of("password", "new", "totp", "new"),
                        Set.of("password", "totp")));
        return new Invitation(accounts.user(u.username()).orElseThrow(), token);
    }

    /** Ends a login lockout early (recovery on the host). */
    public void unlock(Principal who, String username) {
        User u = get(username);
        accounts.clearFailedLogins(u.username());
        audit.success(who, "user.unlock", "user:" + u.username(), Map.of());
    }

    public void delete(Principal who, String username) {
        User u = get(username);
        if (u.role().equals(Role.OWNER.wire()) && !u.disabled() && enabledOwners() <= 1) {
            throw AdminException.conflict("last_owner", "user '" + u.username() + "' is the last enabled owner");
        }
        accounts.deleteUser(u.username());
        audit.success(
                who,
                "user.delete",
                "user:" + u.username(),
                Audit.changes(Map.of("role", u.role()), Map.of(), Set.of()));
    }

    private long enabledOwners() {
        return accounts.users().stream()
                .filter(u -> u.role().equals(Role.OWNER.wire()) && !u.disabled())
                .count();
    }
}
