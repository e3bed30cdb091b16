"""Requests for support, of every kind: their numbers, statuses and histories. What only a gear
or a subsidy request has lives in storage/gear_requests.py and storage/subsidies.py."""

from __future__ import annotations

from bot.domain.requests import RequestEvent, RequestKind, Status, SupportRequest
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
request_id, kind, association_id, requested_by, status, activity_id, note, created_at,
updated_at, card_message_id, thread_id
"""


def request_of(row: Row) -> SupportRequest:
    return SupportRequest(
        request_id=row["request_id"],
        kind=RequestKind(row["kind"]),
        association_id=row["association_id"],
        status=Status(row["status"]),
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        requested_by=row["requested_by"],
        activity_id=row["activity_id"],
        note=row["note"],
        card_message_id=row["card_message_id"],
        thread_id=row["thread_id"],
    )


def columns(alias: str) -> str:
    """The request's columns for a SELECT over `alias`."""
    return ", ".join(f"{alias}.{column.strip()}" for column in _COLUMNS.split(","))


class RequestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        kind: RequestKind,
        association_id: int,
        requested_by: int | None,
        *,
        activity_id: int | None = None,
        note: str = "",
    ) -> int:
        """A new request, with 'requested' as its first event; returns its number. Write the
        kind's own row in the same transaction."""
        now = to_text(self._db.now())
        request_id = await self._db.insert(
            "INSERT INTO support_requests (kind, association_id, requested_by, status,"
            " activity_id, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (kind.value, association_id, requested_by, Status.REQUESTED.value, activity_id, note,
             now, now),
        )  # fmt: skip
        await self.record(request_id, Status.REQUESTED.value, requested_by, note)
        return request_id

    async def get(self, request_id: int) -> SupportRequest | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM support_requests WHERE request_id = ?", (request_id,)
        )
        return request_of(row) if row else None

    async def move(
        self,
        request_id: int,
        status: Status,
        *,
        expected: Status,
        actor: int | None,
        detail: str = "",
        cents: int | None = None,
    ) -> bool:
        """Move the request from `expected` to `status` and record it in its history; False
        (and nothing written) when it was no longer in `expected`."""
        changed = await self._db.write(
            "UPDATE support_requests SET status = ?, updated_at = ?"
            " WHERE request_id = ? AND status = ?",
            (status.value, to_text(self._db.now()), request_id, expected.value),
        )
        if changed != 1:
            return False
        await self.record(request_id, status.value, actor, detail, cents)
        return True

    async def record(
        self,
        request_id: int,
        event: str,
        actor: int | None,
        detail: str = "",
        cents: int | None = None,
    ) -> None:
        """One step of the request's history (a status it moved to, 'asked', 'noted')."""
        await self._db.write(
            "INSERT INTO request_events (request_id, at, actor, event, detail, cents)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (request_id, to_text(self._db.now()), actor, event, detail, cents),
        )

    async def history(self, request_id: int) -> list[RequestEvent]:
        """The request's events, the first first."""
        rows = await self._db.fetchall(
            "SELECT request_id, at, actor, event, detail, cents FROM request_events"
            " WHERE request_id = ? ORDER BY event_id",
            (request_id,),
        )
        return [
            RequestEvent(
                request_id=row["request_id"],
                at=from_text(row["at"]),
                event=row["event"],
                actor=row["actor"],
                detail=row["detail"],
                cents=row["cents"],
            )
            for row in rows
        ]

    async def set_card(self, request_id: int, message_id: int) -> None:
        """Where the request's card in the association's topic is."""
        await self._db.write(
            "UPDATE support_requests SET card_message_id = ? WHERE request_id = ?",
            (message_id, request_id),
        )

    async def set_thread(self, request_id: int, thread_id: int) -> None:
        """The thread a liaison officer's question about the request opened."""
        await self._db.write(
            "UPDATE support_requests SET thread_id = ? WHERE request_id = ?",
            (thread_id, request_id),
        )

    async def of_association(self, association_id: int) -> list[SupportRequest]:
        """Every request of the association, the newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM support_requests WHERE association_id = ?"
            " ORDER BY request_id DESC",
            (association_id,),
        )
        return [request_of(row) for row in rows]

    async def of_activity(self, activity_id: int) -> list[SupportRequest]:
        """The requests linked to an activity, the oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM support_requests WHERE activity_id = ? ORDER BY request_id",
            (activity_id,),
        )
        return [request_of(row) for row in rows]

    async def waiting_for_decision(self, association_id: int | None = None) -> list[SupportRequest]:
        """Requests no liaison officer decided yet, the oldest first; of one association or of
        all."""
        where, params = "status = 'requested'", ()
        if association_id is not None:
            where, params = f"{where} AND association_id = ?", (association_id,)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM support_requests WHERE {where}"
            " ORDER BY created_at, request_id",
            params,
        )
        return [request_of(row) for row in rows]
