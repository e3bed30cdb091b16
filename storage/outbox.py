"""The outbox: every Bot API call that may wait, one row each, until it is sent or given up."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.privacy import SentText, Traces
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

STATES = ("pending", "sending", "sent", "failed", "blocked", "skipped")

_COLUMNS = """
outbox_id, chat_id, kind, payload, priority, coalesce_key, state, attempts, uncertain,
not_before, reason, created_at, sent_at, telegram_message_id, batch
"""

# A row going back to waiting whose coalesce key has a newer row waiting already: that one
# draws the latest state when its turn comes, so this one ends ('skipped', superseded).
_BACK_TO_WAITING = """
state = CASE WHEN coalesce_key IS NOT NULL AND EXISTS (SELECT 1 FROM outbox w
    WHERE w.coalesce_key = outbox.coalesce_key AND w.state = 'pending'
    AND w.outbox_id <> outbox.outbox_id) THEN 'skipped' ELSE 'pending' END,
reason = CASE WHEN coalesce_key IS NOT NULL AND EXISTS (SELECT 1 FROM outbox w
    WHERE w.coalesce_key = outbox.coalesce_key AND w.state = 'pending'
    AND w.outbox_id <> outbox.outbox_id) THEN 'superseded' ELSE {reason} END
"""


@dataclass(frozen=True, slots=True)
class BatchCounts:
    sent: int = 0
    pending: int = 0  # waiting or being sent
    failed: int = 0
    blocked: int = 0
    skipped: int = 0
    uncertain: int = 0  # sent, maybe twice: a crash came while they were in flight

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.blocked + self.skipped


@dataclass(frozen=True, slots=True)
class NewRow:
    """A row to add: to which chat, what kind of send, and what it needs."""

    chat_id: int
    kind: str
    payload: dict
    priority: int = 0
    coalesce_key: str | None = None
    not_before: datetime | None = None
    ordered: bool = True
    batch: str | None = None  # the send to many it belongs to ('broadcast:7')


@dataclass(frozen=True, slots=True)
class OutboxRow:
    outbox_id: int
    chat_id: int
    kind: str
    payload: dict
    priority: int
    coalesce_key: str | None
    state: str
    attempts: int
    uncertain: bool
    not_before: datetime | None
    reason: str | None
    created_at: datetime
    sent_at: datetime | None
    telegram_message_id: int | None
    batch: str | None = None


def _row(row: Row) -> OutboxRow:
    return OutboxRow(
        outbox_id=row["outbox_id"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        priority=row["priority"],
        coalesce_key=row["coalesce_key"],
        state=row["state"],
        attempts=row["attempts"],
        uncertain=bool(row["uncertain"]),
        not_before=from_text(row["not_before"]),
        reason=row["reason"],
        created_at=from_text(row["created_at"]),
        sent_at=from_text(row["sent_at"]),
        telegram_message_id=row["telegram_message_id"],
        batch=row["batch"],
    )


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, rows: Iterable[NewRow]) -> None:
        """Queue rows, in one statement; a row whose coalesce key already waits is dropped."""
        now = to_text(self._db.now())
        await self._db.executemany(
            "INSERT INTO outbox (chat_id, kind, payload, priority, coalesce_key, not_before,"
            " ordered, batch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [
                (
                    r.chat_id,
                    r.kind,
                    json.dumps(r.payload),
                    r.priority,
                    r.coalesce_key,
                    to_text(r.not_before) if r.not_before else None,
                    int(r.ordered),
                    r.batch,
                    now,
                )
                for r in rows
            ],
        )

    async def waiting(self, coalesce_key: str) -> bool:
        """Whether a row with this key waits or is being sent."""
        row = await self._db.fetchone(
            "SELECT 1 FROM outbox WHERE coalesce_key = ? AND state IN ('pending', 'sending')",
            (coalesce_key,),
        )
        return row is not None

    async def hasten(self, coalesce_key: str) -> None:
        """The waiting row with this key may go as soon as its turn comes."""
        await self._db.write(
            "UPDATE outbox SET not_before = NULL WHERE coalesce_key = ? AND state = 'pending'",
            (coalesce_key,),
        )

    async def get(self, outbox_id: int) -> OutboxRow | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM outbox WHERE outbox_id = ?", (outbox_id,)
        )
        return _row(row) if row else None

    async def due(self, now: datetime, limit: int = 100) -> list[OutboxRow]:
        """The rows that may go now, most urgent first: of each chat its first ordered row
        (which waits while an earlier one is being sent, or for its retry), and its unordered
        rows whose moment has come."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox o WHERE o.state = 'pending'"
            " AND (o.not_before IS NULL OR o.not_before <= ?)"
            " AND (o.ordered = 0 OR o.outbox_id = (SELECT MIN(outbox_id) FROM outbox"
            "  WHERE chat_id = o.chat_id AND state IN ('pending', 'sending') AND ordered = 1))"
            " ORDER BY o.priority, o.outbox_id LIMIT ?",
            (to_text(now), limit),
        )
        return [_row(row) for row in rows]

    async def next_retry(self, after: datetime | None = None) -> datetime | None:
        """When the earliest row that waits for a retry may go (only moments after `after`,
        when given: rows already due are not waiting for their moment)."""
        row = await self._db.fetchone(
            "SELECT MIN(not_before) AS moment FROM outbox"
            " WHERE state = 'pending' AND not_before IS NOT NULL AND not_before > ?",
            (to_text(after) if after else "",),
        )
        return from_text(row["moment"]) if row else None

    async def sending(self, outbox_id: int) -> bool:
        """Take a pending row for its send; False if it is no longer pending."""
        changed = await self._db.write(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
            " WHERE outbox_id = ? AND state = 'pending'",
            (outbox_id,),
        )
        return changed == 1

    async def sent(self, outbox_id: int, telegram_message_id: int | None) -> None:
        await self._db.write(
            "UPDATE outbox SET state = 'sent', sent_at = ?, telegram_message_id = ?, reason = NULL"
            " WHERE outbox_id = ?",
            (to_text(self._db.now()), telegram_message_id, outbox_id),
        )

    async def give_up(self, outbox_id: int, state: str, reason: str) -> None:
        """The row ends without being sent: failed, blocked or skipped, with the reason."""
        await self._db.write(
            "UPDATE outbox SET state = ?, reason = ? WHERE outbox_id = ?",
            (state, reason[:500], outbox_id),
        )

    async def retry(
        self,
        outbox_id: int,
        not_before: datetime | None,
        reason: str,
        *,
        uncertain: bool = False,
    ) -> None:
        """Back to waiting, not before the given moment (None: as soon as its turn comes).
        `uncertain`: the failed try may have reached Telegram after all (a timeout)."""
        await self._db.write(
            "UPDATE outbox SET"
            + _BACK_TO_WAITING.format(reason="?")
            + ", not_before = ?, uncertain = max(uncertain, ?) WHERE outbox_id = ?",
            (
                reason[:500],
                to_text(not_before) if not_before else None,
                int(uncertain),
                outbox_id,
            ),
        )

    async def unsend(self, outbox_id: int) -> None:
        """A send that did not happen after all (Telegram said wait): waiting again, uncounted."""
        await self._db.write(
            "UPDATE outbox SET"
            + _BACK_TO_WAITING.format(reason="reason")
            + ", attempts = max(attempts - 1, 0) WHERE outbox_id = ?",
            (outbox_id,),
        )

    async def recover_in_flight(self) -> int:
        """At start: rows that were being sent when the process died may or may not have
        reached Telegram. They go again, marked uncertain; return how many."""
        return await self._db.write(
            "UPDATE outbox SET"
            + _BACK_TO_WAITING.format(reason="reason")
            + ", uncertain = 1 WHERE state = 'sending'"
        )

    async def backlog(self) -> dict[str, int]:
        """How many rows wait, are in flight, or ended in each way."""
        rows = await self._db.fetchall("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        counts = dict.fromkeys(STATES, 0)
        counts.update({row["state"]: row["n"] for row in rows})
        return counts

    async def batch_counts(self, batch: str) -> BatchCounts:
        """How the rows of a send to many stand."""
        rows = await self._db.fetchall(
            "SELECT state, SUM(uncertain) AS uncertain, COUNT(*) AS n FROM outbox"
            " WHERE batch = ? GROUP BY state",
            (batch,),
        )
        counts = {row["state"]: row["n"] for row in rows}
        return BatchCounts(
            sent=counts.get("sent", 0),
            pending=counts.get("pending", 0) + counts.get("sending", 0),
            failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
            skipped=counts.get("skipped", 0),
            uncertain=sum(row["uncertain"] or 0 for row in rows if row["state"] == "sent"),
        )

    async def unreached_associations(self, batch: str) -> list[tuple[str, int, int]]:
        """The associations of a send to many with board members it did not reach: (name,
        reached, not reached), by name."""
        rows = await self._db.fetchall(
            "SELECT a.name, SUM(o.state = 'sent') AS reached,"
            " SUM(o.state IN ('failed', 'blocked')) AS missed FROM outbox o"
            " JOIN board_members m ON m.user_id = o.chat_id"
            " JOIN associations a ON a.association_id = m.association_id"
            " WHERE o.batch = ? GROUP BY a.association_id HAVING missed > 0 ORDER BY a.name",
            (batch,),
        )
        return [(row["name"], row["reached"], row["missed"]) for row in rows]

    async def skip_batch(self, batch: str) -> int:
        """Stop a send to many: its waiting rows are skipped; return how many."""
        return await self._db.write(
            "UPDATE outbox SET state = 'skipped', reason = 'stopped'"
            " WHERE batch = ? AND state = 'pending'",
            (batch,),
        )

    async def prune(self, before: datetime) -> int:
        """Forget rows that were sent before this moment."""
        return await self._db.write(
            "DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?", (to_text(before),)
        )

    async def erase_person(self, traces: Traces, erased: str) -> list[SentText]:
        """Forget a person: the rows to their private chat go (Kapstok will not write to them
        again), and the texts of the others no longer name them (`erased` instead). Return
        the sent messages whose text named them, with their new text: they can be edited."""
        await self._db.write("DELETE FROM outbox WHERE chat_id = ?", (traces.user_id,))
        needles = traces.needles()
        found = " OR ".join(
            "instr(lower(payload), ?) > 0 OR instr(lower(coalesce(reason, '')), ?) > 0"
            for _ in needles
        )
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE {found} ORDER BY outbox_id",
            [needle for needle in needles for _ in range(2)],
        )
        sent = []
        for row in map(_row, rows):
            payload = traces.scrub_json(row.payload, erased)
            reason = traces.scrub(row.reason, erased) if row.reason else row.reason
            if (payload, reason) == (row.payload, row.reason):
                continue
            await self._db.write(
                "UPDATE outbox SET payload = ?, reason = ? WHERE outbox_id = ?",
                (json.dumps(payload), reason, row.outbox_id),
            )
            text = payload.get("text")
            if row.state == "sent" and row.telegram_message_id and isinstance(text, str):
                sent.append(
                    SentText(
                        row.chat_id,
                        row.telegram_message_id,
                        row.kind,
                        text,
                        payload.get("keyboard"),
                    )
                )
        return sent
