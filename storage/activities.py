"""Activities, the partners asked along, and how they went."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.activities import (
    Activity,
    ActivityState,
    Partner,
    PartnerStatus,
    place_key,
)
from bot.domain.associations import AssociationKind
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_SELECT = """
SELECT v.activity_id, v.association_id, a.name AS association_name, a.kind AS association_kind,
       v.title, v.starts_at, v.ends_at, v.place, v.description, v.public, v.state, v.sequence,
       v.uid, v.created_at, v.updated_at
FROM activities v JOIN associations a ON a.association_id = v.association_id
"""


@dataclass(frozen=True, slots=True)
class Evaluation:
    activity_id: int
    association_id: int
    score: int | None
    comment: str | None
    gear_back: bool | None
    answered_by: int | None
    thread_id: int | None


@dataclass(frozen=True, slots=True)
class Named:
    """An approved association as partners are looked up."""

    association_id: int
    name: str


def _activity(row: Row, partners: tuple[Partner, ...]) -> Activity:
    return Activity(
        activity_id=row["activity_id"],
        association_id=row["association_id"],
        association_name=row["association_name"],
        association_kind=AssociationKind(row["association_kind"]),
        title=row["title"],
        starts_at=from_text(row["starts_at"]),
        ends_at=from_text(row["ends_at"]),
        place=row["place"],
        description=row["description"],
        public=bool(row["public"]),
        state=ActivityState(row["state"]),
        sequence=row["sequence"],
        uid=row["uid"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        partners=partners,
    )


def _evaluation(row: Row) -> Evaluation:
    return Evaluation(
        activity_id=row["activity_id"],
        association_id=row["association_id"],
        score=row["score"],
        comment=row["comment"],
        gear_back=None if row["gear_back"] is None else bool(row["gear_back"]),
        answered_by=row["answered_by"],
        thread_id=row["thread_id"],
    )


class ActivityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ------------------------------------------------------------------------------

    async def _with_partners(self, rows: list[Row]) -> list[Activity]:
        if not rows:
            return []
        ids = [row["activity_id"] for row in rows]
        found = await self._db.fetchall(
            "SELECT p.activity_id, p.association_id, a.name, p.status, p.answered_at"
            " FROM activity_partners p JOIN associations a ON a.association_id = p.association_id"
            f" WHERE p.activity_id IN ({', '.join('?' * len(ids))})"
            " ORDER BY a.name COLLATE NOCASE, p.association_id",
            ids,
        )
        partners: dict[int, list[Partner]] = {}
        for row in found:
            partners.setdefault(row["activity_id"], []).append(
                Partner(
                    row["association_id"],
                    row["name"],
                    PartnerStatus(row["status"]),
                    from_text(row["answered_at"]),
                )
            )
        return [_activity(row, tuple(partners.get(row["activity_id"], ()))) for row in rows]

    async def _select(self, where: str, params: Iterable = ()) -> list[Activity]:
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE {where} ORDER BY v.starts_at, v.activity_id", tuple(params)
        )
        return await self._with_partners(rows)

    async def get(self, activity_id: int) -> Activity | None:
        found = await self._select("v.activity_id = ?", (activity_id,))
        return found[0] if found else None

    async def between(self, start: datetime, end: datetime) -> list[Activity]:
        """Every activity (cancelled ones too) that takes place at some time in [start, end)."""
        return await self._select(
            "v.starts_at < ? AND v.ends_at > ?", (to_text(end), to_text(start))
        )

    async def calendar(self, association_id: int, start: datetime, end: datetime):
        """What an association's calendar shows in [start, end): its own activities, those it
        is a partner of (unless it declined), and the public ones of others; not cancelled."""
        return await self._select(
            "v.state = 'planned' AND v.starts_at < ? AND v.ends_at > ? AND (v.public = 1"
            " OR v.association_id = ? OR EXISTS (SELECT 1 FROM activity_partners p"
            " WHERE p.activity_id = v.activity_id AND p.association_id = ?"
            " AND p.status <> 'declined'))",
            (to_text(end), to_text(start), association_id, association_id),
        )

    async def of_association(self, association_id: int) -> list[Activity]:
        """Its own activities and those it confirmed as a partner, cancelled ones too (for a
        calendar app to remove them)."""
        return await self._select(
            "v.association_id = ? OR EXISTS (SELECT 1 FROM activity_partners p"
            " WHERE p.activity_id = v.activity_id AND p.association_id = ?"
            " AND p.status = 'confirmed')",
            (association_id, association_id),
        )

    async def public(self) -> list[Activity]:
        """Every public activity, cancelled ones too."""
        return await self._select("v.public = 1")

    async def everything(self) -> list[Activity]:
        return await self._select("1 = 1")

    async def reminders_to_check(self, now: datetime, ahead: datetime) -> list[Activity]:
        """Planned activities not reminded of that start between now and `ahead`."""
        return await self._select(
            "v.state = 'planned' AND v.reminded_at IS NULL AND v.starts_at > ?"
            " AND v.starts_at <= ?",
            (to_text(now), to_text(ahead)),
        )

    async def evaluations_to_check(self, since: datetime, now: datetime) -> list[Activity]:
        """Planned activities that ended between `since` and now, whose board was not asked."""
        return await self._select(
            "v.state = 'planned' AND v.evaluation_asked_at IS NULL AND v.ends_at > ?"
            " AND v.ends_at <= ?",
            (to_text(since), to_text(now)),
        )

    # --- writing ------------------------------------------------------------------------------

    async def create(
        self,
        association_id: int,
        created_by: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        place: str,
        description: str,
        public: bool,
        partners: Iterable[int] = (),
    ) -> Activity:
        now = to_text(self._db.now())
        uid = f"{secrets.token_hex(12)}@kapstok"
        async with self._db.transaction():
            activity_id = await self._db.insert(
                "INSERT INTO activities (association_id, title, starts_at, ends_at, place,"
                " place_key, description, public, uid, created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    association_id,
                    title,
                    to_text(starts_at),
                    to_text(ends_at),
                    place,
                    place_key(place),
                    description,
                    int(public),
                    uid,
                    created_by,
                    now,
                    now,
                ),
            )
            await self._db.executemany(
                "INSERT INTO activity_partners (activity_id, association_id) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                [(activity_id, partner) for partner in partners],
            )
        return await self.get(activity_id)

    async def change(
        self,
        activity_id: int,
        *,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        place: str | None = None,
        description: str | None = None,
    ) -> Activity | None:
        """Change what is given of a planned activity: its SEQUENCE goes up. None when it is
        gone or cancelled."""
        sets, params = [], []
        for column, value in (
            ("starts_at", to_text(starts_at) if starts_at else None),
            ("ends_at", to_text(ends_at) if ends_at else None),
            ("place", place),
            ("description", description),
        ):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if place is not None:
            sets.append("place_key = ?")
            params.append(place_key(place))
        if starts_at is not None:  # moved: a reminder is due again before the new start
            sets.append("reminded_at = NULL")
        sets += ["sequence = sequence + 1", "updated_at = ?"]
        params += [to_text(self._db.now()), activity_id]
        changed = await self._db.write(
            f"UPDATE activities SET {', '.join(sets)} WHERE activity_id = ? AND state = 'planned'",
            params,
        )
        return await self.get(activity_id) if changed else None

    async def cancel(self, activity_id: int) -> Activity | None:
        """Cancel a planned activity, once; None when it was not planned (any more)."""
        changed = await self._db.write(
            "UPDATE activities SET state = 'cancelled', sequence = sequence + 1, updated_at = ?"
            " WHERE activity_id = ? AND state = 'planned'",
            (to_text(self._db.now()), activity_id),
        )
        return await self.get(activity_id) if changed else None

    async def answer(
        self, activity_id: int, association_id: int, confirmed: bool, user_id: int
    ) -> bool:
        """A partner's board confirms or declines, once: the first answer decides."""
        status = PartnerStatus.CONFIRMED if confirmed else PartnerStatus.DECLINED
        changed = await self._db.write(
            "UPDATE activity_partners SET status = ?, answered_by = ?, answered_at = ?"
            " WHERE activity_id = ? AND association_id = ? AND status = 'invited'",
            (status.value, user_id, to_text(self._db.now()), activity_id, association_id),
        )
        return changed == 1

    async def mark_reminded(self, activity_id: int) -> bool:
        return (
            await self._db.write(
                "UPDATE activities SET reminded_at = ? WHERE activity_id = ?"
                " AND reminded_at IS NULL",
                (to_text(self._db.now()), activity_id),
            )
            == 1
        )

    async def mark_asked(self, activity_id: int) -> bool:
        return (
            await self._db.write(
                "UPDATE activities SET evaluation_asked_at = ? WHERE activity_id = ?"
                " AND evaluation_asked_at IS NULL",
                (to_text(self._db.now()), activity_id),
            )
            == 1
        )

    async def was_asked(self, activity_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT evaluation_asked_at FROM activities WHERE activity_id = ?", (activity_id,)
        )
        return row is not None and row["evaluation_asked_at"] is not None

    # --- how it went ----------------------------------------------------------------------------

    async def evaluation(self, activity_id: int) -> Evaluation | None:
        row = await self._db.fetchone(
            "SELECT activity_id, association_id, score, comment, gear_back, answered_by,"
            " thread_id FROM activity_evaluations WHERE activity_id = ?",
            (activity_id,),
        )
        return _evaluation(row) if row else None

    async def evaluations(self, activity_ids: Iterable[int]) -> dict[int, Evaluation]:
        ids = list(activity_ids)
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = await self._db.fetchall(
            "SELECT activity_id, association_id, score, comment, gear_back, answered_by,"
            f" thread_id FROM activity_evaluations WHERE activity_id IN ({marks})",
            ids,
        )
        return {row["activity_id"]: _evaluation(row) for row in rows}

    async def evaluate(
        self,
        activity_id: int,
        association_id: int,
        user_id: int,
        *,
        score: int | None = None,
        comment: str | None = None,
        gear_back: bool | None = None,
    ) -> Evaluation:
        """Note what the board said of how it went; the latest answer of each counts."""
        now = to_text(self._db.now())
        await self._db.write(
            "INSERT INTO activity_evaluations (activity_id, association_id, score, comment,"
            " gear_back, answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (activity_id) DO UPDATE SET"
            " score = coalesce(excluded.score, score),"
            " comment = coalesce(excluded.comment, comment),"
            " gear_back = coalesce(excluded.gear_back, gear_back),"
            " answered_by = excluded.answered_by, answered_at = excluded.answered_at",
            (
                activity_id,
                association_id,
                score,
                comment,
                None if gear_back is None else int(gear_back),
                user_id,
                now,
            ),
        )
        return await self.evaluation(activity_id)

    async def followed_up(self, activity_id: int, thread_id: int) -> None:
        await self._db.write(
            "UPDATE activity_evaluations SET thread_id = ? WHERE activity_id = ?",
            (thread_id, activity_id),
        )

    # --- partners ------------------------------------------------------------------------------

    async def approved_associations(self) -> list[Named]:
        """Every approved association, by name: where partners are looked up."""
        rows = await self._db.fetchall(
            "SELECT association_id, name FROM associations WHERE status = 'approved'"
            " ORDER BY name COLLATE NOCASE, association_id"
        )
        return [Named(row["association_id"], row["name"]) for row in rows]

    # --- a person ------------------------------------------------------------------------------

    async def counts_by(self, user_id: int) -> dict[str, int]:
        """What /mydata may say: activities the person planned, answered for, evaluated."""
        counts = {}
        for key, sql in (
            ("created", "SELECT COUNT(*) AS n FROM activities WHERE created_by = ?"),
            ("answered", "SELECT COUNT(*) AS n FROM activity_partners WHERE answered_by = ?"),
            ("evaluated", "SELECT COUNT(*) AS n FROM activity_evaluations WHERE answered_by = ?"),
        ):
            counts[key] = (await self._db.fetchone(sql, (user_id,)))["n"]
        return counts
