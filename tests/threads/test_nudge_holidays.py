"""Belgian public holidays are no working hours: a waiting thread's reminder skips them."""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.threads.liaison import nudge_waiting_threads
from tests.client import Kapstok, say
from tests.threads.test_liaison import (
    ASSOCIATION,
    NOBODY_TOOK_IT,
    NUDGE,
    ask,
    board,
    brussels,
    when,
)

# Every hour of a working day counts: a question at 16:00 has waited 8 working hours at
# midnight, and 16 at 8:00 the next working day.
NUDGE_HOURS = 16


@pytest.fixture
async def kapstok(tmp_path):
    """A running Kapstok that reminds the group after NUDGE_HOURS working hours."""
    bot = Kapstok(tmp_path, nudge_working_hours=NUDGE_HOURS)
    await bot.start()
    yield bot
    await bot.stop()
    assert not bot.telegram.unexpected, f"unexpected Bot API calls: {bot.telegram.unexpected}"
    assert not bot.errors, f"errors while handling updates: {bot.errors!r}"


# --- helpers -----------------------------------------------------------------------------------


async def nudged_at(kapstok: Kapstok, moment: datetime) -> int:
    """The reminder job runs at this moment; return how many threads it reminded of."""
    kapstok.clock.now = moment
    return await kapstok.run_job(nudge_waiting_threads)


def reminders(kapstok: Kapstok, topic: int) -> list[str]:
    return [m.text for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]


def reminder(number: int, asked_at: datetime, hours: int) -> str:
    return say(
        "nl",
        NUDGE,
        number=number,
        association=ASSOCIATION,
        since=when(asked_at),
        hours=hours,
        owner=say("nl", NOBODY_TOOK_IT),
    )


# --- the reminder --------------------------------------------------------------------------------


async def test_a_question_asked_on_a_thursday_afternoon_is_reminded_of_on_friday_morning(
    kapstok, admin
):
    """The ordinary week the holidays below are measured against."""
    sofie, _camille = await board(kapstok, admin)
    asked_at = brussels(2026, 12, 17, 16, 0)  # a Thursday
    kapstok.clock.now = asked_at
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)

    assert await nudged_at(kapstok, brussels(2026, 12, 18, 7, 59)) == 0
    assert await nudged_at(kapstok, brussels(2026, 12, 18, 8, 0)) == 1
    assert reminders(kapstok, topic) == [reminder(number, asked_at, 16)]
    assert await nudged_at(kapstok, brussels(2026, 12, 18, 20, 0)) == 0
    assert len(reminders(kapstok, topic)) == 1


async def test_christmas_day_does_not_count_so_the_reminder_waits_for_monday(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    asked_at = brussels(2026, 12, 24, 16, 0)  # Thursday, Christmas Eve
    kapstok.clock.now = asked_at
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)

    assert await nudged_at(kapstok, brussels(2026, 12, 25, 8, 0)) == 0  # Christmas, a Friday
    assert await nudged_at(kapstok, brussels(2026, 12, 25, 20, 0)) == 0
    assert await nudged_at(kapstok, brussels(2026, 12, 27, 23, 59)) == 0  # the weekend
    assert await nudged_at(kapstok, brussels(2026, 12, 28, 7, 59)) == 0  # Monday: 8 + 7.98
    assert reminders(kapstok, topic) == []
    assert len(kapstok.in_topic(topic)) == 1  # just the card

    assert await nudged_at(kapstok, brussels(2026, 12, 28, 8, 0)) == 1  # 8 + 8 working hours
    assert reminders(kapstok, topic) == [reminder(number, asked_at, 16)]
    assert await nudged_at(kapstok, brussels(2026, 12, 28, 17, 0)) == 0
    assert len(reminders(kapstok, topic)) == 1


async def test_easter_monday_does_not_count_so_the_reminder_waits_for_tuesday(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    # A Friday; the clocks go forward on the Sunday after, Easter Sunday 28 March 2027.
    asked_at = brussels(2027, 3, 26, 16, 0)
    kapstok.clock.now = asked_at
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)

    assert await nudged_at(kapstok, brussels(2027, 3, 29, 8, 0)) == 0  # Easter Monday
    assert await nudged_at(kapstok, brussels(2027, 3, 29, 20, 0)) == 0
    assert await nudged_at(kapstok, brussels(2027, 3, 30, 7, 59)) == 0  # Tuesday: 8 + 7.98
    assert reminders(kapstok, topic) == []

    assert await nudged_at(kapstok, brussels(2027, 3, 30, 8, 0)) == 1  # 8 + 8 working hours
    assert reminders(kapstok, topic) == [reminder(number, asked_at, 16)]
    assert await nudged_at(kapstok, brussels(2027, 3, 30, 17, 0)) == 0
    assert len(reminders(kapstok, topic)) == 1
