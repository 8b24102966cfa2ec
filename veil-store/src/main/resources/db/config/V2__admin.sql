-- Admin side (veil-admin): audit log, accounts, sessions, API tokens, policy drafts, stored secrets.

-- Append-only, hash-chained audit log. The anchor (newest seq + hash + HMAC under a master-key-derived key)
-- lives in meta as 'audit_anchor' so truncation is detectable.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,          -- epoch millis
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    detail    TEXT    NOT NULL,          -- JSON object
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);

CREATE TABLE admin_users (
    username        TEXT    PRIMARY KEY,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    password_hash   TEXT,                -- encoded Argon2id, null until setup
    totp_secret     BLOB,                -- AES-GCM sealed, null when not enrolled
    totp_last_step  INTEGER NOT NULL DEFAULT 0,
    recovery_codes  TEXT    NOT NULL DEFAULT '[]',   -- JSON array of SHA-256 hashes
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,             -- epoch millis
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE admin_setup_tokens (
    token_hash  TEXT    PRIMARY KEY,
    username    TEXT    NOT NULL REFERENCES admin_users(username) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    totp_secret BLOB                     -- sealed secret proposed during setup
) WITHOUT ROWID;

CREATE TABLE admin_sessions (
    id_hash      TEXT    PRIMARY KEY,
    username     TEXT    NOT NULL REFERENCES admin_users(username) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
) WITHOUT ROWID;

CREATE TABLE policy_drafts (
    id                INTEGER PRIMARY KEY,
    base_version      INTEGER NOT NULL,
    yaml              TEXT    NOT NULL,
    revision          INTEGER NOT NULL,
    author            TEXT    NOT NULL,
    editors           TEXT    NOT NULL,  -- JSON array
    last_editor       TEXT    NOT NULL,
    comment           TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    status            TEXT    NOT NULL,  -- OPEN | PUBLISHED | DISCARDED
    published_version INTEGER,
    closed_by         TEXT
);

CREATE TABLE policy_approvals (
    draft_id INTEGER NOT NULL REFERENCES policy_drafts(id),
    revision INTEGER NOT NULL,
    approver TEXT    NOT NULL,
    comment  TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (draft_id, revision, approver)
) WITHOUT ROWID;

CREATE TABLE stored_secrets (
    name       TEXT    PRIMARY KEY,
    value      BLOB    NOT NULL,         -- AES-GCM sealed, AAD binds the name
    updated_at INTEGER NOT NULL,
    updated_by TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE admin_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
