-- The event log. Payloads are AES-256-GCM sealed raw-event envelopes; the AAD binds source_id and message_id.
-- AUTOINCREMENT so offsets are never reused after purge (consumer cursors point into this sequence).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id   TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    received_at INTEGER NOT NULL, -- epoch millis
    payload     BLOB    NOT NULL
);

-- (source_id, message_id) pairs seen within the dedup window.
CREATE TABLE dedup (
    source_id  TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL, -- epoch millis
    PRIMARY KEY (source_id, message_id)
) WITHOUT ROWID;
CREATE INDEX dedup_seen_at ON dedup (seen_at);

-- Registered consumers (delivery cursors); purge keeps everything some consumer has not passed.
CREATE TABLE consumers (
    consumer_id TEXT    PRIMARY KEY,
    cursor      INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Store metadata, e.g. the sealed key check that detects a wrong master key at open.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
