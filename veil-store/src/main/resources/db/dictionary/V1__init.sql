-- The data dictionary learned from traffic: names, types and counts, never values.
-- event_type is the call type (track, page, ...); event_name the track event's name, '' for other calls;
-- path '' is the event's own row. types is a bit set of the JSON types seen (see SqliteDictionaryStore.TYPE_BITS).
CREATE TABLE fields (
    event_type  TEXT    NOT NULL,
    event_name  TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    types       INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL, -- epoch millis
    last_seen   INTEGER NOT NULL, -- epoch millis
    reviewed_at INTEGER,          -- epoch millis, null until reviewed
    reviewed_by TEXT,
    PRIMARY KEY (event_type, event_name, path)
) WITHOUT ROWID;

-- How often the policy released each field of each event to each destination.
CREATE TABLE flows (
    destination_id TEXT    NOT NULL,
    event_type     TEXT    NOT NULL,
    event_name     TEXT    NOT NULL,
    path           TEXT    NOT NULL,
    released       INTEGER NOT NULL,
    redacted       INTEGER NOT NULL,
    last_at        INTEGER NOT NULL, -- epoch millis
    PRIMARY KEY (destination_id, event_type, event_name, path)
) WITHOUT ROWID;

-- The learner's position in the event log (the offset of the last event counted).
CREATE TABLE learner (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    through INTEGER NOT NULL
);
