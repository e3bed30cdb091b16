"""Associations' recognition by the municipality, as liaison officers record it."""

from __future__ import annotations

from datetime import date

from bot.domain.recognition import Recognition, RecognitionStatus
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = "association_id, status, renews_on, recorded_by, recorded_at, last_reminder"


def _recognition(row: Row) -> Recognition:
    return Recognition(
        association_id=row["association_id"],
        status=RecognitionStatus(row["status"]),
        renews_on=date.fromisoformat(row["renews_on"]) if row["renews_on"] else None,
        recorded_by=row["recorded_by"],
        recorded_at=from_text(row["recorded_at"]),
        last_reminder=row["last_reminder"],
    )


class RecognitionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, association_id: int) -> Recognition:
        """The association's recognition; status none when nothing was ever recorded."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM association_recognition WHERE association_id = ?",
            (association_id,),
        )
        return _recognition(row) if row else Recognition(association_id)

    async def set(
        self,
        association_id: int,
        status: RecognitionStatus,
        renews_on: date | None,
        recorded_by: int | None,
        last_reminder: int | None = None,
    ) -> Recognition:
        """Record a status (a renewal date only with recognised), by whom, now; the reminders
        start again from `last_reminder` (those already passed for a new date)."""
        if (status is RecognitionStatus.RECOGNISED) != (renews_on is not None):
            raise ValueError("a renewal date goes with recognised, and only with it")
        await self._db.write(
            "INSERT INTO association_recognition"
            " (association_id, status, renews_on, recorded_by, recorded_at, last_reminder)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (association_id) DO UPDATE SET"
            " status = excluded.status, renews_on = excluded.renews_on,"
            " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at,"
            " last_reminder = excluded.last_reminder",
            (
                association_id,
                status.value,
                renews_on.isoformat() if renews_on else None,
                recorded_by,
                to_text(self._db.now()),
                last_reminder,
            ),
        )
        return await self.get(association_id)

    async def renewing_until(self, last: date) -> list[Recognition]:
        """Recognitions of approved associations whose renewal date is `last` or earlier: the
        ones a reminder or expiry may be due for, the earliest first."""
        rows = await self._db.fetchall(
            f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM association_recognition r JOIN associations a USING (association_id)"
            " WHERE r.status = 'recognised' AND r.renews_on <= ? AND a.status = 'approved'"
            " ORDER BY r.renews_on, r.association_id",
            (last.isoformat(),),
        )
        return [_recognition(row) for row in rows]

    async def mark_reminded(self, association_id: int, renews_on: date, days: int) -> bool:
        """Note the reminder `days` before this renewal date as sent; False when it was
        already (or the recognition changed meanwhile): then it must not go again."""
        changed = await self._db.write(
            "UPDATE association_recognition SET last_reminder = ?"
            " WHERE association_id = ? AND status = 'recognised' AND renews_on = ?"
            " AND (last_reminder IS NULL OR last_reminder > ?)",
            (days, association_id, renews_on.isoformat(), days),
        )
        return changed > 0

    async def expire(self, association_id: int, renews_on: date) -> bool:
        """Recognised until `renews_on` becomes expired (the date is kept); False when it was
        not recognised until that date (any more)."""
        changed = await self._db.write(
            "UPDATE association_recognition SET status = 'expired', recorded_by = NULL,"
            " recorded_at = ? WHERE association_id = ? AND status = 'recognised'"
            " AND renews_on = ?",
            (to_text(self._db.now()), association_id, renews_on.isoformat()),
        )
        return changed > 0
