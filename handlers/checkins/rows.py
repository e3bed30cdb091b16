"""The outbox rows of check-ins and the barometer."""

from __future__ import annotations

from handlers.bulk import BULK
from storage.outbox import NewRow

ROUND = "barometer"  # a round's message to one board member (or its reminder)
REDRAW = "barometer_redraw"  # that message drawn again as the board answers
CHECKIN = "checkin"
YOU_SAID = "you_said"


def round_message(user_id: int, round_id: int, association_id: int, *, reminder=False) -> NewRow:
    return NewRow(
        user_id,
        ROUND,
        {"round_id": round_id, "association_id": association_id, "reminder": reminder},
        BULK,
        batch=f"round:{round_id}",
    )


def redraw(user_id: int, round_id: int) -> NewRow:
    """At most one waits per message, however often the board presses meanwhile."""
    return NewRow(
        user_id,
        REDRAW,
        {"round_id": round_id},
        coalesce_key=f"barometer:{round_id}:{user_id}",
        ordered=False,
    )


def checkin(user_id: int, schedule_id: int, body: str, file_id: str | None) -> NewRow:
    return NewRow(
        user_id,
        CHECKIN,
        {"schedule_id": schedule_id, "body": body, "file_id": file_id},
        BULK,
        batch=f"checkin:{schedule_id}",
    )


def you_said(user_id: int, round_id: int) -> NewRow:
    return NewRow(user_id, YOU_SAID, {"round_id": round_id}, BULK, batch=f"yousaid:{round_id}")
