-- 002: guidance threads between associations and liaison officers, their subjects, the FAQ, snippets
CREATE TABLE subjects (
    subject_id INTEGER PRIMARY KEY,
    kapstok    INTEGER NOT NULL CHECK (kapstok BETWEEN 1 AND 5),
    name_nl    TEXT NOT NULL,
    name_fr    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1
);

INSERT INTO subjects (kapstok, name_nl, name_fr, name_en) VALUES
    (1, 'Een vraag aan de gemeente', 'Une question à la commune', 'A question for the municipality'),
    (1, 'Feedback over de samenwerking', 'Un avis sur la collaboration', 'Feedback on the cooperation'),
    (1, 'Kennismaken of afspreken', 'Faire connaissance ou fixer un rendez-vous', 'Getting acquainted or meeting'),
    (2, 'Vergunningen en regels', 'Autorisations et règles', 'Permits and rules'),
    (2, 'Zalen en infrastructuur', 'Salles et infrastructures', 'Venues and facilities'),
    (2, 'Erkenning en administratie', 'Reconnaissance et administration', 'Recognition and paperwork'),
    (2, 'Communicatie en promotie', 'Communication et promotion', 'Communication and promotion'),
    (2, 'Een andere vraag', 'Une autre question', 'Another question');

-- The forum topic of each association in the liaison group.
CREATE TABLE association_topics (
    association_id    INTEGER PRIMARY KEY REFERENCES associations (association_id) ON DELETE CASCADE,
    chat_id           INTEGER NOT NULL,
    message_thread_id INTEGER NOT NULL,
    name              TEXT NOT NULL
);

CREATE TABLE threads (
    thread_id      INTEGER PRIMARY KEY,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    kapstok        INTEGER NOT NULL CHECK (kapstok BETWEEN 1 AND 5),
    subject_id     INTEGER NOT NULL REFERENCES subjects (subject_id),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    opened_by      INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    opened_at      TEXT NOT NULL,
    owner_id       INTEGER,
    owner_name     TEXT,
    waiting_since  TEXT,
    nudged_at      TEXT,
    closed_at      TEXT,
    closed_by_name TEXT,
    updated_at     TEXT NOT NULL,
    card_chat_id    INTEGER,
    card_message_id INTEGER
);
CREATE INDEX threads_association ON threads (association_id, status);
CREATE INDEX threads_waiting ON threads (status, waiting_since);

CREATE TABLE thread_messages (
    message_id        INTEGER PRIMARY KEY,
    thread_id         INTEGER NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
    direction         TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    author_id         INTEGER,
    author_name       TEXT,
    kind              TEXT NOT NULL,
    text              TEXT NOT NULL DEFAULT '',
    media_group_id    TEXT,
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    edited_at         TEXT,
    delivered_at      TEXT,
    failed_attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX thread_messages_thread ON thread_messages (thread_id, message_id);
CREATE UNIQUE INDEX thread_messages_source ON thread_messages (source_chat_id, source_message_id);

-- Every Telegram message that shows a thread message: relayed copies, cards, confirmations.
CREATE TABLE message_copies (
    chat_id             INTEGER NOT NULL,
    telegram_message_id INTEGER NOT NULL,
    message_id          INTEGER NOT NULL REFERENCES thread_messages (message_id) ON DELETE CASCADE,
    part                INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, telegram_message_id)
);
CREATE INDEX message_copies_message ON message_copies (message_id);

CREATE TABLE faq_entries (
    faq_id     INTEGER PRIMARY KEY,
    kapstok    INTEGER NOT NULL CHECK (kapstok BETWEEN 1 AND 5),
    language   TEXT NOT NULL CHECK (language IN ('nl', 'fr', 'en')),
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE snippets (
    name       TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL
);
