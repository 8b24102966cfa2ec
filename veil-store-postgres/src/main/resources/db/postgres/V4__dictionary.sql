-- The data dictionary learned from traffic on PostgreSQL: names, types and counts, never values. Same columns and
-- meaning as the SQLite schema (veil-store db/dictionary/V1__init.sql); times are epoch millis.
-- event_type is the call type (track, page, ...); event_name the track event's name, '' for other calls;
-- path '' is the event's own row. types is a bit set of the JSON types seen (one bit per FieldType ordinal).
CREATE TABLE fields (
    event_type  TEXT    NOT NULL,
    event_name  TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    types       INTEGER NOT NULL,
    count       BIGINT  NOT NULL,
    first_seen  BIGINT  NOT NULL,
    last_seen   BIGINT  NOT NULL,
    reviewed_at BIGINT,                -- null until reviewed
    reviewed_by TEXT,
    PRIMARY KEY (event_type, event_name, path)
);

-- How often the policy released each field of each event to each destination.
CREATE TABLE flows (
    destination_id TEXT   NOT NULL,
    event_type     TEXT   NOT NULL,
    event_name     TEXT   NOT NULL,
    path           TEXT   NOT NULL,
    released       BIGINT NOT NULL,
    redacted       BIGINT NOT NULL,
    last_at        BIGINT NOT NULL,
    PRIMARY KEY (destination_id, event_type, event_name, path)
);

-- The learner's position in the event log (the offset of the last event counted).
CREATE TABLE learner (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    through BIGINT   NOT NULL
);
