-- 004: forgetting a person leaves nothing that names them (Store.forget_person).
-- Who closed a thread is kept by id as well as by name, so that the name can be erased when that
-- person is forgotten. Threads closed before this migration have no id: forgetting matches
-- their closed_by_name (see ThreadRepository.forget_person).
ALTER TABLE threads ADD COLUMN closed_by INTEGER;
CREATE INDEX threads_closed_by ON threads (closed_by) WHERE closed_by IS NOT NULL;

-- Finding what a person wrote, took or created, without reading every row.
CREATE INDEX thread_messages_author ON thread_messages (author_id) WHERE author_id IS NOT NULL;
CREATE INDEX threads_owner ON threads (owner_id) WHERE owner_id IS NOT NULL;
