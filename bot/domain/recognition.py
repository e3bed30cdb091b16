"""An association's recognition (erkenning) by the municipality, and what falls due on the way
to its renewal date: reminders to the board 60 and 14 days before, each once, and expiry on
the date itself. Everything is decided on the municipality's calendar date (dates, not
moments)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

REMINDER_DAYS = (60, 14)  # days before the renewal date the board is reminded, in this order
MAX_YEARS_AHEAD = 10  # the furthest a renewal date may be


class RecognitionStatus(enum.StrEnum):
    NONE = "none"
    APPLIED = "applied"
    RECOGNISED = "recognised"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Recognition:
    """What a liaison officer recorded last. `last_reminder` is the smallest number of days
    before the renewal date a reminder was sent for (None: none yet): the reminders go in
    the order of REMINDER_DAYS, so every larger one went too (or was passed over)."""

    association_id: int
    status: RecognitionStatus = RecognitionStatus.NONE
    renews_on: date | None = None
    recorded_by: int | None = None
    recorded_at: datetime | None = None
    last_reminder: int | None = None

    def reminded(self, days: int) -> bool:
        return self.last_reminder is not None and self.last_reminder <= days


@dataclass(frozen=True)
class Due:
    """What is due for one recognition today: a reminder (its number of days before the
    renewal date, and the days actually left), or expiry, or nothing."""

    reminder: int | None = None
    days_left: int | None = None
    expire: bool = False

    @property
    def nothing(self) -> bool:
        return self.reminder is None and not self.expire


NOTHING = Due()


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """The municipality's calendar date at this moment."""
    return now.astimezone(zone).date()


def passed_reminders(renews_on: date, today: date) -> int | None:
    """The smallest reminder whose day has come (renewal in that many days or fewer), or None:
    a date recorded 10 days ahead needs no 60- or 14-day reminder, the board was just told."""
    left = (renews_on - today).days
    passed = [days for days in REMINDER_DAYS if left <= days]
    return min(passed) if passed else None


def due(recognition: Recognition, today: date) -> Due:
    """What to do today. Only a recognition with a renewal date has anything due. On (or, after
    a pause of the bot, past) the renewal date it expires; before it, the nearest reminder
    whose day has come and that was not sent yet (a skipped earlier one is not sent late)."""
    if recognition.status is not RecognitionStatus.RECOGNISED or recognition.renews_on is None:
        return NOTHING
    left = (recognition.renews_on - today).days
    if left <= 0:
        return Due(expire=True)
    nearest = passed_reminders(recognition.renews_on, today)
    if nearest is None or recognition.reminded(nearest):
        return NOTHING
    return Due(reminder=nearest, days_left=left)


def due_at(recognition: Recognition, now: datetime, zone: ZoneInfo) -> Due:
    """`due` at a moment, on the municipality's calendar."""
    return due(recognition, local_day(now, zone))


class DateProblem(enum.Enum):
    NOT_AFTER_TODAY = "not after today"
    TOO_FAR = "too far ahead"


def latest_renewal(today: date) -> date:
    """The furthest renewal date accepted: MAX_YEARS_AHEAD years from today (28 February for
    29 February)."""
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def renewal_problem(day: date, today: date) -> DateProblem | None:
    """Why a typed renewal date cannot be used, or None. Today is refused too: on the renewal
    date the recognition expires."""
    if day <= today:
        return DateProblem.NOT_AFTER_TODAY
    if day > latest_renewal(today):
        return DateProblem.TOO_FAR
    return None
