"""Pick-up and return at the lending service's desk: the deposit received or not, everything back
in order or with a note and a photo, the deposit returned or kept (an amount typed in the
locale, never more than the deposit); the board hears each step and the card redraws."""

from __future__ import annotations

import pytest

from bot.domain.requests import Status
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Message, label, say
from tests.stories import approved_member
from tests.support.test_gear_card import (
    add_item,
    card_in_topic,
    gear_request,
    liaison_officer,
    photo_in_group,
    store_of,
)


async def approved_request(kapstok, admin, member_language="nl", officer_language="nl", **item):
    member = await approved_member(kapstok, admin, language=member_language)
    officer = await liaison_officer(kapstok, admin, language=officer_language)
    tent = await add_item(kapstok, "Tent", 4, **item)
    number = await gear_request(kapstok, member, {tent.item_id: 2})
    await officer.press_in_group(label("nl", "✅ Approve"), on=card_in_topic(kapstok, number))
    return member, officer, number


def newest_with(kapstok, chat_id: int, button: str) -> Message:
    for raw in reversed(kapstok.telegram.sent_to(chat_id)):
        message = Message(raw)
        if button in message.buttons:
            return message
    raise AssertionError(f"no message with {button!r}")


@pytest.mark.parametrize(("officer_language", "member_language"), [("nl", "fr"), ("fr", "nl")])
async def test_picked_up_with_the_deposit_then_returned_in_order(
    kapstok, admin, officer_language, member_language
):
    member, officer, number = await approved_request(
        kapstok, admin, member_language, officer_language
    )
    await officer.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, number))
    question = newest_with(kapstok, LIAISON_CHAT_ID, label(officer_language, "✅ Deposit received"))
    assert "50,00" in question.text
    await officer.press_in_group(label(officer_language, "✅ Deposit received"), on=question)

    request = await store_of(kapstok).gear_requests.get(number)
    assert request.request.status is Status.PICKED_UP and request.deposit_received is True
    assert (
        say(member_language, "The deposit of {amount} was received.", amount="X").split("X")[0]
        in member.last.text
    )
    card = card_in_topic(kapstok, number)
    assert say("nl", "📦 Picked up; deposit received.") in card.text
    assert card.buttons == [label("nl", "↩️ Returned")]

    await officer.press_in_group(label("nl", "↩️ Returned"), on=card)
    await officer.press_in_group(label(officer_language, "✅ All in order"))
    await officer.press_in_group(label(officer_language, "💶 Return it in full"))

    request = await store_of(kapstok).gear_requests.get(number)
    assert request.request.status is Status.RETURNED
    assert request.returned_in_order is True and request.deposit_kept_cents == 0
    assert "50,00" in member.last.text
    assert (
        say(member_language, "↩️ Gear request #{number} is returned. Thank you!", number=number)
        in member.last.text
    )
    card = card_in_topic(kapstok, number)
    assert say("nl", "↩️ Returned, everything back and in order.") in card.text
    assert say("nl", "Deposit returned in full.") in card.text
    assert card.buttons == []


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_returned_with_a_note_a_photo_and_part_of_the_deposit_kept(kapstok, admin, language):
    member, officer, number = await approved_request(kapstok, admin, language, language)
    await officer.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, number))
    await officer.press_in_group(label(language, "✅ Deposit received"))
    await officer.press_in_group(label("nl", "↩️ Returned"), on=card_in_topic(kapstok, number))
    prompts = await officer.press_in_group(label(language, "⚠️ With a note"))
    note_prompt = prompts[-1]
    await photo_in_group(officer, note_prompt)  # the note comes first
    assert officer.bot.group()[-1].text == say(
        language, "Type the note as text first; the photo comes after it. Or /cancel."
    )
    photo_prompt = (
        await officer.send_in_group("Eén tent heeft een scheur <30 cm>.", reply_to=note_prompt)
    )[-1]
    await officer.send_in_group("hier is de foto", reply_to=photo_prompt)  # text, not a photo
    assert kapstok.group()[-1].text == say(language, "Send a photo, or press No photo. Or /cancel.")
    await photo_in_group(officer, photo_prompt)
    await officer.press_in_group(label(language, "✂️ Keep part of it"))
    amount_prompt = kapstok.group()[-1]
    for wrong in ("60", "1.2.3", "0", "-5"):
        await officer.send_in_group(wrong, reply_to=amount_prompt)
        assert await store_of(kapstok).requests.get(number) is not None
        assert (await store_of(kapstok).requests.get(number)).status is Status.PICKED_UP
    assert say(
        language,
        "That is more than the deposit of {amount}. Type at most that, or press "
        "Keep all of it. Or /cancel.",
        amount="X",
    ).split("X")[0] in "\n".join(m.text for m in kapstok.group()[-8:])
    await officer.send_in_group("12,50" if language == "nl" else "12.50", reply_to=amount_prompt)

    request = await store_of(kapstok).gear_requests.get(number)
    assert request.request.status is Status.RETURNED
    assert request.returned_in_order is False
    assert request.return_note == "Eén tent heeft een scheur <30 cm>."
    assert request.damage_photo == "damage-1"
    assert request.deposit_kept_cents == 1250
    told = member.last.text
    assert "Eén tent heeft een scheur <30 cm>." in told and "12" in told and "37" in told
    card = card_in_topic(kapstok, number)
    assert say("nl", "📷 A photo of the damage was added.") in card.text
    assert "12,50" in card.text


async def test_without_photo_kept_in_full_from_a_private_chat(kapstok, admin):
    _member, officer, number = await approved_request(kapstok, admin)
    await officer.send("/start")
    await officer.press_data(callbacks.GEAR_PICKED_UP.data(number), on=officer.last)
    await officer.press(label("nl", "✖️ Not received"))
    assert (await store_of(kapstok).gear_requests.get(number)).deposit_received is False
    await officer.press_data(callbacks.GEAR_RETURNED.data(number), on=officer.last)
    await officer.press(label("nl", "⚠️ With a note"))
    await officer.send("Twee haringen kwijt.")
    await officer.press(label("nl", "➡️ No photo"))
    # the deposit was never received: nothing to keep or return
    request = await store_of(kapstok).gear_requests.get(number)
    assert request.request.status is Status.RETURNED and request.deposit_kept_cents == 0
    assert request.return_note == "Twee haringen kwijt." and request.damage_photo is None


async def test_keep_all_and_a_stale_step_button(kapstok, admin):
    _member, officer, number = await approved_request(kapstok, admin)
    await officer.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, number))
    await officer.press_in_group(label("nl", "✅ Deposit received"))
    await officer.press_in_group(label("nl", "↩️ Returned"), on=card_in_topic(kapstok, number))
    await officer.press_in_group(label("nl", "✅ All in order"))
    deposit_question = kapstok.group()[-1]
    await officer.press_in_group(label("nl", "🔒 Keep all of it"), on=deposit_question)
    request = await store_of(kapstok).gear_requests.get(number)
    assert request.deposit_kept_cents == 5000
    await officer.press_in_group(label("nl", "💶 Return it in full"), on=deposit_question)
    assert officer.alerts[-1] == say("nl", "This button is no longer valid.")
    assert (await store_of(kapstok).gear_requests.get(number)).deposit_kept_cents == 5000


async def test_a_non_liaison_cannot_mark_picked_up_or_returned(kapstok, admin):
    _member, _officer, number = await approved_request(kapstok, admin)
    stranger = kapstok.person(601, "Groepslid", "nl")
    await stranger.press_in_group(label("nl", "📦 Picked up"), on=card_in_topic(kapstok, number))
    assert stranger.alerts[-1] == say(
        "nl", "Only liaison officers of the municipality can do this."
    )
    await stranger.press_data(
        callbacks.GEAR_DEPOSIT.data(number, "yes"),
        on=card_in_topic(kapstok, number),
        chat_id=LIAISON_CHAT_ID,
    )
    assert stranger.alerts[-1] == say(
        "nl", "Only liaison officers of the municipality can do this."
    )
    assert (await store_of(kapstok).requests.get(number)).status is Status.APPROVED
