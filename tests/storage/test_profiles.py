"""The profile repository: a profile made bit by bit, what is listed (approved associations
only, by kind, offer and need), the contact as it counts now, and forgetting a person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.profiles import AssociationProfile, ContactKind, Offer, Side
from storage import Store

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
JAN, PIET, LIES, MIA, BERT = 10, 11, 12, 13, 20


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "kapstok.sqlite3", lambda: T0)
    for user_id, name, username in (
        (JAN, "Jan", "jan_chiro"),
        (PIET, "Piet", None),
        (LIES, "Lies", None),
        (MIA, "Mia", None),
    ):
        await store.users.ensure(user_id, name, None, username, "nl")
    yield store
    await store.close()


async def _association(
    store: Store, founder: int, name: str, kind=AssociationKind.YOUTH, approve: bool = True
) -> int:
    association = await store.associations.register(founder, name, kind, "intern")
    if approve:
        await store.associations.decide(association.association_id, True, BERT, "Bert")
    return association.association_id


async def _listed(store: Store, association_id: int, by: int) -> None:
    await store.profiles.set_description(association_id, "Wij doen van alles.", "nl")
    await store.profiles.set_contact_text(association_id, ContactKind.PHONE, "014 21 21 21", by)
    await store.profiles.set_listed(association_id, True)


async def test_an_association_without_a_profile_has_none_and_is_not_listed(store):
    chiro = await _association(store, JAN, "Chiro")
    assert await store.profiles.get(chiro) is None
    assert not await store.profiles.is_listed(chiro)
    assert await store.profiles.listed() == []


async def test_a_profile_is_made_field_by_field(store):
    chiro = await _association(store, JAN, "Chiro")
    await store.profiles.set_description(chiro, "Nous jouons.", "fr")
    assert await store.profiles.get(chiro) == AssociationProfile(
        chiro, False, "Nous jouons.", frozenset(), frozenset(), None, None, None, "fr"
    )
    assert await store.profiles.toggle(chiro, Side.OFFERS, Offer.GEAR) is True
    assert await store.profiles.toggle(chiro, Side.OFFERS, Offer.VENUE) is True
    assert await store.profiles.toggle(chiro, Side.NEEDS, Offer.GEAR) is True
    assert await store.profiles.toggle(chiro, Side.OFFERS, Offer.VENUE) is False
    await store.profiles.set_contact_member(chiro, JAN, JAN)
    profile = await store.profiles.get(chiro)
    assert profile.offers == {Offer.GEAR}
    assert profile.needs == {Offer.GEAR}
    assert (profile.contact_kind, profile.contact_user_id, profile.contact_text) == (
        ContactKind.MEMBER,
        JAN,
        None,
    )
    await store.profiles.set_contact_text(chiro, ContactKind.EMAIL, "info@chiro.be", JAN)
    profile = await store.profiles.get(chiro)
    assert (profile.contact_kind, profile.contact_user_id, profile.contact_text) == (
        ContactKind.EMAIL,
        None,
        "info@chiro.be",
    )
    await store.profiles.set_listed(chiro, True)
    assert (await store.profiles.get(chiro)).listed
    assert await store.profiles.is_listed(chiro)
    await store.profiles.set_listed(chiro, False)
    assert not await store.profiles.is_listed(chiro)
    with pytest.raises(ValueError):
        await store.profiles.set_contact_text(chiro, ContactKind.MEMBER, "Jan", JAN)


async def test_only_listed_approved_associations_are_listed_by_name(store):
    voetbal = await _association(store, JAN, "Voetbalclub", AssociationKind.SPORT)
    chiro = await _association(store, PIET, "chiro", AssociationKind.YOUTH)
    waiting = await _association(store, LIES, "Atletiek", AssociationKind.SPORT, approve=False)
    hidden = await _association(store, MIA, "Buurtwerk", AssociationKind.NEIGHBOURHOOD)
    for association, member in ((voetbal, JAN), (chiro, PIET), (waiting, LIES)):
        await _listed(store, association, member)
    await store.profiles.set_description(hidden, "Niet getoond.", "nl")
    assert [p.association_id for p in await store.profiles.listed()] == [chiro, voetbal]
    assert not await store.profiles.is_listed(waiting)
    assert not await store.profiles.is_listed(hidden)
    sport = await store.profiles.listed(kinds=[AssociationKind.SPORT])
    assert [p.association_id for p in sport] == [voetbal]
    assert await store.profiles.listed(kinds=[]) == []


async def test_listed_by_what_they_offer_or_look_for(store):
    voetbal = await _association(store, JAN, "Voetbalclub", AssociationKind.SPORT)
    chiro = await _association(store, PIET, "Chiro")
    for association, member in ((voetbal, JAN), (chiro, PIET)):
        await _listed(store, association, member)
    await store.profiles.toggle(voetbal, Side.OFFERS, Offer.VENUE)
    await store.profiles.toggle(chiro, Side.NEEDS, Offer.VENUE)
    await store.profiles.toggle(chiro, Side.OFFERS, Offer.GEAR)

    def ids(found):
        return [p.association_id for p in found]

    assert ids(await store.profiles.listed(offers=[Offer.VENUE])) == [voetbal]
    assert ids(await store.profiles.listed(needs=[Offer.VENUE])) == [chiro]
    assert ids(await store.profiles.listed(offers=[Offer.VENUE, Offer.GEAR])) == [chiro, voetbal]
    assert ids(await store.profiles.listed(offers=[Offer.KNOW_HOW])) == []
    assert ids(await store.profiles.listed(list(AssociationKind))) == [
        chiro,
        voetbal,
    ]
    found = {p.association_id: p for p in await store.profiles.listed()}
    assert found[chiro].offers == {Offer.GEAR} and found[chiro].needs == {Offer.VENUE}
    assert found[voetbal].offers == {Offer.VENUE} and found[voetbal].needs == frozenset()


async def test_a_board_member_is_the_contact_only_while_on_the_board(store):
    chiro = await _association(store, JAN, "Chiro")
    await store.profiles.set_contact_member(chiro, JAN, JAN)
    assert (await store.profiles.get(chiro)).contact_user_id == JAN
    await store.associations.leave(JAN)
    profile = await store.profiles.get(chiro)
    assert (profile.contact_kind, profile.contact_user_id) == (None, None)
    assert not profile.has_contact


async def test_forgetting_the_contact_member_leaves_no_contact(store):
    chiro = await _association(store, JAN, "Chiro")
    await _listed(store, chiro, JAN)
    await store.profiles.set_contact_member(chiro, JAN, JAN)
    await store.forget_person(JAN)
    rows = await store.db.fetchall("SELECT * FROM association_profiles")
    assert [
        (row["contact_kind"], row["contact_user_id"], row["contact_set_by"]) for row in rows
    ] == [(None, None, None)]
    profile = await store.profiles.get(chiro)
    assert (profile.contact_kind, profile.contact_user_id, profile.contact_text) == (
        None,
        None,
        None,
    )
    assert profile.description == "Wij doen van alles."


async def test_forgetting_who_typed_a_phone_or_email_clears_it(store):
    chiro = await _association(store, JAN, "Chiro")
    voetbal = await _association(store, PIET, "Voetbal")
    await store.profiles.set_contact_text(chiro, ContactKind.PHONE, "0470 12 34 56", JAN)
    await store.profiles.set_contact_text(voetbal, ContactKind.EMAIL, "info@voetbal.be", PIET)
    await store.forget_person(JAN)
    assert (await store.profiles.get(chiro)).contact_kind is None
    rows = await store.db.fetchall(
        "SELECT contact_text, contact_set_by FROM association_profiles WHERE association_id = ?",
        (chiro,),
    )
    assert [tuple(row) for row in rows] == [(None, None)]
    kept = await store.profiles.get(voetbal)
    assert (kept.contact_kind, kept.contact_text) == (ContactKind.EMAIL, "info@voetbal.be")


async def test_forgetting_who_chose_a_board_member_keeps_that_member(store):
    chiro = await _association(store, JAN, "Chiro")
    code = await store.associations.create_invite_code(chiro, JAN)
    await store.associations.redeem(PIET, code.code)
    await store.profiles.set_contact_member(chiro, PIET, JAN)
    await store.forget_person(JAN)
    profile = await store.profiles.get(chiro)
    assert (profile.contact_kind, profile.contact_user_id) == (ContactKind.MEMBER, PIET)
