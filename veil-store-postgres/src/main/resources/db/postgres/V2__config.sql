-- Config store on PostgreSQL: sources, policy versions, masking secrets and the key check. Same columns and meaning
-- as the SQLite schema (veil-store db/config/V1__init.sql); times are epoch milliseconds.

-- Sources (write-key owners). Only the SHA-256 of a write key is stored; keys are 32 random bytes, so a fast
-- hash is enough and lets ingest look a key up by its hash.
CREATE TABLE sources (
    id              TEXT   PRIMARY KEY,
    name            TEXT   NOT NULL,
    write_key_hash  TEXT   UNIQUE,           -- hex SHA-256, null until a key is generated or set
    allowed_origins TEXT   NOT NULL,         -- JSON array of origins
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Every saved policy, never updated in place.
CREATE TABLE policy_versions (
    version    INTEGER PRIMARY KEY,
    yaml       TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    comment    TEXT    NOT NULL
);

-- Workspace masking secrets, sealed with AES-256-GCM under a key derived from the master key (AAD binds the
-- version). A version applies to events received from activated_at on.
CREATE TABLE masking_secrets (
    version      INTEGER PRIMARY KEY,
    secret       BYTEA   NOT NULL,
    activated_at BIGINT  NOT NULL
);

-- 'key_check': a sealed constant that tells at open whether the master key is the one the store was written with.
CREATE TABLE meta (
    name  TEXT  PRIMARY KEY,
    value BYTEA NOT NULL
);
