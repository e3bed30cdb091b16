-- 010: recognition (kapstok 5): an association's recognition by the municipality, and its renewal reminders.

-- One row per association once a liaison officer recorded its recognition (no row: none).
-- renews_on is a calendar date (yyyy-mm-dd) of the municipality; recorded_at is UTC text
-- (storage/timestamps.py). last_reminder: the smallest number of days before renews_on that
-- the board was reminded of (bot/domain/recognition.py REMINDER_DAYS), NULL before the first.
CREATE TABLE association_recognition (
    association_id INTEGER PRIMARY KEY REFERENCES associations (association_id) ON DELETE CASCADE,
    status         TEXT NOT NULL
        CHECK (status IN ('none', 'applied', 'recognised', 'suspended', 'expired')),
    renews_on      TEXT,
    recorded_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    recorded_at    TEXT NOT NULL,
    last_reminder  INTEGER,
    CHECK (status <> 'recognised' OR renews_on IS NOT NULL)
);
CREATE INDEX association_recognition_renewal ON association_recognition (renews_on)
    WHERE status = 'recognised';
CREATE INDEX association_recognition_recorded_by ON association_recognition (recorded_by);
