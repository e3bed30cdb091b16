"""The thread repository: threads move as the domain says, and their messages and copies."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.threads import (
    Direction,
    MessageCopy,
    MessagePart,
    Thread,
    ThreadState,
    ThreadStatus,
)
from storage import Store
from storage.outbox import NewRow

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
JAN, PIET, BERT, CARLA = 10, 11, 20, 21
GROUP = -100123


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Messages:
    """Telegram message ids, one new one each time."""

    def __init__(self) -> None:
        self.last = 0

    def text(self, text: str, chat_id: int = JAN) -> MessagePart:
        self.last += 1
        return MessagePart("text", text, chat_id, self.last)

    def photo(self, caption: str, album: str, chat_id: int = JAN) -> MessagePart:
        self.last += 1
        return MessagePart("photo", caption, chat_id, self.last, album)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tg() -> Messages:
    return Messages()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    for user_id, name in [(JAN, "Jan"), (PIET, "Piet"), (BERT, "Bert"), (CARLA, "Carla")]:
        await store.users.ensure(user_id, name, None, None, "nl")
    for user_id, name in [(JAN, "Chiro Sint-Jan"), (PIET, "KSA Noord")]:
        association = await store.associations.register(user_id, name, AssociationKind.YOUTH, "")
        await store.associations.decide(association.association_id, True, BERT, "Bert")
    yield store
    await store.close()


CHIRO, KSA = 1, 2


async def _ask(store: Store, tg: Messages, text: str = "Mag dat?", association: int = CHIRO):
    subject = await store.subjects.get(4)
    author = JAN if association == CHIRO else PIET
    thread, _ = await store.threads.open(association, subject, author, "Jan", [tg.text(text)])
    return thread


async def _answer(store: Store, tg: Messages, thread: Thread, text: str = "Ja.") -> Thread:
    thread, _, _ = await store.threads.add_message(
        thread, Direction.OUT, BERT, "Bert", tg.text(text, GROUP)
    )
    return thread


async def _write(store: Store, tg: Messages, thread: Thread, text: str = "En dit?") -> Thread:
    thread, _, _ = await store.threads.add_message(thread, Direction.IN, JAN, "Jan", tg.text(text))
    return thread


# --- opening and moving ------------------------------------------------------------------------


async def test_a_thread_opens_with_every_part_of_the_first_message(store, tg):
    subject = await store.subjects.get(4)
    parts = [tg.photo("Ons lokaal", "album-1"), tg.photo("", "album-1")]
    thread, messages = await store.threads.open(CHIRO, subject, JAN, "Jan Janssens", parts)
    assert thread.status is ThreadStatus.OPEN
    assert thread.state == ThreadState(ThreadStatus.OPEN, T0, None, None)
    assert (thread.association_id, thread.association_name) == (CHIRO, "Chiro Sint-Jan")
    assert (thread.kapstok, thread.subject) == (2, subject)
    assert (thread.opened_by, thread.opened_at, thread.updated_at) == (JAN, T0, T0)
    assert (thread.owner_id, thread.owner_name, thread.nudged_at) == (None, None, None)
    assert [(m.kind, m.text, m.media_group_id) for m in messages] == [
        ("photo", "Ons lokaal", "album-1"),
        ("photo", "", "album-1"),
    ]
    assert {(m.direction, m.author_id, m.author_name) for m in messages} == {
        (Direction.IN, JAN, "Jan Janssens")
    }
    assert [(m.source_chat_id, m.source_message_id) for m in messages] == [(JAN, 1), (JAN, 2)]
    assert await store.threads.messages(thread.thread_id) == messages
    assert await store.threads.thread(thread.thread_id) == thread
    assert await store.threads.first_message(thread.thread_id) == messages[0]
    assert await store.threads.last_message(thread.thread_id) == messages[1]
    assert await store.threads.message(messages[0].message_id) == messages[0]


async def test_an_unknown_thread_or_message_is_none(store):
    assert await store.threads.thread(99) is None
    assert await store.threads.message(99) is None
    assert await store.threads.first_message(99) is None
    assert await store.threads.last_message(99) is None
    assert await store.threads.messages(99) == []


async def test_a_liaisons_answer_makes_the_thread_answered(store, tg, clock):
    thread = await _ask(store, tg)
    clock.advance(hours=1)
    answered, message, reopened = await store.threads.add_message(
        thread, Direction.OUT, BERT, "Bert", tg.text("Ja.", GROUP)
    )
    assert answered.state == ThreadState(ThreadStatus.ANSWERED, None, None, None)
    assert answered.updated_at == clock.now
    assert (message.direction, message.author_name, message.created_at) == (
        Direction.OUT,
        "Bert",
        clock.now,
    )
    assert not reopened
    assert await store.threads.thread(thread.thread_id) == answered


async def test_a_member_writing_again_keeps_the_thread_waiting_since_the_first_message(
    store, tg, clock
):
    thread = await _ask(store, tg)
    clock.advance(hours=1)
    again, _, reopened = await store.threads.add_message(
        thread, Direction.IN, JAN, "Jan", tg.text("Nog iets")
    )
    assert again.state == ThreadState(ThreadStatus.OPEN, T0, None, None)
    assert not reopened
    assert await store.threads.thread(thread.thread_id) == again


async def test_a_member_writing_after_an_answer_waits_from_now_without_reopening(store, tg, clock):
    thread = await _answer(store, tg, await _ask(store, tg))
    now = clock.advance(hours=2)
    again, _, reopened = await store.threads.add_message(
        thread, Direction.IN, JAN, "Jan", tg.text("Nog iets")
    )
    assert again.state == ThreadState(ThreadStatus.OPEN, now, None, None)
    assert not reopened
    assert await store.threads.thread(thread.thread_id) == again


async def test_only_a_member_writing_in_a_closed_thread_reopens_it(store, tg, clock):
    thread, _ = await store.threads.close(await _ask(store, tg), "Bert")
    now = clock.advance(hours=2)
    again, _, reopened = await store.threads.add_message(
        thread, Direction.IN, JAN, "Jan", tg.text("Toch nog")
    )
    assert reopened
    assert again.state == ThreadState(ThreadStatus.OPEN, now, None, None)
    closed, _ = await store.threads.close(again, "Bert")
    answered, _, reopened = await store.threads.add_message(
        closed, Direction.OUT, BERT, "Bert", tg.text("Nog dit", GROUP)
    )
    assert not reopened
    assert answered.status is ThreadStatus.ANSWERED


async def test_a_message_moves_the_thread_from_its_stored_state_not_from_a_stale_copy(store, tg):
    stale = await _ask(store, tg)
    await store.threads.close(stale, "Bert")
    _, _, reopened = await store.threads.add_message(
        stale, Direction.IN, JAN, "Jan", tg.text("Hallo?")
    )
    assert reopened


async def test_closing_records_who_and_when_and_closing_again_changes_nothing(store, tg, clock):
    thread = await _ask(store, tg)
    now = clock.advance(hours=1)
    closed, changed = await store.threads.close(thread, "Bert")
    assert changed
    assert closed.state == ThreadState(ThreadStatus.CLOSED, None, now, "Bert")
    assert await store.threads.thread(thread.thread_id) == closed
    clock.advance(hours=1)
    again, changed = await store.threads.close(thread, "Carla")
    assert not changed
    assert again == closed


async def test_reopening_waits_from_now_and_reopening_an_open_thread_changes_nothing(
    store, tg, clock
):
    thread = await _ask(store, tg)
    clock.advance(hours=1)
    same, changed = await store.threads.reopen(thread)
    assert not changed
    assert same == thread
    closed, _ = await store.threads.close(thread, "Bert")
    now = clock.advance(hours=1)
    reopened, changed = await store.threads.reopen(closed)
    assert changed
    assert reopened.state == ThreadState(ThreadStatus.OPEN, now, None, None)
    assert await store.threads.thread(thread.thread_id) == reopened


async def test_a_changed_thread_is_returned_as_it_is_stored(store, tg, clock):
    thread = await _ask(store, tg)
    clock.now = T0 + timedelta(hours=1, microseconds=250_000)
    closed, _ = await store.threads.close(thread, "Bert")
    assert closed == await store.threads.thread(thread.thread_id)


async def test_taking_a_thread_makes_the_liaison_its_owner_once(store, tg):
    thread = await _ask(store, tg)
    taken, changed = await store.threads.take(thread, BERT, "Bert")
    assert changed
    assert (taken.owner_id, taken.owner_name) == (BERT, "Bert")
    assert taken.status is ThreadStatus.OPEN
    again, changed = await store.threads.take(taken, CARLA, "Carla")
    assert not changed
    assert (again.owner_id, again.owner_name) == (BERT, "Bert")


async def test_two_liaisons_taking_at_once_give_the_thread_to_one(store, tg):
    thread = await _ask(store, tg)
    (_, bert), (_, carla) = await asyncio.gather(
        store.threads.take(thread, BERT, "Bert"), store.threads.take(thread, CARLA, "Carla")
    )
    assert [bert, carla].count(True) == 1


# --- lists -------------------------------------------------------------------------------------


async def test_an_association_sees_its_active_threads_first_then_its_ten_latest_closed(
    store, tg, clock
):
    active = [await _ask(store, tg, f"actief {n}") for n in range(3)]
    await _answer(store, tg, active[1])
    closed = []
    for n in range(12):
        clock.advance(minutes=1)
        closed.append((await store.threads.close(await _ask(store, tg, f"dicht {n}"), "Bert"))[0])
    # The first closed thread is closed again later: reopened and closed, it is the latest.
    clock.advance(minutes=1)
    await store.threads.reopen(closed[0])
    latest, _ = await store.threads.close(closed[0], "Carla")
    await _ask(store, tg, "van een ander", association=KSA)
    listed = await store.threads.of_association(CHIRO)
    expected = [t.thread_id for t in active] + [
        latest.thread_id,
        *[t.thread_id for t in reversed(closed[3:])],
    ]
    assert [t.thread_id for t in listed] == expected
    assert len(listed) == 3 + 10
    assert [t.thread_id for t in await store.threads.of_association(CHIRO, closed_limit=1)] == [
        *[t.thread_id for t in active],
        latest.thread_id,
    ]
    assert await store.threads.of_association(99) == []


async def test_waiting_lists_open_threads_oldest_waiting_first_and_answered_ones_last(
    store, tg, clock
):
    first = await _ask(store, tg, "eerst")
    clock.advance(minutes=10)
    second = await _ask(store, tg, "tweede")
    clock.advance(minutes=10)
    answered = await _ask(store, tg, "beantwoord")
    clock.advance(minutes=10)
    await _answer(store, tg, answered)
    clock.advance(minutes=10)
    await _answer(store, tg, first)
    clock.advance(minutes=10)
    await _write(store, tg, first, "nog een vraag")
    clock.advance(minutes=10)
    await store.threads.close(await _ask(store, tg, "dicht"), "Bert")
    other = await _ask(store, tg, "van KSA", association=KSA)
    listed = [t.thread_id for t in await store.threads.waiting()]
    assert listed == [second.thread_id, first.thread_id, other.thread_id, answered.thread_id]


async def test_waiting_lists_only_one_liaisons_threads_when_asked(store, tg):
    mine, _ = await store.threads.take(await _ask(store, tg, "voor Bert"), BERT, "Bert")
    theirs, _ = await store.threads.take(await _ask(store, tg, "voor Carla"), CARLA, "Carla")
    nobodys = await _ask(store, tg, "voor niemand")
    mine_answered = await _answer(store, tg, mine)
    assert [t.thread_id for t in await store.threads.waiting(BERT)] == [mine_answered.thread_id]
    assert [t.thread_id for t in await store.threads.waiting(CARLA)] == [theirs.thread_id]
    assert await store.threads.waiting(99) == []
    assert {t.thread_id for t in await store.threads.waiting()} == {
        mine.thread_id,
        theirs.thread_id,
        nobodys.thread_id,
    }


async def test_threads_are_nudged_once_each_time_they_start_waiting(store, tg, clock):
    first = await _ask(store, tg, "eerst")
    clock.advance(minutes=1)
    second = await _ask(store, tg, "tweede")
    await _answer(store, tg, await _ask(store, tg, "beantwoord"))
    await store.threads.close(await _ask(store, tg, "dicht"), "Bert")
    assert [t.thread_id for t in await store.threads.to_nudge()] == [
        first.thread_id,
        second.thread_id,
    ]
    await store.threads.mark_nudged(first.thread_id, clock.advance(hours=4))
    assert (await store.threads.thread(first.thread_id)).nudged_at == clock.now
    assert [t.thread_id for t in await store.threads.to_nudge()] == [second.thread_id]
    clock.advance(hours=1)
    await _write(store, tg, first, "nog een vraag")
    assert [t.thread_id for t in await store.threads.to_nudge()] == [second.thread_id]
    clock.advance(hours=1)
    answered = await _answer(store, tg, first)
    assert [t.thread_id for t in await store.threads.to_nudge()] == [second.thread_id]
    clock.advance(hours=1)
    await _write(store, tg, answered, "en nu?")
    assert [t.thread_id for t in await store.threads.to_nudge()] == [
        second.thread_id,
        first.thread_id,
    ]


async def test_the_contact_person_is_the_owner_of_the_latest_thread_else_the_last_to_answer(
    store, tg, clock
):
    assert await store.threads.contact_person(CHIRO) is None
    first = await _ask(store, tg)
    assert await store.threads.contact_person(CHIRO) is None
    await store.threads.add_message(first, Direction.OUT, CARLA, "Carla", tg.text("Ja", GROUP))
    assert await store.threads.contact_person(CHIRO) == "Carla"
    await store.threads.add_message(first, Direction.OUT, BERT, "Bert", tg.text("Nee", GROUP))
    assert await store.threads.contact_person(CHIRO) == "Bert"
    await store.threads.take(first, CARLA, "Carla")
    assert await store.threads.contact_person(CHIRO) == "Carla"
    clock.advance(hours=1)
    second, _ = await store.threads.take(await _ask(store, tg), BERT, "Bert")
    assert await store.threads.contact_person(CHIRO) == "Bert"
    clock.advance(hours=1)
    await _write(store, tg, first)
    assert await store.threads.contact_person(CHIRO) == "Carla"
    assert second.owner_name == "Bert"
    assert await store.threads.contact_person(KSA) is None


async def test_cards_are_set_and_forgotten_per_association(store, tg):
    chiro = await _ask(store, tg)
    ksa = await _ask(store, tg, association=KSA)
    await store.threads.set_card(chiro.thread_id, GROUP, 500)
    await store.threads.set_card(ksa.thread_id, GROUP, 501)
    card = await store.threads.thread(chiro.thread_id)
    assert (card.card_chat_id, card.card_message_id) == (GROUP, 500)
    await store.threads.forget_cards(CHIRO)
    forgotten = await store.threads.thread(chiro.thread_id)
    assert (forgotten.card_chat_id, forgotten.card_message_id) == (None, None)
    kept = await store.threads.thread(ksa.thread_id)
    assert (kept.card_chat_id, kept.card_message_id) == (GROUP, 501)


async def test_a_thread_keeps_the_name_of_a_retired_subject(store, tg):
    thread = await _ask(store, tg)
    assert await store.subjects.retire(thread.subject.subject_id)
    assert (await store.threads.thread(thread.thread_id)).subject == thread.subject


# --- messages and their copies -----------------------------------------------------------------


async def test_a_message_is_found_by_any_telegram_message_that_shows_it(store, tg):
    thread = await _ask(store, tg)
    (message,) = await store.threads.messages(thread.thread_id)
    await store.threads.add_copy(message.message_id, GROUP, 900)
    await store.threads.add_copy(message.message_id, GROUP, 901, part=1)
    await store.threads.add_copy(message.message_id, JAN, 902)
    assert await store.threads.message_by_copy(GROUP, 900) == message
    assert await store.threads.message_by_copy(GROUP, 901) == message
    assert await store.threads.message_by_copy(JAN, 902) == message
    assert await store.threads.message_by_copy(JAN, message.source_message_id) == message
    assert await store.threads.message_by_source(JAN, message.source_message_id) == message
    assert await store.threads.message_by_source(GROUP, 900) is None
    assert await store.threads.message_by_copy(GROUP, 999) is None
    assert await store.threads.message_by_copy(JAN + 1, 900) is None
    assert await store.threads.copies(message.message_id) == [
        MessageCopy(GROUP, 900, message.message_id, 0),
        MessageCopy(GROUP, 901, message.message_id, 1),
        MessageCopy(JAN, 902, message.message_id, 0),
    ]


async def test_a_telegram_message_shows_the_first_thread_message_it_was_recorded_for(store, tg):
    thread = await _ask(store, tg)
    answered, answer, _ = await store.threads.add_message(
        thread, Direction.OUT, BERT, "Bert", tg.text("Ja", GROUP)
    )
    (question,) = (await store.threads.messages(thread.thread_id))[:1]
    await store.threads.add_copy(question.message_id, JAN, 950)
    await store.threads.add_copy(answer.message_id, JAN, 950)
    assert await store.threads.message_by_copy(JAN, 950) == question
    assert await store.threads.copies(answer.message_id) == []
    assert answered.status is ThreadStatus.ANSWERED


async def test_an_edited_message_keeps_its_new_text_and_when_it_was_edited(store, tg, clock):
    thread = await _ask(store, tg, "Mag dat?")
    (message,) = await store.threads.messages(thread.thread_id)
    now = clock.advance(minutes=5)
    await store.threads.edit_text(message.message_id, "Mag dat echt?")
    edited = await store.threads.message(message.message_id)
    assert (edited.text, edited.edited_at, edited.created_at) == ("Mag dat echt?", now, T0)


async def test_a_delivered_message_is_no_longer_waiting_for_the_group(store, tg, clock):
    thread = await _ask(store, tg)
    (question,) = await store.threads.messages(thread.thread_id)
    _, answer, _ = await store.threads.add_message(
        thread, Direction.OUT, BERT, "Bert", tg.text("Ja", GROUP)
    )
    assert await store.threads.never_relayed() == [question]
    now = clock.advance(minutes=1)
    await store.threads.mark_delivered(question.message_id)
    assert (await store.threads.message(question.message_id)).delivered_at == now
    assert await store.threads.never_relayed() == []
    assert answer.delivered_at is None


async def test_never_relayed_lists_members_messages_in_order_unless_queued(store, tg):
    first = await _ask(store, tg, "een")
    second = await _ask(store, tg, "twee", association=KSA)
    await _write(store, tg, first, "drie")
    await _answer(store, tg, first)
    assert [m.text for m in await store.threads.never_relayed()] == ["een", "twee", "drie"]
    assert second.association_id == KSA
    await store.outbox.add([NewRow(-100, "thread_card", {"thread_id": first.thread_id})])
    assert [m.text for m in await store.threads.never_relayed()] == ["twee", "drie"]


async def test_what_a_person_wrote_is_counted_per_message_and_thread(store, tg):
    first = await _ask(store, tg)
    await _write(store, tg, first)
    await _ask(store, tg)
    await _answer(store, tg, first)
    assert await store.threads.written_by(JAN) == (3, 2)
    assert await store.threads.written_by(BERT) == (1, 1)
    assert await store.threads.written_by(99) == (0, 0)


async def test_forgetting_a_person_keeps_their_messages_without_their_name(store, tg):
    thread, _ = await store.threads.take(await _ask(store, tg, "Mag dat?"), BERT, "Bert")
    await _answer(store, tg, thread, "Ja.")
    await store.threads.forget_person(JAN)
    await store.threads.forget_person(BERT)
    messages = await store.threads.messages(thread.thread_id)
    assert [(m.text, m.author_id, m.author_name) for m in messages] == [
        ("Mag dat?", None, None),
        ("Ja.", None, None),
    ]
    forgotten = await store.threads.thread(thread.thread_id)
    assert (forgotten.owner_id, forgotten.owner_name) == (None, None)
    assert await store.threads.written_by(JAN) == (0, 0)
