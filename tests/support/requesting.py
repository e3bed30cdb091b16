"""What the tests of following requests share: gear and subsidy requests made straight in the
store (the board's flows that make them are tested with their own helpers)."""

from __future__ import annotations

from datetime import date

from bot.domain.gear import GearItem
from bot.domain.requests import RequestKind
from tests.client import Kapstok, Person

PICK_UP, RETURN_ON = date(2027, 6, 4), date(2027, 6, 6)


def store_of(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def association_of(kapstok: Kapstok, person: Person) -> int:
    return (await store_of(kapstok).profile(person.user_id)).association_id


async def item(kapstok: Kapstok, name: str = "Tent 6x3", stock: int = 10, **names) -> int:
    store = store_of(kapstok)
    for existing in await store.gear.catalog():
        if existing.name_nl == name:
            return existing.item_id
    made = await store.gear.add(GearItem(0, name, "Tenten", stock, **names))
    return made.item_id


async def gear_request(
    kapstok: Kapstok,
    member: Person,
    quantities: dict[str, int] | None = None,
    *,
    activity_id: int | None = None,
    note: str = "",
) -> int:
    """A gear request of the member's association (item names to quantities); its number."""
    wanted = quantities or {"Tent 6x3": 4}
    lines = {
        await item(kapstok, name, name_fr="Tente 6x3"): count for name, count in wanted.items()
    }
    made = await store_of(kapstok).gear_requests.create(
        await association_of(kapstok, member),
        member.user_id,
        PICK_UP,
        RETURN_ON,
        lines,
        activity_id=activity_id,
        note=note,
    )
    return made.request_id


async def subsidy_type(kapstok: Kapstok, name_nl: str = "Jeugdwerking", **names) -> int:
    db = store_of(kapstok).db
    now = kapstok.clock.now.isoformat(timespec="seconds")
    return await db.insert(
        "INSERT INTO subsidy_types (name_nl, name_fr, name_en, max_cents, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (name_nl, names.get("fr"), names.get("en"), 500_000, now, now),
    )


async def subsidy_request(
    kapstok: Kapstok,
    member: Person,
    cents: int = 125_050,
    *,
    type_id: int | None = None,
    activity_id: int | None = None,
) -> int:
    """A subsidy request of the member's association (its subsidy UI is another's); its number."""
    store = store_of(kapstok)
    if type_id is None:
        type_id = await subsidy_type(kapstok, fr="Travail de jeunesse", en="Youth work")
    async with store.transaction():
        number = await store.requests.create(
            RequestKind.SUBSIDY,
            await association_of(kapstok, member),
            member.user_id,
            activity_id=activity_id,
        )
        await store.db.write(
            "INSERT INTO subsidy_requests (request_id, type_id, amount_cents, purpose)"
            " VALUES (?, ?, ?, ?)",
            (number, type_id, cents, "Kamp"),
        )
    return number
