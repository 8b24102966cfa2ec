-- Sources (write-key owners). Only the SHA-256 of a write key is stored; keys are 32 random bytes, so a fast
-- hash is enough and lets ingest look a key up by its hash.
CREATE TABLE sources (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    write_key_hash  TEXT    UNIQUE,          -- hex SHA-256, null until a key is generated or set
    allowed_origins TEXT    NOT NULL,        -- JSON array of origins
    created_at      INTEGER NOT NULL,        -- epoch millis
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;

-- Every saved policy, never updated in place.
CREATE TABLE policy_versions (
    version    INTEGER PRIMARY KEY,
    yaml       TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    comment    TEXT    NOT NULL
);

-- Workspace masking secrets, sealed with AES-256-GCM under a key derived from the master key (AAD binds the
-- version). A version applies to events received from activated_at on.
CREATE TABLE masking_secrets (
    version      INTEGER PRIMARY KEY,
    secret       BLOB    NOT NULL,
    activated_at INTEGER NOT NULL
);

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
