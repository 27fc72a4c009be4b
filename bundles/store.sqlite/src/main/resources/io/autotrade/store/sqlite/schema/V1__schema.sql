-- Schema version 1 of the event store (PRAGMA user_version = 1). Every statement is idempotent: a store
-- at version 1 runs it again at each open and nothing changes.

-- The journal: every domain event, in the order it was stored (seq).
CREATE TABLE IF NOT EXISTS events (
  seq            INTEGER PRIMARY KEY,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  occurred_at    INTEGER NOT NULL,
  aggregate_id   TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  causation_id   TEXT    NOT NULL,
  priority       INTEGER NOT NULL,
  payload        TEXT    NOT NULL,
  stored_at      INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_aggregate ON events(aggregate_id, seq);
CREATE INDEX IF NOT EXISTS events_correlation ON events(correlation_id, seq);
CREATE INDEX IF NOT EXISTS events_type ON events(type, seq);

-- Events a handler gave up on, with why; replayed or discarded by a person.
CREATE TABLE IF NOT EXISTS dead_letters (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         TEXT    NOT NULL,
  type             TEXT    NOT NULL,
  version          INTEGER NOT NULL,
  occurred_at      INTEGER NOT NULL,
  aggregate_id     TEXT    NOT NULL,
  correlation_id   TEXT    NOT NULL,
  causation_id     TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  payload          TEXT    NOT NULL,
  handler_id       TEXT    NOT NULL,
  lane             INTEGER NOT NULL,
  attempts         INTEGER NOT NULL,
  last_error       TEXT    NOT NULL,
  stack_summary    TEXT    NOT NULL,
  dead_lettered_at INTEGER NOT NULL);

-- Deliveries to durable handlers not done yet: a handler's backlog is one key range, in journal order.
CREATE TABLE IF NOT EXISTS pending (
  handler_id TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (handler_id, seq)) WITHOUT ROWID;

-- What each durable handler subscribes to, so its backlog is known before it registers again.
CREATE TABLE IF NOT EXISTS subscriptions (
  handler_id TEXT PRIMARY KEY,
  topics     TEXT NOT NULL,
  filter     TEXT);

-- The processing log: which handler handled which event, and when.
CREATE TABLE IF NOT EXISTS processed (
  event_id   TEXT    NOT NULL,
  handler_id TEXT    NOT NULL,
  handled_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, handler_id)) WITHOUT ROWID;

-- The row the journal's fault probe writes while commits are refused.
CREATE TABLE IF NOT EXISTS journal_probe (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  probed_at INTEGER NOT NULL);
