"""Threads, their messages, and every Telegram message that shows one (copies, cards)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.threads import (
    Direction,
    MessageCopy,
    MessagePart,
    Subject,
    Thread,
    ThreadMessage,
    ThreadState,
    ThreadStatus,
    after_close,
    after_message,
    after_reopen,
    opened,
    reopens,
)
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_THREAD_SQL = """
SELECT t.thread_id, t.association_id, a.name AS association_name, t.kapstok, t.status,
       t.opened_by, t.opened_at, t.owner_id, t.owner_name, t.waiting_since, t.nudged_at,
       t.closed_at, t.closed_by_name, t.updated_at, t.card_chat_id, t.card_message_id,
       s.subject_id, s.kapstok AS subject_kapstok, s.name_nl, s.name_fr, s.name_en
FROM threads t JOIN associations a USING (association_id) JOIN subjects s USING (subject_id)
"""

_MESSAGE_COLUMNS = """
message_id, thread_id, direction, author_id, author_name, kind, text, media_group_id,
source_chat_id, source_message_id, created_at, edited_at, delivered_at
"""


def _thread(row: Row) -> Thread:
    return Thread(
        thread_id=row["thread_id"],
        association_id=row["association_id"],
        association_name=row["association_name"],
        kapstok=row["kapstok"],
        status=ThreadStatus(row["status"]),
        opened_by=row["opened_by"],
        opened_at=from_text(row["opened_at"]),
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        waiting_since=from_text(row["waiting_since"]),
        nudged_at=from_text(row["nudged_at"]),
        closed_at=from_text(row["closed_at"]),
        closed_by_name=row["closed_by_name"],
        updated_at=from_text(row["updated_at"]),
        card_chat_id=row["card_chat_id"],
        card_message_id=row["card_message_id"],
        subject=Subject(
            row["subject_id"],
            row["subject_kapstok"],
            {"nl": row["name_nl"], "fr": row["name_fr"], "en": row["name_en"]},
        ),
    )


def _message(row: Row) -> ThreadMessage:
    return ThreadMessage(
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        direction=Direction(row["direction"]),
        author_id=row["author_id"],
        author_name=row["author_name"],
        kind=row["kind"],
        text=row["text"],
        media_group_id=row["media_group_id"],
        source_chat_id=row["source_chat_id"],
        source_message_id=row["source_message_id"],
        created_at=from_text(row["created_at"]),
        edited_at=from_text(row["edited_at"]),
        delivered_at=from_text(row["delivered_at"]),
    )


def _copy(row: Row) -> MessageCopy:
    return MessageCopy(row["chat_id"], row["telegram_message_id"], row["message_id"], row["part"])


class ThreadRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- threads ----------------------------------------------------------------------------

    async def thread(self, thread_id: int) -> Thread | None:
        row = await self._db.fetchone(_THREAD_SQL + " WHERE t.thread_id = ?", (thread_id,))
        return _thread(row) if row else None

    async def open(
        self,
        association_id: int,
        subject: Subject,
        opened_by: int,
        author_name: str,
        parts: Sequence[MessagePart],
    ) -> tuple[Thread, list[ThreadMessage]]:
        """Start a thread with the member's first message (one or more parts of an album)."""
        now = self._db.now()
        state = opened(now)
        async with self._db.transaction():
            thread_id = await self._db.insert(
                "INSERT INTO threads (association_id, kapstok, subject_id, status, opened_by,"
                " opened_at, waiting_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    association_id,
                    subject.kapstok,
                    subject.subject_id,
                    state.status.value,
                    opened_by,
                    to_text(now),
                    to_text(state.waiting_since),
                    to_text(now),
                ),
            )
            messages = [
                await self._insert_message(
                    thread_id, Direction.IN, opened_by, author_name, part, now
                )
                for part in parts
            ]
            thread = await self.thread(thread_id)
        return thread, messages

    async def _insert_message(
        self,
        thread_id: int,
        direction: Direction,
        author_id: int,
        author_name: str,
        part: MessagePart,
        now: datetime,
    ) -> ThreadMessage:
        message_id = await self._db.insert(
            "INSERT INTO thread_messages (thread_id, direction, author_id, author_name, kind,"
            " text, media_group_id, source_chat_id, source_message_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                thread_id,
                direction.value,
                author_id,
                author_name,
                part.kind,
                part.text,
                part.media_group_id,
                part.chat_id,
                part.message_id,
                to_text(now),
            ),
        )
        return ThreadMessage(
            message_id=message_id,
            thread_id=thread_id,
            direction=direction,
            author_id=author_id,
            author_name=author_name,
            kind=part.kind,
            text=part.text,
            media_group_id=part.media_group_id,
            source_chat_id=part.chat_id,
            source_message_id=part.message_id,
            created_at=datetime.fromisoformat(to_text(now)),
            edited_at=None,
            delivered_at=None,
        )

    async def _write_state(
        self, thread: Thread, state: ThreadState, now: datetime, closed_by: int | None = None
    ) -> Thread:
        await self._db.write(
            "UPDATE threads SET status = ?, waiting_since = ?, closed_at = ?, closed_by_name = ?,"
            " closed_by = ?, updated_at = ? WHERE thread_id = ?",
            (
                state.status.value,
                to_text(state.waiting_since) if state.waiting_since else None,
                to_text(state.closed_at) if state.closed_at else None,
                state.closed_by_name,
                closed_by if state.closed_at else None,
                to_text(now),
                thread.thread_id,
            ),
        )
        return thread.with_state(state, datetime.fromisoformat(to_text(now)))

    async def add_message(
        self,
        thread: Thread,
        direction: Direction,
        author_id: int,
        author_name: str,
        part: MessagePart,
    ) -> tuple[Thread, ThreadMessage, bool]:
        """Add a message to the thread and move it to the state the domain decides; True when
        this reopened a closed thread."""
        now = self._db.now()
        current = thread
        async with self._db.transaction():
            message = await self._insert_message(
                thread.thread_id, direction, author_id, author_name, part, now
            )
            updated = await self._write_state_if_unchanged(
                current, after_message(current.state, direction, now), now
            )
            if updated is None:  # the thread changed since it was read: decide on what is now
                current = await self.thread(thread.thread_id)
                updated = await self._write_state(
                    current, after_message(current.state, direction, now), now
                )
        return updated, message, reopens(current.state, direction)

    async def _write_state_if_unchanged(
        self, thread: Thread, state: ThreadState, now: datetime
    ) -> Thread | None:
        """Write the new state if the stored one is still the thread's; None if it is not."""
        before = thread.state
        changed = await self._db.write(
            "UPDATE threads SET status = ?, waiting_since = ?, closed_at = ?, closed_by_name = ?,"
            " closed_by = NULL, updated_at = ? WHERE thread_id = ? AND status = ?"
            " AND waiting_since IS ? AND closed_at IS ?",
            (
                state.status.value,
                to_text(state.waiting_since) if state.waiting_since else None,
                to_text(state.closed_at) if state.closed_at else None,
                state.closed_by_name,
                to_text(now),
                thread.thread_id,
                before.status.value,
                to_text(before.waiting_since) if before.waiting_since else None,
                to_text(before.closed_at) if before.closed_at else None,
            ),
        )
        if changed != 1:
            return None
        return thread.with_state(state, datetime.fromisoformat(to_text(now)))

    async def close(
        self, thread: Thread, closed_by_name: str, closed_by: int | None = None
    ) -> tuple[Thread, bool]:
        """Close a thread (by this person: their name, and their user id so that forgetting
        them erases the name); False when it already was closed."""
        now = self._db.now()
        async with self._db.transaction():
            current = await self.thread(thread.thread_id)
            state = after_close(current.state, closed_by_name, now)
            if state is None:
                return current, False
            return await self._write_state(current, state, now, closed_by), True

    async def reopen(self, thread: Thread) -> tuple[Thread, bool]:
        """Reopen a closed thread, waiting for the municipality; False if it was not closed."""
        now = self._db.now()
        async with self._db.transaction():
            current = await self.thread(thread.thread_id)
            state = after_reopen(current.state, now)
            if state is None:
                return current, False
            return await self._write_state(current, state, now), True

    async def take(self, thread: Thread, owner_id: int, owner_name: str) -> tuple[Thread, bool]:
        """Make the liaison the owner if nobody owns the thread, in one write (two liaisons
        pressing at once: one gets it); False when someone else had it."""
        changed = await self._db.write(
            "UPDATE threads SET owner_id = ?, owner_name = ?"
            " WHERE thread_id = ? AND (owner_id IS NULL OR owner_id = ?)",
            (owner_id, owner_name, thread.thread_id, owner_id),
        )
        return await self.thread(thread.thread_id), changed == 1

    async def of_association(self, association_id: int, closed_limit: int = 10) -> list[Thread]:
        """Open and answered threads first (oldest first), then the most recent closed ones."""
        active = await self._db.fetchall(
            _THREAD_SQL + " WHERE t.association_id = ? AND t.status <> 'closed'"
            " ORDER BY t.thread_id",
            (association_id,),
        )
        closed = await self._db.fetchall(
            _THREAD_SQL + " WHERE t.association_id = ? AND t.status = 'closed'"
            " ORDER BY t.updated_at DESC, t.thread_id DESC LIMIT ?",
            (association_id, closed_limit),
        )
        return [_thread(row) for row in active + closed]

    async def waiting(self, owner_id: int | None = None) -> list[Thread]:
        """Threads not closed, oldest waiting first; only one liaison's when owner_id is given."""
        rows = await self._db.fetchall(
            _THREAD_SQL + " WHERE t.status <> 'closed' AND (? IS NULL OR t.owner_id = ?)"
            " ORDER BY t.status = 'answered', coalesce(t.waiting_since, t.updated_at),"
            " t.thread_id",
            (owner_id, owner_id),
        )
        return [_thread(row) for row in rows]

    async def set_card(self, thread_id: int, chat_id: int, message_id: int) -> None:
        await self._db.write(
            "UPDATE threads SET card_chat_id = ?, card_message_id = ? WHERE thread_id = ?",
            (chat_id, message_id, thread_id),
        )

    async def forget_cards(self, association_id: int) -> None:
        """The association's cards are gone (its topic was deleted): post new ones when needed."""
        await self._db.write(
            "UPDATE threads SET card_chat_id = NULL, card_message_id = NULL"
            " WHERE association_id = ?",
            (association_id,),
        )

    async def contact_person(self, association_id: int) -> str | None:
        """The liaison officer who handled the association's most recent thread."""
        row = await self._db.fetchone(
            "SELECT owner_name AS name FROM threads"
            " WHERE association_id = ? AND owner_name IS NOT NULL"
            " ORDER BY updated_at DESC, thread_id DESC LIMIT 1",
            (association_id,),
        )
        if row is None:
            row = await self._db.fetchone(
                "SELECT m.author_name AS name FROM thread_messages m JOIN threads t USING"
                " (thread_id) WHERE t.association_id = ? AND m.direction = 'out'"
                " ORDER BY m.message_id DESC LIMIT 1",
                (association_id,),
            )
        return row["name"] if row else None

    async def to_nudge(self) -> list[Thread]:
        """Threads waiting for the municipality that were not nudged since they started waiting."""
        rows = await self._db.fetchall(
            _THREAD_SQL + " WHERE t.status = 'open' AND t.waiting_since IS NOT NULL"
            " AND (t.nudged_at IS NULL OR t.nudged_at < t.waiting_since)"
            " ORDER BY t.waiting_since"
        )
        return [_thread(row) for row in rows]

    async def mark_nudged(self, thread_id: int, at: datetime) -> None:
        await self._db.write(
            "UPDATE threads SET nudged_at = ? WHERE thread_id = ?", (to_text(at), thread_id)
        )

    # --- messages and their copies -----------------------------------------------------------

    async def message(self, message_id: int) -> ThreadMessage | None:
        row = await self._db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE message_id = ?", (message_id,)
        )
        return _message(row) if row else None

    async def messages(self, thread_id: int) -> list[ThreadMessage]:
        rows = await self._db.fetchall(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE thread_id = ?"
            " ORDER BY message_id",
            (thread_id,),
        )
        return [_message(row) for row in rows]

    async def first_message(self, thread_id: int) -> ThreadMessage | None:
        row = await self._db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE thread_id = ?"
            " ORDER BY message_id LIMIT 1",
            (thread_id,),
        )
        return _message(row) if row else None

    async def last_message(self, thread_id: int) -> ThreadMessage | None:
        row = await self._db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE thread_id = ?"
            " ORDER BY message_id DESC LIMIT 1",
            (thread_id,),
        )
        return _message(row) if row else None

    async def message_by_source(self, chat_id: int, message_id: int) -> ThreadMessage | None:
        row = await self._db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages"
            " WHERE source_chat_id = ? AND source_message_id = ?",
            (chat_id, message_id),
        )
        return _message(row) if row else None

    async def message_in_thread(self, message_id: int) -> tuple[ThreadMessage, Thread] | None:
        """A message and its thread, in one read."""
        row = await self._db.fetchone(
            _THREAD_SQL.replace(
                "FROM threads t",
                ", m.message_id, m.direction, m.author_id, m.author_name, m.kind, m.text,"
                " m.media_group_id, m.source_chat_id, m.source_message_id, m.created_at,"
                " m.edited_at, m.delivered_at FROM thread_messages m JOIN threads t"
                " ON t.thread_id = m.thread_id",
            )
            + " WHERE m.message_id = ?",
            (message_id,),
        )
        return (_message(row), _thread(row)) if row else None

    async def thread_of_copy(self, chat_id: int, telegram_message_id: int) -> Thread | None:
        """The thread a Telegram message shows (a copy, a card, or the original), in one read."""
        row = await self._db.fetchone(
            _THREAD_SQL + " WHERE t.thread_id = (SELECT m.thread_id FROM thread_messages m"
            " WHERE m.message_id = (SELECT message_id FROM message_copies"
            "  WHERE chat_id = ? AND telegram_message_id = ?)"
            " UNION ALL SELECT thread_id FROM thread_messages"
            "  WHERE source_chat_id = ? AND source_message_id = ? LIMIT 1)",
            (chat_id, telegram_message_id, chat_id, telegram_message_id),
        )
        return _thread(row) if row else None

    async def message_by_copy(self, chat_id: int, telegram_message_id: int) -> ThreadMessage | None:
        """The thread message that a Telegram message shows (a copy, a card, or the original)."""
        row = await self._db.fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE message_id = ("
            " SELECT message_id FROM message_copies WHERE chat_id = ? AND telegram_message_id = ?)",
            (chat_id, telegram_message_id),
        )
        return _message(row) if row else await self.message_by_source(chat_id, telegram_message_id)

    async def add_copy(
        self, message_id: int, chat_id: int, telegram_message_id: int, part: int = 0
    ) -> None:
        await self._db.write(
            "INSERT INTO message_copies (chat_id, telegram_message_id, message_id, part)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (chat_id, telegram_message_id, message_id, part),
        )

    async def copies(self, message_id: int) -> list[MessageCopy]:
        rows = await self._db.fetchall(
            "SELECT chat_id, telegram_message_id, message_id, part FROM message_copies"
            " WHERE message_id = ? ORDER BY chat_id, part",
            (message_id,),
        )
        return [_copy(row) for row in rows]

    async def edit_text(self, message_id: int, text: str) -> None:
        await self._db.write(
            "UPDATE thread_messages SET text = ?, edited_at = ? WHERE message_id = ?",
            (text, to_text(self._db.now()), message_id),
        )

    async def mark_delivered(self, message_id: int) -> None:
        await self._db.write(
            "UPDATE thread_messages SET delivered_at = ?, failed_attempts = 0 WHERE message_id = ?",
            (to_text(self._db.now()), message_id),
        )

    async def never_relayed(self) -> list[ThreadMessage]:
        """Members' messages not in the liaison group, for which the outbox holds no row."""
        rows = await self._db.fetchall(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages m"
            " WHERE m.direction = 'in' AND m.delivered_at IS NULL AND NOT EXISTS ("
            "  SELECT 1 FROM outbox o WHERE"
            "  (o.kind = 'relay_to_group' AND json_extract(o.payload, '$.message_id')"
            "   = m.message_id)"
            "  OR (o.kind = 'thread_card' AND json_extract(o.payload, '$.thread_id')"
            "   = m.thread_id AND m.message_id = (SELECT MIN(message_id) FROM thread_messages"
            "   WHERE thread_id = m.thread_id)))"
            " ORDER BY m.message_id"
        )
        return [_message(row) for row in rows]

    async def written_by(self, user_id: int) -> tuple[int, int]:
        """How many messages this person wrote, and in how many threads."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS messages, COUNT(DISTINCT thread_id) AS threads"
            " FROM thread_messages WHERE author_id = ?",
            (user_id,),
        )
        return row["messages"], row["threads"]

    async def closed_by(self, user_id: int, name: str | None = None) -> int:
        """How many threads this person closed (by id; by name those closed before ids were
        kept)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM threads WHERE closed_by = ?"
            " OR (closed_by IS NULL AND closed_by_name = ?)",
            (user_id, name),
        )
        return row["n"]

    async def owned_by(self, user_id: int) -> int:
        """How many threads this liaison officer owns."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM threads WHERE owner_id = ?", (user_id,)
        )
        return row["n"]

    async def forget_person(
        self, user_id: int, name: str | None = None
    ) -> tuple[list[int], list[int]]:
        """What the person wrote stays with the association, without their name or user id;
        they no longer own or closed anything; the copies in their private chat are forgotten
        (Kapstok will not reach them there again). `name`: their full name, for the threads
        they closed before the closer's id was kept.

        Return the messages they wrote and the threads whose card named them (as the one who
        asked, or as its owner), to be drawn again."""
        messages = await self._db.fetchall(
            "SELECT message_id FROM thread_messages WHERE author_id = ? ORDER BY message_id",
            (user_id,),
        )
        threads = await self._db.fetchall(
            "SELECT thread_id FROM threads WHERE owner_id = ? OR opened_by = ? ORDER BY thread_id",
            (user_id, user_id),
        )
        await self._db.write(
            "UPDATE thread_messages SET author_id = NULL, author_name = NULL WHERE author_id = ?",
            (user_id,),
        )
        # Their own messages came from their private chat: its id goes. The source stays
        # unique (the index) with the row's own number, negative: no Telegram message has it.
        await self._db.write(
            "UPDATE thread_messages SET source_chat_id = 0, source_message_id = -message_id"
            " WHERE source_chat_id = ?",
            (user_id,),
        )
        await self._db.write("DELETE FROM message_copies WHERE chat_id = ?", (user_id,))
        await self._db.write(
            "UPDATE threads SET owner_id = NULL, owner_name = NULL WHERE owner_id = ?",
            (user_id,),
        )
        await self._db.write(
            "UPDATE threads SET closed_by = NULL, closed_by_name = NULL WHERE closed_by = ?"
            " OR (closed_by IS NULL AND closed_by_name = ?)",
            (user_id, name),
        )
        await self._db.write("UPDATE threads SET opened_by = NULL WHERE opened_by = ?", (user_id,))
        return [row["message_id"] for row in messages], [row["thread_id"] for row in threads]
