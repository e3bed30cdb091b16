"""Subsidies: the types liaison officers define (with their deadlines), the requests for them
(numbered and followed with every other request, storage/requests.py), their attachments, and
the deadline reminders sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.requests import RequestKind, Status
from bot.domain.subsidies import (
    Attachment,
    Candidate,
    Deadline,
    SubsidyRequest,
    SubsidyType,
    granted_problem,
)
from storage.database import Database, Row
from storage.requests import RequestRepository, columns, request_of
from storage.timestamps import from_text, to_text

_TYPE_COLUMNS = """
type_id, name_nl, name_fr, name_en, description_nl, description_fr, description_en, max_cents,
needs_recognition, attachments, active
"""
_TEXTS = (
    "name_nl",
    "name_fr",
    "name_en",
    "description_nl",
    "description_fr",
    "description_en",
)


def _type(row: Row, deadlines: tuple[Deadline, ...]) -> SubsidyType:
    return SubsidyType(
        type_id=row["type_id"],
        name_nl=row["name_nl"],
        name_fr=row["name_fr"],
        name_en=row["name_en"],
        description_nl=row["description_nl"],
        description_fr=row["description_fr"],
        description_en=row["description_en"],
        max_cents=row["max_cents"],
        needs_recognition=bool(row["needs_recognition"]),
        attachments=tuple(line for line in row["attachments"].split("\n") if line),
        deadlines=deadlines,
        active=bool(row["active"]),
    )


def _attachment(row: Row) -> Attachment:
    return Attachment(
        kind=row["kind"],
        file_id=row["file_id"],
        file_unique_id=row["file_unique_id"],
        file_name=row["file_name"],
        file_size=row["file_size"],
        label=row["label"],
        attachment_id=row["attachment_id"],
    )


class SubsidyRepository:
    def __init__(self, db: Database, requests: RequestRepository) -> None:
        self._db = db
        self._requests = requests

    # --- types -------------------------------------------------------------------------------

    async def create_type(
        self,
        *,
        name_nl: str,
        max_cents: int,
        deadlines: Sequence[Deadline],
        name_fr: str | None = None,
        name_en: str | None = None,
        description_nl: str = "",
        description_fr: str | None = None,
        description_en: str | None = None,
        needs_recognition: bool = False,
        attachments: Sequence[str] = (),
    ) -> SubsidyType:
        """A new, active type with its deadlines; returns it."""
        now = to_text(self._db.now())
        async with self._db.transaction():
            type_id = await self._db.insert(
                "INSERT INTO subsidy_types (name_nl, name_fr, name_en, description_nl,"
                " description_fr, description_en, max_cents, needs_recognition, attachments,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name_nl, name_fr, name_en, description_nl, description_fr, description_en,
                 max_cents, int(needs_recognition), "\n".join(attachments), now, now),
            )  # fmt: skip
            await self._set_deadlines(type_id, deadlines)
        return await self.get_type(type_id)

    async def update_type(
        self,
        type_id: int,
        *,
        name_nl: str,
        max_cents: int,
        deadlines: Sequence[Deadline],
        name_fr: str | None = None,
        name_en: str | None = None,
        description_nl: str = "",
        description_fr: str | None = None,
        description_en: str | None = None,
        needs_recognition: bool = False,
        attachments: Sequence[str] = (),
    ) -> SubsidyType | None:
        """Every field of an active type anew; None when there is no such active type."""
        async with self._db.transaction():
            changed = await self._db.write(
                "UPDATE subsidy_types SET name_nl = ?, name_fr = ?, name_en = ?,"
                " description_nl = ?, description_fr = ?, description_en = ?, max_cents = ?,"
                " needs_recognition = ?, attachments = ?, updated_at = ?"
                " WHERE type_id = ? AND active = 1",
                (name_nl, name_fr, name_en, description_nl, description_fr, description_en,
                 max_cents, int(needs_recognition), "\n".join(attachments),
                 to_text(self._db.now()), type_id),
            )  # fmt: skip
            if changed != 1:
                return None
            await self._set_deadlines(type_id, deadlines)
        return await self.get_type(type_id)

    async def _set_deadlines(self, type_id: int, deadlines: Sequence[Deadline]) -> None:
        if not deadlines:
            raise ValueError("a subsidy type has at least one deadline")
        await self._db.write("DELETE FROM subsidy_deadlines WHERE type_id = ?", (type_id,))
        await self._db.executemany(
            "INSERT INTO subsidy_deadlines (type_id, month, day) VALUES (?, ?, ?)",
            [(type_id, d.month, d.day) for d in sorted(set(deadlines))],
        )

    async def deactivate(self, type_id: int) -> bool:
        """No longer offered (its requests keep it); False when it was not active."""
        changed = await self._db.write(
            "UPDATE subsidy_types SET active = 0, updated_at = ? WHERE type_id = ? AND active = 1",
            (to_text(self._db.now()), type_id),
        )
        return changed == 1

    async def get_type(self, type_id: int) -> SubsidyType | None:
        row = await self._db.fetchone(
            f"SELECT {_TYPE_COLUMNS} FROM subsidy_types WHERE type_id = ?", (type_id,)
        )
        return _type(row, await self.deadlines(type_id)) if row else None

    async def types(self, *, active_only: bool = True) -> list[SubsidyType]:
        """The types by Dutch name (the active ones, unless asked otherwise)."""
        where = "WHERE active = 1" if active_only else ""
        rows = await self._db.fetchall(
            f"SELECT {_TYPE_COLUMNS} FROM subsidy_types {where} ORDER BY lower(name_nl), type_id"
        )
        deadlines = await self._all_deadlines()
        return [_type(row, deadlines.get(row["type_id"], ())) for row in rows]

    async def deadlines(self, type_id: int) -> tuple[Deadline, ...]:
        rows = await self._db.fetchall(
            "SELECT month, day FROM subsidy_deadlines WHERE type_id = ? ORDER BY month, day",
            (type_id,),
        )
        return tuple(Deadline(row["month"], row["day"]) for row in rows)

    async def _all_deadlines(self) -> dict[int, tuple[Deadline, ...]]:
        rows = await self._db.fetchall(
            "SELECT type_id, month, day FROM subsidy_deadlines ORDER BY type_id, month, day"
        )
        found: dict[int, list[Deadline]] = {}
        for row in rows:
            found.setdefault(row["type_id"], []).append(Deadline(row["month"], row["day"]))
        return {type_id: tuple(days) for type_id, days in found.items()}

    # --- requests ----------------------------------------------------------------------------

    async def create(
        self,
        association_id: int,
        requested_by: int,
        type_id: int,
        amount_cents: int,
        purpose: str,
        attachments: Sequence[Attachment] = (),
        *,
        activity_id: int | None = None,
    ) -> SubsidyRequest:
        """A new request with its attachments, in one transaction; returns it."""
        if amount_cents <= 0:
            raise ValueError("a subsidy request asks for a positive amount")
        async with self._db.transaction():
            request_id = await self._requests.create(
                RequestKind.SUBSIDY, association_id, requested_by, activity_id=activity_id
            )
            await self._db.write(
                "INSERT INTO subsidy_requests (request_id, type_id, amount_cents, purpose)"
                " VALUES (?, ?, ?, ?)",
                (request_id, type_id, amount_cents, purpose),
            )
            now = to_text(self._db.now())
            await self._db.executemany(
                "INSERT INTO request_attachments (request_id, kind, file_id, file_unique_id,"
                " file_name, file_size, label, added_by, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (request_id, a.kind, a.file_id, a.file_unique_id, a.file_name, a.file_size,
                     a.label, requested_by, now)
                    for a in attachments
                ],
            )  # fmt: skip
        return await self.get(request_id)

    async def get(self, request_id: int) -> SubsidyRequest | None:
        row = await self._db.fetchone(
            f"SELECT {columns('r')}, s.type_id, s.amount_cents, s.granted_cents, s.purpose,"
            " s.paid_on FROM support_requests r JOIN subsidy_requests s USING (request_id)"
            " WHERE r.request_id = ?",
            (request_id,),
        )
        if row is None:
            return None
        return SubsidyRequest(
            request=request_of(row),
            type_id=row["type_id"],
            amount_cents=row["amount_cents"],
            purpose=row["purpose"],
            granted_cents=row["granted_cents"],
            paid_on=date.fromisoformat(row["paid_on"]) if row["paid_on"] else None,
            attachments=tuple(await self.attachments(request_id)),
        )

    async def attachments(self, request_id: int) -> list[Attachment]:
        rows = await self._db.fetchall(
            "SELECT attachment_id, kind, file_id, file_unique_id, file_name, file_size, label"
            " FROM request_attachments WHERE request_id = ? ORDER BY attachment_id",
            (request_id,),
        )
        return [_attachment(row) for row in rows]

    async def of_association(self, association_id: int) -> list[SubsidyRequest]:
        """The association's subsidy requests, the newest first."""
        rows = await self._db.fetchall(
            "SELECT r.request_id FROM support_requests r JOIN subsidy_requests s"
            " USING (request_id) WHERE r.association_id = ? ORDER BY r.request_id DESC",
            (association_id,),
        )
        return [await self.get(row["request_id"]) for row in rows]

    # --- decisions: each through store.requests.move, so that the history keeps it ------------

    async def approve(self, request_id: int, granted_cents: int, actor: int | None) -> bool:
        """Grant an amount (more than zero, at most the one asked); False (nothing written) when
        the request no longer waits for a decision. ValueError for an amount it cannot be."""
        async with self._db.transaction():
            request = await self.get(request_id)
            if request is None or request.status is not Status.REQUESTED:
                return False
            if granted_cents <= 0 or granted_problem(granted_cents, request.amount_cents):
                raise ValueError("a granted amount is more than 0 and at most the one asked")
            if not await self._requests.move(
                request_id,
                Status.APPROVED,
                expected=Status.REQUESTED,
                actor=actor,
                cents=granted_cents,
            ):
                return False
            await self._db.write(
                "UPDATE subsidy_requests SET granted_cents = ? WHERE request_id = ?",
                (granted_cents, request_id),
            )
        return True

    async def reject(self, request_id: int, reason: str, actor: int | None) -> bool:
        return await self._requests.move(
            request_id, Status.REJECTED, expected=Status.REQUESTED, actor=actor, detail=reason
        )

    async def cancel(self, request_id: int, actor: int | None) -> bool:
        """The board withdraws it before a decision."""
        return await self._requests.move(
            request_id, Status.CANCELLED, expected=Status.REQUESTED, actor=actor
        )

    async def paid(self, request_id: int, day: date, actor: int | None) -> bool:
        """Paid on `day`; False when it was not approved (or paid already)."""
        async with self._db.transaction():
            if not await self._requests.move(
                request_id,
                Status.PAID,
                expected=Status.APPROVED,
                actor=actor,
                detail=day.isoformat(),
            ):
                return False
            await self._db.write(
                "UPDATE subsidy_requests SET paid_on = ? WHERE request_id = ?",
                (day.isoformat(), request_id),
            )
        return True

    # --- reminders ---------------------------------------------------------------------------

    async def candidates(self, type_id: int, zone: ZoneInfo) -> list[Candidate]:
        """Every approved association: recognised or not, and the municipality's date of its
        last request of the type that was not cancelled."""
        rows = await self._db.fetchall(
            "SELECT a.association_id, coalesce(g.status = 'recognised', 0) AS recognised,"
            " (SELECT max(r.created_at) FROM support_requests r JOIN subsidy_requests s"
            "  USING (request_id) WHERE r.association_id = a.association_id"
            "  AND s.type_id = ? AND r.status <> 'cancelled') AS last_requested"
            " FROM associations a"
            " LEFT JOIN association_recognition g ON g.association_id = a.association_id"
            " WHERE a.status = 'approved' ORDER BY a.association_id",
            (type_id,),
        )
        return [
            Candidate(
                association_id=row["association_id"],
                recognised=bool(row["recognised"]),
                last_requested=_local(from_text(row["last_requested"]), zone),
            )
            for row in rows
        ]

    async def mark_reminded(
        self, type_id: int, association_id: int, deadline: date, days: int
    ) -> bool:
        """Note a reminder sent; False when it was sent before (it goes once)."""
        changed = await self._db.write(
            "INSERT OR IGNORE INTO subsidy_reminders (type_id, association_id, deadline, days)"
            " VALUES (?, ?, ?, ?)",
            (type_id, association_id, deadline.isoformat(), days),
        )
        return changed == 1


def _local(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None
