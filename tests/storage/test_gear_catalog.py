"""The catalog as liaisons keep it, against a real SQLite file: categories, a photo, an import
written all or nothing, and the reservations that hold an item with whose they are."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.domain.gear import GearItem
from bot.domain.gear_catalog import ImportPlan
from bot.domain.requests import Status
from tests.storage.test_gear_requests import association, liaison, store  # noqa: F401


async def test_categories_and_a_photo(store):  # noqa: F811
    await store.gear.add(GearItem(0, "Tent", "Tenten", 4))
    chair = await store.gear.add(GearItem(0, "Stoel", "meubilair", 4))
    await store.gear.add(GearItem(0, "Tafel", "meubilair", 4))
    assert await store.gear.categories() == ["meubilair", "Tenten"]
    assert await store.gear.set_photo(chair.item_id, "photo-1")
    assert (await store.gear.get(chair.item_id)).photo_file_id == "photo-1"
    await store.gear.remove(chair.item_id)
    assert not await store.gear.set_photo(chair.item_id, None)


async def test_an_import_adds_and_updates_in_one_go_or_not_at_all(store):  # noqa: F811
    tent = await store.gear.add(GearItem(0, "Tent", "Tenten", 4))
    plan = ImportPlan(
        added=(GearItem(0, "Stoel", "Meubilair", 100),),
        updated=(replace(tent, stock=6),),
    )
    assert await store.gear.apply_import(plan)
    assert {(i.name_nl, i.stock) for i in await store.gear.catalog()} == {
        ("Tent", 6),
        ("Stoel", 100),
    }
    # A name taken meanwhile: nothing of the plan is written.
    clash = ImportPlan(
        added=(GearItem(0, "Podium", "Podia", 1), GearItem(0, "STOEL", "Meubilair", 1)),
        updated=(replace(tent, stock=9),),
    )
    assert not await store.gear.apply_import(clash)
    # An item to update that was removed meanwhile: nothing either.
    await store.gear.remove(tent.item_id)
    gone = ImportPlan(added=(GearItem(0, "Podium", "Podia", 1),), updated=(replace(tent, stock=9),))
    assert not await store.gear.apply_import(gone)
    assert {(i.name_nl, i.stock) for i in await store.gear.catalog()} == {("Stoel", 100)}


async def test_holding_names_the_request_and_its_association(store):  # noqa: F811
    tent = await store.gear.add(GearItem(0, "Tent", "Tenten", 10))
    ksa = await association(store, 10, "KSA")
    actor = await liaison(store, 1)
    made = []
    for days, quantity in (
        ((date(2027, 5, 1), date(2027, 5, 2)), 3),
        ((date(2027, 6, 1), date(2027, 6, 2)), 4),
        ((date(2027, 7, 1), date(2027, 7, 2)), 5),
    ):
        request = await store.gear_requests.create(ksa, 10, *days, {tent.item_id: quantity})
        made.append(request.request.request_id)
    await store.gear_requests.approve(made[0], {tent.item_id: 2}, actor)  # partly
    await store.gear_requests.approve(made[1], {tent.item_id: 4}, actor)
    assert await store.gear_requests.picked_up(made[1], actor, True)
    held = await store.gear.holding(tent.item_id, date(2027, 5, 2))
    assert [(h.request_id, h.association, h.reservation.quantity) for h in held] == [
        (made[0], "KSA", 2),
        (made[1], "KSA", 4),
    ]
    assert held[1].reservation.state == Status.PICKED_UP.value
    assert [h.request_id for h in await store.gear.holding(tent.item_id, date(2027, 5, 3))] == [
        made[1]
    ]
