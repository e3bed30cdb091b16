-- 008: introductions between associations, and calls (oproepen) to many of them.

-- A request of one association (association_id, the asker) to be introduced to another. The
-- first answer of the other's board decides; an open request expires after 14 days.
CREATE TABLE introductions (
    introduction_id   INTEGER PRIMARY KEY,
    association_id    INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    to_association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    note              TEXT NOT NULL,
    asked_by          INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    state             TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'accepted', 'declined', 'expired')),
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    decided_by        INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    decided_at        TEXT
);
CREATE INDEX introductions_asker ON introductions (association_id, state);
CREATE INDEX introductions_asked ON introductions (to_association_id, state);
CREATE INDEX introductions_open ON introductions (expires_at) WHERE state = 'open';

-- Where each board member of the asked association got the request: its buttons act only
-- there, and the others' copies are edited to say who decided.
CREATE TABLE introduction_messages (
    introduction_id INTEGER NOT NULL REFERENCES introductions (introduction_id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL,
    PRIMARY KEY (introduction_id, user_id)
) WITHOUT ROWID;

-- A call of one association (association_id) to the boards of listed associations of some
-- kinds, open through its last day (until, YYYY-MM-DD in the municipality's calendar).
CREATE TABLE calls (
    call_id          INTEGER PRIMARY KEY,
    association_id   INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    purpose          TEXT NOT NULL
        CHECK (purpose IN ('partners', 'volunteers', 'borrow', 'lend', 'venue')),
    text             TEXT NOT NULL,
    file_id          TEXT,
    kinds            TEXT NOT NULL,             -- comma separated association kinds
    until            TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'withdrawn')),
    recipients       INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    closed_at        TEXT,
    closed_by        INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    withdrawn_reason TEXT,
    topic_chat_id    INTEGER,
    topic_message_id INTEGER
);
CREATE INDEX calls_association ON calls (association_id, state);

-- An answer of another association (association_id) to a call; its contact goes with it only
-- when the respondent agreed.
CREATE TABLE call_answers (
    answer_id      INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    text           TEXT NOT NULL,
    file_id        TEXT,
    with_contact   INTEGER NOT NULL DEFAULT 0,
    answered_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX call_answers_call ON call_answers (call_id);
