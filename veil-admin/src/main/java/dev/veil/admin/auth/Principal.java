package dev.veil.admin.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is acting: a person signed in with a session, an API token, or a local operator at the CLI.
 *
 * @param kind how they authenticated
 * @param name user name, token id, or the OS user for the CLI
 * @param role the role they act with
 * @param sessionIdHash the session's id hash (sessions only)
 * @param csrfToken the session's anti-CSRF token (sessions only)
 */
public record Principal(
        Kind kind,
        String name,
        Role role,
        @Nullable String sessionIdHash,
        @Nullable String csrfToken) {

    /** What tokens may never do: act as a person (approve, manage people, tokens or settings, self-service). */
    private static final Set<Permission> PEOPLE_ONLY = EnumSet.of(
            Permission.SELF,
            Permission.APPROVE_POLICY,
            Permission.MANAGE_USERS,
            Permission.MANAGE_TOKENS,
            Permission.MANAGE_SETTINGS);

    public enum Kind {
        SESSION,
        TOKEN,
        CLI
    }

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public static Principal session(String username, Role role, String sessionIdHash, String csrfToken) {
        return new Principal(Kind.SESSION, username, role, sessionIdHash, csrfToken);
    }

    public static Principal token(String tokenId, Role role) {
        return new Principal(Kind.TOKEN, tokenId, role, null, null);
    }

    /** The operator on the host: the CLI acts as owner, since whoever holds the data directory holds everything. */
    public static Principal cli(String osUser) {
        return new Principal(Kind.CLI, osUser, Role.OWNER, null, null);
    }

    /** The server itself (start-up work). */
    public static Principal system() {
        return new Principal(Kind.CLI, "system", Role.OWNER, null, null);
    }

    /**
     * A policy file given to {@code veil serve} at start ({@code file:<path>}): its changes are authored by the
     * file, so under the two-person rule nobody can approve them as "someone else" by editing the file.
     */
    public static Principal policyFile(String path) {
        return new Principal(Kind.CLI, "file:" + path, Role.OWNER, null, null);
    }

    /** Whether this principal may do what {@code p} guards. */
    public boolean may(Permission p) {
        if (p == Permission.PUBLIC) {
            return true;
        }
        if (kind == Kind.TOKEN && PEOPLE_ONLY.contains(p)) {
            return false;
        }
        return role.permissions().contains(p);
    }

    /** The audit log's actor: {@code user:alice}, {@code token:t_ab12}, {@code cli:root}, {@code system}. */
    public String actor() {
        return switch (kind) {
            case SESSION -> "user:" + name;
            case TOKEN -> "token:" + name;
            case CLI -> name.equals("system") || name.startsWith("file:") ? name : "cli:" + name;
        };
    }

    /**
     * Who, for policy history and approvals: the person's name whether they sign in or use the CLI (so
     * {@code alice} cannot approve a draft she applied from the host), {@code token:<id>} for tokens.
     */
    public String who() {
        return kind == Kind.TOKEN ? actor() : name;
    }
}
