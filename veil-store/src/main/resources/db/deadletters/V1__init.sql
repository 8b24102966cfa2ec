-- Events a destination could not deliver. payload is the AES-256-GCM sealed raw-event envelope; the AAD binds
-- destination_id, source_id and message_id. reason is PHI-free by contract (vendor message or rule name).
CREATE TABLE dead_letters (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    destination_id TEXT    NOT NULL,
    source_id      TEXT    NOT NULL,
    message_id     TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    failed_at      INTEGER NOT NULL, -- epoch millis
    replayed_at    INTEGER,          -- epoch millis, null until replayed
    payload        BLOB    NOT NULL
);
CREATE INDEX dead_letters_destination ON dead_letters (destination_id, failed_at);
CREATE INDEX dead_letters_failed_at ON dead_letters (failed_at);
