package dev.veil.admin.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The four admin roles and what each may do. Owners may do everything; privacy officers approve and publish
 * policy changes, see raw events and the audit log; editors draft policies, sources and destinations; viewers
 * see configuration and status, never raw event data and never secrets.
 */
public enum Role {
    OWNER("owner"),
    PRIVACY_OFFICER("privacy_officer"),
    EDITOR("editor"),
    VIEWER("viewer");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** The name in the API, the store and the CLI. */
    public String wire() {
        return wire;
    }

    public static Optional<Role> fromWire(String s) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(s)).findFirst();
    }

    /** Every wire name, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }

    /** What this role may do. */
    public Set<Permission> permissions() {
        EnumSet<Permission> p = EnumSet.of(Permission.SELF, Permission.VIEW_CONFIG);
        if (this == VIEWER) {
            return p;
        }
        p.addAll(EnumSet.of(Permission.EDIT_CONFIG, Permission.REPLAY));
        if (this == EDITOR) {
            return p;
        }
        p.addAll(EnumSet.of(
                Permission.APPROVE_POLICY,
                Permission.PUBLISH_POLICY,
                Permission.VIEW_RAW,
                Permission.ROTATE_KEYS,
                Permission.VIEW_AUDIT));
        if (this == PRIVACY_OFFICER) {
            return p;
        }
        return EnumSet.allOf(Permission.class);
    }

    /** Whether this role needs a second factor by default (owners and privacy officers). */
    public boolean totpRequiredByDefault() {
        return this == OWNER || this == PRIVACY_OFFICER;
    }
}
