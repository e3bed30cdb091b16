"""Requests as they are listed and exported, against a real SQLite file: both kinds in one read,
what is still open, a period, an activity's requests; and an activity's evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from bot.domain.request_summaries import EvidenceKind
from bot.domain.requests import RequestKind, Status
from storage import Store

T0 = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def clock():
    return Clock()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    yield store
    await store.close()


async def association(store: Store, user_id: int, name: str) -> int:
    await store.users.ensure(user_id, "Jan", None, None, "nl")
    made = await store.associations.register(user_id, name, AssociationKind.YOUTH, "")
    await store.associations.decide(made.association_id, True, 1, "Liaison")
    return made.association_id


async def subsidy(store: Store, association_id: int, user_id: int, cents: int, **more) -> int:
    now = T0.isoformat()
    type_id = await store.db.insert(
        "INSERT INTO subsidy_types (name_nl, name_fr, max_cents, created_at, updated_at)"
        " VALUES ('Jeugdwerking', 'Jeunesse', 900000, ?, ?)",
        (now, now),
    )
    async with store.transaction():
        number = await store.requests.create(RequestKind.SUBSIDY, association_id, user_id, **more)
        await store.db.write(
            "INSERT INTO subsidy_requests (request_id, type_id, amount_cents, purpose)"
            " VALUES (?, ?, ?, 'Kamp')",
            (number, type_id, cents),
        )
    return number


async def test_both_kinds_read_with_what_they_add(store, clock):
    ksa = await association(store, 10, "KSA")
    chiro = await association(store, 20, "Chiro")
    tent = (await store.gear.add(GearItem(0, "Tent", "Tenten", 9, name_fr="Tente"))).item_id
    chair = (await store.gear.add(GearItem(0, "Stoel", "Meubilair", 90))).item_id
    activity = await store.activities.create(
        ksa, 10, "Kamp", T0 + timedelta(days=90), T0 + timedelta(days=91), "Bos", "", False
    )
    gear = await store.gear_requests.create(
        ksa, 10, date(2027, 6, 4), date(2027, 6, 6), {tent: 2, chair: 30},
        activity_id=activity.activity_id,
    )  # fmt: skip
    clock.now = T0 + timedelta(days=1)
    money = await subsidy(store, ksa, 10, 125_050, activity_id=activity.activity_id)
    clock.now = T0 + timedelta(days=2)
    other = await subsidy(store, chiro, 20, 1_000)

    found = await store.request_summaries.get(gear.request_id)
    assert found.kind is RequestKind.GEAR and found.association_name == "KSA"
    assert found.activity_title == "Kamp"
    assert (found.pick_up, found.return_on) == (date(2027, 6, 4), date(2027, 6, 6))
    assert [(line.name("fr"), line.quantity) for line in found.items] == [
        ("Stoel", 30),
        ("Tente", 2),
    ]
    found = await store.request_summaries.get(money)
    assert found.amount_cents == 125_050 and found.granted_cents is None
    assert found.type_name("fr") == "Jeunesse" and found.items == ()
    assert await store.request_summaries.get(999) is None

    listed = await store.request_summaries.of_association(ksa)
    assert [s.request_id for s in listed] == [money, gear.request_id]
    page = await store.request_summaries.of_association(ksa, limit=1, offset=1)
    assert [s.request_id for s in page] == [gear.request_id]
    assert await store.request_summaries.count_of_association(ksa) == 2
    linked = await store.request_summaries.of_activity(activity.activity_id)
    assert [s.request_id for s in linked] == [gear.request_id, money]

    await store.requests.move(money, Status.REJECTED, expected=Status.REQUESTED, actor=20)
    assert [s.request_id for s in await store.request_summaries.still_open()] == [
        gear.request_id,
        other,
    ]
    assert [s.request_id for s in await store.request_summaries.still_open(chiro)] == [other]

    made = await store.request_summaries.created_between(
        T0 + timedelta(hours=1), T0 + timedelta(days=2)
    )
    assert [s.request_id for s in made] == [money]


async def test_an_activitys_evidence(store):
    ksa = await association(store, 10, "KSA")
    activity = await store.activities.create(
        ksa, 10, "Kamp", T0 + timedelta(days=90), T0 + timedelta(days=91), "Bos", "", False
    )
    number = activity.activity_id
    assert await store.evidence.counts(number) == {}
    await store.evidence.add(number, ksa, EvidenceKind.PHOTO, "p1", "u1", added_by=10)
    await store.evidence.add(
        number, ksa, EvidenceKind.DOCUMENT, "d1", "u2", added_by=10, file_name="a.pdf",
        caption="Verslag",
    )  # fmt: skip
    await store.evidence.add(number, ksa, EvidenceKind.PHOTO, "p2", "u3", added_by=None)
    assert await store.evidence.counts(number) == {EvidenceKind.PHOTO: 2, EvidenceKind.DOCUMENT: 1}
    files = await store.evidence.of_activity(number)
    assert [f.file_id for f in files] == ["p1", "d1", "p2"]
    assert files[1].file_name == "a.pdf" and files[1].caption == "Verslag"
    assert files[0].added_at == T0
    # Forgetting the person who added one keeps the file, not the name.
    await store.forget_person(10)
    assert (await store.evidence.of_activity(number))[0].added_by is None
