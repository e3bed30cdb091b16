"""Schedules: what runs by itself, when it runs next, and what it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.audience import Audience
from bot.domain.schedules import Rule
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
schedule_id, created_by, created_by_name, frequency, day, on_date, at_time, audience, content,
body, file_id, open_days, broadcast_id, paused, next_run_at, last_run_at, runs, created_at
"""


@dataclass(frozen=True, slots=True)
class Schedule:
    schedule_id: int
    created_by: int | None
    created_by_name: str
    rule: Rule
    audience: Audience
    content: str  # 'barometer', 'checkin' or 'broadcast'
    body: str | None
    file_id: str | None
    open_days: int
    broadcast_id: int | None
    paused: bool
    next_run_at: datetime | None
    last_run_at: datetime | None
    runs: int
    created_at: datetime

    @property
    def finished(self) -> bool:
        return self.next_run_at is None


def _schedule(row: Row) -> Schedule:
    return Schedule(
        schedule_id=row["schedule_id"],
        created_by=row["created_by"],
        created_by_name=row["created_by_name"],
        rule=Rule(
            frequency=row["frequency"],
            at=time.fromisoformat(row["at_time"]),
            day=row["day"],
            on=date.fromisoformat(row["on_date"]) if row["on_date"] else None,
        ),
        audience=Audience.from_json(row["audience"]),
        content=row["content"],
        body=row["body"],
        file_id=row["file_id"],
        open_days=row["open_days"],
        broadcast_id=row["broadcast_id"],
        paused=bool(row["paused"]),
        next_run_at=from_text(row["next_run_at"]),
        last_run_at=from_text(row["last_run_at"]),
        runs=row["runs"],
        created_at=from_text(row["created_at"]),
    )


class ScheduleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        created_by: int,
        created_by_name: str,
        rule: Rule,
        audience: Audience,
        content: str,
        next_run_at: datetime,
        body: str | None = None,
        file_id: str | None = None,
        open_days: int = 14,
        broadcast_id: int | None = None,
    ) -> int:
        return await self._db.insert(
            "INSERT INTO schedules (created_by, created_by_name, frequency, day, on_date,"
            " at_time, audience, content, body, file_id, open_days, broadcast_id, next_run_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                created_by,
                created_by_name,
                rule.frequency,
                rule.day,
                rule.on.isoformat() if rule.on else None,
                rule.at.strftime("%H:%M"),
                audience.to_json(),
                content,
                body,
                file_id,
                open_days,
                broadcast_id,
                to_text(next_run_at),
                to_text(self._db.now()),
            ),
        )

    async def get(self, schedule_id: int) -> Schedule | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM schedules WHERE schedule_id = ?", (schedule_id,)
        )
        return _schedule(row) if row else None

    async def active(self) -> list[Schedule]:
        """Every schedule that will still run (paused ones too), soonest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM schedules WHERE next_run_at IS NOT NULL"
            " ORDER BY next_run_at, schedule_id"
        )
        return [_schedule(row) for row in rows]

    async def due(self, now: datetime) -> list[Schedule]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM schedules WHERE next_run_at IS NOT NULL"
            " AND next_run_at <= ? AND paused = 0 ORDER BY next_run_at, schedule_id",
            (to_text(now),),
        )
        return [_schedule(row) for row in rows]

    async def advance(
        self, schedule_id: int, expected: datetime, next_run_at: datetime | None, ran: bool
    ) -> bool:
        """Move a schedule on from the run that was due at `expected` (made, or skipped);
        False when another already moved it (the run is not made twice)."""
        now = to_text(self._db.now())
        changed = await self._db.write(
            "UPDATE schedules SET next_run_at = ?, last_run_at = CASE WHEN ? THEN ?"
            " ELSE last_run_at END, runs = runs + ? WHERE schedule_id = ? AND next_run_at = ?",
            (
                to_text(next_run_at) if next_run_at else None,
                int(ran),
                now,
                int(ran),
                schedule_id,
                to_text(expected),
            ),
        )
        return changed == 1

    async def set_paused(
        self, schedule_id: int, paused: bool, next_run_at: datetime | None
    ) -> bool:
        """Pause or resume; a resumed schedule runs next at `next_run_at`."""
        changed = await self._db.write(
            "UPDATE schedules SET paused = ?, next_run_at = coalesce(?, next_run_at)"
            " WHERE schedule_id = ? AND next_run_at IS NOT NULL",
            (int(paused), to_text(next_run_at) if next_run_at else None, schedule_id),
        )
        return changed == 1

    async def delete(self, schedule_id: int) -> Schedule | None:
        schedule = await self.get(schedule_id)
        if schedule is not None:
            await self._db.write("DELETE FROM schedules WHERE schedule_id = ?", (schedule_id,))
        return schedule

    async def of_broadcast(self, broadcast_id: int) -> Schedule | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM schedules WHERE broadcast_id = ?", (broadcast_id,)
        )
        return _schedule(row) if row else None
