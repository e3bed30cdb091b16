"""Deadline reminders: 30 and 7 days before a type's deadline the boards of eligible
associations that did not request it are reminded, once, through the outbox, as an optional
message they can turn off."""

from __future__ import annotations

import pytest

from bot.domain.subsidies import Deadline
from handlers import callbacks
from handlers.support.subsidy_reminders import remind_deadlines
from tests.client import label
from tests.stories import approved_member
from tests.support.test_subsidy_request import a_type, recognise, request_subsidy


async def remind(kapstok) -> int:
    async def job(context):
        return await remind_deadlines(context.application)

    return await kapstok.run_job(job)


def reminders_of(person, name: str) -> list:
    return [m for m in person.inbox if "🔔" in m.text and name in m.text]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_30_and_7_days_before_the_deadline_each_once(kapstok, admin, language):
    # The test clock starts on 1 December 2026: 30 days before 31 December.
    subsidy_type = await a_type(kapstok, deadlines=[Deadline(12, 31)])
    member = await approved_member(kapstok, admin, language=language)
    name = subsidy_type.name(language)
    assert await remind(kapstok) == 1
    (reminder,) = reminders_of(member, name)
    assert "30" in reminder.text and "<b>" not in reminder.text
    assert label(language, "🔕 Fewer messages like this") in reminder.buttons
    assert label(language, "💶 Request a subsidy") in reminder.buttons
    assert await remind(kapstok) == 0
    await kapstok.pass_time(days=22)  # 9 December: nothing new
    assert await remind(kapstok) == 0
    await kapstok.pass_time(days=2)  # 24 December: 7 days before
    assert await remind(kapstok) == 1
    assert len(reminders_of(member, name)) == 2
    assert await remind(kapstok) == 0
    outbox = await kapstok.app.bot_data.store.db.fetchall(
        "SELECT priority, batch FROM outbox WHERE chat_id = ? AND batch LIKE 'subsidy_reminder:%'",
        (member.user_id,),
    )
    assert len(outbox) == 2 and all(row["priority"] == 10 for row in outbox)

    # the button under it starts the request at that type
    reminder = reminders_of(member, name)[-1]
    await member.press(label(language, "💶 Request a subsidy"), on=reminder)
    assert name in member.last.text and member.last.raw["message_id"] != reminder.raw["message_id"]
    assert reminders_of(member, name)[-1].text == reminder.text  # the reminder stays


async def test_who_requested_it_turned_reminders_off_or_is_not_recognised_is_not_reminded(
    kapstok, admin
):
    subsidy_type = await a_type(kapstok, deadlines=[Deadline(12, 31)], needs_recognition=True)
    asked = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    quiet = await approved_member(kapstok, admin, 102, "Jan", "fr", "Chiro Sint-Pieter")
    unrecognised = await approved_member(kapstok, admin, 103, "Ward", "en", "Scouts Sint-Jan")
    for member in (asked, quiet):
        await recognise(kapstok, member)
    await request_subsidy(kapstok, asked, subsidy_type)
    await quiet.send("/settings")
    await quiet.press_data(callbacks.SETTINGS_TOGGLE.data("reminders"), on=quiet.last)
    # only Chiro is eligible (recognised, not requested yet), and its board turned reminders off
    assert await remind(kapstok) == 1
    for member in (asked, quiet, unrecognised):
        assert reminders_of(member, subsidy_type.name(member.language)) == []
