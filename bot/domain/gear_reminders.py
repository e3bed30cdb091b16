"""Which reminder a gear request is due on a day, in the municipality's time zone.

- the day before the pick-up, to the board (once);
- on the return day, to the board (once);
- when it is overdue (picked up, the return day passed): to the board on each of the first
  OVERDUE_BOARD_DAYS days late, then once in the association's topic of the liaison group.

The job that sends them runs often; what was sent is counted with the request, so each goes once.
A job that did not run for days sends the overdue reminders it missed one per run, not per day
(a rare catch-up, never more than OVERDUE_BOARD_DAYS in all).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

OVERDUE_BOARD_DAYS = 3


class GearReminder(enum.StrEnum):
    PICK_UP = "pick_up"  # tomorrow is the pick-up
    RETURN = "return"  # today is the return day
    OVERDUE = "overdue"  # to the board, one of the first days late
    OVERDUE_TOPIC = "overdue_topic"  # to the liaisons, once after the board's reminders


def overdue_days(return_on: date, today: date) -> int:
    """How many days late a loan due on `return_on` is today: 0 on the return day or before."""
    return max(0, (today - return_on).days)


def due_reminder(
    status: str,
    pick_up: date,
    return_on: date,
    today: date,
    *,
    reminded_pick_up: bool = False,
    reminded_return: bool = False,
    overdue_reminders: int = 0,
    overdue_in_topic: bool = False,
) -> GearReminder | None:
    """The reminder due today for a gear request in `status` (a requests.Status value), or
    None."""
    if status in ("approved", "partly_approved"):
        if today == pick_up - timedelta(days=1) and not reminded_pick_up:
            return GearReminder.PICK_UP
        return None
    if status != "picked_up":
        return None
    if today == return_on:
        return None if reminded_return else GearReminder.RETURN
    late = overdue_days(return_on, today)
    if late == 0:
        return None
    if late <= OVERDUE_BOARD_DAYS:
        return GearReminder.OVERDUE if overdue_reminders < late else None
    return None if overdue_in_topic else GearReminder.OVERDUE_TOPIC
