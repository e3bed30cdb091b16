"""Liaison officers decide on a subsidy request from its card in the association's topic:
*Approve* with the amount granted (typed in their locale, never more than asked), *Reject* with
a reason, *Paid* with a date; the card is drawn again and the board is told, amounts in each
member's locale. Non-liaisons and forged buttons change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bot import i18n
from bot.domain.requests import Status
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, label, say
from tests.steps import send_text
from tests.stories import approved_member
from tests.support.test_subsidy_request import a_type, card_of, request_subsidy, shown


async def subsidy(kapstok: Kapstok, number: int):
    return await kapstok.app.bot_data.store.subsidies.get(number)


async def answer_prompt(person, text: str) -> list[Message]:
    """Reply, in the group, to the bot's newest question there."""
    prompt = Message(person.bot.telegram.sent_to(LIAISON_CHAT_ID)[-1])
    return await person.send_in_group(text, reply_to=prompt)


@pytest.mark.parametrize(("liaison_language", "member_language"), [("nl", "fr"), ("en", "nl")])
async def test_a_liaison_approves_an_amount_and_marks_it_paid(
    kapstok, admin, liaison_language, member_language
):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language=member_language)
    number = await request_subsidy(kapstok, member, subsidy_type)
    liaison = kapstok.person(401, "Liesbeth", liaison_language)
    await admin.send_in_group("/liaison add 401")
    card = card_of(kapstok, await subsidy(kapstok, number))

    await liaison.press_in_group(label("nl", "✅ Approve…"), on=card)
    prompt = kapstok.group()[-1].text
    assert f"#{number}" in prompt and shown(liaison_language, "1250.50") in prompt
    # more than asked, then unreadable, then ambiguous
    over = {"nl": "1.300", "en": "1,300"}[liaison_language]
    await answer_prompt(liaison, over)
    assert shown(liaison_language, "1250.50") in kapstok.group()[-1].text
    await answer_prompt(liaison, "1.2.3")
    await answer_prompt(liaison, {"nl": "1000.5", "en": "1.000,5"}[liaison_language])
    assert (await subsidy(kapstok, number)).status is Status.REQUESTED
    await answer_prompt(liaison, {"nl": "1.000", "en": "1,000"}[liaison_language])

    request = await subsidy(kapstok, number)
    assert request.status is Status.APPROVED and request.granted_cents == 100000
    card = card_of(kapstok, request)
    assert shown("nl", "1000") in card.text
    assert card.buttons == [label("nl", "💶 Paid…"), label("nl", "❓ Ask the board")]
    told = member.last.text
    assert str(number) in told and shown(member_language, "1000") in told
    assert shown(member_language, "1250.50") in told

    # Approve again on the redrawn card's old data: no longer valid
    await liaison.press_data(callbacks.SUBSIDY_APPROVE.data(number), on=card)
    assert liaison.alerts[-1] == say(liaison_language, "This button is no longer valid.")

    await liaison.press_in_group(label("nl", "💶 Paid…"), on=card)
    await answer_prompt(liaison, "31/12/2030")  # in the future
    assert (await subsidy(kapstok, number)).status is Status.APPROVED
    await liaison.press_in_group(label(liaison_language, "📅 Today"))
    paid = await subsidy(kapstok, number)
    assert paid.status is Status.PAID and paid.paid_on == date(2026, 12, 1)
    assert card_of(kapstok, paid).buttons == []
    assert shown(member_language, "1000") in member.last.text
    history = await kapstok.app.bot_data.store.requests.history(number)
    assert [(e.event, e.actor) for e in history] == [
        ("requested", member.user_id),
        ("approved", 401),
        ("paid", 401),
    ]


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_typed_payment_date_in_a_private_chat(kapstok, admin, language):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language="en")
    number = await request_subsidy(kapstok, member, subsidy_type)
    store = kapstok.app.bot_data.store
    await store.subsidies.approve(number, 50000, 1)
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/start")
    await liaison.press_data(callbacks.SUBSIDY_PAID.data(number), on=liaison.last)
    await liaison.send("gisteren")
    await liaison.send("30/11/2026")  # the day before it was requested
    with i18n.use_language(language):
        requested = i18n.format_day(date(2026, 12, 1))
    assert liaison.last.text.startswith(
        say(
            language,
            "Request #{number} was made on {date}: it cannot have been paid before.",
            number=number,
            date=requested,
        )
    )
    assert (await subsidy(kapstok, number)).paid_on is None
    await liaison.send("1/12/2026")
    paid = await subsidy(kapstok, number)
    assert paid.paid_on == date(2026, 12, 1)
    assert "€500.00" in member.last.text


@pytest.mark.parametrize(("liaison_language", "member_language"), [("nl", "en"), ("fr", "nl")])
async def test_a_liaison_rejects_with_a_reason_the_board_reads(
    kapstok, admin, liaison_language, member_language
):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language=member_language)
    number = await request_subsidy(kapstok, member, subsidy_type)
    liaison = kapstok.person(401, "Liesbeth", liaison_language)
    await admin.send_in_group("/liaison add 401")
    card = card_of(kapstok, await subsidy(kapstok, number))
    await liaison.press_in_group(label("nl", "❌ Reject…"), on=card)
    await answer_prompt(liaison, "x" * 1001)
    assert (await subsidy(kapstok, number)).status is Status.REQUESTED
    await answer_prompt(liaison, "Geen facturen <bij>")
    request = await subsidy(kapstok, number)
    assert request.status is Status.REJECTED
    assert "Geen facturen <bij>" in card_of(kapstok, request).text
    assert card_of(kapstok, request).buttons == []
    assert "Geen facturen <bij>" in member.last.text and f"#{number}" in member.last.text


async def test_someone_who_is_no_liaison_cannot_decide(kapstok, admin):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language="nl")
    number = await request_subsidy(kapstok, member, subsidy_type)
    card = card_of(kapstok, await subsidy(kapstok, number))
    stranger = kapstok.person(601, "Groepslid", "fr")
    for button in (callbacks.SUBSIDY_APPROVE, callbacks.SUBSIDY_REJECT, callbacks.SUBSIDY_PAID):
        await stranger.press_data(button.data(number), on=card)
        assert stranger.alerts[-1] == say(
            "fr", "Only liaison officers of the municipality can do this."
        )
        await member.press_data(button.data(number), on=member.last)
        assert member.alerts[-1] == say(
            "nl", "Only liaison officers of the municipality can do this."
        )
    assert (await subsidy(kapstok, number)).status is Status.REQUESTED


async def test_a_forged_button_for_another_associations_request_is_refused(kapstok, admin):
    subsidy_type = await a_type(kapstok)
    first = await approved_member(kapstok, admin, language="nl")
    second = await approved_member(kapstok, admin, 202, "Ward", "en", "Chiro Sint-Pieter")
    number_a = await request_subsidy(kapstok, first, subsidy_type)
    number_b = await request_subsidy(kapstok, second, subsidy_type)
    card_a = card_of(kapstok, await subsidy(kapstok, number_a))
    await admin.press_data(callbacks.SUBSIDY_APPROVE.data(number_b), on=card_a)
    assert admin.alerts[-1] == say("nl", "This button does not work here. Nothing was changed.")
    await admin.press_data(callbacks.SUBSIDY_REJECT.data(number_b), on=card_a)
    assert admin.alerts[-1] == say("nl", "This button does not work here. Nothing was changed.")
    await admin.press_data(callbacks.SUBSIDY_APPROVE.data(99), on=card_a)
    assert admin.alerts[-1] == say("nl", "This button is no longer valid.")
    assert (await subsidy(kapstok, number_b)).status is Status.REQUESTED


async def test_the_answer_must_reply_to_the_question_in_the_group(kapstok, admin):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language="nl")
    number = await request_subsidy(kapstok, member, subsidy_type)
    await admin.press_in_group(
        label("nl", "✅ Approve…"), on=card_of(kapstok, await subsidy(kapstok, number))
    )
    await send_text(admin, LIAISON_CHAT_ID, "500")  # not a reply: a remark among liaisons
    assert (await subsidy(kapstok, number)).status is Status.REQUESTED
    await answer_prompt(admin, "500")
    assert (await subsidy(kapstok, number)).granted_cents == 50000
