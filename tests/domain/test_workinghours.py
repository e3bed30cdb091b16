"""Working hours: weekdays count, weekends and Belgian public holidays do not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.workinghours import is_working_day, working_hours_between

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_weekend_hours_do_not_count():
    friday_afternoon = datetime(2026, 12, 4, 15, 0, tzinfo=BRUSSELS)
    monday_morning = datetime(2026, 12, 7, 9, 0, tzinfo=BRUSSELS)
    assert working_hours_between(friday_afternoon, monday_morning, BRUSSELS) == 18


def test_a_night_between_two_weekdays_counts():
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS)
    assert working_hours_between(tuesday, tuesday.replace(day=2, hour=1), BRUSSELS) == 16


def test_daylight_saving_time_changes_nothing_on_a_weekend():
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)
    monday = datetime(2026, 3, 30, 1, 0, tzinfo=BRUSSELS)
    assert working_hours_between(saturday, monday, BRUSSELS) == 1


def test_a_normal_tuesday_counts_all_its_24_hours():
    tuesday = datetime(2026, 12, 1, 0, 0, tzinfo=BRUSSELS)
    assert working_hours_between(tuesday, tuesday + timedelta(days=1), BRUSSELS) == 24


def test_christmas_day_does_not_count_even_on_a_friday():
    thursday_noon = datetime(2026, 12, 24, 12, 0, tzinfo=BRUSSELS)
    monday_noon = datetime(2026, 12, 28, 12, 0, tzinfo=BRUSSELS)
    assert not is_working_day(date(2026, 12, 25))
    assert working_hours_between(thursday_noon, monday_noon, BRUSSELS) == 24


def test_easter_monday_does_not_count():
    easter_monday = datetime(2027, 3, 29, 0, 0, tzinfo=BRUSSELS)
    assert not is_working_day(easter_monday.date())
    assert working_hours_between(easter_monday, easter_monday + timedelta(days=1), BRUSSELS) == 0


def test_hours_are_counted_on_the_local_calendar_whatever_the_zone_of_the_moments():
    # 23:00 UTC on Thursday 24 December is already Christmas Day in Brussels.
    christmas_in_brussels = datetime(2026, 12, 24, 23, 0, tzinfo=UTC)
    assert (
        working_hours_between(
            christmas_in_brussels, christmas_in_brussels + timedelta(hours=24), BRUSSELS
        )
        == 0
    )


def test_an_end_before_the_start_gives_no_hours():
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS)
    assert working_hours_between(tuesday, tuesday - timedelta(hours=5), BRUSSELS) == 0
