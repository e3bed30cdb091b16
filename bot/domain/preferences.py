"""Who wants which message: members can turn off or pause everything but the essential."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from babel import Locale
from babel.dates import parse_date

MAX_PAUSE_DAYS = 366

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")


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


def _parse(text: str, locale: Locale) -> date | None:
    """A date written as yyyy-mm-dd, or as three numbers in the locale's order."""
    if iso := _ISO.fullmatch(text):
        return date(*map(int, iso.groups()))
    if numeric := _NUMERIC.fullmatch(text):
        first, separator, second, year = numeric.groups()
        if len(year) == 2:
            year = f"20{year}"
        # Babel puts day and month in the locale's order, and swaps them when that cannot be.
        return parse_date(f"{first}{separator}{second}{separator}{year}", locale=locale)
    return None


def parse_pause(text: str, today: date, locale: str) -> date | None:
    """The last day of a pause as the user typed it; None if unreadable, past or too far ahead.

    Accepts yyyy-mm-dd and d/m/y, d-m-y, d.m.y (y of 2 or 4 digits; 27 means 2027). Day and
    month follow the locale: 'nl' and 'fr' read 3/4/2027 as 3 April, 'en' (Babel's en_US) as
    March 4. Where the locale's order cannot be right (15/8/2027), Babel swaps day and month.
    """
    resolved = Locale.parse(locale)  # an unknown locale is a bug: let it raise
    try:
        until = _parse(text.strip(), resolved)
    except (ValueError, IndexError):  # Babel raises either for an impossible date
        return None
    if until is None or not 0 <= (until - today).days <= MAX_PAUSE_DAYS:
        return None
    return until
