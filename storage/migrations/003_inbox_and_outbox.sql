-- 003: the durable inbox of updates, and the outbox of everything that may wait
-- Every update acknowledged to Telegram is here first; handled_at is set when its handlers finish.
-- seq keeps arrival order (update ids restart at random after a week without updates).
CREATE TABLE inbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id   INTEGER NOT NULL UNIQUE,
    raw         TEXT NOT NULL,
    received_at TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    handled_at  TEXT
);
CREATE INDEX inbox_unhandled ON inbox (seq) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;

-- One row per Bot API call that may wait: relays, cards, notices, later broadcasts.
-- kind names what the row does; payload (JSON) what it needs to render itself at send time.
-- A chat's ordered rows go out in outbox_id order; an unordered row (an edit that may wait for
-- its moment, like a card drawn again) neither waits for them nor holds them up. priority
-- orders the chats (0 first: relays).
CREATE TABLE outbox (
    outbox_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL,
    kind                TEXT NOT NULL,
    payload             TEXT NOT NULL DEFAULT '{}',
    priority            INTEGER NOT NULL DEFAULT 0,
    ordered             INTEGER NOT NULL DEFAULT 1,
    coalesce_key        TEXT,
    state               TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'skipped')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    uncertain           INTEGER NOT NULL DEFAULT 0,
    not_before          TEXT,
    reason              TEXT,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    telegram_message_id INTEGER
);
CREATE INDEX outbox_due ON outbox (state, priority, outbox_id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_chat ON outbox (chat_id, outbox_id) WHERE state IN ('pending', 'sending');
-- At most one pending row per coalesce key: a card is redrawn once, however many changes wait.
CREATE UNIQUE INDEX outbox_coalesced ON outbox (coalesce_key) WHERE state = 'pending';
CREATE INDEX outbox_finished ON outbox (sent_at) WHERE state = 'sent';
CREATE INDEX outbox_key ON outbox (coalesce_key, state) WHERE coalesce_key IS NOT NULL;
