"""Deciding a gear request from its card (approve, approve partly, reject), the two liaisons
approving the last tents at once, and the board hearing every decision, in its language."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.requests import Status
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, label, say
from tests.stories import approved_member
from tests.support.test_gear_card import (
    PICK_UP,
    add_item,
    card_in_topic,
    gear_request,
    liaison_officer,
    photo_in_group,
    store_of,
)


async def status_of(kapstok, number: int) -> Status:
    return (await store_of(kapstok).requests.get(number)).status


@pytest.mark.parametrize(("liaison_language", "member_language"), [("nl", "fr"), ("fr", "en")])
async def test_approve_tells_the_board_the_pick_up_and_the_deposit(
    kapstok, admin, liaison_language, member_language
):
    member = await approved_member(kapstok, admin, language=member_language)
    officer = await liaison_officer(kapstok, admin, language=liaison_language)
    tent = await add_item(kapstok, "Tent", 4, name_fr="Tente", name_en="Tent")
    number = await gear_request(kapstok, member, {tent.item_id: 2})

    await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))

    assert officer.alerts[-1] == say(liaison_language, "Approved; the board is told.")
    assert await status_of(kapstok, number) is Status.APPROVED
    told = member.last.text
    assert (
        say(member_language, "✅ Your gear request #{number} is approved.", number=number) in told
    )
    assert "Magazijn, Kerkstraat 1" in told
    assert "50" in told  # 2 × € 25
    card = card_in_topic(kapstok, number)
    assert say("nl", "✅ approved") in card.text
    assert card.buttons == [label("nl", "📦 Picked up")]


async def test_a_non_liaison_pressing_approve_changes_nothing(kapstok, admin):
    member = await approved_member(kapstok, admin)
    tent = await add_item(kapstok)
    number = await gear_request(kapstok, member, {tent.item_id: 2})
    card = card_in_topic(kapstok, number)
    stranger = kapstok.person(601, "Groepslid", "nl")
    await stranger.press_in_group(label("nl", "✅ Approve"), on=card)
    assert stranger.alerts[-1] == say(
        "nl", "Only liaison officers of the municipality can do this."
    )
    await member.press_data(callbacks.GEAR_APPROVE.data(number), on=member.last)
    assert member.alerts[-1] == say("nl", "Only liaison officers of the municipality can do this.")
    assert await status_of(kapstok, number) is Status.REQUESTED


async def test_a_forged_press_for_no_request_or_a_decided_one(kapstok, admin):
    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin, language="en")
    tent = await add_item(kapstok)
    number = await gear_request(kapstok, member, {tent.item_id: 2})
    card = card_in_topic(kapstok, number)
    await officer.press_data(callbacks.GEAR_APPROVE.data(9999), on=card, chat_id=LIAISON_CHAT_ID)
    assert officer.alerts[-1] == say("en", "This button is no longer valid.")
    await officer.press_in_group(label("nl", "✅ Approve"), on=card)
    await officer.press_data(callbacks.GEAR_APPROVE.data(number), on=card)
    assert officer.alerts[-1] == say(
        "en",
        "Gear request #{number} is already {status}.",
        number=number,
        status=say("en", "✅ approved"),
    )
    for button in (callbacks.GEAR_REJECT, callbacks.GEAR_PARTLY, callbacks.GEAR_RETURNED):
        await officer.press_data(button.data(number), on=card)
        assert "#" in officer.alerts[-1]
    assert await status_of(kapstok, number) is Status.APPROVED


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_approve_partly_with_minus_and_plus(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    officer = await liaison_officer(kapstok, admin, language=language)
    tent = await add_item(kapstok, "Tent", 10)
    chair = await add_item(kapstok, "Stoel", 100, deposit_cents=100)
    number = await gear_request(kapstok, member, {tent.item_id: 3, chair.item_id: 20})
    card = card_in_topic(kapstok, number)

    await officer.press_in_group(label("nl", "☑️ Approve partly"), on=card)
    editor = card_in_topic(kapstok, number)
    assert "Tent: 3/3" in editor.buttons
    # the − of the tent, twice; the + of the chairs stops at what was asked
    down = callbacks.GEAR_QUANTITY.data(number, tent.item_id, "down")
    up = callbacks.GEAR_QUANTITY.data(number, chair.item_id, "up")
    await officer.press_data(down, on=editor, chat_id=LIAISON_CHAT_ID)
    await officer.press_data(down, on=editor, chat_id=LIAISON_CHAT_ID)
    await officer.press_data(up, on=editor, chat_id=LIAISON_CHAT_ID)
    assert officer.alerts[-1] == say(language, "Between 0 and the {count} asked.", count=20)
    editor = card_in_topic(kapstok, number)
    assert "Tent: 1/3" in editor.buttons and "Stoel: 20/20" in editor.buttons
    await officer.press_in_group(label("nl", "✅ Approve these"), on=editor)

    assert await status_of(kapstok, number) is Status.PARTLY_APPROVED
    lines = {
        line.item_id: line.approved
        for line in (await store_of(kapstok).gear_requests.get(number)).lines
    }
    assert lines == {tent.item_id: 1, chair.item_id: 20}
    told = member.last.text
    assert (
        say(
            language,
            "☑️ Your gear request #{number} is partly approved.",
            number=number,
        )
        in told
    )
    assert say(language, "• {name}: {approved} (of {count} asked)", name="Tent", approved=1,
               count=3) in told  # fmt: skip
    assert "45,00" in told  # 1 × € 25 + 20 × € 1
    card = card_in_topic(kapstok, number)
    assert say("nl", "☑️ partly approved") in card.text
    assert label("nl", "📦 Picked up") in card.buttons


async def test_approve_partly_nothing_is_refused_and_back_shows_the_card(kapstok, admin):
    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin)
    tent = await add_item(kapstok, "Tent", 10)
    number = await gear_request(kapstok, member, {tent.item_id: 1})
    await officer.press_in_group(label("nl", "☑️ Approve partly"), on=card_in_topic(kapstok, number))
    editor = card_in_topic(kapstok, number)
    await officer.press_data(
        callbacks.GEAR_QUANTITY.data(number, tent.item_id, "down"),
        on=editor,
        chat_id=LIAISON_CHAT_ID,
    )
    await officer.press_in_group(label("nl", "✅ Approve these"))
    assert officer.alerts[-1] == say("nl", "Approve at least one item, or reject the request.")
    await officer.press_data(
        callbacks.GEAR_QUANTITY.data(number, 424242, "up"), on=editor, chat_id=LIAISON_CHAT_ID
    )
    assert officer.alerts[-1] == say("nl", "This button is no longer valid.")
    await officer.press_in_group(label("nl", "↩️ Back"))
    assert label("nl", "✅ Approve") in card_in_topic(kapstok, number).buttons
    assert await status_of(kapstok, number) is Status.REQUESTED


@pytest.mark.parametrize(("liaison_language", "member_language"), [("nl", "nl"), ("en", "fr")])
async def test_reject_with_a_typed_reason(kapstok, admin, liaison_language, member_language):
    member = await approved_member(kapstok, admin, language=member_language)
    officer = await liaison_officer(kapstok, admin, language=liaison_language)
    tent = await add_item(kapstok)
    number = await gear_request(kapstok, member, {tent.item_id: 2})

    prompt = (
        await officer.press_in_group(label("nl", "❌ Reject"), on=card_in_topic(kapstok, number))
    )[-1]
    await photo_in_group(officer, prompt)  # a photo is no reason
    assert kapstok.group()[-1].text == say(liaison_language, "Type the reason as text, or /cancel.")
    await officer.send_in_group("x" * 1001, reply_to=prompt)
    await officer.send_in_group("Nobody replies to this.")  # not a reply: not the reason
    assert await status_of(kapstok, number) is Status.REQUESTED
    await officer.send_in_group("Alle tenten zijn <die week> op kamp.", reply_to=prompt)

    assert await status_of(kapstok, number) is Status.REJECTED
    told = member.last.text
    assert (
        say(
            member_language,
            "❌ Your gear request #{number} ({period}) was not approved.",
            number=number,
            period="X",
        ).split("(")[0]
        in told
    )
    assert "Alle tenten zijn <die week> op kamp." in told
    card = card_in_topic(kapstok, number)
    assert "Alle tenten zijn <die week> op kamp." in card.text
    assert card.buttons == []


async def test_two_liaisons_approving_the_last_tents_at_once(kapstok, admin):
    first = await approved_member(kapstok, admin)
    second = await approved_member(
        kapstok, admin, user_id=102, name="Jonas", language="fr", association="Chiro Sint-Pieter"
    )
    liesbeth = await liaison_officer(kapstok, admin, 401, "Liesbeth", "nl")
    pierre = await liaison_officer(kapstok, admin, 402, "Pierre", "fr")
    await pierre.send("/start")
    tent = await add_item(kapstok, "Tent", 4)
    one = await gear_request(kapstok, first, {tent.item_id: 3})
    other = await gear_request(kapstok, second, {tent.item_id: 3})
    card = card_in_topic(kapstok, one)

    # Liesbeth in the group, Pierre from his private chat: two updates handled concurrently.
    await asyncio.gather(
        liesbeth.press_in_group(label("nl", "✅ Approve"), on=card),
        pierre.press_data(callbacks.GEAR_APPROVE.data(other), on=pierre.last),
    )

    statuses = {await status_of(kapstok, one), await status_of(kapstok, other)}
    assert statuses == {Status.APPROVED, Status.REQUESTED}
    reservations = await store_of(kapstok).gear_requests.reservations(PICK_UP, PICK_UP)
    assert sum(r.quantity for r in reservations) == 3
    shortage = [m.text for m in (*kapstok.group(), *pierre.inbox) if "⚠️" in m.text]
    assert len(shortage) == 1 and "3" in shortage[0] and "1" in shortage[0]


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_request_whose_pick_up_day_passed_is_not_approved(kapstok, admin, language):
    from datetime import UTC, datetime, time, timedelta

    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin, language=language)
    tent = await add_item(kapstok, "Tent", 4)
    number = await gear_request(kapstok, member, {tent.item_id: 2})
    kapstok.clock.now = datetime.combine(PICK_UP + timedelta(days=1), time(9), tzinfo=UTC)

    await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))

    assert officer.alerts[-1] == say(
        language,
        "The pick-up day of gear request #{number} has passed: reject it, or ask the board for "
        "new dates.",
        number=number,
    )
    assert await status_of(kapstok, number) is Status.REQUESTED


async def test_a_card_button_for_another_request_does_nothing_on_this_card(kapstok, admin):
    member = await approved_member(kapstok, admin)
    officer = await liaison_officer(kapstok, admin)
    tent = await add_item(kapstok, "Tent", 4)
    first = await gear_request(kapstok, member, {tent.item_id: 1})
    second = await gear_request(kapstok, member, {tent.item_id: 2})
    card = card_in_topic(kapstok, first)

    await officer.press_data(callbacks.GEAR_APPROVE.data(second), on=card)

    assert officer.alerts[-1] == say("nl", "This button does not work here. Nothing was changed.")
    assert await status_of(kapstok, second) is Status.REQUESTED
    assert card_in_topic(kapstok, first).text == card.text
