"""The introductions and calls repositories: open requests and their limits, the first answer
deciding, expiry, the board's copies; calls, their open count, closing and withdrawing once,
their answers; and what a forgotten person leaves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.calls import CallState, Purpose
from bot.domain.introductions import IntroductionState
from storage import Store

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
JAN, PIET, LIES, BERT = 10, 11, 12, 20


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
    for user_id, name in ((JAN, "Jan"), (PIET, "Piet"), (LIES, "Lies")):
        await store.users.ensure(user_id, name, None, None, "nl")
    yield store
    await store.close()


async def _association(store: Store, founder: int, name: str) -> int:
    association = await store.associations.register(founder, name, AssociationKind.YOUTH, "x")
    await store.associations.decide(association.association_id, True, BERT, "Bert")
    return association.association_id


async def test_a_request_is_open_until_it_is_answered_once(store, clock):
    chiro, ksa = await _association(store, JAN, "Chiro"), await _association(store, PIET, "KSA")
    request = await store.introductions.create(chiro, ksa, "Dag!", JAN)
    assert request.state is IntroductionState.OPEN
    assert request.expires_at == T0 + timedelta(days=14)
    assert await store.introductions.open_asked(chiro, T0) == 1
    assert await store.introductions.open_asked(ksa, T0) == 0
    assert await store.introductions.open_between(chiro, ksa, T0)
    assert await store.introductions.open_between(ksa, chiro, T0)
    assert await store.introductions.decide(request.introduction_id, False, PIET)
    assert not await store.introductions.decide(request.introduction_id, True, PIET)
    decided = await store.introductions.get(request.introduction_id)
    assert (decided.state, decided.decided_by, decided.decided_at) == (
        IntroductionState.DECLINED,
        PIET,
        T0,
    )
    assert await store.introductions.last_declined(chiro, ksa) == T0
    assert await store.introductions.last_declined(ksa, chiro) is None
    assert not await store.introductions.open_between(chiro, ksa, T0)


async def test_an_expired_request_is_no_longer_open_nor_to_be_answered(store, clock):
    chiro, ksa = await _association(store, JAN, "Chiro"), await _association(store, PIET, "KSA")
    request = await store.introductions.create(chiro, ksa, "Dag!", JAN)
    clock.now = T0 + timedelta(days=14)
    assert await store.introductions.open_asked(chiro, clock.now) == 0
    assert not await store.introductions.open_between(chiro, ksa, clock.now)
    assert not await store.introductions.decide(request.introduction_id, True, PIET)
    expired = await store.introductions.expire_due()
    assert [i.introduction_id for i in expired] == [request.introduction_id]
    assert expired[0].state is IntroductionState.EXPIRED
    assert await store.introductions.expire_due() == []


async def test_the_boards_copies_are_kept_per_member(store):
    chiro, ksa = await _association(store, JAN, "Chiro"), await _association(store, PIET, "KSA")
    request = await store.introductions.create(chiro, ksa, "Dag!", JAN)
    await store.introductions.add_message(request.introduction_id, PIET, 70)
    await store.introductions.add_message(request.introduction_id, LIES, 71)
    await store.introductions.add_message(request.introduction_id, LIES, 72)  # sent again
    assert await store.introductions.message_of(request.introduction_id, LIES) == 72
    assert await store.introductions.message_of(request.introduction_id, JAN) is None
    assert await store.introductions.messages(request.introduction_id) == [(PIET, 70), (LIES, 72)]


async def _call(store: Store, association: int, by: int, until: date) -> int:
    made = await store.calls.create(
        association_id=association,
        purpose=Purpose.VENUE,
        text="Wie heeft een zaal?",
        file_id=None,
        kinds=frozenset({AssociationKind.SPORT, AssociationKind.YOUTH}),
        until=until,
        created_by=by,
    )
    return made.call_id


async def test_calls_are_counted_open_until_their_last_day_and_end_once(store):
    chiro = await _association(store, JAN, "Chiro")
    today = date(2027, 3, 1)
    first = await _call(store, chiro, JAN, today)
    second = await _call(store, chiro, JAN, today + timedelta(days=30))
    call = await store.calls.get(first)
    assert call.kinds == {AssociationKind.SPORT, AssociationKind.YOUTH}
    assert (call.purpose, call.state, call.until) == (Purpose.VENUE, CallState.OPEN, today)
    assert call.batch == f"call:{first}"
    assert await store.calls.open_count(chiro, today) == 2
    assert await store.calls.open_count(chiro, today + timedelta(days=1)) == 1
    assert await store.calls.count_open(today) == 2
    assert [c.call_id for c in await store.calls.open_calls(today)] == [second, first]
    assert await store.calls.close(first, JAN)
    assert not await store.calls.close(first, JAN)
    assert not await store.calls.withdraw(first, BERT, "nee")
    assert await store.calls.withdraw(second, JAN, "Reclame.")
    withdrawn = await store.calls.get(second)
    assert (withdrawn.state, withdrawn.withdrawn_reason) == (CallState.WITHDRAWN, "Reclame.")
    assert await store.calls.open_count(chiro, today) == 0
    assert [c.call_id for c in await store.calls.of_association(chiro)] == [second, first]


async def test_answers_and_where_the_call_shows(store):
    chiro, ksa = await _association(store, JAN, "Chiro"), await _association(store, PIET, "KSA")
    call = await _call(store, chiro, JAN, date(2027, 3, 30))
    await store.calls.set_recipients(call, 4)
    await store.calls.set_topic_message(call, -100, 55)
    shown = await store.calls.get(call)
    assert (shown.recipients, shown.topic_chat_id, shown.topic_message_id) == (4, -100, 55)
    answer = await store.calls.add_answer(call, ksa, "Wij!", "photo-1", True, PIET)
    assert (answer.association_id, answer.with_contact, answer.file_id) == (ksa, True, "photo-1")
    await store.calls.add_answer(call, ksa, "Nog eens.", None, False, LIES)
    assert [a.text for a in await store.calls.answers(call)] == ["Wij!", "Nog eens."]
    assert await store.calls.answer_counts([call, 999]) == {call: 2}
    assert await store.calls.answer_counts([]) == {}


async def test_a_forgotten_person_leaves_no_id_behind(store):
    chiro, ksa = await _association(store, JAN, "Chiro"), await _association(store, PIET, "KSA")
    request = await store.introductions.create(chiro, ksa, "Dag!", JAN)
    await store.introductions.add_message(request.introduction_id, PIET, 70)
    await store.introductions.decide(request.introduction_id, True, PIET)
    call = await _call(store, chiro, JAN, date(2027, 3, 30))
    await store.calls.add_answer(call, ksa, "Wij!", None, False, PIET)
    await store.calls.close(call, JAN)
    await store.forget_person(JAN)
    await store.forget_person(PIET)
    kept = await store.introductions.get(request.introduction_id)
    assert (kept.asked_by, kept.decided_by) == (None, None)
    assert await store.introductions.messages(request.introduction_id) == []
    assert (await store.calls.get(call)).created_by is None
    assert (await store.calls.answers(call))[0].answered_by is None
    row = await store.db.fetchone("SELECT closed_by FROM calls WHERE call_id = ?", (call,))
    assert row["closed_by"] is None
