"""The rules of introductions: who may ask whom, the note, who may answer, and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.introductions import (
    DECLINED_PAUSE,
    MAX_NOTE,
    MAX_OPEN,
    OPEN_FOR,
    Introduction,
    IntroductionState,
    Refusal,
    Situation,
    expires_at,
    is_open,
    may_answer,
    may_ask_again_on,
    note_refusal,
    refusal,
    state_at,
)

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
ASKER, TARGET, THIRD = 1, 2, 3


def situation(**changes) -> Situation:
    values = {
        "asker_approved": True,
        "asker": ASKER,
        "target": TARGET,
        "target_listed": True,
        "open_asked": 0,
        "open_between": False,
        "last_declined_at": None,
    }
    return Situation(**{**values, **changes})


def test_a_first_request_to_a_listed_association_may_be_made():
    assert refusal(situation(), NOW) is None


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"asker_approved": False}, Refusal.NOT_A_MEMBER),
        ({"asker": None}, Refusal.NOT_A_MEMBER),
        ({"target": ASKER}, Refusal.ITSELF),
        ({"target_listed": False}, Refusal.NOT_LISTED),
        ({"open_between": True}, Refusal.ALREADY_OPEN),
        ({"open_asked": MAX_OPEN}, Refusal.TOO_MANY_OPEN),
        ({"open_asked": MAX_OPEN + 3}, Refusal.TOO_MANY_OPEN),
        ({"last_declined_at": NOW - timedelta(days=29)}, Refusal.DECLINED_RECENTLY),
    ],
)
def test_each_limit_refuses_with_its_reason(changes, why):
    assert refusal(situation(**changes), NOW) is why


def test_the_fifth_open_request_may_be_made_not_the_sixth():
    assert refusal(situation(open_asked=MAX_OPEN - 1), NOW) is None
    assert refusal(situation(open_asked=MAX_OPEN), NOW) is Refusal.TOO_MANY_OPEN


def test_asking_oneself_is_refused_before_anything_else():
    assert refusal(situation(target=ASKER, target_listed=False), NOW) is Refusal.ITSELF


def test_an_unlisted_association_is_refused_before_what_would_name_it():
    changes = {"target_listed": False, "open_between": True, "open_asked": MAX_OPEN}
    assert refusal(situation(**changes), NOW) is Refusal.NOT_LISTED


def test_a_decline_blocks_for_thirty_days_exactly():
    declined = NOW - DECLINED_PAUSE
    assert refusal(situation(last_declined_at=declined + timedelta(seconds=1)), NOW) is (
        Refusal.DECLINED_RECENTLY
    )
    assert refusal(situation(last_declined_at=declined), NOW) is None
    assert may_ask_again_on(declined) == NOW


@pytest.mark.parametrize(
    ("note", "why"),
    [
        ("", Refusal.NOTE_EMPTY),
        ("   \n\t", Refusal.NOTE_EMPTY),
        ("x" * (MAX_NOTE + 1), Refusal.NOTE_TOO_LONG),
        ("x" * MAX_NOTE, None),
        ("  " + "x" * MAX_NOTE + "  ", None),
        ("Dag! Zullen we samen een kermis doen?", None),
    ],
)
def test_the_note(note, why):
    assert note_refusal(note) is why


def introduction(**changes) -> Introduction:
    values = {
        "introduction_id": 7,
        "from_association": ASKER,
        "to_association": TARGET,
        "note": "Dag!",
        "asked_by": 11,
        "state": IntroductionState.OPEN,
        "created_at": NOW,
        "expires_at": expires_at(NOW),
    }
    return Introduction(**{**values, **changes})


def test_a_request_is_open_for_fourteen_days():
    request = introduction()
    assert request.expires_at == NOW + OPEN_FOR == NOW + timedelta(days=14)
    assert is_open(request, NOW + OPEN_FOR - timedelta(seconds=1))
    assert not is_open(request, NOW + OPEN_FOR)
    assert state_at(request, NOW + OPEN_FOR) is IntroductionState.EXPIRED
    assert state_at(request, NOW) is IntroductionState.OPEN


def test_a_decided_request_is_not_open_and_keeps_its_state():
    for state in (IntroductionState.ACCEPTED, IntroductionState.DECLINED):
        request = introduction(state=state)
        assert not is_open(request, NOW)
        assert state_at(request, NOW + timedelta(days=100)) is state


def test_only_the_asked_association_answers():
    request = introduction()
    assert may_answer(request, TARGET)
    assert not may_answer(request, ASKER)
    assert not may_answer(request, THIRD)
    assert not may_answer(request, None)
