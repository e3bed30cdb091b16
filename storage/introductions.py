"""Introductions between associations: the requests, and where each was shown to the board."""

from __future__ import annotations

from datetime import datetime

from bot.domain.introductions import Introduction, IntroductionState, expires_at
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
introduction_id, association_id, to_association_id, note, asked_by, state, created_at,
expires_at, decided_by, decided_at
"""


def _introduction(row: Row) -> Introduction:
    return Introduction(
        introduction_id=row["introduction_id"],
        from_association=row["association_id"],
        to_association=row["to_association_id"],
        note=row["note"],
        asked_by=row["asked_by"],
        state=IntroductionState(row["state"]),
        created_at=from_text(row["created_at"]),
        expires_at=from_text(row["expires_at"]),
        decided_by=row["decided_by"],
        decided_at=from_text(row["decided_at"]),
    )


class IntroductionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, from_association: int, to_association: int, note: str, asked_by: int):
        """A new open request; returns it."""
        now = self._db.now()
        introduction_id = await self._db.insert(
            "INSERT INTO introductions (association_id, to_association_id, note, asked_by,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                from_association,
                to_association,
                note,
                asked_by,
                to_text(now),
                to_text(expires_at(now)),
            ),
        )
        return await self.get(introduction_id)

    async def get(self, introduction_id: int) -> Introduction | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM introductions WHERE introduction_id = ?", (introduction_id,)
        )
        return _introduction(row) if row else None

    async def open_asked(self, association_id: int, now: datetime) -> int:
        """How many open (not expired) requests this association made."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM introductions"
            " WHERE association_id = ? AND state = 'open' AND expires_at > ?",
            (association_id, to_text(now)),
        )
        return row["n"]

    async def open_between(self, first: int, second: int, now: datetime) -> bool:
        """Whether an open (not expired) request links the two, in either direction."""
        row = await self._db.fetchone(
            "SELECT 1 FROM introductions WHERE state = 'open' AND expires_at > ?"
            " AND ((association_id = ? AND to_association_id = ?)"
            " OR (association_id = ? AND to_association_id = ?))",
            (to_text(now), first, second, second, first),
        )
        return row is not None

    async def last_declined(self, asker: int, target: int) -> datetime | None:
        """When the target last declined a request of the asker."""
        row = await self._db.fetchone(
            "SELECT MAX(decided_at) AS moment FROM introductions"
            " WHERE association_id = ? AND to_association_id = ? AND state = 'declined'",
            (asker, target),
        )
        return from_text(row["moment"]) if row else None

    async def decide(self, introduction_id: int, accepted: bool, user_id: int) -> bool:
        """The first answer decides: False when it was no longer open (or expired)."""
        now = to_text(self._db.now())
        changed = await self._db.write(
            "UPDATE introductions SET state = ?, decided_by = ?, decided_at = ?"
            " WHERE introduction_id = ? AND state = 'open' AND expires_at > ?",
            ("accepted" if accepted else "declined", user_id, now, introduction_id, now),
        )
        return changed == 1

    async def expire_due(self) -> list[Introduction]:
        """Mark the open requests whose time is up expired; return them."""
        now = to_text(self._db.now())
        rows = await self._db.write_returning(
            f"UPDATE introductions SET state = 'expired', decided_at = expires_at"
            f" WHERE state = 'open' AND expires_at <= ? RETURNING {_COLUMNS}",
            (now,),
        )
        return sorted((_introduction(row) for row in rows), key=lambda i: i.introduction_id)

    # --- the board's copies of a request ----------------------------------------------------

    async def add_message(self, introduction_id: int, user_id: int, message_id: int) -> None:
        await self._db.write(
            "INSERT INTO introduction_messages (introduction_id, user_id, message_id)"
            " VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET message_id = excluded.message_id",
            (introduction_id, user_id, message_id),
        )

    async def message_of(self, introduction_id: int, user_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT message_id FROM introduction_messages"
            " WHERE introduction_id = ? AND user_id = ?",
            (introduction_id, user_id),
        )
        return row["message_id"] if row else None

    async def messages(self, introduction_id: int) -> list[tuple[int, int]]:
        """(user id, message id) of every copy of the request, by user."""
        rows = await self._db.fetchall(
            "SELECT user_id, message_id FROM introduction_messages WHERE introduction_id = ?"
            " ORDER BY user_id",
            (introduction_id,),
        )
        return [(row["user_id"], row["message_id"]) for row in rows]
