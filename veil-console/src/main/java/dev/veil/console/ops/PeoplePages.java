package dev.veil.console.ops;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.resources.TokenService;
import dev.veil.admin.resources.UserService;
import dev.veil.console.web.Chrome;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Users and API tokens. Users: invite (a one-time setup link, shown once), change role or name, disable or
 * enable, reset (a new setup link), delete. Tokens: create (the value shown once), revoke. Both need the owner's
 * permissions and call {@link UserService} and {@link TokenService}, which enforce the rules (the last owner
 * stays) and audit every change.
 */
public final class PeoplePages {

    /** Something shown once: a setup link or a token value, with what it is for. */
    public record Shown(String label, String value) {}

    private final OpsContext ops;

    public PeoplePages(OpsContext ops) {
        this.ops = ops;
    }

    private static List<String> roles() {
        return Arrays.stream(Role.values()).map(Role::wire).toList();
    }

    public PageResult users(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.MANAGE_USERS);
        return PageResult.html(usersPage(who, chrome, null));
    }

    /** Invites a user; the one-time link opens {@code setupPage} (an absolute URL) with the token. */
    public PageResult invite(Principal who, Chrome chrome, Form form, String setupPage) {
        return userAction(who, chrome, () -> {
            var inv = ops.services()
                    .users()
                    .create(who, form.get("username"), form.get("displayName"), role(form.get("role")));
            return new Shown("Setup link for " + inv.user().username(), setupPage + "?token=" + inv.setupToken());
        });
    }

    public PageResult updateUser(Principal who, Chrome chrome, String username, Form form) {
        return userAction(who, chrome, () -> {
            ops.services()
                    .users()
                    .update(
                            who,
                            username,
                            form.orNull("displayName"),
                            form.get("role").isEmpty() ? null : role(form.get("role")),
                            form.get("disabled").isEmpty() ? null : form.checked("disabled"));
            return null;
        });
    }

    public PageResult resetUser(Principal who, Chrome chrome, String username, String setupPage) {
        return userAction(who, chrome, () -> {
            var inv = ops.services().users().reset(who, username);
            return new Shown("New setup link for " + inv.user().username(), setupPage + "?token=" + inv.setupToken());
        });
    }

    public PageResult deleteUser(Principal who, Chrome chrome, String username) {
        return userAction(who, chrome, () -> {
            ops.services().users().delete(who, username);
            return null;
        });
    }

    private interface Action {
        @Nullable
        Shown run();
    }

    private PageResult userAction(Principal who, Chrome chrome, Action a) {
        try {
            OpsContext.require(who, Permission.MANAGE_USERS);
            Shown s = a.run();
            if (s != null) {
                return PageResult.once(usersPage(who, chrome, s));
            }
            return PageResult.html(usersPage(who, chrome.withNotice(new Chrome.Notice("Saved.", false)), null));
        } catch (AdminException e) {
            return PageResult.html(
                    e.status(), usersPage(who, chrome.withNotice(new Chrome.Notice(e.getMessage(), true)), null));
        }
    }

    private String usersPage(Principal who, Chrome chrome, @Nullable Shown shown) {
        if (!who.may(Permission.MANAGE_USERS)) {
            return ops.render("ops/forbidden.jte", chrome, Map.of());
        }
        return ops.render(
                "ops/users.jte",
                chrome,
                Map.of("users", ops.services().users().list(), "roles", roles(), "shown", Optional.ofNullable(shown)));
    }

    public PageResult tokens(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.MANAGE_TOKENS);
        return PageResult.html(tokensPage(who, chrome, null));
    }

    public PageResult createToken(Principal who, Chrome chrome, Form form) {
        return tokenAction(who, chrome, () -> {
            TokenService.Created c = ops.services().tokens().create(who, form.get("name"), role(form.get("role")), (int)
                    form.number("days", -1));
            return new Shown("API token " + c.token().id() + " (" + c.token().name() + ")", c.value());
        });
    }

    public PageResult revokeToken(Principal who, Chrome chrome, String id) {
        return tokenAction(who, chrome, () -> {
            ops.services().tokens().revoke(who, id);
            return null;
        });
    }

    private PageResult tokenAction(Principal who, Chrome chrome, Action a) {
        try {
            OpsContext.require(who, Permission.MANAGE_TOKENS);
            Shown s = a.run();
            if (s != null) {
                return PageResult.once(tokensPage(who, chrome, s));
            }
            return PageResult.html(tokensPage(who, chrome.withNotice(new Chrome.Notice("Saved.", false)), null));
        } catch (AdminException e) {
            return PageResult.html(
                    e.status(), tokensPage(who, chrome.withNotice(new Chrome.Notice(e.getMessage(), true)), null));
        }
    }

    private String tokensPage(Principal who, Chrome chrome, @Nullable Shown shown) {
        if (!who.may(Permission.MANAGE_TOKENS)) {
            return ops.render("ops/forbidden.jte", chrome, Map.of());
        }
        Instant now = ops.clock().instant();
        return ops.render(
                "ops/tokens.jte",
                chrome,
                Map.of(
                        "tokens",
                        ops.services().tokens().list(),
                        "roles",
                        roles(),
                        "shown",
                        Optional.ofNullable(shown),
                        "now",
                        now,
                        "maxDays",
                        TokenService.MAX_DAYS));
    }

    private static Role role(String wire) {
        return Role.fromWire(wire)
                .orElseThrow(() ->
                        AdminException.badRequest("invalid_field", "field 'role': expected one of " + Role.names()));
    }
}
