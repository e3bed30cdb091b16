"""The catalog, requests and gear requests against a real SQLite file: numbering, history,
availability from the stored reservations, and approvals that never promise stock twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from bot.domain.requests import GearLine, RequestKind, Status
from storage import Store
from storage.gear_requests import Shortage

T0 = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
FRIDAY, SUNDAY = date(2027, 6, 4), date(2027, 6, 6)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "kapstok.sqlite3", Clock())
    yield store
    await store.close()


async def association(store: Store, user_id: int, name: str) -> int:
    await store.users.ensure(user_id, "Jan", None, None, "nl")
    made = await store.associations.register(user_id, name, AssociationKind.YOUTH, "")
    await store.associations.decide(made.association_id, True, 1, "Liaison")
    return made.association_id


async def liaison(store: Store, user_id: int) -> int:
    await store.users.ensure(user_id, "Liesbeth", None, None, "nl")
    return user_id


async def tents(store: Store, stock: int = 4) -> int:
    item = await store.gear.add(GearItem(0, "Tent 6x3", "Tenten", stock, deposit_cents=5000))
    return item.item_id


async def test_catalog_items_are_added_updated_and_removed(store):
    tent = await store.gear.add(
        GearItem(0, "Tent", "Tenten", 4, name_fr="Tente", kinds=frozenset({"youth", "sport"}))
    )
    assert tent.name("fr") == "Tente" and tent.name("en") == "Tent"
    assert tent.kinds == {"youth", "sport"} and tent.lends_to("youth")
    chairs = await store.gear.add(GearItem(0, "Stoel", "Meubilair", 100))
    assert [item.name_nl for item in await store.gear.catalog()] == ["Stoel", "Tent"]
    updated = await store.gear.update(GearItem(tent.item_id, "Tent", "Tenten", 6))
    assert updated.stock == 6 and updated.kinds == frozenset()
    assert await store.gear.named("tent") == updated
    assert await store.gear.remove(tent.item_id)
    assert [item.item_id for item in await store.gear.catalog()] == [chairs.item_id]
    assert (await store.gear.get(tent.item_id)).active is False
    assert await store.gear.update(updated) is None


async def test_a_gear_request_is_numbered_with_its_lines_and_its_first_event(store):
    chiro = await association(store, 10, "Chiro")
    tent = await tents(store)
    request = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2}, note="Kamp")
    assert request.request.kind is RequestKind.GEAR
    assert request.request.status is Status.REQUESTED
    assert request.lines == (GearLine(tent, 2, deposit_cents=5000),)
    assert (request.pick_up, request.return_on) == (FRIDAY, SUNDAY)
    [event] = await store.requests.history(request.request_id)
    assert (event.event, event.actor, event.detail) == ("requested", 10, "Kamp")


async def test_requests_do_not_hold_stock_until_approved(store):
    chiro = await association(store, 10, "Chiro")
    officer = await liaison(store, 401)
    tent = await tents(store, 4)
    first = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 3})
    assert await store.gear_requests.free({tent: 4}, FRIDAY, SUNDAY) == {tent: 4}
    assert await store.gear_requests.approve(first.request_id, {tent: 2}, officer) is (
        Status.PARTLY_APPROVED
    )
    assert await store.gear_requests.free({tent: 4}, FRIDAY, SUNDAY) == {tent: 2}
    assert await store.gear_requests.free({tent: 4}, date(2027, 6, 6), date(2027, 6, 8)) == {
        tent: 4  # returned on Sunday morning: free for a pick-up that Sunday
    }
    assert await store.gear_requests.approve(first.request_id, {tent: 1}, officer) is None
    events = [event.event for event in await store.requests.history(first.request_id)]
    assert events == ["requested", "partly_approved"]


async def test_an_approval_over_what_is_free_writes_nothing_and_says_what_is_left(store):
    chiro = await association(store, 10, "Chiro")
    scouts = await association(store, 20, "Scouts")
    officer = await liaison(store, 401)
    tent = await tents(store, 4)
    first = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 3})
    second = await store.gear_requests.create(scouts, 20, FRIDAY, SUNDAY, {tent: 2})
    assert await store.gear_requests.approve(first.request_id, {tent: 3}, officer) is (
        Status.APPROVED
    )
    outcome = await store.gear_requests.approve(second.request_id, {tent: 2}, officer)
    assert outcome == Shortage(wanted={tent: 2}, free={tent: 1})
    assert (await store.requests.get(second.request_id)).status is Status.REQUESTED
    assert await store.gear_requests.approve(second.request_id, {tent: 1}, officer) is (
        Status.PARTLY_APPROVED
    )


async def test_two_approvals_of_the_last_tents_at_the_same_instant_never_overbook(store):
    chiro = await association(store, 10, "Chiro")
    scouts = await association(store, 20, "Scouts")
    first_officer, second_officer = await liaison(store, 401), await liaison(store, 402)
    tent = await tents(store, 2)
    first = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2})
    second = await store.gear_requests.create(scouts, 20, SUNDAY, date(2027, 6, 7), {tent: 2})
    # Sunday: the first is returned in the morning only with RETURN_FREES_SAME_DAY; make the
    # periods overlap for certain.
    third = await store.gear_requests.create(scouts, 20, date(2027, 6, 5), SUNDAY, {tent: 2})
    outcomes = await asyncio.gather(
        store.gear_requests.approve(first.request_id, {tent: 2}, first_officer),
        store.gear_requests.approve(third.request_id, {tent: 2}, second_officer),
    )
    assert sorted(outcome is Status.APPROVED for outcome in outcomes) == [False, True]
    [shortage] = [outcome for outcome in outcomes if isinstance(outcome, Shortage)]
    assert shortage.free == {tent: 0}
    assert await store.gear_requests.free({tent: 2}, date(2027, 6, 5), date(2027, 6, 5)) == {
        tent: 0
    }
    assert (await store.requests.get(second.request_id)).status is Status.REQUESTED


async def test_pick_up_and_return_are_recorded_once(store):
    chiro = await association(store, 10, "Chiro")
    officer = await liaison(store, 401)
    tent = await tents(store, 4)
    request = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2})
    assert not await store.gear_requests.picked_up(request.request_id, officer, True)
    await store.gear_requests.approve(request.request_id, {tent: 2}, officer)
    assert await store.gear_requests.picked_up(request.request_id, officer, True)
    assert not await store.gear_requests.picked_up(request.request_id, officer, True)
    assert [r.request_id for r in await store.gear_requests.returning_on(SUNDAY)] == [
        request.request_id
    ]
    assert [r.request_id for r in await store.gear_requests.overdue(date(2027, 6, 7))] == [
        request.request_id
    ]
    assert await store.gear_requests.returned(
        request.request_id, officer, in_order=False, note="1 haring kwijt", deposit_kept_cents=500
    )
    done = await store.gear_requests.get(request.request_id)
    assert done.request.status is Status.RETURNED
    assert (done.deposit_received, done.returned_in_order, done.deposit_kept_cents) == (
        True,
        False,
        500,
    )
    assert await store.gear_requests.free({tent: 4}, FRIDAY, SUNDAY) == {tent: 4}
    assert await store.gear_requests.overdue(date(2027, 6, 7)) == []


async def test_reminders_are_marked_once(store):
    chiro = await association(store, 10, "Chiro")
    tent = await tents(store, 4)
    request = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2})
    assert await store.gear_requests.mark_reminded(request.request_id, "reminded_pick_up")
    assert not await store.gear_requests.mark_reminded(request.request_id, "reminded_pick_up")
    assert await store.gear_requests.count_overdue_reminder(request.request_id, 0)
    assert not await store.gear_requests.count_overdue_reminder(request.request_id, 0)
    assert (await store.gear_requests.get(request.request_id)).overdue_reminders == 1


async def test_gear_that_is_late_holds_its_stock_until_it_is_back(store):
    chiro = await association(store, 10, "Chiro")
    officer = await liaison(store, 401)
    tent = await tents(store, 2)
    late = await store.gear_requests.create(
        chiro, 10, date(2027, 2, 26), date(2027, 2, 28), {tent: 2}
    )
    await store.gear_requests.approve(late.request_id, {tent: 2}, officer)
    await store.gear_requests.picked_up(late.request_id, officer, True)
    # T0 is 3 March: due back on 28 February, still out.
    assert await store.gear_requests.free({tent: 2}, date(2027, 3, 10), date(2027, 3, 12)) == {
        tent: 0
    }
    await store.gear_requests.returned(late.request_id, officer, in_order=True)
    assert await store.gear_requests.free({tent: 2}, date(2027, 3, 10), date(2027, 3, 12)) == {
        tent: 2
    }


async def test_the_deposit_is_the_one_of_when_the_request_was_made(store):
    chiro = await association(store, 10, "Chiro")
    tent = await tents(store, 4)
    request = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2})
    item = await store.gear.get(tent)
    await store.gear.update(GearItem(tent, item.name_nl, item.category, 4, deposit_cents=9900))
    [line] = (await store.gear_requests.get(request.request_id)).lines
    assert line.deposit_cents == 5000


async def test_an_item_taken_out_of_the_catalog_is_no_longer_approved(store):
    chiro = await association(store, 10, "Chiro")
    officer = await liaison(store, 401)
    tent = await tents(store, 4)
    waiting = await store.gear_requests.create(chiro, 10, FRIDAY, SUNDAY, {tent: 2})
    assert await store.gear.remove(tent)
    outcome = await store.gear_requests.approve(waiting.request_id, {tent: 2}, officer)
    assert outcome == Shortage(wanted={tent: 2}, free={tent: 0})
    assert (await store.requests.get(waiting.request_id)).status is Status.REQUESTED
