package dev.veil.admin.auth;

/**
 * What a route needs. Every admin route names exactly one; {@link Role#permissions()} and
 * {@link Principal#may(Permission)} decide who has it.
 */
public enum Permission {
    /** Anyone, signed in or not (login, setup, the OpenAPI document). */
    PUBLIC,
    /** Any signed-in person acting on their own account; not API tokens. */
    SELF,
    /** Read configuration, policy, status and counts (never raw events or secrets). */
    VIEW_CONFIG,
    /** Draft policies, edit sources and destinations. */
    EDIT_CONFIG,
    /** Approve a policy draft; people only (not API tokens), never the draft's own editors. */
    APPROVE_POLICY,
    /** Publish an approved draft. */
    PUBLISH_POLICY,
    /** See raw event data (dead letters); each view is audited. */
    VIEW_RAW,
    /** Rotate masking keys. */
    ROTATE_KEYS,
    /** Read, verify and export the audit log. */
    VIEW_AUDIT,
    /** Replay dead letters. */
    REPLAY,
    /** Manage users; people only. */
    MANAGE_USERS,
    /** Create and revoke API tokens; people only. */
    MANAGE_TOKENS,
    /** Change workspace settings such as the two-person rule; people only. */
    MANAGE_SETTINGS
}
