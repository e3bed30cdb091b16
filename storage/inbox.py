"""The inbox: every update Kapstok acknowledged to Telegram, until its handlers finished."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timestamps import to_text


@dataclass(frozen=True, slots=True)
class InboxRow:
    seq: int
    update_id: int
    raw: dict


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def accept(self, updates: Sequence[tuple[int, dict]]) -> list[InboxRow]:
        """Keep (update_id, raw update) pairs, in one transaction; return the ones that are new
        (an update seen before is not handled again)."""
        if not updates:
            return []
        now = to_text(self._db.now())
        values = ", ".join("(?, ?, ?)" for _ in updates)
        params = [item for update_id, raw in updates for item in (update_id, json.dumps(raw), now)]
        # One statement: all of the batch is stored, or none of it.
        rows = await self._db.write_returning(
            f"INSERT INTO inbox (update_id, raw, received_at) VALUES {values}"
            " ON CONFLICT (update_id) DO NOTHING RETURNING seq, update_id",
            params,
        )
        raws = dict(updates)
        return sorted(
            (InboxRow(row["seq"], row["update_id"], raws[row["update_id"]]) for row in rows),
            key=lambda row: row.seq,
        )

    async def unhandled(self) -> list[InboxRow]:
        """What was acknowledged but not handled to the end, in arrival order."""
        rows = await self._db.fetchall(
            "SELECT seq, update_id, raw FROM inbox WHERE handled_at IS NULL ORDER BY seq"
        )
        return [InboxRow(row["seq"], row["update_id"], json.loads(row["raw"])) for row in rows]

    async def handled(self, seq: int) -> None:
        """The update's handlers finished: in the same transaction as what they wrote."""
        await self._db.write_last(
            "UPDATE inbox SET handled_at = ?, attempts = attempts + 1 WHERE seq = ?",
            (to_text(self._db.now()), seq),
        )

    async def backlog(self) -> dict[str, int | float | None]:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox WHERE handled_at IS NULL"
        )
        return {"unhandled": row["n"], "oldest_unhandled": row["oldest"]}

    async def prune(self, before: datetime) -> int:
        """Forget updates handled before this moment."""
        return await self._db.write(
            "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ?",
            (to_text(before),),
        )
