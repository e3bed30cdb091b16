"""Requests for support as they are listed and exported: each with what its kind adds (a gear
request's period and items, a subsidy request's type and amounts) and the names of its
association and activity, in one read. Only reads: what writes a request lives in
storage/requests.py, storage/gear_requests.py and storage/subsidies.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from bot.domain.request_summaries import ItemLine, RequestSummary
from bot.domain.requests import FINAL
from storage.database import Database, Row
from storage.requests import columns, request_of
from storage.timestamps import to_text

_SELECT = f"""
SELECT {columns("r")}, a.name AS association_name, act.title AS activity_title,
       g.pick_up, g.return_on, s.amount_cents, s.granted_cents, s.paid_on,
       t.name_nl AS type_nl, t.name_fr AS type_fr, t.name_en AS type_en, t.type_id
FROM support_requests r
JOIN associations a ON a.association_id = r.association_id
LEFT JOIN activities act ON act.activity_id = r.activity_id
LEFT JOIN gear_requests g ON g.request_id = r.request_id
LEFT JOIN subsidy_requests s ON s.request_id = r.request_id
LEFT JOIN subsidy_types t ON t.type_id = s.type_id
"""
_FINAL = ", ".join(f"'{status.value}'" for status in sorted(FINAL))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _summary(row: Row, items: tuple[ItemLine, ...]) -> RequestSummary:
    return RequestSummary(
        request=request_of(row),
        association_name=row["association_name"],
        activity_title=row["activity_title"],
        pick_up=_day(row["pick_up"]),
        return_on=_day(row["return_on"]),
        items=items,
        type_names=(row["type_nl"], row["type_fr"], row["type_en"])
        if row["type_id"] is not None
        else None,
        amount_cents=row["amount_cents"],
        granted_cents=row["granted_cents"],
        paid_on=_day(row["paid_on"]),
    )


class RequestSummaryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _many(self, where: str, params: tuple, order: str) -> list[RequestSummary]:
        rows = await self._db.fetchall(f"{_SELECT} WHERE {where} ORDER BY {order}", params)
        items = await self._items([row["request_id"] for row in rows if row["kind"] == "gear"])
        return [_summary(row, items.get(row["request_id"], ())) for row in rows]

    async def _items(self, request_ids: list[int]) -> dict[int, tuple[ItemLine, ...]]:
        """The items of these gear requests, by request, in the order of their Dutch names."""
        found: dict[int, list[ItemLine]] = defaultdict(list)
        for start in range(0, len(request_ids), 500):
            chunk = request_ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self._db.fetchall(
                "SELECT l.request_id, l.quantity, l.approved, i.name_nl, i.name_fr, i.name_en,"
                " i.unit FROM gear_request_lines l JOIN gear_items i ON i.item_id = l.item_id"
                f" WHERE l.request_id IN ({marks}) ORDER BY l.request_id, i.name_nl",
                tuple(chunk),
            )
            for row in rows:
                found[row["request_id"]].append(
                    ItemLine(
                        name_nl=row["name_nl"],
                        quantity=row["quantity"],
                        approved=row["approved"],
                        name_fr=row["name_fr"],
                        name_en=row["name_en"],
                        unit=row["unit"],
                    )
                )
        return {request_id: tuple(lines) for request_id, lines in found.items()}

    async def get(self, request_id: int) -> RequestSummary | None:
        found = await self._many("r.request_id = ?", (request_id,), "r.request_id")
        return found[0] if found else None

    async def of_association(
        self, association_id: int, *, limit: int = -1, offset: int = 0
    ) -> list[RequestSummary]:
        """The association's requests, the newest first (a page of them, with a limit)."""
        return await self._many(
            "r.association_id = ?",
            (association_id,),
            f"r.request_id DESC LIMIT {int(limit)} OFFSET {int(offset)}",
        )

    async def count_of_association(self, association_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM support_requests WHERE association_id = ?",
            (association_id,),
        )
        return row["n"]

    async def still_open(self, association_id: int | None = None) -> list[RequestSummary]:
        """Requests that still wait for something (a decision, a pick-up, a return, a
        payment), the longest waiting first; of one association or of all."""
        where, params = f"r.status NOT IN ({_FINAL})", ()
        if association_id is not None:
            where, params = f"{where} AND r.association_id = ?", (association_id,)
        return await self._many(where, params, "r.created_at, r.request_id")

    async def created_between(self, start: datetime, end: datetime) -> list[RequestSummary]:
        """Every request made from `start` up to (not including) `end`, by number."""
        return await self._many(
            "r.created_at >= ? AND r.created_at < ?",
            (to_text(start), to_text(end)),
            "r.request_id",
        )

    async def of_activity(self, activity_id: int) -> list[RequestSummary]:
        """The requests linked to an activity, by number."""
        return await self._many("r.activity_id = ?", (activity_id,), "r.request_id")
