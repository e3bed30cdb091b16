"""The rules of calls: how long they are open, the typed last day, the text, the kinds, the limit
of open calls, and who may respond."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.calls import (
    ALL_KINDS,
    MAX_DAYS,
    MAX_OPEN,
    MAX_TEXT,
    Call,
    CallState,
    Purpose,
    UntilRefusal,
    is_open,
    kinds_from_text,
    kinds_to_text,
    may_publish,
    may_respond,
    parse_until,
    state_on,
    text_refusal,
    toggled,
    until_after,
)

TODAY = date(2027, 3, 1)
CALLER, OTHER = 1, 2


def call(**changes) -> Call:
    values = {
        "call_id": 5,
        "association_id": CALLER,
        "purpose": Purpose.VOLUNTEERS,
        "text": "Wie helpt?",
        "file_id": None,
        "kinds": ALL_KINDS,
        "until": TODAY + timedelta(days=30),
        "state": CallState.OPEN,
        "created_by": 11,
        "created_at": datetime(2027, 3, 1, 9, tzinfo=UTC),
    }
    return Call(**{**values, **changes})


def test_a_call_is_open_through_its_last_day():
    open_call = call(until=TODAY)
    assert is_open(open_call, TODAY)
    assert state_on(open_call, TODAY + timedelta(days=1)) is CallState.EXPIRED
    assert not is_open(open_call, TODAY + timedelta(days=1))


@pytest.mark.parametrize("state", [CallState.CLOSED, CallState.WITHDRAWN])
def test_a_closed_or_withdrawn_call_stays_so(state):
    ended = call(state=state)
    assert not is_open(ended, TODAY)
    assert state_on(ended, TODAY + timedelta(days=365)) is state


def test_at_most_three_open_calls():
    assert MAX_OPEN == 3
    assert may_publish(0) and may_publish(2)
    assert not may_publish(3)
    assert not may_publish(4)


def test_the_day_buttons_and_the_ninety_day_limit():
    assert until_after(TODAY, 7) == date(2027, 3, 8)
    assert until_after(TODAY, 30) == date(2027, 3, 31)
    assert until_after(TODAY, 90) == TODAY + timedelta(days=MAX_DAYS)
    assert until_after(TODAY, 500) == TODAY + timedelta(days=MAX_DAYS)


@pytest.mark.parametrize(
    ("typed", "locale", "expected"),
    [
        ("15/3/2027", "nl_BE", date(2027, 3, 15)),
        ("15-03-27", "fr_BE", date(2027, 3, 15)),
        ("2027-03-01", "en_BE", TODAY),
        ("30/5/2027", "nl_BE", TODAY + timedelta(days=MAX_DAYS)),
        ("31/5/2027", "nl_BE", UntilRefusal.TOO_FAR),
        ("28/2/2027", "nl_BE", UntilRefusal.PAST),
        ("31/2/2027", "nl_BE", UntilRefusal.UNREADABLE),
        ("volgende week", "nl_BE", UntilRefusal.UNREADABLE),
        ("", "fr_BE", UntilRefusal.UNREADABLE),
    ],
)
def test_a_typed_last_day(typed, locale, expected):
    assert parse_until(typed, TODAY, locale) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "empty"),
        ("", "empty"),
        (" \n ", "empty"),
        ("x" * (MAX_TEXT + 1), "too_long"),
        ("x" * MAX_TEXT, None),
        ("Wie leent ons een aanhangwagen?", None),
    ],
)
def test_the_text_of_a_call(text, expected):
    assert text_refusal(text) == expected


def test_an_answer_has_its_own_limit():
    assert text_refusal("x" * 20, limit=10) == "too_long"


def test_kinds_are_stored_as_text_and_read_back_leaving_out_what_is_unknown():
    kinds = frozenset({AssociationKind.YOUTH, AssociationKind.SPORT})
    assert kinds_to_text(kinds) == "sport,youth"
    assert kinds_from_text("sport,youth") == kinds
    assert kinds_from_text("youth,nonsense,,") == {AssociationKind.YOUTH}
    assert kinds_from_text(None) == frozenset()
    assert kinds_from_text(kinds_to_text(ALL_KINDS)) == ALL_KINDS


def test_toggling_a_kind_can_leave_none():
    kinds = frozenset({AssociationKind.YOUTH})
    assert toggled(kinds, AssociationKind.YOUTH) == frozenset()
    assert toggled(frozenset(), AssociationKind.SPORT) == {AssociationKind.SPORT}


def test_another_association_responds_to_an_open_call_only():
    assert may_respond(call(), OTHER, TODAY)
    assert not may_respond(call(), CALLER, TODAY)
    assert not may_respond(call(), None, TODAY)
    assert not may_respond(call(state=CallState.CLOSED), OTHER, TODAY)
    assert not may_respond(call(state=CallState.WITHDRAWN), OTHER, TODAY)
    assert not may_respond(call(until=TODAY - timedelta(days=1)), OTHER, TODAY)
