-- 006: sending to many. Who wants which message, broadcasts, schedules and the barometer.

-- A board member who blocked the bot (403) is unreachable until they write to it again.
ALTER TABLE users ADD COLUMN unreachable_at TEXT;
-- "I'm on holiday until …": no optional message through that day (a date, YYYY-MM-DD).
ALTER TABLE users ADD COLUMN paused_until TEXT;
-- The kinds of optional message a person turned off (bot/domain/preferences.py).
CREATE TABLE messages_off (
    user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('news', 'checkins', 'calls', 'reminders')),
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- When the topic was told that nobody of the association's board can be reached; cleared when
-- one of them can be again.
ALTER TABLE associations ADD COLUMN unreachable_noticed_at TEXT;

-- The send to many an outbox row belongs to ('broadcast:7', 'round:3'): its report counts them.
ALTER TABLE outbox ADD COLUMN batch TEXT;
CREATE INDEX outbox_batch ON outbox (batch, state) WHERE batch IS NOT NULL;

-- A broadcast is written once, in one language, and sent as written. body is HTML (the
-- liaison's text, escaped, with its formatting); media a photo or document by file id.
CREATE TABLE broadcasts (
    broadcast_id      INTEGER PRIMARY KEY,
    author_id         INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    author_name       TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    media_kind        TEXT CHECK (media_kind IN ('photo', 'document')),
    file_id           TEXT,
    audience          TEXT NOT NULL,          -- JSON (bot/domain/audience.py)
    state             TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (state IN ('scheduled', 'sending', 'stopped', 'done', 'cancelled')),
    recipients        INTEGER NOT NULL DEFAULT 0,
    report_chat_id    INTEGER NOT NULL,
    report_topic      INTEGER,
    report_message_id INTEGER,
    send_at           TEXT,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT
);
CREATE INDEX broadcasts_author ON broadcasts (author_id);

-- What runs by itself: a barometer round, a check-in, or a broadcast written beforehand.
CREATE TABLE schedules (
    schedule_id     INTEGER PRIMARY KEY,
    created_by      INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    frequency       TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'once')),
    day             INTEGER,                  -- monthly, quarterly: day of the month
    on_date         TEXT,                     -- once: YYYY-MM-DD
    at_time         TEXT NOT NULL,            -- HH:MM, local (TIMEZONE)
    audience        TEXT NOT NULL,            -- JSON (bot/domain/audience.py)
    content         TEXT NOT NULL CHECK (content IN ('barometer', 'checkin', 'broadcast')),
    body            TEXT,                     -- check-in: the liaison's text, as HTML
    file_id         TEXT,                     -- check-in: an optional photo
    open_days       INTEGER NOT NULL DEFAULT 14,
    broadcast_id    INTEGER REFERENCES broadcasts (broadcast_id) ON DELETE CASCADE,
    paused          INTEGER NOT NULL DEFAULT 0,
    next_run_at     TEXT,                     -- NULL: nothing more to run
    last_run_at     TEXT,
    runs            INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);
CREATE INDEX schedules_next ON schedules (next_run_at) WHERE next_run_at IS NOT NULL;

CREATE TABLE barometer_rounds (
    round_id       INTEGER PRIMARY KEY,
    schedule_id    INTEGER REFERENCES schedules (schedule_id) ON DELETE SET NULL,
    opened_at      TEXT NOT NULL,
    closes_at      TEXT NOT NULL,
    reminded_at    TEXT,
    closed_at      TEXT,
    asked          INTEGER NOT NULL DEFAULT 0,  -- associations asked
    you_said       TEXT,                       -- "You said, we did", as HTML
    you_said_at    TEXT
);

-- One answer per association and round: the last board member's scores count.
CREATE TABLE barometer_answers (
    round_id         INTEGER NOT NULL REFERENCES barometer_rounds (round_id) ON DELETE CASCADE,
    association_id   INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    k1               INTEGER CHECK (k1 BETWEEN 1 AND 5),
    k2               INTEGER CHECK (k2 BETWEEN 1 AND 5),
    k3               INTEGER CHECK (k3 BETWEEN 1 AND 5),
    k4               INTEGER CHECK (k4 BETWEEN 1 AND 5),
    k5               INTEGER CHECK (k5 BETWEEN 1 AND 5),
    comment          TEXT,
    answered_by      INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    answered_by_name TEXT,
    submitted_at     TEXT,
    followed_up      TEXT NOT NULL DEFAULT '',  -- kapstok numbers a thread was opened for
    PRIMARY KEY (round_id, association_id)
) WITHOUT ROWID;

-- Where each board member's round message is, to draw it again as the board answers.
CREATE TABLE barometer_messages (
    round_id       INTEGER NOT NULL REFERENCES barometer_rounds (round_id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;
CREATE INDEX barometer_messages_association ON barometer_messages (round_id, association_id);

-- A low barometer score opens a thread under its kapstok, with a subject of its own (never
-- offered to a member asking something: not active).
ALTER TABLE subjects ADD COLUMN purpose TEXT;
INSERT INTO subjects (kapstok, name_nl, name_fr, name_en, active, purpose) VALUES
    (1, 'Barometer', 'Baromètre', 'Barometer', 0, 'barometer'),
    (2, 'Barometer', 'Baromètre', 'Barometer', 0, 'barometer'),
    (3, 'Barometer', 'Baromètre', 'Barometer', 0, 'barometer'),
    (4, 'Barometer', 'Baromètre', 'Barometer', 0, 'barometer'),
    (5, 'Barometer', 'Baromètre', 'Barometer', 0, 'barometer');
