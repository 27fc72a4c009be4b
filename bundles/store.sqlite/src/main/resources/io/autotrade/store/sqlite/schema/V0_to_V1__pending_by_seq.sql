-- Schema 0 to 1: the pending deliveries were keyed by (event id, handler); they are keyed by
-- (handler, journal sequence) now, so a handler's backlog is one range of the key, already in journal order.
-- Runs in the schema's transaction: a kill meanwhile leaves the old table as it was.
CREATE TABLE pending_by_seq (
  handler_id TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (handler_id, seq)) WITHOUT ROWID;
INSERT OR IGNORE INTO pending_by_seq (handler_id, seq)
  SELECT p.handler_id, e.seq FROM pending p JOIN events e ON e.event_id = p.event_id;
DROP TABLE pending;
ALTER TABLE pending_by_seq RENAME TO pending;
