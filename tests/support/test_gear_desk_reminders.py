"""Reminders of borrowed gear over the days, on the fake clock, in the municipality's time zone;
and /gear today for liaison officers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.preferences import Kind
from handlers import callbacks
from handlers.support import gear_reminders
from tests.client import label, say
from tests.stories import approved_member
from tests.support.test_gear_card import (
    ASSOCIATION,
    add_item,
    card_in_topic,
    gear_request,
    liaison_officer,
    store_of,
)


def at(day: int, hour: int = 8, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def tick(kapstok) -> int:
    """The reminders' job, as its schedule runs it; how many reminders were due."""
    return await kapstok.run_job(lambda context: gear_reminders.tend_gear(context.application))


def count(person, fragment: str) -> int:
    return sum(fragment in message.text for message in person.inbox)


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_reminders_before_the_pick_up_on_the_return_day_and_when_late(
    kapstok, admin, language
):
    member = await approved_member(kapstok, admin, language=language)
    officer = await liaison_officer(kapstok, admin)
    tent = await add_item(kapstok, "Tent", 4)
    number = await gear_request(kapstok, member, {tent.item_id: 2})  # 18 → 21 December
    await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))
    pick_up = say(language, "🔔 Tomorrow you pick up the gear of request #{number}:", number=number)
    back = say(
        language,
        "🔔 Today the gear of request #{number} goes back to the lending service:",
        number=number,
    )

    kapstok.clock.now = at(16, 22, 30)  # 16 December, 23:30 in Brussels
    assert await tick(kapstok) == 0
    kapstok.clock.now = at(16, 23, 30)  # 17 December, 00:30 in Brussels: the day before
    assert await tick(kapstok) == 1
    assert count(member, pick_up) == 1
    assert "Magazijn, Kerkstraat 1" in member.last.text
    assert label(language, "🔕 Fewer messages like this") in member.last.buttons
    kapstok.clock.now = at(17, 15)
    assert await tick(kapstok) == 0
    assert count(member, pick_up) == 1

    kapstok.clock.now = at(18, 9)
    await officer.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, number))
    await officer.press_in_group(label("nl", "✅ Deposit received"))
    kapstok.clock.now = at(21, 7)
    assert await tick(kapstok) == 1
    assert await tick(kapstok) == 0
    assert count(member, back) == 1

    late = []
    for day in (22, 23, 24):
        kapstok.clock.now = at(day, 7)
        assert await tick(kapstok) == 1
        kapstok.clock.now = at(day, 18)
        assert await tick(kapstok) == 0
        late.append(sum("⏰" in m.text for m in member.inbox))
    assert late == [1, 2, 3]
    topic = kapstok.topic_of(ASSOCIATION)
    assert not [m for m in kapstok.in_topic(topic) if "⏰" in m.text]
    kapstok.clock.now = at(25, 7)
    assert await tick(kapstok) == 1
    notices = [m for m in kapstok.in_topic(topic) if "⏰" in m.text]
    assert len(notices) == 1 and f"#{number}" in notices[0].text
    assert sum("⏰" in m.text for m in member.inbox) == 3
    for day in (26, 27):
        kapstok.clock.now = at(day, 7)
        assert await tick(kapstok) == 0


async def test_a_board_member_who_turned_reminders_off_gets_none(kapstok, admin):
    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin)
    tent = await add_item(kapstok)
    number = await gear_request(kapstok, member, {tent.item_id: 1})
    await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))
    kapstok.clock.now = at(17, 9)
    await member.send("/settings")
    await member.press_data(callbacks.SETTINGS_TOGGLE.data("reminders"), on=member.last)
    assert Kind.REMINDERS in (await store_of(kapstok).preferences.get(member.user_id)).off
    before = len(member.inbox)
    assert await tick(kapstok) == 1  # due and counted, but nobody of the board wants it
    assert not [m for m in member.inbox[before:] if "🔔" in m.text and f"#{number}" in m.text]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_gear_today_lists_pick_ups_returns_and_what_is_late(kapstok, admin, language):
    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin, language=language)
    tent = await add_item(kapstok, "Tent", 10)
    first = await gear_request(kapstok, member, {tent.item_id: 2})  # 18 → 21
    second = await gear_request(
        kapstok, member, {tent.item_id: 3}, pick_up=at(14).date(), return_on=at(16).date()
    )
    for number in (first, second):
        await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))
    kapstok.clock.now = at(14, 9)
    await officer.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, second))
    await officer.press_in_group(label(language, "✅ Deposit received"))  # asked in theirs

    kapstok.clock.now = at(18, 9)
    shown = (await officer.send_in_group("/gear today"))[-1].text
    assert f"#{first} {ASSOCIATION}: 2 × Tent" in shown
    assert f"#{second} {ASSOCIATION}: 3 × Tent" in shown
    pick_ups, overdue = shown.split(say(language, "⏰ <b>Overdue</b>"))
    assert f"#{first}" in pick_ups and say(language, "📦 <b>To pick up</b>") in pick_ups
    assert f"#{second}" in overdue and f"#{first}" not in overdue
    late = {"nl": "16 december 2026", "en": "16 December 2026"}[language]
    assert late in overdue
    await officer.send("/start")
    shown = (await officer.send("/gear today"))[-1].text
    assert f"#{first}" in shown

    kapstok.clock.now = at(10, 9, month=12)
    quiet = (await officer.send("/gear today"))[-1].text
    assert say(language, "Nothing is picked up or returned today, and nothing is overdue.") in quiet

    await member.send("/gear today")
    assert member.last.text == say("nl", "Only liaison officers of the municipality can do this.")
