"""The store as a whole: profiles, a person's data, forgetting a person, all-or-nothing writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind, AssociationStatus
from bot.domain.people import Profile
from bot.domain.threads import Direction, MessagePart, Topic
from storage import Store

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
JAN, PIET, BERT = 10, 11, 20
GROUP = -100123


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    yield store
    await store.close()


class Oops(Exception):
    """Something went wrong halfway."""


async def _chiro(store: Store, clock: Clock):
    """Jan registers the Chiro, Bert approves it, Jan invites Piet and asks a question."""
    await store.ensure_profile(JAN, "Jan", "Janssens", "jan", "nl")
    await store.ensure_profile(PIET, "Piet", None, None, "fr")
    await store.ensure_profile(BERT, "Bert", None, None, "nl")
    await store.liaisons.add(BERT, 1)
    chiro = await store.associations.register(JAN, "Chiro", AssociationKind.YOUTH, "Jeugd")
    await store.associations.decide(chiro.association_id, True, BERT, "Bert")
    clock.advance(hours=1)
    code = await store.associations.create_invite_code(chiro.association_id, JAN)
    await store.associations.redeem(PIET, code.code)
    subject = await store.subjects.get(4)
    thread, _ = await store.threads.open(
        chiro.association_id,
        subject,
        JAN,
        "Jan Janssens",
        [MessagePart("text", "Mag dat?", JAN, 1)],
    )
    await store.threads.add_message(
        thread, Direction.IN, JAN, "Jan Janssens", MessagePart("text", "Snel?", JAN, 2)
    )
    await store.threads.add_message(
        thread, Direction.OUT, BERT, "Bert", MessagePart("text", "Ja.", GROUP, 3)
    )
    return chiro, thread


# --- profiles ----------------------------------------------------------------------------------


async def test_an_unknown_user_has_no_profile(store):
    assert await store.profile(JAN) is None
    assert await store.personal_data(JAN) is None


async def test_the_profile_made_at_first_contact_is_the_profile_read_later(store):
    made = await store.ensure_profile(JAN, "Jan", "Janssens", "jan", "fr")
    assert made == Profile(JAN, "Jan", "Janssens", "jan", "fr", None, None, None, False)
    assert await store.profile(JAN) == made


async def test_a_profile_shows_the_association_and_whether_the_user_is_a_liaison(store, clock):
    chiro, _ = await _chiro(store, clock)
    jan = await store.profile(JAN)
    assert (jan.association_id, jan.association_name, jan.association_status) == (
        chiro.association_id,
        "Chiro",
        AssociationStatus.APPROVED,
    )
    assert not jan.is_liaison
    bert = await store.profile(BERT)
    assert bert.is_liaison
    assert bert.association_id is None


async def test_a_known_users_profile_costs_no_query(store, clock):
    await _chiro(store, clock)
    await store.profile(JAN)
    statements: list[str] = []
    await store.db.trace(statements.append)
    await store.profile(JAN)
    await store.profile(BERT)
    await store.ensure_profile(PIET, "Piet", None, None, "nl")
    assert statements == []


async def test_personal_data_holds_everything_stored_about_a_person(store, clock):
    chiro, _ = await _chiro(store, clock)
    await store.associations.redeem(JAN, "WRONG234")
    jan = await store.personal_data(JAN)
    assert (jan.user_id, jan.first_name, jan.last_name, jan.username, jan.language) == (
        JAN,
        "Jan",
        "Janssens",
        "jan",
        "nl",
    )
    assert jan.full_name == "Jan Janssens"
    assert jan.first_contact == T0
    assert jan.association == await store.associations.get(chiro.association_id)
    assert jan.joined_at == T0
    assert jan.registered_associations == ("Chiro",)
    assert [code.used_at for code in jan.invite_codes] == [T0 + timedelta(hours=1)]
    assert jan.wrong_code_attempts == 0
    assert jan.liaison_since is None
    assert (jan.thread_messages, jan.threads) == (2, 1)


async def test_personal_data_of_a_liaison_and_of_an_invited_member(store, clock):
    await _chiro(store, clock)
    await store.associations.leave(PIET)
    await store.associations.redeem(PIET, "WRONG234")
    bert = await store.personal_data(BERT)
    assert bert.liaison_since == T0
    assert bert.association is None
    assert (bert.thread_messages, bert.threads) == (1, 1)
    piet = await store.personal_data(PIET)
    assert (piet.association, piet.joined_at) == (None, None)
    assert piet.registered_associations == ()
    assert piet.invite_codes == ()
    assert piet.wrong_code_attempts == 1
    assert (piet.thread_messages, piet.threads) == (0, 0)


# --- forgetting a person -----------------------------------------------------------------------


async def test_forgetting_a_person_erases_them_but_keeps_their_association_and_words(store, clock):
    chiro, thread = await _chiro(store, clock)
    await store.conversations.save_user_data(JAN, {"draft": "Nog iets"})
    await store.conversations.save_user_data(PIET, {"draft": "Hallo"})
    await store.forget_person(JAN)
    assert await store.profile(JAN) is None
    assert await store.personal_data(JAN) is None
    assert await store.db.fetchone("SELECT 1 FROM users WHERE user_id = ?", (JAN,)) is None
    assert await store.associations.membership(JAN) is None
    assert await store.associations.joined_at(JAN) is None
    assert await store.conversations.user_data() == {PIET: {"draft": "Hallo"}}
    kept = await store.associations.get(chiro.association_id)
    assert kept.name == "Chiro"
    assert kept.status is AssociationStatus.APPROVED
    assert (kept.registered_by, kept.registered_name) == (None, None)
    assert [m.user_id for m in await store.associations.board_members(kept.association_id)] == [
        PIET
    ]
    assert await store.associations.invite_codes_by(JAN) == []
    messages = await store.threads.messages(thread.thread_id)
    assert [(m.text, m.author_id, m.author_name) for m in messages] == [
        ("Mag dat?", None, None),
        ("Snel?", None, None),
        ("Ja.", BERT, "Bert"),
    ]
    assert (await store.threads.thread(thread.thread_id)).opened_by is None


async def test_forgetting_a_liaison_ends_their_appointment_and_ownership(store, clock):
    _, thread = await _chiro(store, clock)
    await store.threads.take(thread, BERT, "Bert")
    await store.forget_person(BERT)
    assert not store.liaisons.is_liaison(BERT)
    assert await store.liaisons.since(BERT) is None
    assert await store.liaisons.all() == []
    forgotten = await store.threads.thread(thread.thread_id)
    assert (forgotten.owner_id, forgotten.owner_name) == (None, None)
    assert await store.threads.written_by(BERT) == (0, 0)
    assert await store.threads.contact_person(forgotten.association_id) is None
    assert await store.profile(JAN) is not None


async def test_a_forgotten_person_who_writes_again_starts_anew(store, clock):
    await _chiro(store, clock)
    await store.forget_person(JAN)
    clock.advance(days=1)
    again = await store.ensure_profile(JAN, "Jan", None, None, "en")
    assert again == Profile(JAN, "Jan", None, None, "en", None, None, None, False)
    assert (await store.personal_data(JAN)).first_contact == clock.now


async def test_forgetting_a_member_leaves_no_name_on_the_threads_they_closed(store, clock):
    _, thread = await _chiro(store, clock)
    await store.threads.close(thread, "Jan Janssens")
    await store.forget_person(JAN)
    assert (await store.threads.thread(thread.thread_id)).closed_by_name is None


async def test_forgetting_a_liaison_leaves_no_name_on_the_associations_they_decided(store, clock):
    chiro, _ = await _chiro(store, clock)
    await store.forget_person(BERT)
    row = await store.db.fetchone(
        "SELECT decided_by, decided_by_name FROM associations WHERE association_id = ?",
        (chiro.association_id,),
    )
    assert tuple(row) == (None, None)


# --- all or nothing ----------------------------------------------------------------------------


async def test_a_transaction_that_fails_writes_nothing_in_any_area(store, clock):
    await store.ensure_profile(JAN, "Jan", None, None, "nl")
    chiro = await store.associations.register(JAN, "Chiro", AssociationKind.YOUTH, "Jeugd")
    with pytest.raises(Oops):
        async with store.transaction():
            await store.snippets.save("loket", "Open van 9 tot 12.", BERT)
            await store.faq.add([(2, "nl", "Zaal?", "Loket.")])
            await store.subjects.add(1, "Nieuw", "Nouveau", "New")
            await store.conversations.save_user_data(JAN, {"draft": "x"})
            await store.conversations.save_state("asking", (JAN, JAN), 1)
            await store.associations.decide(chiro.association_id, True, BERT, "Bert")
            await store.associations.leave(JAN)
            await store.topics.save(Topic(chiro.association_id, GROUP, 7, "Chiro"))
            raise Oops
    assert await store.snippets.all() == []
    assert await store.topics.of_association(chiro.association_id) is None
    assert await store.faq.entries() == []
    assert len(await store.subjects.active(1)) == 3
    assert await store.conversations.user_data() == {}
    assert await store.conversations.states("asking") == {}
    assert await store.associations.joined_at(JAN) == T0
    assert await store.associations.board_members(chiro.association_id) != []
    row = await store.db.fetchone(
        "SELECT status FROM associations WHERE association_id = ?", (chiro.association_id,)
    )
    assert row["status"] == "pending"


async def test_a_transaction_that_succeeds_writes_every_area(store):
    await store.ensure_profile(JAN, "Jan", None, None, "nl")
    async with store.transaction():
        await store.snippets.save("loket", "Open van 9 tot 12.", BERT)
        await store.faq.add([(2, "nl", "Zaal?", "Loket.")])
        await store.conversations.save_user_data(JAN, {"draft": "x"})
    assert [s.name for s in await store.snippets.all()] == ["loket"]
    assert len(await store.faq.entries()) == 1
    assert await store.conversations.user_data() == {JAN: {"draft": "x"}}


async def test_forgetting_a_person_is_all_or_nothing(store, clock, monkeypatch):
    _, thread = await _chiro(store, clock)
    await store.conversations.save_user_data(JAN, {"draft": "x"})

    async def fail(user_id: int) -> None:
        raise Oops

    monkeypatch.setattr(store.conversations, "drop_user_data", fail)
    with pytest.raises(Oops):
        await store.forget_person(JAN)
    assert await store.profile(JAN) == Profile(
        JAN, "Jan", "Janssens", "jan", "nl", 1, "Chiro", AssociationStatus.APPROVED, False
    )
    assert (await store.threads.messages(thread.thread_id))[0].author_name == "Jan Janssens"
    assert (await store.associations.get(1)).registered_name == "Jan Janssens"


async def test_a_liaison_stays_a_liaison_when_forgetting_them_fails(store, clock, monkeypatch):
    await _chiro(store, clock)

    async def fail(user_id: int) -> None:
        raise Oops

    monkeypatch.setattr(store.conversations, "drop_user_data", fail)
    with pytest.raises(Oops):
        await store.forget_person(BERT)
    assert await store.liaisons.since(BERT) is not None
    assert store.liaisons.is_liaison(BERT)


async def test_a_user_created_in_a_failed_transaction_is_not_remembered(store):
    with pytest.raises(Oops):
        async with store.transaction():
            await store.ensure_profile(JAN, "Jan", None, None, "nl")
            raise Oops
    assert await store.db.fetchone("SELECT 1 FROM users WHERE user_id = ?", (JAN,)) is None
    assert await store.profile(JAN) is None


async def test_a_liaison_appointed_in_a_failed_transaction_is_no_liaison(store):
    with pytest.raises(Oops):
        async with store.transaction():
            await store.liaisons.add(BERT, 1)
            raise Oops
    assert await store.liaisons.since(BERT) is None
    assert not store.liaisons.is_liaison(BERT)


async def test_an_association_registered_in_a_failed_transaction_leaves_no_membership(store):
    await store.ensure_profile(JAN, "Jan", None, None, "nl")
    await store.ensure_profile(PIET, "Piet", None, None, "nl")
    with pytest.raises(Oops):
        async with store.transaction():
            await store.associations.register(JAN, "Chiro", AssociationKind.YOUTH, "Jeugd")
            raise Oops
    await store.associations.register(PIET, "KSA", AssociationKind.YOUTH, "Jeugd")
    assert await store.associations.membership(JAN) is None
