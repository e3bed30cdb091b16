"""Gear requests: their periods and items, the reservations availability is computed from, and
the decisions that take stock, which check it again inside their own write transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.lending import HOLDING, Reservation, free_per_item, held_while_late
from bot.domain.requests import GearLine, GearRequest, RequestKind, Status
from storage.database import Database, Row
from storage.requests import RequestRepository, columns, request_of

_GEAR_COLUMNS = """
g.pick_up, g.return_on, g.deposit_received, g.returned_in_order, g.return_note, g.damage_photo,
g.deposit_kept_cents, g.reminded_pick_up, g.reminded_return, g.overdue_reminders,
g.overdue_in_topic
"""
_HOLDING = ", ".join(f"'{state}'" for state in sorted(HOLDING))


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _gear_request(row: Row, lines: tuple[GearLine, ...]) -> GearRequest:
    return GearRequest(
        request=request_of(row),
        pick_up=date.fromisoformat(row["pick_up"]),
        return_on=date.fromisoformat(row["return_on"]),
        lines=lines,
        deposit_received=_flag(row["deposit_received"]),
        returned_in_order=_flag(row["returned_in_order"]),
        return_note=row["return_note"],
        damage_photo=row["damage_photo"],
        deposit_kept_cents=row["deposit_kept_cents"],
        reminded_pick_up=bool(row["reminded_pick_up"]),
        reminded_return=bool(row["reminded_return"]),
        overdue_reminders=row["overdue_reminders"],
        overdue_in_topic=bool(row["overdue_in_topic"]),
    )


@dataclass(frozen=True)
class Shortage:
    """An approval that did not fit: per item id, how many were asked to approve and how many
    are free now (without this request)."""

    wanted: dict[int, int]
    free: dict[int, int]


class GearRequestRepository:
    def __init__(self, db: Database, requests: RequestRepository) -> None:
        self._db = db
        self._requests = requests

    async def create(
        self,
        association_id: int,
        requested_by: int,
        pick_up: date,
        return_on: date,
        quantities: dict[int, int],
        *,
        activity_id: int | None = None,
        note: str = "",
    ) -> GearRequest:
        """A new request for these quantities per item id; returns it."""
        if not quantities or min(quantities.values()) < 1:
            raise ValueError("a gear request asks for at least one of at least one item")
        async with self._db.transaction():
            request_id = await self._requests.create(
                RequestKind.GEAR, association_id, requested_by, activity_id=activity_id, note=note
            )
            await self._db.write(
                "INSERT INTO gear_requests (request_id, pick_up, return_on) VALUES (?, ?, ?)",
                (request_id, pick_up.isoformat(), return_on.isoformat()),
            )
            await self._db.executemany(
                "INSERT INTO gear_request_lines (request_id, item_id, quantity, deposit_cents)"
                " SELECT ?, item_id, ?, deposit_cents FROM gear_items WHERE item_id = ?",
                [(request_id, quantity, item) for item, quantity in sorted(quantities.items())],
            )
        return await self.get(request_id)

    async def get(self, request_id: int) -> GearRequest | None:
        row = await self._db.fetchone(
            f"SELECT {columns('r')}, {_GEAR_COLUMNS} FROM support_requests r"
            " JOIN gear_requests g USING (request_id) WHERE r.request_id = ?",
            (request_id,),
        )
        if row is None:
            return None
        return _gear_request(row, await self._lines(request_id))

    async def _lines(self, request_id: int) -> tuple[GearLine, ...]:
        rows = await self._db.fetchall(
            "SELECT item_id, quantity, approved, deposit_cents FROM gear_request_lines"
            " WHERE request_id = ? ORDER BY item_id",
            (request_id,),
        )
        return tuple(
            GearLine(row["item_id"], row["quantity"], row["approved"], row["deposit_cents"])
            for row in rows
        )

    async def _many(self, where: str, params: tuple) -> list[GearRequest]:
        rows = await self._db.fetchall(
            f"SELECT {columns('r')}, {_GEAR_COLUMNS} FROM support_requests r"
            f" JOIN gear_requests g USING (request_id) WHERE {where}"
            " ORDER BY g.pick_up, r.request_id",
            params,
        )
        return [_gear_request(row, await self._lines(row["request_id"])) for row in rows]

    async def of_association(self, association_id: int) -> list[GearRequest]:
        return await self._many("r.association_id = ?", (association_id,))

    async def with_status(self, *statuses: Status) -> list[GearRequest]:
        marks = ", ".join("?" * len(statuses))
        return await self._many(f"r.status IN ({marks})", tuple(s.value for s in statuses))

    async def picking_up_on(self, day: date) -> list[GearRequest]:
        """Approved requests to be picked up on `day`."""
        return await self._many(
            "r.status IN ('approved', 'partly_approved') AND g.pick_up = ?", (day.isoformat(),)
        )

    async def returning_on(self, day: date) -> list[GearRequest]:
        """Picked-up requests to be returned on `day`."""
        return await self._many("r.status = 'picked_up' AND g.return_on = ?", (day.isoformat(),))

    async def overdue(self, today: date) -> list[GearRequest]:
        """Picked-up requests whose return day is before `today`."""
        return await self._many("r.status = 'picked_up' AND g.return_on < ?", (today.isoformat(),))

    # --- availability ------------------------------------------------------------------------

    async def reservations(
        self, first: date, last: date, *, without: int | None = None
    ) -> list[Reservation]:
        """The holding reservations (approved, partly approved, picked up) whose period
        overlaps first..last, as the availability rule takes them; `without` leaves one request
        out (the one being decided). Gear picked up and not back after its return day holds
        until `last` (lending.held_while_late; today is the UTC date, hours off at midnight)."""
        today = self._db.now().date()
        rows = await self._db.fetchall(
            "SELECT l.item_id, COALESCE(l.approved, l.quantity) AS quantity, g.pick_up,"
            " g.return_on, r.status FROM gear_request_lines l"
            " JOIN gear_requests g USING (request_id) JOIN support_requests r USING (request_id)"
            f" WHERE r.status IN ({_HOLDING}) AND g.pick_up <= ?"
            " AND (g.return_on >= ? OR (r.status = 'picked_up' AND g.return_on < ?))"
            " AND r.request_id IS NOT ?",
            (last.isoformat(), first.isoformat(), today.isoformat(), without),
        )
        return [
            held_while_late(
                Reservation(
                    item_id=row["item_id"],
                    quantity=row["quantity"],
                    pick_up=date.fromisoformat(row["pick_up"]),
                    return_on=date.fromisoformat(row["return_on"]),
                    state=row["status"],
                ),
                today,
                last,
            )
            for row in rows
        ]

    async def item_reservations(self, item_id: int, first: date) -> list[Reservation]:
        """One item's holding reservations that end on `first` or later (for the nearest free
        dates, and for a stock change)."""
        return [
            reservation
            for reservation in await self.reservations(first, date.max)
            if reservation.item_id == item_id
        ]

    async def free(
        self, stock: dict[int, int], pick_up: date, return_on: date, *, without: int | None = None
    ) -> dict[int, int]:
        """Per item id (with its stock), how many are free for the whole period."""
        reservations = await self.reservations(pick_up, return_on, without=without)
        return free_per_item(stock, reservations, pick_up, return_on)

    # --- decisions ---------------------------------------------------------------------------

    async def approve(
        self, request_id: int, approved: dict[int, int], actor: int, *, detail: str = ""
    ) -> Status | Shortage | None:
        """Approve these quantities per item id (each at most what was asked; every line gets
        one, 0 for an item not given): the request becomes approved when every line has what
        it asked, partly approved otherwise. The stock is read again in this write transaction,
        so two approvals never promise the same gear: a Shortage (nothing written) when the
        quantities no longer fit. None when the request is no longer waiting for a decision."""
        async with self._db.transaction():
            request = await self.get(request_id)
            if request is None or request.request.status is not Status.REQUESTED:
                return None
            quantities = {line.item_id: approved.get(line.item_id, 0) for line in request.lines}
            for line in request.lines:
                if not 0 <= quantities[line.item_id] <= line.quantity:
                    raise ValueError("an approved quantity is between 0 and the one asked")
            if not any(quantities.values()):
                raise ValueError("an approval approves something")
            stock = await self._stock(quantities)
            free = await self.free(stock, request.pick_up, request.return_on, without=request_id)
            if any(quantities[item] > free[item] for item in quantities if quantities[item]):
                return Shortage(wanted=quantities, free=free)
            whole = all(quantities[line.item_id] == line.quantity for line in request.lines)
            status = Status.APPROVED if whole else Status.PARTLY_APPROVED
            await self._db.executemany(
                "UPDATE gear_request_lines SET approved = ? WHERE request_id = ? AND item_id = ?",
                [(quantity, request_id, item) for item, quantity in quantities.items()],
            )
            await self._requests.move(
                request_id, status, expected=Status.REQUESTED, actor=actor, detail=detail
            )
            return status

    async def _stock(self, item_ids) -> dict[int, int]:
        """The stock of these items; 0 for one taken out of the catalog (no longer lent)."""
        ids = sorted(item_ids)
        rows = await self._db.fetchall(
            "SELECT item_id, CASE WHEN active = 1 THEN stock ELSE 0 END AS stock FROM gear_items"
            f" WHERE item_id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        return {row["item_id"]: row["stock"] for row in rows}

    async def picked_up(self, request_id: int, actor: int, deposit_received: bool) -> bool:
        """Mark an approved request picked up; False when it was not approved (any more)."""
        async with self._db.transaction():
            request = await self.get(request_id)
            holding = (Status.APPROVED, Status.PARTLY_APPROVED)
            if request is None or request.request.status not in holding:
                return False
            moved = await self._requests.move(
                request_id, Status.PICKED_UP, expected=request.request.status, actor=actor
            )
            if moved:
                await self._db.write(
                    "UPDATE gear_requests SET deposit_received = ? WHERE request_id = ?",
                    (int(deposit_received), request_id),
                )
            return moved

    async def returned(
        self,
        request_id: int,
        actor: int,
        *,
        in_order: bool,
        note: str = "",
        damage_photo: str | None = None,
        deposit_kept_cents: int = 0,
    ) -> bool:
        """Mark a picked-up request returned, in order or with a note (and a photo of damage),
        keeping part or all of the deposit; False when it was not picked up (any more)."""
        async with self._db.transaction():
            moved = await self._requests.move(
                request_id, Status.RETURNED, expected=Status.PICKED_UP, actor=actor, detail=note,
                cents=deposit_kept_cents or None,
            )  # fmt: skip
            if moved:
                await self._db.write(
                    "UPDATE gear_requests SET returned_in_order = ?, return_note = ?,"
                    " damage_photo = ?, deposit_kept_cents = ? WHERE request_id = ?",
                    (int(in_order), note or None, damage_photo, deposit_kept_cents, request_id),
                )
            return moved

    # --- reminders ---------------------------------------------------------------------------

    async def mark_reminded(self, request_id: int, column: str) -> bool:
        """Note a reminder as sent ('reminded_pick_up', 'reminded_return', 'overdue_in_topic'),
        once: False when it already was."""
        if column not in ("reminded_pick_up", "reminded_return", "overdue_in_topic"):
            raise ValueError(f"no reminder {column!r}")
        changed = await self._db.write(
            f"UPDATE gear_requests SET {column} = 1 WHERE request_id = ? AND {column} = 0",
            (request_id,),
        )
        return changed == 1

    async def count_overdue_reminder(self, request_id: int, sent_before: int) -> bool:
        """Count one more overdue reminder to the board, when `sent_before` were sent (so it
        goes once however often the job runs)."""
        changed = await self._db.write(
            "UPDATE gear_requests SET overdue_reminders = overdue_reminders + 1"
            " WHERE request_id = ? AND overdue_reminders = ?",
            (request_id, sent_before),
        )
        return changed == 1
