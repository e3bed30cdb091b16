"""When a schedule runs next: monthly, quarterly or once, at a local wall-clock time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FREQUENCIES = ("monthly", "quarterly", "once")
MAX_LATE = timedelta(hours=6)
MAX_DAY = 28  # every month has a day 28; we refuse 29-31
QUARTER_MONTHS = (1, 4, 7, 10)

_RESOLUTION = timedelta(microseconds=1)
_TIME = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2})|[uh]([0-9]{2})?)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rule:
    """A schedule: `frequency` at local time `at`, on `day` of the month or on the date `on`."""

    frequency: str
    at: time
    day: int | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class CatchUp:
    """Whether to make a missed run now, and how late it is."""

    run: bool
    late: timedelta


def parse_time(text: str) -> time | None:
    """A time of day typed as 14:00, 14.30, 9:05, 14u, 14h, 14u30 or 14h30; None otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _exists(wall: datetime) -> bool:
    """Whether a local wall time (aware, in its zone) is shown on the clock at all."""
    back = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return back.replace(tzinfo=None) == wall.replace(tzinfo=None)


def _end_of_gap(wall: datetime) -> datetime:
    """The instant (UTC) the clocks jumped over a wall time that does not exist."""
    zone = wall.tzinfo
    before, after = wall.replace(fold=1).astimezone(UTC), wall.astimezone(UTC)
    offset_after = after.astimezone(zone).utcoffset()
    while after - before > _RESOLUTION:
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return after


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment `at` on `day` means in `zone`.

    A wall time skipped when the clocks spring forward means the end of the gap (02:30 → 03:00);
    a wall time that happens twice when they fall back means the first of the two.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    if _exists(wall):
        return wall.astimezone(UTC)
    return _end_of_gap(wall)


def _months(year: int, month: int) -> Iterator[tuple[int, int]]:
    """(year, month) pairs from the given month on, forever."""
    while True:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def next_run(rule: Rule, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first run strictly after `after` (aware), in UTC; None when a once-rule is past."""
    if after.utcoffset() is None:
        raise ValueError("after must be an aware datetime")
    if rule.frequency == "once":
        if rule.on is None:
            raise ValueError("a once-rule needs a date")
        moment = local_moment(rule.on, rule.at, zone)
        return moment if moment > after else None
    if rule.frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {rule.frequency!r}")
    if rule.day is None or not 1 <= rule.day <= MAX_DAY:
        raise ValueError(f"day must be 1..{MAX_DAY}, not {rule.day!r}")
    # Start a month early: a run can fall on a local date before `after`'s one.
    start = after.astimezone(zone).date().replace(day=1) - timedelta(days=1)
    months = _months(start.year, start.month)
    if rule.frequency == "quarterly":
        months = ((year, month) for year, month in months if month in QUARTER_MONTHS)
    moments = (local_moment(date(year, month, rule.day), rule.at, zone) for year, month in months)
    return next(moment for moment in moments if moment > after)


def validate(rule: Rule, now: datetime, zone: ZoneInfo) -> str | None:
    """None if the rule can run; else 'frequency', 'missing', 'day' or 'past'."""
    if rule.frequency not in FREQUENCIES:
        return "frequency"
    if rule.frequency == "once":
        if rule.on is None:
            return "missing"
        return None if local_moment(rule.on, rule.at, zone) > now else "past"
    if rule.day is None:
        return "missing"
    return None if 1 <= rule.day <= MAX_DAY else "day"


def catch_up(due_at: datetime, now: datetime) -> CatchUp:
    """A missed run is made once now when it is less than MAX_LATE late, else skipped."""
    late = now - due_at
    return CatchUp(run=timedelta(0) <= late < MAX_LATE, late=late)
