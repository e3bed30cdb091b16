"""Recognition: which reminder or expiry is due on which municipal date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.recognition import (
    NOTHING,
    DateProblem,
    Due,
    Recognition,
    RecognitionStatus,
    due,
    due_at,
    latest_renewal,
    passed_reminders,
    renewal_problem,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
RENEWAL = date(2028, 3, 12)


def recognised(last_reminder: int | None = None, renews_on: date = RENEWAL) -> Recognition:
    return Recognition(1, RecognitionStatus.RECOGNISED, renews_on, last_reminder=last_reminder)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2028, 1, 11), NOTHING),  # 61 days before
        (date(2028, 1, 12), Due(reminder=60, days_left=60)),
        (date(2028, 2, 26), Due(reminder=60, days_left=15)),  # the 60-day one was never sent
        (date(2028, 2, 27), Due(reminder=14, days_left=14)),
        (date(2028, 3, 11), Due(reminder=14, days_left=1)),
        (date(2028, 3, 12), Due(expire=True)),
        (date(2028, 4, 1), Due(expire=True)),  # Kapstok was down on the date itself
    ],
)
def test_what_is_due_when_nothing_was_sent(today, expected):
    assert due(recognised(), today) == expected


def test_each_reminder_goes_once():
    assert due(recognised(60), date(2028, 1, 12)) == NOTHING
    assert due(recognised(60), date(2028, 2, 26)) == NOTHING
    assert due(recognised(60), date(2028, 2, 27)) == Due(reminder=14, days_left=14)
    assert due(recognised(14), date(2028, 2, 27)) == NOTHING
    assert due(recognised(14), date(2028, 3, 11)) == NOTHING
    assert due(recognised(14), date(2028, 3, 12)) == Due(expire=True)


def test_a_skipped_reminder_is_not_sent_late():
    """Down from 70 to 10 days before: only the 14-day reminder goes."""
    assert due(recognised(), date(2028, 3, 2)) == Due(reminder=14, days_left=10)
    assert due(recognised(14), date(2028, 3, 2)) == NOTHING


@pytest.mark.parametrize("status", [s for s in RecognitionStatus if s.value != "recognised"])
def test_only_a_recognition_has_anything_due(status):
    recognition = Recognition(1, status, RENEWAL)
    for today in (date(2028, 1, 12), date(2028, 2, 27), RENEWAL, date(2029, 1, 1)):
        assert due(recognition, today) == NOTHING


def test_a_recognition_without_a_date_has_nothing_due():
    assert due(Recognition(1, RecognitionStatus.RECOGNISED), RENEWAL) == NOTHING


def test_the_day_is_the_municipality_s_not_utc():
    # 11 March 23:30 UTC is already 12 March in Brussels (CET, +1): expired.
    late = datetime(2028, 3, 11, 23, 30, tzinfo=UTC)
    assert due_at(recognised(14), late, BRUSSELS) == Due(expire=True)
    assert due_at(recognised(14), late, UTC) == NOTHING
    # Summer time (+2): 22:30 UTC on 10 August is 11 August in Brussels.
    summer = recognised(60, renews_on=date(2028, 8, 25))
    assert due_at(summer, datetime(2028, 8, 10, 22, 30, tzinfo=UTC), BRUSSELS) == Due(
        reminder=14, days_left=14
    )
    assert due_at(summer, datetime(2028, 8, 10, 21, 59, tzinfo=UTC), BRUSSELS) == NOTHING


def test_reminders_already_passed_when_a_date_is_recorded():
    assert passed_reminders(RENEWAL, date(2027, 3, 12)) is None
    assert passed_reminders(RENEWAL, date(2028, 1, 12)) == 60
    assert passed_reminders(RENEWAL, date(2028, 3, 2)) == 14
    assert passed_reminders(RENEWAL, date(2028, 3, 11)) == 14


def test_a_renewal_date_must_be_after_today_and_within_ten_years():
    today = date(2026, 12, 1)
    assert renewal_problem(date(2026, 11, 30), today) is DateProblem.NOT_AFTER_TODAY
    assert renewal_problem(today, today) is DateProblem.NOT_AFTER_TODAY
    assert renewal_problem(date(2026, 12, 2), today) is None
    assert renewal_problem(date(2036, 12, 1), today) is None
    assert renewal_problem(date(2036, 12, 2), today) is DateProblem.TOO_FAR


def test_ten_years_from_a_leap_day():
    assert latest_renewal(date(2028, 2, 29)) == date(2038, 2, 28)
