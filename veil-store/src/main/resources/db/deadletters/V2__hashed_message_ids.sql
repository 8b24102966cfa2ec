-- message_id holds the keyed hash of the caller's message id (sqlite.MessageIdHash, as in the event log), never the
-- id itself: ids are chosen by callers and some carry PHI. Rows written before are rewritten by the store when it
-- opens (payloads re-sealed under the AAD of the hashed id); the meta row 'message_ids' records that it is done.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
