"""Activities as files other programs open: an iCalendar file (.ics) for calendar apps, and CSV
for a spreadsheet (UTF-8 with a byte order mark, ';' separated: Excel in Belgium opens it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT = "-//Kapstok//Activities//EN"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One activity as a calendar shows it; the texts are written in the reader's language."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    cancelled: bool
    public: bool
    created_at: datetime
    updated_at: datetime


def ics(events: Iterable[CalendarEvent], zone: ZoneInfo, now: datetime, name: str) -> bytes:
    """An iCalendar file: each event with its stable UID and SEQUENCE, its times in `zone`
    with that zone's VTIMEZONE, and STATUS:CANCELLED for a cancelled one."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", now)
        event.add("created", item.created_at)
        event.add("last-modified", item.updated_at)
        event.add("dtstart", item.starts_at.astimezone(zone))
        event.add("dtend", item.ends_at.astimezone(zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("class", "PUBLIC" if item.public else "PRIVATE")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a CSV cell; text that a spreadsheet would run as a formula (an activity
    called `=HYPERLINK(…)`) gets a leading apostrophe, so it is shown as typed."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_file(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file Excel opens with its accents: a byte order mark, ';' between the fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
