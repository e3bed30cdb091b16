"""Activities as an iCalendar file and as CSV, parsed back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.domain.activity_exports import CalendarEvent, csv_file, ics

ZONE = ZoneInfo("Europe/Brussels")


def event(**changes) -> CalendarEvent:
    values = dict(
        uid="abc123@kapstok",
        sequence=2,
        summary="Sint-Maartenstoet",
        starts_at=datetime(2027, 3, 12, 13, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 12, 16, 0, tzinfo=UTC),
        location="Zaal De Kroon",
        description="Met lampions; voor iedereen, ook ouders.\nTweede regel",
        cancelled=False,
        public=True,
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        updated_at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    )
    values.update(changes)
    return CalendarEvent(**values)


def test_an_ics_file_parses_back_with_every_field():
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    content = ics(
        [event(), event(uid="zomer@kapstok", sequence=0, cancelled=True, public=False)],
        ZONE,
        now,
        "KSA Sint-Jan",
    )
    calendar = Calendar.from_ical(content)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "KSA Sint-Jan"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    first, second = calendar.walk("VEVENT")
    assert str(first["uid"]) == "abc123@kapstok"
    assert int(first["sequence"]) == 2
    assert str(first["summary"]) == "Sint-Maartenstoet"
    assert str(first["location"]) == "Zaal De Kroon"
    assert str(first["description"]) == "Met lampions; voor iedereen, ook ouders.\nTweede regel"
    assert str(first["status"]) == "CONFIRMED"
    assert str(first["class"]) == "PUBLIC"
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert start == datetime(2027, 3, 12, 14, 0, tzinfo=ZONE)
    assert str(start.tzinfo) == "Europe/Brussels" and end.hour == 17
    assert first["dtstart"].params["TZID"] == "Europe/Brussels"
    assert first.decoded("dtstamp") == now
    assert first.decoded("created") == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert first.decoded("last-modified") == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert str(second["status"]) == "CANCELLED"
    assert str(second["class"]) == "PRIVATE"
    assert int(second["sequence"]) == 0


def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    content = csv_file(["titel"], [['=HYPERLINK("http://x")'], ["+cmd"], ["@SUM(A1)"], [-5]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [['\'=HYPERLINK("http://x")'], ["'+cmd"], ["'@SUM(A1)"], ["-5"]]


def test_a_csv_file_has_a_bom_semicolons_and_quotes_where_needed():
    content = csv_file(["titel", "plaats"], [["Fuif; groot", 'Zaal "De Kroon"'], [1, None]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["titel", "plaats"], ["Fuif; groot", 'Zaal "De Kroon"'], ["1", ""]]
