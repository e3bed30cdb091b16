-- 007: kapstok 3's directory. An association's public profile: opt-in (listed only once a board member turns it on), what it offers and looks for, and how to reach it.
CREATE TABLE association_profiles (
    association_id  INTEGER PRIMARY KEY REFERENCES associations (association_id) ON DELETE CASCADE,
    listed          INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    description     TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'nl',   -- the description's language (its stems)
    contact_kind    TEXT CHECK (contact_kind IN ('member', 'phone', 'email')),
    -- A board member as the contact: shown by name and @username, while they are on the board.
    contact_user_id INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    -- A phone number or e-mail address as a board member typed it.
    contact_text    TEXT,
    -- Who chose the contact: a phone or e-mail they typed goes when they are forgotten.
    contact_set_by  INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX association_profiles_contact_user ON association_profiles (contact_user_id)
    WHERE contact_user_id IS NOT NULL;
CREATE INDEX association_profiles_contact_set_by ON association_profiles (contact_set_by)
    WHERE contact_set_by IS NOT NULL;

-- What a profile says the association offers ('offers') and looks for ('needs').
CREATE TABLE association_offers (
    association_id INTEGER NOT NULL
        REFERENCES association_profiles (association_id) ON DELETE CASCADE,
    side           TEXT NOT NULL CHECK (side IN ('offers', 'needs')),
    offer          TEXT NOT NULL
        CHECK (offer IN ('volunteers', 'gear', 'venue', 'know_how', 'co_organising')),
    PRIMARY KEY (association_id, side, offer)
) WITHOUT ROWID;
CREATE INDEX association_offers_offer ON association_offers (side, offer);
