"""The thread state machine and who may see, take or answer a thread, without storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.associations import AssociationStatus
from bot.domain.people import Profile
from bot.domain.threads import (
    Direction,
    Subject,
    Thread,
    ThreadState,
    ThreadStatus,
    after_close,
    after_message,
    after_reopen,
    belongs_to_board,
    is_owned_by,
    may_see,
    opened,
    reopens,
    takes_on_answer,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)

WAITING = ThreadState(ThreadStatus.OPEN, T0, None, None)
ANSWERED = ThreadState(ThreadStatus.ANSWERED, None, None, None)
CLOSED = ThreadState(ThreadStatus.CLOSED, None, T0, "An Peeters")


def a_thread(**changes) -> Thread:
    values = {
        "thread_id": 7,
        "association_id": 3,
        "association_name": "Chiro Sint-Jan",
        "kapstok": 2,
        "subject": Subject(4, 2, {"nl": "Vergunningen", "fr": "Autorisations", "en": "Permits"}),
        "status": ThreadStatus.OPEN,
        "opened_by": 10,
        "opened_at": T0,
        "owner_id": None,
        "owner_name": None,
        "waiting_since": T0,
        "nudged_at": None,
        "closed_at": None,
        "closed_by_name": None,
        "updated_at": T0,
        "card_chat_id": None,
        "card_message_id": None,
    }
    return Thread(**{**values, **changes})


def a_profile(
    association_id: int | None = 3,
    status: AssociationStatus | None = AssociationStatus.APPROVED,
    is_liaison: bool = False,
) -> Profile:
    return Profile(
        user_id=10,
        first_name="Jan",
        last_name="Janssens",
        username=None,
        language="nl",
        association_id=association_id,
        association_name="Chiro Sint-Jan" if association_id is not None else None,
        association_status=status if association_id is not None else None,
        is_liaison=is_liaison,
    )


# --- the state machine ------------------------------------------------------------------------


def test_a_new_thread_is_open_and_waits_from_the_moment_it_is_asked():
    assert opened(T0) == ThreadState(ThreadStatus.OPEN, T0, None, None)


def test_a_member_writing_again_in_a_waiting_thread_keeps_it_waiting_since_the_first_message():
    assert after_message(WAITING, Direction.IN, T1) == WAITING


@pytest.mark.parametrize("state", [ANSWERED, CLOSED], ids=["answered", "closed"])
def test_a_member_writing_in_an_answered_or_closed_thread_reopens_it_waiting_from_now(state):
    assert after_message(state, Direction.IN, T1) == ThreadState(ThreadStatus.OPEN, T1, None, None)


@pytest.mark.parametrize("state", [WAITING, ANSWERED, CLOSED], ids=["open", "answered", "closed"])
def test_a_liaison_message_answers_the_thread_and_clears_waiting_and_closing(state):
    assert after_message(state, Direction.OUT, T1) == ThreadState(
        ThreadStatus.ANSWERED, None, None, None
    )


@pytest.mark.parametrize("state", [WAITING, ANSWERED], ids=["open", "answered"])
def test_closing_records_who_closed_and_when_and_stops_the_waiting(state):
    assert after_close(state, "Bert", T1) == ThreadState(ThreadStatus.CLOSED, None, T1, "Bert")


def test_closing_a_closed_thread_changes_nothing():
    assert after_close(CLOSED, "Bert", T1) is None


def test_reopening_a_closed_thread_makes_it_wait_from_now():
    assert after_reopen(CLOSED, T1) == ThreadState(ThreadStatus.OPEN, T1, None, None)


@pytest.mark.parametrize("state", [WAITING, ANSWERED], ids=["open", "answered"])
def test_reopening_a_thread_that_is_not_closed_changes_nothing(state):
    assert after_reopen(state, T1) is None


@pytest.mark.parametrize(
    ("state", "direction", "expected"),
    [
        (CLOSED, Direction.IN, True),
        (CLOSED, Direction.OUT, False),
        (WAITING, Direction.IN, False),
        (ANSWERED, Direction.IN, False),
        (ANSWERED, Direction.OUT, False),
    ],
)
def test_only_a_member_writing_in_a_closed_thread_reopens_it(state, direction, expected):
    assert reopens(state, direction) is expected


def test_a_thread_takes_a_new_state_and_the_moment_of_the_change_but_keeps_the_rest():
    thread = a_thread(owner_id=20, owner_name="Bert", nudged_at=T0)
    changed = thread.with_state(CLOSED, T2)
    assert changed.state == CLOSED
    assert changed.updated_at == T2
    assert changed.status is ThreadStatus.CLOSED
    assert (changed.closed_at, changed.closed_by_name, changed.waiting_since) == (
        T0,
        "An Peeters",
        None,
    )
    unchanged = ("thread_id", "association_id", "subject", "opened_at", "owner_id", "nudged_at")
    assert all(getattr(changed, name) == getattr(thread, name) for name in unchanged)
    assert thread.state == ThreadState(ThreadStatus.OPEN, T0, None, None)


EVENTS = st.lists(
    st.one_of(
        st.sampled_from([Direction.IN, Direction.OUT]),
        st.just("close"),
        st.just("reopen"),
    ),
    max_size=30,
)


def _consistent(state: ThreadState) -> bool:
    return (
        (state.status is ThreadStatus.OPEN) == (state.waiting_since is not None)
        and (state.status is ThreadStatus.CLOSED) == (state.closed_at is not None)
        and (state.status is ThreadStatus.CLOSED) == (state.closed_by_name is not None)
        and (state.status is not ThreadStatus.ANSWERED or state.waiting_since is None)
    )


@given(EVENTS)
def test_any_sequence_of_messages_closes_and_reopens_leaves_a_consistent_state(events):
    state = opened(T0)
    now = T0
    for event in events:
        assert _consistent(state)
        now += timedelta(minutes=1)
        if isinstance(event, Direction):
            was_waiting_since = state.waiting_since
            was_open = state.status is ThreadStatus.OPEN
            state = after_message(state, event, now)
            if event is Direction.IN and was_open:
                assert state.waiting_since == was_waiting_since
        elif event == "close":
            state = after_close(state, "Bert", now) or state
        else:
            state = after_reopen(state, now) or state
        assert state.waiting_since is None or state.waiting_since <= now
    assert _consistent(state)


# --- who may see and do what -------------------------------------------------------------------


def test_an_approved_board_member_of_the_association_belongs_to_the_threads_board():
    assert belongs_to_board(a_thread(), a_profile())


@pytest.mark.parametrize(
    "profile",
    [
        None,
        a_profile(status=AssociationStatus.PENDING),
        a_profile(status=AssociationStatus.REJECTED),
        a_profile(association_id=4),
        a_profile(association_id=None),
        a_profile(association_id=None, is_liaison=True),
    ],
    ids=["nobody", "pending", "rejected", "other association", "no association", "liaison"],
)
def test_nobody_else_belongs_to_the_threads_board(profile):
    assert not belongs_to_board(a_thread(), profile)


@pytest.mark.parametrize(
    "profile",
    [None, a_profile(association_id=4), a_profile(status=AssociationStatus.PENDING)],
    ids=["nobody", "other association", "pending"],
)
def test_liaisons_may_see_every_thread_whoever_they_are(profile):
    assert may_see(a_thread(), profile, is_liaison=True)


def test_the_board_may_see_its_threads_and_nobody_else_may():
    assert may_see(a_thread(), a_profile(), is_liaison=False)
    assert not may_see(a_thread(), a_profile(association_id=4), is_liaison=False)
    assert not may_see(a_thread(), a_profile(status=AssociationStatus.PENDING), is_liaison=False)
    assert not may_see(a_thread(), None, is_liaison=False)


def test_a_liaison_answering_takes_on_only_a_thread_nobody_owns():
    assert takes_on_answer(a_thread(owner_id=None))
    assert not takes_on_answer(a_thread(owner_id=20, owner_name="Bert"))


def test_a_thread_is_owned_by_its_owner_only():
    thread = a_thread(owner_id=20, owner_name="Bert")
    assert is_owned_by(thread, 20)
    assert not is_owned_by(thread, 21)
    assert not is_owned_by(a_thread(owner_id=None), 20)
