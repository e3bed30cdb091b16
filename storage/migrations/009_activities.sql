-- 009: activities (kapstok 4): organised by one association with partners, a calendar, reminders, and how it went.

-- Moments are UTC text (storage/timestamps.py); place_key compares places loosely
-- (bot/domain/activities.py place_key). sequence goes up with every change (iCalendar SEQUENCE),
-- uid stays the same for ever (iCalendar UID).
CREATE TABLE activities (
    activity_id         INTEGER PRIMARY KEY,
    association_id      INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    title               TEXT NOT NULL,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    place               TEXT NOT NULL,
    place_key           TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    public              INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    state               TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'cancelled')),
    sequence            INTEGER NOT NULL DEFAULT 0,
    uid                 TEXT NOT NULL UNIQUE,
    created_by          INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    reminded_at         TEXT,           -- the day-before reminder was queued
    evaluation_asked_at TEXT,           -- the organiser's board was asked how it went
    CHECK (ends_at > starts_at)
);
CREATE INDEX activities_starts ON activities (starts_at);
CREATE INDEX activities_association ON activities (association_id, starts_at);
CREATE INDEX activities_created_by ON activities (created_by);

-- The associations an organiser asked along; the first answer of their board decides.
CREATE TABLE activity_partners (
    activity_id    INTEGER NOT NULL REFERENCES activities (activity_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    status         TEXT NOT NULL DEFAULT 'invited'
        CHECK (status IN ('invited', 'confirmed', 'declined')),
    answered_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    answered_at    TEXT,
    PRIMARY KEY (activity_id, association_id)
) WITHOUT ROWID;
CREATE INDEX activity_partners_association ON activity_partners (association_id, activity_id);
CREATE INDEX activity_partners_answered_by ON activity_partners (answered_by);

-- How it went, as the organiser's board answered the day after: a score of 1 to 5, a comment,
-- whether everything borrowed is back; a low score's thread for the municipality.
CREATE TABLE activity_evaluations (
    activity_id  INTEGER PRIMARY KEY REFERENCES activities (activity_id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES associations (association_id) ON DELETE CASCADE,
    score        INTEGER CHECK (score BETWEEN 1 AND 5),
    comment      TEXT,
    gear_back    INTEGER CHECK (gear_back IN (0, 1)),
    answered_by  INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    answered_at  TEXT,
    thread_id    INTEGER REFERENCES threads (thread_id) ON DELETE SET NULL
);
CREATE INDEX activity_evaluations_answered_by ON activity_evaluations (answered_by);

-- A low score after an activity opens a thread under kapstok 4, with a subject of its own
-- (never offered to a member asking something: not active).
INSERT INTO subjects (kapstok, name_nl, name_fr, name_en, active, purpose) VALUES
    (4, 'Activiteit', 'Activité', 'Activity', 0, 'activity');
