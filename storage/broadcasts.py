"""Broadcasts: a message written once by a liaison and sent to many board members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.audience import Audience
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
broadcast_id, author_id, author_name, body, media_kind, file_id, audience, state, recipients,
report_chat_id, report_topic, report_message_id, send_at, created_at, started_at, finished_at
"""


@dataclass(frozen=True, slots=True)
class Broadcast:
    broadcast_id: int
    author_id: int | None
    author_name: str
    body: str  # HTML
    media_kind: str | None  # 'photo', 'document' or None
    file_id: str | None
    audience: Audience
    state: str  # scheduled, sending, stopped, done, cancelled
    recipients: int
    report_chat_id: int
    report_topic: int | None
    report_message_id: int | None
    send_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def batch(self) -> str:
        return f"broadcast:{self.broadcast_id}"


def _broadcast(row: Row) -> Broadcast:
    return Broadcast(
        broadcast_id=row["broadcast_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        body=row["body"],
        media_kind=row["media_kind"],
        file_id=row["file_id"],
        audience=Audience.from_json(row["audience"]),
        state=row["state"],
        recipients=row["recipients"],
        report_chat_id=row["report_chat_id"],
        report_topic=row["report_topic"],
        report_message_id=row["report_message_id"],
        send_at=from_text(row["send_at"]),
        created_at=from_text(row["created_at"]),
        started_at=from_text(row["started_at"]),
        finished_at=from_text(row["finished_at"]),
    )


class BroadcastRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        author_id: int,
        author_name: str,
        body: str,
        media_kind: str | None,
        file_id: str | None,
        audience: Audience,
        report_chat_id: int,
        report_topic: int | None,
        send_at: datetime | None,
    ) -> int:
        return await self._db.insert(
            "INSERT INTO broadcasts (author_id, author_name, body, media_kind, file_id, audience,"
            " report_chat_id, report_topic, send_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                author_id,
                author_name,
                body,
                media_kind,
                file_id,
                audience.to_json(),
                report_chat_id,
                report_topic,
                to_text(send_at) if send_at else None,
                to_text(self._db.now()),
            ),
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE broadcast_id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def started(self, broadcast_id: int, recipients: int) -> bool:
        """It goes out now, to this many; False if it was no longer waiting to."""
        changed = await self._db.write(
            "UPDATE broadcasts SET state = 'sending', recipients = ?, started_at = ?"
            " WHERE broadcast_id = ? AND state = 'scheduled'",
            (recipients, to_text(self._db.now()), broadcast_id),
        )
        return changed == 1

    async def set_report(self, broadcast_id: int, message_id: int) -> None:
        await self._db.write(
            "UPDATE broadcasts SET report_message_id = ? WHERE broadcast_id = ?",
            (message_id, broadcast_id),
        )

    async def end(self, broadcast_id: int, state: str) -> bool:
        """Sending ended ('done') or was stopped ('stopped'); a scheduled one 'cancelled'."""
        changed = await self._db.write(
            "UPDATE broadcasts SET state = ?, finished_at = ?"
            " WHERE broadcast_id = ? AND state IN ('scheduled', 'sending')",
            (state, to_text(self._db.now()), broadcast_id),
        )
        return changed == 1

    async def recent(self, limit: int = 10, offset: int = 0) -> list[Broadcast]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM broadcasts ORDER BY broadcast_id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_broadcast(row) for row in rows]

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM broadcasts")
        return row["n"]
