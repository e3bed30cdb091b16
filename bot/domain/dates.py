"""Dates and moments as people type them, in their locale's order."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import parse_date

from bot.domain.schedules import local_moment, parse_time

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")


def parse_day(text: str, locale: str | Locale) -> date | None:
    """A date written as yyyy-mm-dd, or as three numbers in the locale's order (d/m/y, d-m-y,
    d.m.y; a year of two digits is 20yy). 'nl' and 'fr' read 3/4/2027 as 3 April, 'en'
    (Babel's en_US) as March 4; where the locale's order cannot be right (15/8/2027), Babel
    swaps day and month. None for anything else, or a date that does not exist."""
    resolved = Locale.parse(locale)  # an unknown locale is a bug: let it raise
    text = text.strip()
    try:
        if iso := _ISO.fullmatch(text):
            return date(*map(int, iso.groups()))
        if numeric := _NUMERIC.fullmatch(text):
            first, separator, second, year = numeric.groups()
            if len(year) == 2:
                year = f"20{year}"
            return parse_date(f"{first}{separator}{second}{separator}{year}", locale=resolved)
    except (ValueError, IndexError):  # Babel raises either for an impossible date
        return None
    return None


def parse_moment(text: str, locale: str | Locale, zone: ZoneInfo) -> tuple[date, time] | None:
    """A date and a time typed together ("12/03/2027 14:00", "12-3-2027 14u"), or None."""
    pieces = text.split()
    if len(pieces) != 2:
        return None
    day, at = parse_day(pieces[0], locale), parse_time(pieces[1])
    return (day, at) if day is not None and at is not None else None


def moment_of(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The moment a local date and time mean (a time skipped by DST: right after the gap)."""
    return local_moment(day, at, zone)
