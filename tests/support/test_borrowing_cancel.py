"""A board member cancels their association's gear request before it is picked up; nobody else
can, and not after the pick-up."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.requests import Status
from handlers import callbacks
from tests.client import Kapstok, Person, label, say
from tests.steps import invite
from tests.stories import approved_member
from tests.support.test_borrowing import TENT, add, more, submit_basket, to_catalog

PICK_UP, RETURN_ON = date(2026, 12, 18), date(2026, 12, 20)


async def borrowed(kapstok: Kapstok, person: Person) -> int:
    """The person's association asks for two tents; the request's number."""
    tent = await kapstok.app.bot_data.store.gear.named("Tent") or await add(kapstok, TENT)
    await to_catalog(person, PICK_UP, RETURN_ON)
    await more(person, tent, 2)
    await submit_basket(person)
    requests = await kapstok.app.bot_data.store.requests.of_association(
        (await kapstok.app.bot_data.store.profile(person.user_id)).association_id
    )
    return requests[0].request_id


async def status_of(kapstok: Kapstok, number: int) -> Status:
    return (await kapstok.app.bot_data.store.requests.get(number)).status


def cancel_label(language: str, number: int) -> str:
    return label(language, "✖️ Cancel request #{number}").format(number=number)


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_board_member_cancels_a_request_from_its_message(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    number = await borrowed(kapstok, member)
    submitted = member.last
    await member.press(cancel_label(language, number), on=submitted)
    assert say(
        language, "Cancel request #{number}? The gear is then free for others again.",
        number=number,
    ) in member.last  # fmt: skip
    await member.press(label(language, "No, keep it"))
    assert say(language, "Request #{number} stays as it is.", number=number) in member.last
    assert await status_of(kapstok, number) is Status.REQUESTED

    await member.press(cancel_label(language, number), on=submitted)
    await member.press(label(language, "✖️ Yes, cancel it"))
    assert say(
        language, "✖️ Request #{number} is cancelled. The lending service sees it too.",
        number=number,
    ) in member.last  # fmt: skip
    assert await status_of(kapstok, number) is Status.CANCELLED
    history = await kapstok.app.bot_data.store.requests.history(number)
    assert (history[-1].event, history[-1].actor) == ("cancelled", member.user_id)

    # Once cancelled, the old button says so.
    await member.press(cancel_label(language, number), on=submitted)
    assert number and str(number) in member.alerts[-1]


async def test_another_board_member_of_the_association_may_cancel_it(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    number = await borrowed(kapstok, sofie)
    jan = kapstok.person(102, "Jan", "en")
    await invite(sofie, jan)
    await jan.press_data(callbacks.BORROW_CANCEL.data(number), on=jan.last)
    await jan.press(label("en", "✖️ Yes, cancel it"))
    assert await status_of(kapstok, number) is Status.CANCELLED


async def test_a_forged_cancel_for_another_association_is_refused(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    number = await borrowed(kapstok, sofie)
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    for button in (callbacks.BORROW_CANCEL, callbacks.BORROW_CANCEL_CONFIRM, callbacks.BORROW_KEEP):
        await pierre.press_data(button.data(number), on=pierre.last)
        assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    await pierre.press_data(callbacks.BORROW_CANCEL_CONFIRM.data(number + 7), on=pierre.last)
    assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    assert await status_of(kapstok, number) is Status.REQUESTED


async def test_a_request_picked_up_can_no_longer_be_cancelled(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    number = await borrowed(kapstok, sofie)
    submitted = sofie.last
    store = kapstok.app.bot_data.store
    tent = await store.gear.named("Tent")
    assert await store.gear_requests.approve(number, {tent.item_id: 2}, admin.user_id) is (
        Status.APPROVED
    )
    await sofie.press(cancel_label("nl", number), on=submitted)
    confirm = sofie.last
    assert await store.gear_requests.picked_up(number, admin.user_id, True)
    await sofie.press(label("nl", "✖️ Yes, cancel it"), on=confirm)
    assert str(number) in sofie.alerts[-1]
    assert await status_of(kapstok, number) is Status.PICKED_UP
    await sofie.press(cancel_label("nl", number), on=submitted)
    assert str(number) in sofie.alerts[-1]


async def test_an_approved_request_may_still_be_cancelled_and_frees_the_stock(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    number = await borrowed(kapstok, sofie)
    store = kapstok.app.bot_data.store
    tent = await store.gear.named("Tent")
    await store.gear_requests.approve(number, {tent.item_id: 2}, admin.user_id)
    assert (await store.gear_requests.free({tent.item_id: 5}, PICK_UP, RETURN_ON)) == {
        tent.item_id: 3
    }
    await sofie.press(cancel_label("nl", number))
    await sofie.press(label("nl", "✖️ Yes, cancel it"))
    assert await status_of(kapstok, number) is Status.CANCELLED
    assert (await store.gear_requests.free({tent.item_id: 5}, PICK_UP, RETURN_ON)) == {
        tent.item_id: 5
    }
