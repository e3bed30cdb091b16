"""Calls (oproepen) of associations to the boards of others, and the answers they get."""

from __future__ import annotations

from datetime import date

from bot.domain.associations import AssociationKind
from bot.domain.calls import (
    Call,
    CallAnswer,
    CallState,
    Purpose,
    kinds_from_text,
    kinds_to_text,
)
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
call_id, association_id, purpose, text, file_id, kinds, until, state, recipients, created_by,
created_at, closed_at, withdrawn_reason, topic_chat_id, topic_message_id
"""
_ANSWER_COLUMNS = """
answer_id, call_id, association_id, text, file_id, with_contact, answered_by, created_at
"""


def _call(row: Row) -> Call:
    return Call(
        call_id=row["call_id"],
        association_id=row["association_id"],
        purpose=Purpose(row["purpose"]),
        text=row["text"],
        file_id=row["file_id"],
        kinds=kinds_from_text(row["kinds"]),
        until=date.fromisoformat(row["until"]),
        state=CallState(row["state"]),
        created_by=row["created_by"],
        created_at=from_text(row["created_at"]),
        recipients=row["recipients"],
        closed_at=from_text(row["closed_at"]),
        withdrawn_reason=row["withdrawn_reason"],
        topic_chat_id=row["topic_chat_id"],
        topic_message_id=row["topic_message_id"],
    )


def _answer(row: Row) -> CallAnswer:
    return CallAnswer(
        answer_id=row["answer_id"],
        call_id=row["call_id"],
        association_id=row["association_id"],
        text=row["text"],
        file_id=row["file_id"],
        with_contact=bool(row["with_contact"]),
        answered_by=row["answered_by"],
        created_at=from_text(row["created_at"]),
    )


class CallRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        association_id: int,
        purpose: Purpose,
        text: str,
        file_id: str | None,
        kinds: frozenset[AssociationKind],
        until: date,
        created_by: int,
    ) -> Call:
        call_id = await self._db.insert(
            "INSERT INTO calls (association_id, purpose, text, file_id, kinds, until,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                association_id,
                purpose.value,
                text,
                file_id,
                kinds_to_text(kinds),
                until.isoformat(),
                created_by,
                to_text(self._db.now()),
            ),
        )
        return await self.get(call_id)

    async def get(self, call_id: int) -> Call | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM calls WHERE call_id = ?", (call_id,))
        return _call(row) if row else None

    async def set_recipients(self, call_id: int, recipients: int) -> None:
        await self._db.write(
            "UPDATE calls SET recipients = ? WHERE call_id = ?", (recipients, call_id)
        )

    async def set_topic_message(self, call_id: int, chat_id: int, message_id: int) -> None:
        await self._db.write(
            "UPDATE calls SET topic_chat_id = ?, topic_message_id = ? WHERE call_id = ?",
            (chat_id, message_id, call_id),
        )

    async def open_count(self, association_id: int, today: date) -> int:
        """Open calls of this association that have not passed their last day."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM calls"
            " WHERE association_id = ? AND state = 'open' AND until >= ?",
            (association_id, today.isoformat()),
        )
        return row["n"]

    async def of_association(self, association_id: int, limit: int = 20) -> list[Call]:
        """The association's calls, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM calls WHERE association_id = ? ORDER BY call_id DESC LIMIT ?",
            (association_id, limit),
        )
        return [_call(row) for row in rows]

    async def open_calls(self, today: date, limit: int = 20) -> list[Call]:
        """Every association's open calls that have not passed their last day, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM calls WHERE state = 'open' AND until >= ?"
            " ORDER BY call_id DESC LIMIT ?",
            (today.isoformat(), limit),
        )
        return [_call(row) for row in rows]

    async def count_open(self, today: date) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM calls WHERE state = 'open' AND until >= ?",
            (today.isoformat(),),
        )
        return row["n"]

    async def close(self, call_id: int, user_id: int) -> bool:
        """Its caller closes it; False when it was no longer open."""
        changed = await self._db.write(
            "UPDATE calls SET state = 'closed', closed_at = ?, closed_by = ?"
            " WHERE call_id = ? AND state = 'open'",
            (to_text(self._db.now()), user_id, call_id),
        )
        return changed == 1

    async def withdraw(self, call_id: int, user_id: int, reason: str) -> bool:
        """A liaison withdraws it; False when it was already withdrawn or closed."""
        changed = await self._db.write(
            "UPDATE calls SET state = 'withdrawn', closed_at = ?, closed_by = ?,"
            " withdrawn_reason = ? WHERE call_id = ? AND state = 'open'",
            (to_text(self._db.now()), user_id, reason, call_id),
        )
        return changed == 1

    # --- answers -------------------------------------------------------------------------------

    async def add_answer(
        self,
        call_id: int,
        association_id: int,
        text: str,
        file_id: str | None,
        with_contact: bool,
        answered_by: int,
    ) -> CallAnswer:
        answer_id = await self._db.insert(
            "INSERT INTO call_answers (call_id, association_id, text, file_id, with_contact,"
            " answered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                call_id,
                association_id,
                text,
                file_id,
                int(with_contact),
                answered_by,
                to_text(self._db.now()),
            ),
        )
        return await self.answer(answer_id)

    async def answer(self, answer_id: int) -> CallAnswer | None:
        row = await self._db.fetchone(
            f"SELECT {_ANSWER_COLUMNS} FROM call_answers WHERE answer_id = ?", (answer_id,)
        )
        return _answer(row) if row else None

    async def answers(self, call_id: int) -> list[CallAnswer]:
        rows = await self._db.fetchall(
            f"SELECT {_ANSWER_COLUMNS} FROM call_answers WHERE call_id = ? ORDER BY answer_id",
            (call_id,),
        )
        return [_answer(row) for row in rows]

    async def answer_counts(self, call_ids: list[int]) -> dict[int, int]:
        if not call_ids:
            return {}
        rows = await self._db.fetchall(
            "SELECT call_id, COUNT(*) AS n FROM call_answers"
            f" WHERE call_id IN ({', '.join('?' * len(call_ids))}) GROUP BY call_id",
            call_ids,
        )
        return {row["call_id"]: row["n"] for row in rows}
