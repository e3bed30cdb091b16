"""Who wants which message: members can turn off or pause everything but the essential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.dates import parse_day

MAX_PAUSE_DAYS = 366


class Kind(StrEnum):
    """What a message is about."""

    NEWS = "news"
    CHECKINS = "checkins"
    CALLS = "calls"
    REMINDERS = "reminders"
    ESSENTIAL = "essential"


OPTIONAL = (Kind.NEWS, Kind.CHECKINS, Kind.CALLS, Kind.REMINDERS)


@dataclass(frozen=True, slots=True)
class Preferences:
    """Kinds turned off, a pause through `paused_until`, and whether they blocked the bot."""

    off: frozenset[Kind] = frozenset()
    paused_until: date | None = None
    unreachable: bool = False


def wants(preferences: Preferences, kind: Kind, today: date) -> bool:
    """Essential messages always; optional ones unless unreachable, turned off or paused."""
    if kind is Kind.ESSENTIAL:
        return True
    paused = preferences.paused_until is not None and today <= preferences.paused_until
    return not (preferences.unreachable or kind in preferences.off or paused)


def parse_pause(text: str, today: date, locale: str) -> date | None:
    """The last day of a pause as the user typed it; None if unreadable, past or too far ahead.

    Accepts yyyy-mm-dd and d/m/y, d-m-y, d.m.y (y of 2 or 4 digits; 27 means 2027). Day and
    month follow the locale: 'nl' and 'fr' read 3/4/2027 as 3 April, 'en' (Babel's en_US) as
    March 4. Where the locale's order cannot be right (15/8/2027), Babel swaps day and month.
    """
    until = parse_day(text, locale)
    if until is None or not 0 <= (until - today).days <= MAX_PAUSE_DAYS:
        return None
    return until
