package dev.veil.console.pages;

import static dev.veil.console.web.ConsoleRoutes.params;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Totp;
import dev.veil.admin.http.AdminApi;
import dev.veil.console.ConsoleParts;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;

/**
 * Signing in and out, first-time setup from a one-time link, and the person's own account. Every check is
 * veil-admin's {@link AuthService} (Argon2id passwords, TOTP, throttle, lockout, sessions, audit): this area
 * only draws the forms. The login has two steps, password then code, through
 * {@link AuthService#loginPassword} and {@link AuthService#loginSecondFactor}.
 */
public final class SignInArea implements ConsoleArea {

    public static final String LOGIN = ConsoleRoutes.BASE + "/login";
    public static final String LOGIN_CODE = ConsoleRoutes.BASE + "/login/code";
    public static final String LOGOUT = ConsoleRoutes.BASE + "/logout";
    public static final String SETUP = ConsoleRoutes.BASE + "/setup";
    public static final String ACCOUNT = ConsoleRoutes.BASE + "/account";

    private final ConsoleParts parts;

    public SignInArea(ConsoleParts parts) {
        this.parts = parts;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page(LOGIN, Permission.PUBLIC, this::loginForm)
                .action(LOGIN, Permission.PUBLIC, this::password)
                .action(LOGIN_CODE, Permission.PUBLIC, this::code)
                .action(LOGOUT, Permission.SELF, this::logout)
                .page(SETUP, Permission.PUBLIC, this::setupForm)
                .action(SETUP, Permission.PUBLIC, this::setup)
                .page(ACCOUNT, Permission.SELF, this::account)
                .action(ACCOUNT + "/password", Permission.SELF, this::changePassword);
    }

    /** Only a console path may be the target after sign-in (no open redirect). */
    static String safeNext(String next) {
        if (next.startsWith(ConsoleRoutes.BASE)
                && !next.startsWith("//")
                && !next.contains("\\")
                && !next.contains("://")
                && !next.startsWith(LOGIN)) {
            return next;
        }
        return ConsoleRoutes.BASE;
    }

    private void loginForm(ConsoleRequest r) {
        String next = safeNext(r.query("next", 2_000));
        if (r.principalOrNull() != null) {
            r.redirect(next);
            return;
        }
        if (r.query("changed", 5).equals("1")) {
            r.notice("Your password was changed and every session ended; sign in with the new password.", false);
        }
        r.render("login.jte", params("chrome", r.chrome("", "Sign in"), "next", next, "username", ""));
    }

    private void password(ConsoleRequest r) {
        String next = safeNext(r.form("next", 2_000));
        String username = r.form("username", 200);
        String password = r.form("password", 256);
        AuthService.PasswordStep step;
        try {
            step = r.services()
                    .auth()
                    .loginPassword(username, password, r.client(), r.ctx().cookie(AdminApi.COOKIE));
        } catch (AdminException e) {
            r.notice(e.getMessage(), true);
            r.render(
                    e.status(),
                    "login.jte",
                    params("chrome", r.chrome("", "Sign in"), "next", next, "username", username));
            return;
        }
        if (step.session() != null) {
            signedIn(r, step.session(), next);
            return;
        }
        r.render(
                "login-code.jte",
                params("chrome", r.chrome("", "Sign in: code"), "next", next, "ticket", step.ticket()));
    }

    private void code(ConsoleRequest r) {
        String next = safeNext(r.form("next", 2_000));
        String ticket = r.form("ticket", 200);
        String code = r.form("code", 16).strip();
        String recovery = r.form("recovery", 64).strip();
        try {
            AuthService.NewSession s = r.services()
                    .auth()
                    .loginSecondFactor(
                            ticket,
                            code.isEmpty() ? null : code,
                            recovery.isEmpty() ? null : recovery,
                            r.client(),
                            r.ctx().cookie(AdminApi.COOKIE));
            signedIn(r, s, next);
        } catch (AdminException e) {
            r.notice(e.getMessage(), true);
            if (e.code().equals("login_expired") || e.code().equals("account_locked")) {
                r.render(
                        e.status(),
                        "login.jte",
                        params("chrome", r.chrome("", "Sign in"), "next", next, "username", ""));
            } else {
                r.render(
                        e.status(),
                        "login-code.jte",
                        params("chrome", r.chrome("", "Sign in: code"), "next", next, "ticket", ticket));
            }
        }
    }

    private void signedIn(ConsoleRequest r, AuthService.NewSession s, String next) {
        r.sessionCookie(
                s.cookieValue(),
                parts.services().auth().options().absoluteTimeout().toSeconds());
        r.redirect(next);
    }

    private void logout(ConsoleRequest r) {
        r.services().auth().logout(r.who());
        r.clearSessionCookie();
        r.redirect(LOGIN);
    }

    private void setupForm(ConsoleRequest r) {
        String token = r.query("token", 128);
        if (token.isEmpty()) {
            throw AdminException.notFound("a setup token in this link; copy the whole link");
        }
        setupPage(r, token, 200);
    }

    private void setupPage(ConsoleRequest r, String token, int status) {
        AuthService.SetupStart start = r.services().auth().startSetup(token);
        r.render(
                status,
                "setup.jte",
                params(
                        "chrome",
                        r.chrome("", "Set up your account"),
                        "token",
                        token,
                        "start",
                        start,
                        "qr",
                        Totp.qrDataUri(start.totpSecret(), "Veil:" + start.username())));
    }

    private void setup(ConsoleRequest r) {
        String token = r.form("token", 128);
        String password = r.form("password", 256);
        String code = r.form("code", 16).strip();
        AuthService.SetupDone done;
        try {
            done = r.services().auth().finishSetup(token, password, code.isEmpty() ? null : code);
        } catch (AdminException e) {
            if (e.code().equals("setup_link_invalid")) {
                throw e;
            }
            r.notice(e.getMessage(), true);
            setupPage(r, token, e.status());
            return;
        }
        r.sessionCookie(
                done.session().cookieValue(),
                parts.services().auth().options().absoluteTimeout().toSeconds());
        r.render(
                "setup-done.jte",
                params(
                        "chrome", r.chrome("", "You are set up"),
                        "username", done.session().principal().name(),
                        "codes", done.recoveryCodes()));
    }

    private void account(ConsoleRequest r) {
        r.render("account.jte", params("chrome", r.chrome("account", "Your account"), "principal", r.who()));
    }

    private void changePassword(ConsoleRequest r) {
        r.services().auth().changePassword(r.who(), r.form("current", 256), r.form("next", 256));
        r.clearSessionCookie();
        r.redirect(LOGIN + "?changed=1");
    }
}
