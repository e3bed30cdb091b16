"""Barometer rounds: who was asked, what each association answered, where its messages are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.barometer import Answer
from bot.domain.kapstokken import NUMBERS
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_ROUND_COLUMNS = """
round_id, schedule_id, opened_at, closes_at, reminded_at, closed_at, asked, you_said,
you_said_at
"""
_ANSWER_COLUMNS = """
round_id, association_id, k1, k2, k3, k4, k5, comment, answered_by, answered_by_name,
submitted_at, followed_up
"""


@dataclass(frozen=True, slots=True)
class Round:
    round_id: int
    schedule_id: int | None
    opened_at: datetime
    closes_at: datetime
    reminded_at: datetime | None
    closed_at: datetime | None
    asked: int
    you_said: str | None
    you_said_at: datetime | None

    @property
    def batch(self) -> str:
        return f"round:{self.round_id}"


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An association's answer as it stands: scores while the board fills them in, submitted
    once it sent them."""

    round_id: int
    association_id: int
    scores: dict[int, int]
    comment: str | None
    answered_by: int | None
    answered_by_name: str | None
    submitted_at: datetime | None
    followed_up: frozenset[int]

    def as_answer(self) -> Answer:
        return Answer(self.association_id, self.scores, self.comment)


def _round(row: Row) -> Round:
    return Round(
        round_id=row["round_id"],
        schedule_id=row["schedule_id"],
        opened_at=from_text(row["opened_at"]),
        closes_at=from_text(row["closes_at"]),
        reminded_at=from_text(row["reminded_at"]),
        closed_at=from_text(row["closed_at"]),
        asked=row["asked"],
        you_said=row["you_said"],
        you_said_at=from_text(row["you_said_at"]),
    )


def _answer(row: Row) -> StoredAnswer:
    return StoredAnswer(
        round_id=row["round_id"],
        association_id=row["association_id"],
        scores={n: row[f"k{n}"] for n in sorted(NUMBERS) if row[f"k{n}"] is not None},
        comment=row["comment"],
        answered_by=row["answered_by"],
        answered_by_name=row["answered_by_name"],
        submitted_at=from_text(row["submitted_at"]),
        followed_up=frozenset(int(n) for n in row["followed_up"].split() if n.isdigit()),
    )


class BarometerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- rounds -----------------------------------------------------------------------------

    async def open_round(self, schedule_id: int | None, closes_at: datetime, asked: int) -> int:
        return await self._db.insert(
            "INSERT INTO barometer_rounds (schedule_id, opened_at, closes_at, asked)"
            " VALUES (?, ?, ?, ?)",
            (schedule_id, to_text(self._db.now()), to_text(closes_at), asked),
        )

    async def round(self, round_id: int) -> Round | None:
        row = await self._db.fetchone(
            f"SELECT {_ROUND_COLUMNS} FROM barometer_rounds WHERE round_id = ?", (round_id,)
        )
        return _round(row) if row else None

    async def rounds(self, limit: int = 12) -> list[Round]:
        """The latest rounds, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_ROUND_COLUMNS} FROM barometer_rounds ORDER BY round_id DESC LIMIT ?",
            (limit,),
        )
        return [_round(row) for row in reversed(rows)]

    async def not_closed(self) -> list[Round]:
        rows = await self._db.fetchall(
            f"SELECT {_ROUND_COLUMNS} FROM barometer_rounds WHERE closed_at IS NULL"
            " ORDER BY round_id"
        )
        return [_round(row) for row in rows]

    async def reminded(self, round_id: int) -> bool:
        changed = await self._db.write(
            "UPDATE barometer_rounds SET reminded_at = ?"
            " WHERE round_id = ? AND reminded_at IS NULL",
            (to_text(self._db.now()), round_id),
        )
        return changed == 1

    async def close(self, round_id: int) -> bool:
        changed = await self._db.write(
            "UPDATE barometer_rounds SET closed_at = ? WHERE round_id = ? AND closed_at IS NULL",
            (to_text(self._db.now()), round_id),
        )
        return changed == 1

    async def set_you_said(self, round_id: int, text: str) -> bool:
        """What the municipality does with the answers; False if it was written already."""
        changed = await self._db.write(
            "UPDATE barometer_rounds SET you_said = ?, you_said_at = ?"
            " WHERE round_id = ? AND you_said IS NULL",
            (text, to_text(self._db.now()), round_id),
        )
        return changed == 1

    # --- answers ----------------------------------------------------------------------------

    async def answer(self, round_id: int, association_id: int) -> StoredAnswer | None:
        row = await self._db.fetchone(
            f"SELECT {_ANSWER_COLUMNS} FROM barometer_answers"
            " WHERE round_id = ? AND association_id = ?",
            (round_id, association_id),
        )
        return _answer(row) if row else None

    async def answers(self, round_id: int, *, submitted_only: bool = True) -> list[StoredAnswer]:
        condition = " AND submitted_at IS NOT NULL" if submitted_only else ""
        rows = await self._db.fetchall(
            f"SELECT {_ANSWER_COLUMNS} FROM barometer_answers WHERE round_id = ?{condition}"
            " ORDER BY association_id",
            (round_id,),
        )
        return [_answer(row) for row in rows]

    async def answers_of(self, association_id: int, limit: int = 12) -> list[StoredAnswer]:
        rows = await self._db.fetchall(
            f"SELECT {_ANSWER_COLUMNS} FROM barometer_answers WHERE association_id = ?"
            " AND submitted_at IS NOT NULL ORDER BY round_id DESC LIMIT ?",
            (association_id, limit),
        )
        return [_answer(row) for row in reversed(rows)]

    async def score(
        self, round_id: int, association_id: int, kapstok: int, score: int, by: int, name: str
    ) -> None:
        """A board member's score for one kapstok; the answer waits to be sent again."""
        if kapstok not in NUMBERS:
            raise ValueError(f"no kapstok {kapstok}")
        column = f"k{kapstok}"
        await self._db.write(
            f"INSERT INTO barometer_answers (round_id, association_id, {column}, answered_by,"
            " answered_by_name) VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, association_id)"
            f" DO UPDATE SET {column} = excluded.{column}, answered_by = excluded.answered_by,"
            " answered_by_name = excluded.answered_by_name",
            (round_id, association_id, score, by, name),
        )

    async def comment(
        self, round_id: int, association_id: int, text: str | None, by: int, name: str
    ) -> None:
        await self._db.write(
            "INSERT INTO barometer_answers (round_id, association_id, comment, answered_by,"
            " answered_by_name) VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, association_id)"
            " DO UPDATE SET comment = excluded.comment, answered_by = excluded.answered_by,"
            " answered_by_name = excluded.answered_by_name",
            (round_id, association_id, text, by, name),
        )

    async def submit(self, round_id: int, association_id: int, by: int, name: str) -> None:
        await self._db.write(
            "UPDATE barometer_answers SET submitted_at = ?, answered_by = ?, answered_by_name = ?"
            " WHERE round_id = ? AND association_id = ?",
            (to_text(self._db.now()), by, name, round_id, association_id),
        )

    async def followed_up(self, round_id: int, association_id: int, kapstokken: set[int]) -> None:
        await self._db.write(
            "UPDATE barometer_answers SET followed_up = ?"
            " WHERE round_id = ? AND association_id = ?",
            (" ".join(str(n) for n in sorted(kapstokken)), round_id, association_id),
        )

    # --- the messages the boards got --------------------------------------------------------

    async def remember_message(
        self, round_id: int, user_id: int, association_id: int, message_id: int
    ) -> None:
        await self._db.write(
            "INSERT INTO barometer_messages (round_id, user_id, association_id, message_id)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, user_id)"
            " DO UPDATE SET message_id = excluded.message_id",
            (round_id, user_id, association_id, message_id),
        )

    async def messages(self, round_id: int, association_id: int) -> list[tuple[int, int]]:
        """(user id, message id) of the board's messages of this round."""
        rows = await self._db.fetchall(
            "SELECT user_id, message_id FROM barometer_messages"
            " WHERE round_id = ? AND association_id = ? ORDER BY user_id",
            (round_id, association_id),
        )
        return [(row["user_id"], row["message_id"]) for row in rows]

    async def message_of(self, round_id: int, user_id: int) -> tuple[int, int] | None:
        """(association id, message id) of the round's message to this board member."""
        row = await self._db.fetchone(
            "SELECT association_id, message_id FROM barometer_messages"
            " WHERE round_id = ? AND user_id = ?",
            (round_id, user_id),
        )
        return (row["association_id"], row["message_id"]) if row else None

    async def not_answered(self, round_id: int) -> list[int]:
        """Associations whose board got the round and sent no answer."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT m.association_id FROM barometer_messages m"
            " WHERE m.round_id = ? AND NOT EXISTS (SELECT 1 FROM barometer_answers a"
            " WHERE a.round_id = m.round_id AND a.association_id = m.association_id"
            " AND a.submitted_at IS NOT NULL) ORDER BY m.association_id",
            (round_id,),
        )
        return [row["association_id"] for row in rows]
