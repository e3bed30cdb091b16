"""The liaison officers appointed by admins. Who is one is kept in memory: every update asks."""

from __future__ import annotations

from bot.domain.people import LiaisonOfficer
from storage.database import Database, Row
from storage.timestamps import from_text, to_text


def _officer(row: Row) -> LiaisonOfficer:
    return LiaisonOfficer(
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        appointed_at=from_text(row["appointed_at"]),
    )


class LiaisonRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ids: set[int] = set()

    async def load(self) -> None:
        """Read who the liaison officers are, once, when the store opens."""
        rows = await self._db.fetchall("SELECT user_id FROM liaisons")
        self._ids = {row["user_id"] for row in rows}

    def is_liaison(self, user_id: int) -> bool:
        return user_id in self._ids

    async def add(self, user_id: int, appointed_by: int) -> bool:
        """Appoint a liaison officer; False when they already were one."""
        added = (
            await self._db.write(
                "INSERT INTO liaisons (user_id, appointed_by, appointed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO NOTHING",
                (user_id, appointed_by, to_text(self._db.now())),
            )
            == 1
        )
        self._ids.add(user_id)
        if added:
            self._db.on_rollback(lambda: self._ids.discard(user_id))
        return added

    async def remove(self, user_id: int) -> bool:
        removed = await self._db.write("DELETE FROM liaisons WHERE user_id = ?", (user_id,)) == 1
        self._ids.discard(user_id)
        if removed:
            self._db.on_rollback(lambda: self._ids.add(user_id))
        return removed

    async def appointed_by(self, user_id: int) -> int:
        """How many liaison officers this admin appointed (who are one still)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM liaisons WHERE appointed_by = ?", (user_id,)
        )
        return row["n"]

    async def forget_person(self, user_id: int) -> None:
        """They are no liaison officer any more; the ones they appointed stay, without who
        appointed them."""
        await self.remove(user_id)
        await self._db.write(
            "UPDATE liaisons SET appointed_by = NULL WHERE appointed_by = ?", (user_id,)
        )

    async def since(self, user_id: int) -> LiaisonOfficer | None:
        row = await self._db.fetchone(
            "SELECT l.user_id, u.first_name, u.last_name, u.username, l.appointed_at"
            " FROM liaisons l LEFT JOIN users u USING (user_id) WHERE l.user_id = ?",
            (user_id,),
        )
        return _officer(row) if row else None

    async def all(self) -> list[LiaisonOfficer]:
        rows = await self._db.fetchall(
            "SELECT l.user_id, u.first_name, u.last_name, u.username, l.appointed_at"
            " FROM liaisons l LEFT JOIN users u USING (user_id) ORDER BY l.appointed_at"
        )
        return [_officer(row) for row in rows]

    async def known_user(self, user_id: int) -> LiaisonOfficer | None:
        """Name a user the bot has met, as a (possible) liaison officer."""
        row = await self._db.fetchone(
            "SELECT u.user_id, u.first_name, u.last_name, u.username, l.appointed_at"
            " FROM users u LEFT JOIN liaisons l USING (user_id) WHERE u.user_id = ?",
            (user_id,),
        )
        return _officer(row) if row else None
