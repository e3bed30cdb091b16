"""Which reminder a gear request is due on a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.gear_reminders import OVERDUE_BOARD_DAYS, GearReminder, due_reminder, overdue_days

PICK_UP = date(2027, 3, 12)
RETURN_ON = date(2027, 3, 14)
DAY = timedelta(days=1)


def test_overdue_days():
    assert overdue_days(RETURN_ON, RETURN_ON - DAY) == 0
    assert overdue_days(RETURN_ON, RETURN_ON) == 0
    assert overdue_days(RETURN_ON, RETURN_ON + DAY) == 1
    assert overdue_days(RETURN_ON, RETURN_ON + 10 * DAY) == 10


@pytest.mark.parametrize("status", ["approved", "partly_approved"])
def test_the_day_before_the_pick_up_once(status):
    assert due_reminder(status, PICK_UP, RETURN_ON, PICK_UP - DAY) is GearReminder.PICK_UP
    assert due_reminder(status, PICK_UP, RETURN_ON, PICK_UP - DAY, reminded_pick_up=True) is None
    assert due_reminder(status, PICK_UP, RETURN_ON, PICK_UP - 2 * DAY) is None
    assert due_reminder(status, PICK_UP, RETURN_ON, PICK_UP) is None
    # approved but never picked up: no return or overdue reminders
    assert due_reminder(status, PICK_UP, RETURN_ON, RETURN_ON) is None
    assert due_reminder(status, PICK_UP, RETURN_ON, RETURN_ON + DAY) is None


@pytest.mark.parametrize("status", ["requested", "rejected", "cancelled", "returned"])
def test_nothing_for_a_request_not_holding_gear(status):
    for day in (PICK_UP - DAY, RETURN_ON, RETURN_ON + DAY, RETURN_ON + 5 * DAY):
        assert due_reminder(status, PICK_UP, RETURN_ON, day) is None


def test_the_return_day_once():
    assert due_reminder("picked_up", PICK_UP, RETURN_ON, RETURN_ON) is GearReminder.RETURN
    assert due_reminder("picked_up", PICK_UP, RETURN_ON, RETURN_ON, reminded_return=True) is None
    assert due_reminder("picked_up", PICK_UP, RETURN_ON, RETURN_ON - DAY) is None


def test_a_one_day_loan_picked_up_and_returned_the_same_day():
    assert due_reminder("approved", PICK_UP, PICK_UP, PICK_UP - DAY) is GearReminder.PICK_UP
    assert due_reminder("picked_up", PICK_UP, PICK_UP, PICK_UP) is GearReminder.RETURN


def test_overdue_daily_to_the_board_for_three_days_then_once_in_the_topic():
    sent = 0
    for late in range(1, OVERDUE_BOARD_DAYS + 1):
        day = RETURN_ON + late * DAY
        assert due_reminder("picked_up", PICK_UP, RETURN_ON, day, overdue_reminders=sent) is (
            GearReminder.OVERDUE
        )
        sent += 1
        assert due_reminder("picked_up", PICK_UP, RETURN_ON, day, overdue_reminders=sent) is None
    day = RETURN_ON + (OVERDUE_BOARD_DAYS + 1) * DAY
    assert due_reminder("picked_up", PICK_UP, RETURN_ON, day, overdue_reminders=sent) is (
        GearReminder.OVERDUE_TOPIC
    )
    assert (
        due_reminder(
            "picked_up", PICK_UP, RETURN_ON, day, overdue_reminders=sent, overdue_in_topic=True
        )
        is None
    )
    assert (
        due_reminder(
            "picked_up",
            PICK_UP,
            RETURN_ON,
            day + 30 * DAY,
            overdue_reminders=sent,
            overdue_in_topic=True,
        )
        is None
    )


def test_after_days_without_the_job_the_topic_still_hears_it():
    day = RETURN_ON + 6 * DAY
    assert due_reminder("picked_up", PICK_UP, RETURN_ON, day) is GearReminder.OVERDUE_TOPIC
