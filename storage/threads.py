"""Threads, their messages and where they show in Telegram; subjects, topics, FAQ, snippets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from storage.models import (
    Direction,
    FaqEntry,
    MessageCopy,
    Snippet,
    Subject,
    Thread,
    ThreadMessage,
    ThreadStatus,
    Topic,
)
from storage.timestamps import from_text, to_text

_THREAD_SQL = """
SELECT t.thread_id, t.association_id, a.name, t.kapstok, t.status, t.opened_by,
       t.opened_at, t.owner_id, t.owner_name, t.waiting_since, t.nudged_at, t.closed_at,
       t.closed_by_name, t.updated_at, t.card_chat_id, t.card_message_id,
       s.subject_id, s.kapstok, s.name_nl, s.name_fr, s.name_en
FROM threads t JOIN associations a USING (association_id) JOIN subjects s USING (subject_id)
"""

_MESSAGE_COLUMNS = """
message_id, thread_id, direction, author_id, author_name, kind, text, media_group_id,
source_chat_id, source_message_id, created_at, edited_at, delivered_at
"""


def _thread(row: tuple) -> Thread:
    return Thread(
        thread_id=row[0],
        association_id=row[1],
        association_name=row[2],
        kapstok=row[3],
        status=ThreadStatus(row[4]),
        opened_by=row[5],
        opened_at=from_text(row[6]),
        owner_id=row[7],
        owner_name=row[8],
        waiting_since=from_text(row[9]),
        nudged_at=from_text(row[10]),
        closed_at=from_text(row[11]),
        closed_by_name=row[12],
        updated_at=from_text(row[13]),
        card_chat_id=row[14],
        card_message_id=row[15],
        subject=Subject(row[16], row[17], {"nl": row[18], "fr": row[19], "en": row[20]}),
    )


def _message(row: tuple) -> ThreadMessage:
    return ThreadMessage(
        message_id=row[0],
        thread_id=row[1],
        direction=Direction(row[2]),
        author_id=row[3],
        author_name=row[4],
        kind=row[5],
        text=row[6],
        media_group_id=row[7],
        source_chat_id=row[8],
        source_message_id=row[9],
        created_at=from_text(row[10]),
        edited_at=from_text(row[11]),
        delivered_at=from_text(row[12]),
    )


class ThreadQueries:
    """Mixed into Store: it provides _write, _fetchone, _fetchall, _transaction and now()."""

    # --- subjects ---------------------------------------------------------------------------

    async def subjects(self, kapstok: int | None = None) -> list[Subject]:
        rows = await self._fetchall(
            "SELECT subject_id, kapstok, name_nl, name_fr, name_en FROM subjects"
            " WHERE active = 1 AND (? IS NULL OR kapstok = ?) ORDER BY kapstok, subject_id",
            (kapstok, kapstok),
        )
        return [Subject(r[0], r[1], {"nl": r[2], "fr": r[3], "en": r[4]}) for r in rows]

    async def subject(self, subject_id: int) -> Subject | None:
        row = await self._fetchone(
            "SELECT subject_id, kapstok, name_nl, name_fr, name_en FROM subjects"
            " WHERE subject_id = ? AND active = 1",
            (subject_id,),
        )
        return Subject(row[0], row[1], {"nl": row[2], "fr": row[3], "en": row[4]}) if row else None

    async def add_subject(self, kapstok: int, nl: str, fr: str, en: str) -> Subject:
        async with (
            self._transaction() as conn,
            conn.execute(
                "INSERT INTO subjects (kapstok, name_nl, name_fr, name_en) VALUES (?, ?, ?, ?)",
                (kapstok, nl, fr, en),
            ) as cursor,
        ):
            subject_id = cursor.lastrowid
        return Subject(subject_id, kapstok, {"nl": nl, "fr": fr, "en": en})

    async def remove_subject(self, subject_id: int) -> bool:
        """Retire a subject: it is no longer offered; threads keep its name."""
        return (
            await self._write(
                "UPDATE subjects SET active = 0 WHERE subject_id = ? AND active = 1", (subject_id,)
            )
            == 1
        )

    # --- forum topics -----------------------------------------------------------------------

    async def topic(self, association_id: int) -> Topic | None:
        row = await self._fetchone(
            "SELECT association_id, chat_id, message_thread_id, name FROM association_topics"
            " WHERE association_id = ?",
            (association_id,),
        )
        return Topic(*row) if row else None

    async def topic_by_thread_id(self, chat_id: int, message_thread_id: int) -> Topic | None:
        row = await self._fetchone(
            "SELECT association_id, chat_id, message_thread_id, name FROM association_topics"
            " WHERE chat_id = ? AND message_thread_id = ?",
            (chat_id, message_thread_id),
        )
        return Topic(*row) if row else None

    async def save_topic(self, topic: Topic) -> None:
        await self._write(
            "INSERT INTO association_topics (association_id, chat_id, message_thread_id, name)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (association_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, message_thread_id = excluded.message_thread_id,"
            " name = excluded.name",
            (topic.association_id, topic.chat_id, topic.message_thread_id, topic.name),
        )

    # --- threads ----------------------------------------------------------------------------

    async def open_thread(
        self,
        association_id: int,
        subject: Subject,
        opened_by: int,
        author_name: str,
        parts: Iterable[dict],
    ) -> tuple[Thread, list[ThreadMessage]]:
        """Start a thread with the member's first message (one or more parts of an album)."""
        now = to_text(self.now())
        async with self._transaction() as conn:
            async with conn.execute(
                "INSERT INTO threads (association_id, kapstok, subject_id, opened_by, opened_at,"
                " waiting_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (association_id, subject.kapstok, subject.subject_id, opened_by, now, now, now),
            ) as cursor:
                thread_id = cursor.lastrowid
            message_ids = []
            for part in parts:
                message_ids.append(
                    await self._insert_message(
                        conn, thread_id, Direction.IN, opened_by, author_name, part, now
                    )
                )
        thread = await self.thread(thread_id)
        return thread, [await self.thread_message(message_id) for message_id in message_ids]

    @staticmethod
    async def _insert_message(conn, thread_id, direction, author_id, author_name, part, now) -> int:
        async with conn.execute(
            "INSERT INTO thread_messages (thread_id, direction, author_id, author_name, kind,"
            " text, media_group_id, source_chat_id, source_message_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                thread_id,
                direction.value,
                author_id,
                author_name,
                part["kind"],
                part.get("text") or "",
                part.get("media_group_id"),
                part["chat_id"],
                part["message_id"],
                now,
            ),
        ) as cursor:
            return cursor.lastrowid

    async def add_message(
        self,
        thread_id: int,
        direction: Direction,
        author_id: int,
        author_name: str,
        part: dict,
    ) -> tuple[Thread, ThreadMessage, bool]:
        """Add a message to a thread and set its status; True when this reopened the thread."""
        now = to_text(self.now())
        async with self._transaction() as conn:
            async with conn.execute(
                "SELECT status FROM threads WHERE thread_id = ?", (thread_id,)
            ) as cursor:
                (previous,) = await cursor.fetchone()
            message_id = await self._insert_message(
                conn, thread_id, direction, author_id, author_name, part, now
            )
            if direction is Direction.IN:
                await conn.execute(
                    "UPDATE threads SET status = 'open', updated_at = ?, closed_at = NULL,"
                    " closed_by_name = NULL, waiting_since = CASE WHEN status = 'open'"
                    " THEN coalesce(waiting_since, ?) ELSE ? END WHERE thread_id = ?",
                    (now, now, now, thread_id),
                )
            else:
                await conn.execute(
                    "UPDATE threads SET status = 'answered', updated_at = ?, closed_at = NULL,"
                    " closed_by_name = NULL, waiting_since = NULL WHERE thread_id = ?",
                    (now, thread_id),
                )
        reopened = previous == ThreadStatus.CLOSED.value
        return await self.thread(thread_id), await self.thread_message(message_id), reopened

    async def thread(self, thread_id: int) -> Thread | None:
        row = await self._fetchone(_THREAD_SQL + " WHERE t.thread_id = ?", (thread_id,))
        return _thread(row) if row else None

    async def association_threads(
        self, association_id: int, closed_limit: int = 10
    ) -> list[Thread]:
        """Open and answered threads first (oldest first), then the most recent closed ones."""
        active = await self._fetchall(
            _THREAD_SQL + " WHERE t.association_id = ? AND t.status <> 'closed'"
            " ORDER BY t.thread_id",
            (association_id,),
        )
        closed = await self._fetchall(
            _THREAD_SQL + " WHERE t.association_id = ? AND t.status = 'closed'"
            " ORDER BY t.updated_at DESC, t.thread_id DESC LIMIT ?",
            (association_id, closed_limit),
        )
        return [_thread(row) for row in active + closed]

    async def waiting_threads(self, owner_id: int | None = None) -> list[Thread]:
        """Threads not closed, oldest waiting first; only one liaison's when owner_id is given."""
        rows = await self._fetchall(
            _THREAD_SQL + " WHERE t.status <> 'closed' AND (? IS NULL OR t.owner_id = ?)"
            " ORDER BY t.status = 'answered', coalesce(t.waiting_since, t.updated_at),"
            " t.thread_id",
            (owner_id, owner_id),
        )
        return [_thread(row) for row in rows]

    async def set_thread_card(self, thread_id: int, chat_id: int, message_id: int) -> None:
        await self._write(
            "UPDATE threads SET card_chat_id = ?, card_message_id = ? WHERE thread_id = ?",
            (chat_id, message_id, thread_id),
        )

    async def forget_cards(self, association_id: int) -> None:
        """The association's cards are gone (its topic was deleted): post new ones when needed."""
        await self._write(
            "UPDATE threads SET card_chat_id = NULL, card_message_id = NULL"
            " WHERE association_id = ?",
            (association_id,),
        )

    async def take_thread(self, thread_id: int, owner_id: int, owner_name: str) -> Thread | None:
        await self._write(
            "UPDATE threads SET owner_id = ?, owner_name = ? WHERE thread_id = ?",
            (owner_id, owner_name, thread_id),
        )
        return await self.thread(thread_id)

    async def close_thread(self, thread_id: int, closed_by_name: str) -> tuple[Thread, bool]:
        """Close a thread; False when it already was closed."""
        now = to_text(self.now())
        changed = await self._write(
            "UPDATE threads SET status = 'closed', closed_at = ?, closed_by_name = ?,"
            " waiting_since = NULL, updated_at = ? WHERE thread_id = ? AND status <> 'closed'",
            (now, closed_by_name, now, thread_id),
        )
        return await self.thread(thread_id), changed == 1

    async def reopen_thread(self, thread_id: int) -> tuple[Thread, bool]:
        """Reopen a closed thread, waiting for the municipality; False if it was not closed."""
        now = to_text(self.now())
        changed = await self._write(
            "UPDATE threads SET status = 'open', closed_at = NULL, closed_by_name = NULL,"
            " waiting_since = ?, updated_at = ? WHERE thread_id = ? AND status = 'closed'",
            (now, now, thread_id),
        )
        return await self.thread(thread_id), changed == 1

    async def contact_person(self, association_id: int) -> str | None:
        """The liaison officer who handled the association's most recent thread."""
        row = await self._fetchone(
            "SELECT owner_name FROM threads WHERE association_id = ? AND owner_name IS NOT NULL"
            " ORDER BY updated_at DESC, thread_id DESC LIMIT 1",
            (association_id,),
        )
        if row:
            return row[0]
        row = await self._fetchone(
            "SELECT m.author_name FROM thread_messages m JOIN threads t USING (thread_id)"
            " WHERE t.association_id = ? AND m.direction = 'out'"
            " ORDER BY m.message_id DESC LIMIT 1",
            (association_id,),
        )
        return row[0] if row else None

    async def threads_to_nudge(self) -> list[Thread]:
        """Threads waiting for the municipality that were not nudged since they started waiting."""
        rows = await self._fetchall(
            _THREAD_SQL + " WHERE t.status = 'open' AND t.waiting_since IS NOT NULL"
            " AND (t.nudged_at IS NULL OR t.nudged_at < t.waiting_since)"
            " ORDER BY t.waiting_since"
        )
        return [_thread(row) for row in rows]

    async def mark_nudged(self, thread_id: int, at: datetime) -> None:
        await self._write(
            "UPDATE threads SET nudged_at = ? WHERE thread_id = ?", (to_text(at), thread_id)
        )

    # --- messages and their copies -----------------------------------------------------------

    async def thread_message(self, message_id: int) -> ThreadMessage | None:
        row = await self._fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE message_id = ?", (message_id,)
        )
        return _message(row) if row else None

    async def thread_messages(self, thread_id: int) -> list[ThreadMessage]:
        rows = await self._fetchall(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE thread_id = ?"
            " ORDER BY message_id",
            (thread_id,),
        )
        return [_message(row) for row in rows]

    async def message_by_source(self, chat_id: int, message_id: int) -> ThreadMessage | None:
        row = await self._fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages"
            " WHERE source_chat_id = ? AND source_message_id = ?",
            (chat_id, message_id),
        )
        return _message(row) if row else None

    async def message_by_copy(self, chat_id: int, telegram_message_id: int) -> ThreadMessage | None:
        """The thread message that a Telegram message shows (a copy, a card, or the original)."""
        row = await self._fetchone(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages WHERE message_id = ("
            " SELECT message_id FROM message_copies WHERE chat_id = ? AND telegram_message_id = ?)",
            (chat_id, telegram_message_id),
        )
        return _message(row) if row else await self.message_by_source(chat_id, telegram_message_id)

    async def add_copy(self, message_id: int, chat_id: int, telegram_message_id: int, part=0):
        await self._write(
            "INSERT INTO message_copies (chat_id, telegram_message_id, message_id, part)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (chat_id, telegram_message_id, message_id, part),
        )

    async def copies(self, message_id: int) -> list[MessageCopy]:
        rows = await self._fetchall(
            "SELECT chat_id, telegram_message_id, message_id, part FROM message_copies"
            " WHERE message_id = ? ORDER BY chat_id, part",
            (message_id,),
        )
        return [MessageCopy(*row) for row in rows]

    async def edit_message_text(self, message_id: int, text: str) -> None:
        await self._write(
            "UPDATE thread_messages SET text = ?, edited_at = ? WHERE message_id = ?",
            (text, to_text(self.now()), message_id),
        )

    async def mark_delivered(self, message_id: int) -> None:
        await self._write(
            "UPDATE thread_messages SET delivered_at = ?, failed_attempts = 0 WHERE message_id = ?",
            (to_text(self.now()), message_id),
        )

    async def mark_failed(self, message_id: int) -> int:
        """Count a failed relay; return how many times it failed so far."""
        await self._write(
            "UPDATE thread_messages SET failed_attempts = failed_attempts + 1 WHERE message_id = ?",
            (message_id,),
        )
        row = await self._fetchone(
            "SELECT failed_attempts FROM thread_messages WHERE message_id = ?", (message_id,)
        )
        return row[0] if row else 0

    async def undelivered_messages(self) -> list[ThreadMessage]:
        """Members' messages that have not reached the liaison group yet."""
        rows = await self._fetchall(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread_messages"
            " WHERE direction = 'in' AND delivered_at IS NULL ORDER BY message_id"
        )
        return [_message(row) for row in rows]

    # --- FAQ --------------------------------------------------------------------------------

    async def faq_entries(
        self, kapstok: int | None = None, language: str | None = None
    ) -> list[FaqEntry]:
        rows = await self._fetchall(
            "SELECT faq_id, kapstok, language, question, answer FROM faq_entries"
            " WHERE (? IS NULL OR kapstok = ?) AND (? IS NULL OR language = ?)"
            " ORDER BY kapstok, faq_id",
            (kapstok, kapstok, language, language),
        )
        return [FaqEntry(*row) for row in rows]

    async def faq_entry(self, faq_id: int) -> FaqEntry | None:
        row = await self._fetchone(
            "SELECT faq_id, kapstok, language, question, answer FROM faq_entries WHERE faq_id = ?",
            (faq_id,),
        )
        return FaqEntry(*row) if row else None

    async def add_faq_entries(self, entries: Iterable[tuple[int, str, str, str]]) -> int:
        """Add (kapstok, language, question, answer) entries at once; return how many."""
        now = to_text(self.now())
        count = 0
        async with self._transaction() as conn:
            for kapstok, language, question, answer in entries:
                await conn.execute(
                    "INSERT INTO faq_entries (kapstok, language, question, answer, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (kapstok, language, question, answer, now, now),
                )
                count += 1
        return count

    async def update_faq_entry(self, faq_id: int, question: str, answer: str) -> bool:
        return (
            await self._write(
                "UPDATE faq_entries SET question = ?, answer = ?, updated_at = ? WHERE faq_id = ?",
                (question, answer, to_text(self.now()), faq_id),
            )
            == 1
        )

    async def remove_faq_entry(self, faq_id: int) -> bool:
        return await self._write("DELETE FROM faq_entries WHERE faq_id = ?", (faq_id,)) == 1

    # --- snippets ---------------------------------------------------------------------------

    async def snippets(self) -> list[Snippet]:
        rows = await self._fetchall("SELECT name, text FROM snippets ORDER BY name")
        return [Snippet(*row) for row in rows]

    async def snippet(self, name: str) -> Snippet | None:
        row = await self._fetchone(
            "SELECT name, text FROM snippets WHERE name = ?", (name.lower(),)
        )
        return Snippet(*row) if row else None

    async def save_snippet(self, name: str, text: str, created_by: int) -> bool:
        """Add or replace a snippet; True when it is new."""
        existed = await self.snippet(name) is not None
        await self._write(
            "INSERT INTO snippets (name, text, created_by, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET text = excluded.text",
            (name.lower(), text, created_by, to_text(self.now())),
        )
        return not existed

    async def remove_snippet(self, name: str) -> bool:
        return await self._write("DELETE FROM snippets WHERE name = ?", (name.lower(),)) == 1
