-- 005: the FAQ's search index. Each entry keeps the stems of its question and of its answer
-- (bot/domain/textsearch.py), made when it is written: a search reads no entry's words again.
-- Entries of before (stems_version NULL), and entries stemmed by older rules, get their stems
-- from the store (FaqRepository.stem_missing), at start and before a search index is built.
ALTER TABLE faq_entries ADD COLUMN title_stems TEXT;      -- distinct stems, space-separated
ALTER TABLE faq_entries ADD COLUMN body_stems TEXT;
ALTER TABLE faq_entries ADD COLUMN stems_version INTEGER; -- textsearch.INDEX_VERSION of the stems

-- Every change of the FAQ in a language counts here, in the transaction that makes it: a search
-- index held in memory is good as long as the count it was built at is the count.
CREATE TABLE faq_generations (
    language   TEXT PRIMARY KEY CHECK (language IN ('nl', 'fr', 'en')),
    generation INTEGER NOT NULL
);
INSERT INTO faq_generations (language, generation) VALUES ('nl', 0), ('fr', 0), ('en', 0);

CREATE TRIGGER faq_entry_added AFTER INSERT ON faq_entries
BEGIN
    UPDATE faq_generations SET generation = generation + 1 WHERE language = NEW.language;
END;

CREATE TRIGGER faq_entry_changed AFTER UPDATE ON faq_entries
BEGIN
    UPDATE faq_generations SET generation = generation + 1
    WHERE language IN (OLD.language, NEW.language);
END;

CREATE TRIGGER faq_entry_removed AFTER DELETE ON faq_entries
BEGIN
    UPDATE faq_generations SET generation = generation + 1 WHERE language = OLD.language;
END;
