"""The board members a message to many goes to, as the audience and their settings decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.audience import Audience
from bot.domain.preferences import Kind
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    association_id: int
    language: str


class AudienceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def recipients(
        self,
        audience: Audience,
        kind: Kind,
        today: date,
        *,
        only_associations: set[int] | None = None,
    ) -> list[Recipient]:
        """Board members of approved associations in the audience who want this kind of
        message today and can be reached; in the order of their associations."""
        sql = [
            "SELECT m.user_id, m.association_id, u.language",
            " FROM board_members m",
            " JOIN associations a ON a.association_id = m.association_id",
            " JOIN users u ON u.user_id = m.user_id",
            " WHERE a.status = 'approved'",
        ]
        params: list = []
        if kind is not Kind.ESSENTIAL:
            sql.append(" AND u.unreachable_at IS NULL")
            sql.append(" AND (u.paused_until IS NULL OR u.paused_until < ?)")
            params.append(today.isoformat())
            sql.append(
                " AND NOT EXISTS (SELECT 1 FROM messages_off o"
                " WHERE o.user_id = m.user_id AND o.kind = ?)"
            )
            params.append(kind.value)
        if audience.kinds:
            sql.append(f" AND a.kind IN ({', '.join('?' * len(audience.kinds))})")
            params.extend(sorted(audience.kinds))
        if audience.languages:
            sql.append(f" AND u.language IN ({', '.join('?' * len(audience.languages))})")
            params.extend(sorted(audience.languages))
        if audience.open_thread:
            sql.append(
                " AND EXISTS (SELECT 1 FROM threads t"
                " WHERE t.association_id = a.association_id AND t.status <> 'closed')"
            )
        if only_associations is not None:
            sql.append(f" AND a.association_id IN ({', '.join('?' * len(only_associations))})")
            params.extend(sorted(only_associations))
        sql.append(" ORDER BY a.association_id, m.joined_at, m.user_id")
        rows = await self._db.fetchall("".join(sql), params)
        return [Recipient(row["user_id"], row["association_id"], row["language"]) for row in rows]

    async def associations(self, audience: Audience) -> list[int]:
        """The approved associations in the audience (its language filter aside)."""
        everyone = Audience(audience.kinds, frozenset(), audience.open_thread)
        rows = await self.recipients(everyone, Kind.ESSENTIAL, date.min)
        return sorted({row.association_id for row in rows})
