"""Which optional messages a person wants, and whether they can be reached at all."""

from __future__ import annotations

from datetime import date

from bot.domain.preferences import OPTIONAL, Kind, Preferences
from storage.database import Database
from storage.timestamps import to_text


class PreferenceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Preferences:
        rows = await self._db.fetchall(
            "SELECT u.paused_until, u.unreachable_at IS NOT NULL AS unreachable, o.kind"
            " FROM users u LEFT JOIN messages_off o ON o.user_id = u.user_id"
            " WHERE u.user_id = ?",
            (user_id,),
        )
        if not rows:
            return Preferences()
        paused = rows[0]["paused_until"]
        return Preferences(
            off=frozenset(Kind(row["kind"]) for row in rows if row["kind"]),
            paused_until=date.fromisoformat(paused) if paused else None,
            unreachable=bool(rows[0]["unreachable"]),
        )

    async def turn(self, user_id: int, kind: Kind, on: bool) -> None:
        if kind not in OPTIONAL:
            raise ValueError(f"{kind} cannot be turned off")
        if on:
            await self._db.write(
                "DELETE FROM messages_off WHERE user_id = ? AND kind = ?", (user_id, kind.value)
            )
        else:
            await self._db.write(
                "INSERT INTO messages_off (user_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (user_id, kind.value),
            )

    async def pause(self, user_id: int, until: date | None) -> None:
        await self._db.write(
            "UPDATE users SET paused_until = ? WHERE user_id = ?",
            (until.isoformat() if until else None, user_id),
        )

    async def all_unreachable(self, association_id: int) -> bool:
        """Whether the association has board members and none of them can be reached."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS members, COUNT(u.unreachable_at) AS unreachable"
            " FROM board_members m JOIN users u ON u.user_id = m.user_id"
            " WHERE m.association_id = ?",
            (association_id,),
        )
        return row["members"] > 0 and row["members"] == row["unreachable"]

    async def notice_unreachable(self, association_id: int) -> bool:
        """Note that the topic is told nobody can be reached; False if it was told already."""
        changed = await self._db.write(
            "UPDATE associations SET unreachable_noticed_at = ?"
            " WHERE association_id = ? AND unreachable_noticed_at IS NULL",
            (to_text(self._db.now()), association_id),
        )
        return changed == 1

    async def reachable_again(self, association_id: int) -> None:
        await self._db.write(
            "UPDATE associations SET unreachable_noticed_at = NULL WHERE association_id = ?",
            (association_id,),
        )
