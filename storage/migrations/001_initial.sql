-- 001: users, associations and their board members, invite codes, liaison officers, persisted conversations
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT,
    username    TEXT,
    language    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE associations (
    association_id   INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    kind             TEXT NOT NULL
        CHECK (kind IN ('youth', 'sport', 'culture', 'welfare', 'neighbourhood', 'education', 'other')),
    description      TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    registered_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    registered_name  TEXT,
    registered_at    TEXT NOT NULL,
    decided_by       INTEGER,
    decided_by_name  TEXT,
    decided_at       TEXT,
    rejection_reason TEXT,
    card_chat_id     INTEGER,
    card_message_id  INTEGER
);

-- A rejected association frees its name, so its board can register it again.
CREATE UNIQUE INDEX associations_live_name ON associations (name_key) WHERE status <> 'rejected';

CREATE TABLE board_members (
    user_id        INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    joined_at      TEXT NOT NULL
);
CREATE INDEX board_members_association ON board_members (association_id);

CREATE TABLE invite_codes (
    code           TEXT PRIMARY KEY,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    created_by     INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_by        INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    used_at        TEXT
);
CREATE INDEX invite_codes_created_by ON invite_codes (created_by);

CREATE TABLE wrong_code_attempts (
    user_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL
);
CREATE INDEX wrong_code_attempts_user ON wrong_code_attempts (user_id, attempted_at);

-- Liaison officers can be appointed by user id before they ever wrote to the bot: no users row yet.
CREATE TABLE liaisons (
    user_id      INTEGER PRIMARY KEY,
    appointed_by INTEGER,
    appointed_at TEXT NOT NULL
);

CREATE TABLE conversation_states (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (name, key)
);

CREATE TABLE user_data (
    user_id INTEGER PRIMARY KEY,
    data    TEXT NOT NULL
);
