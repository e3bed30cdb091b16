"""The outbox rows of broadcasts: one per recipient, and the liaison's report."""

from __future__ import annotations

from datetime import datetime

from handlers.bulk import BULK
from storage.outbox import NewRow

BROADCAST = "broadcast"
REPORT = "broadcast_report"


def broadcast(user_id: int, broadcast_id: int, batch: str) -> NewRow:
    return NewRow(user_id, BROADCAST, {"broadcast_id": broadcast_id}, BULK, batch=batch)


def report_key(broadcast_id: int) -> str:
    return f"broadcast-report:{broadcast_id}"


def report(chat_id: int, broadcast_id: int, not_before: datetime | None = None) -> NewRow:
    """The report drawn (again): at most one waits, however many sends end meanwhile."""
    return NewRow(
        chat_id,
        REPORT,
        {"broadcast_id": broadcast_id},
        coalesce_key=report_key(broadcast_id),
        not_before=not_before,
        ordered=False,
    )
