-- 011: kapstok 5's lending service and subsidies: the gear catalog, requests for gear and for
-- subsidies followed to their end (one numbering, one history), and activities' dossiers.

-- Moments are UTC text (storage/timestamps.py); calendar days are yyyy-mm-dd in the
-- municipality's time zone. Amounts are whole cents of a euro.

-- The lending service's catalog, kept by liaison officers. kinds: the association kinds that
-- may borrow the item, comma-separated (empty: every kind). A removed item keeps its row
-- (active 0) for the requests that name it.
CREATE TABLE gear_items (
    item_id           INTEGER PRIMARY KEY,
    name_nl           TEXT NOT NULL,
    name_fr           TEXT,
    name_en           TEXT,
    category          TEXT NOT NULL,
    stock             INTEGER NOT NULL CHECK (stock >= 0),
    unit              TEXT NOT NULL DEFAULT '',
    photo_file_id     TEXT,
    deposit_cents     INTEGER NOT NULL DEFAULT 0 CHECK (deposit_cents >= 0),
    min_lead_days     INTEGER NOT NULL DEFAULT 0 CHECK (min_lead_days >= 0),
    max_lead_days     INTEGER NOT NULL DEFAULT 365 CHECK (max_lead_days >= min_lead_days),
    max_loan_days     INTEGER NOT NULL DEFAULT 14 CHECK (max_loan_days >= 1),
    kinds             TEXT NOT NULL DEFAULT '',
    needs_recognition INTEGER NOT NULL DEFAULT 0 CHECK (needs_recognition IN (0, 1)),
    note              TEXT NOT NULL DEFAULT '',
    pick_up_info      TEXT NOT NULL DEFAULT '',
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX gear_items_name ON gear_items (lower(name_nl)) WHERE active = 1;
CREATE INDEX gear_items_category ON gear_items (category, name_nl) WHERE active = 1;

-- Every request for support, gear or subsidy, numbered together (request #N) and followed to
-- its end. status per kind: bot/domain/requests.py. card_message_id: the request's card in the
-- association's topic; thread_id: the thread a liaison's question opened.
CREATE TABLE support_requests (
    request_id      INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('gear', 'subsidy')),
    association_id  INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    requested_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    status          TEXT NOT NULL,
    activity_id     INTEGER REFERENCES activities (activity_id) ON DELETE SET NULL,
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    card_message_id INTEGER,
    thread_id       INTEGER REFERENCES threads (thread_id) ON DELETE SET NULL
);
CREATE INDEX support_requests_association ON support_requests (association_id, request_id);
CREATE INDEX support_requests_status ON support_requests (status, created_at);
CREATE INDEX support_requests_activity ON support_requests (activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX support_requests_requested_by ON support_requests (requested_by);
CREATE INDEX support_requests_created ON support_requests (created_at);

-- A request's history: who did what, when. event is the status it moved to, or 'asked',
-- 'edited', 'noted'; detail is free text of the event (a reason, a note, a question).
CREATE TABLE request_events (
    event_id   INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES support_requests (request_id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor      INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    event      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    cents      INTEGER
);
CREATE INDEX request_events_request ON request_events (request_id, event_id);
CREATE INDEX request_events_actor ON request_events (actor);

-- A gear request's period and what happened at the desk. The reminders are marked once sent:
-- the day before pick-up, on the return day, the overdue ones to the board (a count, at most
-- 3) and the one in the topic.
CREATE TABLE gear_requests (
    request_id         INTEGER PRIMARY KEY REFERENCES support_requests (request_id) ON DELETE CASCADE,
    pick_up            TEXT NOT NULL,
    return_on          TEXT NOT NULL,
    deposit_received   INTEGER CHECK (deposit_received IN (0, 1)),
    returned_in_order  INTEGER CHECK (returned_in_order IN (0, 1)),
    return_note        TEXT,
    damage_photo       TEXT,
    deposit_kept_cents INTEGER CHECK (deposit_kept_cents >= 0),
    reminded_pick_up   INTEGER NOT NULL DEFAULT 0,
    reminded_return    INTEGER NOT NULL DEFAULT 0,
    overdue_reminders  INTEGER NOT NULL DEFAULT 0,
    overdue_in_topic   INTEGER NOT NULL DEFAULT 0,
    CHECK (return_on >= pick_up)
);
CREATE INDEX gear_requests_period ON gear_requests (pick_up, return_on);
CREATE INDEX gear_requests_return ON gear_requests (return_on);

-- The items of a gear request: the quantity asked, the quantity approved once decided, and the
-- deposit per piece when it was asked (a later change of the catalog does not change it).
CREATE TABLE gear_request_lines (
    request_id    INTEGER NOT NULL REFERENCES gear_requests (request_id) ON DELETE CASCADE,
    item_id       INTEGER NOT NULL REFERENCES gear_items (item_id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    approved      INTEGER CHECK (approved >= 0 AND approved <= quantity),
    deposit_cents INTEGER NOT NULL DEFAULT 0 CHECK (deposit_cents >= 0),
    PRIMARY KEY (request_id, item_id)
) WITHOUT ROWID;
CREATE INDEX gear_request_lines_item ON gear_request_lines (item_id, request_id);

-- Subsidy types, defined by liaison officers. attachments: what is asked for, one per line.
CREATE TABLE subsidy_types (
    type_id           INTEGER PRIMARY KEY,
    name_nl           TEXT NOT NULL,
    name_fr           TEXT,
    name_en           TEXT,
    description_nl    TEXT NOT NULL DEFAULT '',
    description_fr    TEXT,
    description_en    TEXT,
    max_cents         INTEGER NOT NULL CHECK (max_cents > 0),
    needs_recognition INTEGER NOT NULL DEFAULT 0 CHECK (needs_recognition IN (0, 1)),
    attachments       TEXT NOT NULL DEFAULT '',
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- A type's deadlines in every year (a month and a day).
CREATE TABLE subsidy_deadlines (
    type_id INTEGER NOT NULL REFERENCES subsidy_types (type_id) ON DELETE CASCADE,
    month   INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day     INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    PRIMARY KEY (type_id, month, day)
) WITHOUT ROWID;

-- A subsidy request: the amount asked, the amount granted once approved, paid on a day.
CREATE TABLE subsidy_requests (
    request_id    INTEGER PRIMARY KEY REFERENCES support_requests (request_id) ON DELETE CASCADE,
    type_id       INTEGER NOT NULL REFERENCES subsidy_types (type_id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    granted_cents INTEGER CHECK (granted_cents > 0 AND granted_cents <= amount_cents),
    purpose       TEXT NOT NULL,
    paid_on       TEXT
);
CREATE INDEX subsidy_requests_type ON subsidy_requests (type_id);

-- Deadline reminders sent: once per type, association, deadline and number of days before.
CREATE TABLE subsidy_reminders (
    type_id        INTEGER NOT NULL REFERENCES subsidy_types (type_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    deadline       TEXT NOT NULL,
    days           INTEGER NOT NULL,
    PRIMARY KEY (type_id, association_id, deadline, days)
) WITHOUT ROWID;

-- Files sent with a request (kind document or photo); label: what was asked for, if any.
CREATE TABLE request_attachments (
    attachment_id  INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES support_requests (request_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('document', 'photo')),
    file_id        TEXT NOT NULL,
    file_unique_id TEXT NOT NULL,
    file_name      TEXT,
    file_size      INTEGER,
    label          TEXT NOT NULL DEFAULT '',
    added_by       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX request_attachments_request ON request_attachments (request_id, attachment_id);
CREATE INDEX request_attachments_added_by ON request_attachments (added_by);

-- An activity's evidence, added by its board with *Add to the dossier*: photos, flyers,
-- documents (kept for the yearly report).
CREATE TABLE activity_evidence (
    evidence_id    INTEGER PRIMARY KEY,
    activity_id    INTEGER NOT NULL REFERENCES activities (activity_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('document', 'photo')),
    file_id        TEXT NOT NULL,
    file_unique_id TEXT NOT NULL,
    file_name      TEXT,
    caption        TEXT NOT NULL DEFAULT '',
    added_by       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX activity_evidence_activity ON activity_evidence (activity_id, evidence_id);
CREATE INDEX activity_evidence_added_by ON activity_evidence (added_by);

-- A liaison's question about a request opens a thread under kapstok 5 with a subject of its
-- own (never offered to a member asking something: not active).
INSERT INTO subjects (kapstok, name_nl, name_fr, name_en, active, purpose) VALUES
    (5, 'Aanvraag', 'Demande', 'Request', 0, 'request');
