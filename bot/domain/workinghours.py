"""Working hours: every hour of a working day in the municipality's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=16)
def _belgian_public_holidays(year: int) -> frozenset[date]:
    """The Belgian public holidays of a year."""
    return frozenset(holidays.country_holidays("BE", years=year))


def is_working_day(day: date) -> bool:
    """Whether a day is a working day: Monday to Friday, and no Belgian public holiday."""
    return day.weekday() < _SATURDAY and day not in _belgian_public_holidays(day.year)


def _next_midnight(moment: datetime) -> datetime:
    """The start of the local day after the moment's."""
    return (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def working_hours_between(start: datetime, end: datetime, timezone: tzinfo) -> float:
    """Hours from start to end that fall on a working day in the time zone."""
    if end <= start:
        return 0.0
    local, local_end = start.astimezone(timezone), end.astimezone(timezone)
    total = timedelta()
    while local < local_end:
        stop = min(_next_midnight(local), local_end)
        if is_working_day(local.date()):
            # Subtract in UTC: a local day lasts 23 or 25 hours when the clocks change.
            total += stop.astimezone(UTC) - local.astimezone(UTC)
        local = stop
    return total.total_seconds() / 3600
