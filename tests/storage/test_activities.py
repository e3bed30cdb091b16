"""The activity repository: an activity with partners, the first answer of a partner's board,
changes that raise the SEQUENCE, cancelling, what a board's calendar holds, how it went, and a
person forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.activities import ActivityState, PartnerStatus
from bot.domain.associations import AssociationKind
from storage import Store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
END = START + timedelta(hours=3)
JAN, PIET, LIES, BERT = 10, 11, 12, 20


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "kapstok.sqlite3", lambda: T0)
    for user_id, name in ((JAN, "Jan"), (PIET, "Piet"), (LIES, "Lies")):
        await store.users.ensure(user_id, name, None, None, "nl")
    yield store
    await store.close()


async def _association(store: Store, founder: int, name: str) -> int:
    association = await store.associations.register(founder, name, AssociationKind.YOUTH, "x")
    await store.associations.decide(association.association_id, True, BERT, "Bert")
    return association.association_id


@pytest.fixture
async def three(store):
    return (
        await _association(store, JAN, "KSA Sint-Jan"),
        await _association(store, PIET, "Chiro Sint-Pieter"),
        await _association(store, LIES, "Fanfare De Eendracht"),
    )


async def test_an_activity_keeps_what_was_given_with_its_partners(store, three):
    ksa, chiro, fanfare = three
    made = await store.activities.create(
        ksa, JAN, "Stoet", START, END, "Zaal De Kroon", "Lampions", True, [chiro, fanfare]
    )
    again = await store.activities.get(made.activity_id)
    assert again == made
    assert (made.title, made.starts_at, made.ends_at, made.place) == (
        "Stoet",
        START,
        END,
        "Zaal De Kroon",
    )
    assert made.public and made.state is ActivityState.PLANNED and made.sequence == 0
    assert made.association_name == "KSA Sint-Jan"
    assert [(p.name, p.status) for p in made.partners] == [
        ("Chiro Sint-Pieter", PartnerStatus.INVITED),
        ("Fanfare De Eendracht", PartnerStatus.INVITED),
    ]
    other = await store.activities.create(ksa, JAN, "Fuif", START, END, "x", "", False)
    assert other.uid != made.uid


async def test_the_first_answer_of_a_partner_decides(store, three):
    ksa, chiro, fanfare = three
    made = await store.activities.create(ksa, JAN, "Stoet", START, END, "x", "", False, [chiro])
    assert await store.activities.answer(made.activity_id, chiro, True, PIET)
    assert not await store.activities.answer(made.activity_id, chiro, False, PIET)
    assert not await store.activities.answer(made.activity_id, fanfare, True, LIES)
    found = await store.activities.get(made.activity_id)
    assert found.partners[0].status is PartnerStatus.CONFIRMED
    assert found.partners[0].answered_at == T0


async def test_changes_raise_the_sequence_and_a_cancelled_one_changes_no_more(store, three):
    ksa, *_ = three
    made = await store.activities.create(ksa, JAN, "Stoet", START, END, "x", "", False)
    moved = await store.activities.change(
        made.activity_id, starts_at=START + timedelta(days=1), ends_at=END + timedelta(days=1)
    )
    assert moved.sequence == 1 and moved.starts_at == START + timedelta(days=1)
    placed = await store.activities.change(made.activity_id, place="Zaal De Kroon")
    assert placed.sequence == 2 and placed.place == "Zaal De Kroon"
    cancelled = await store.activities.cancel(made.activity_id)
    assert cancelled.state is ActivityState.CANCELLED and cancelled.sequence == 3
    assert await store.activities.cancel(made.activity_id) is None
    assert await store.activities.change(made.activity_id, place="y") is None
    assert cancelled.uid == made.uid


async def test_a_calendar_holds_own_partner_and_public_activities(store, three):
    ksa, chiro, fanfare = three
    own = await store.activities.create(ksa, JAN, "Eigen", START, END, "x", "", False)
    asked = await store.activities.create(chiro, PIET, "Samen", START, END, "x", "", False, [ksa])
    declined = await store.activities.create(
        fanfare, LIES, "Nee", START, END, "x", "", False, [ksa]
    )
    await store.activities.answer(declined.activity_id, ksa, False, JAN)
    public = await store.activities.create(fanfare, LIES, "Open", START, END, "x", "", True)
    hidden = await store.activities.create(fanfare, LIES, "Dicht", START, END, "x", "", False)
    gone = await store.activities.create(ksa, JAN, "Weg", START, END, "x", "", True)
    await store.activities.cancel(gone.activity_id)
    shown = await store.activities.calendar(ksa, T0, START + timedelta(days=1))
    assert {a.activity_id for a in shown} == {
        own.activity_id,
        asked.activity_id,
        public.activity_id,
    }
    assert hidden.activity_id not in {a.activity_id for a in shown}
    assert await store.activities.calendar(ksa, END, END + timedelta(days=1)) == []
    await store.activities.answer(asked.activity_id, ksa, True, JAN)
    ours = {a.activity_id for a in await store.activities.of_association(ksa)}
    assert ours == {own.activity_id, asked.activity_id, gone.activity_id}
    public_ids = {a.activity_id for a in await store.activities.public()}
    assert public_ids == {public.activity_id, gone.activity_id}
    between = await store.activities.between(START, END)
    assert len(between) == 6


async def test_how_it_went_keeps_each_latest_answer(store, three):
    ksa, *_ = three
    made = await store.activities.create(ksa, JAN, "Stoet", START, END, "x", "", False)
    assert not await store.activities.was_asked(made.activity_id)
    assert await store.activities.mark_asked(made.activity_id)
    assert not await store.activities.mark_asked(made.activity_id)
    assert await store.activities.was_asked(made.activity_id)
    first = await store.activities.evaluate(made.activity_id, ksa, JAN, score=2)
    assert (first.score, first.comment, first.gear_back) == (2, None, None)
    second = await store.activities.evaluate(made.activity_id, ksa, JAN, gear_back=False)
    third = await store.activities.evaluate(made.activity_id, ksa, JAN, comment="Te weinig stoelen")
    assert (second.score, second.gear_back) == (2, False)
    assert (third.score, third.gear_back, third.comment) == (2, False, "Te weinig stoelen")
    assert await store.activities.evaluations([made.activity_id]) == {made.activity_id: third}


async def test_a_forgotten_person_leaves_their_activities_without_their_name(store, three):
    ksa, chiro, _ = three
    made = await store.activities.create(ksa, JAN, "Stoet", START, END, "x", "", False, [chiro])
    await store.activities.answer(made.activity_id, chiro, True, PIET)
    await store.activities.evaluate(made.activity_id, ksa, JAN, score=4)
    assert await store.activities.counts_by(JAN) == {"created": 1, "answered": 0, "evaluated": 1}
    await store.forget_person(JAN)
    await store.forget_person(PIET)
    assert await store.activities.counts_by(JAN) == {"created": 0, "answered": 0, "evaluated": 0}
    assert await store.activities.counts_by(PIET) == {"created": 0, "answered": 0, "evaluated": 0}
    assert (await store.activities.get(made.activity_id)).title == "Stoet"
