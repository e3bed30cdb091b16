"""Requests for support: what may happen to a request of each kind in each status, and who may."""

from __future__ import annotations

import pytest

from bot.domain.requests import (
    FINAL,
    Action,
    GearLine,
    RequestKind,
    Status,
    actions,
    is_open,
    may_act,
    next_status,
)

GEAR, SUBSIDY = RequestKind.GEAR, RequestKind.SUBSIDY


def test_a_gear_request_goes_from_requested_through_the_desk_to_returned():
    assert actions(GEAR, Status.REQUESTED) == (
        Action.APPROVE,
        Action.APPROVE_PARTLY,
        Action.REJECT,
        Action.CANCEL,
    )
    assert next_status(GEAR, Status.REQUESTED, Action.APPROVE_PARTLY) is Status.PARTLY_APPROVED
    assert next_status(GEAR, Status.PARTLY_APPROVED, Action.PICK_UP) is Status.PICKED_UP
    assert next_status(GEAR, Status.PICKED_UP, Action.RETURN) is Status.RETURNED
    assert actions(GEAR, Status.RETURNED) == ()


def test_gear_can_be_cancelled_until_it_is_picked_up():
    for status in (Status.REQUESTED, Status.APPROVED, Status.PARTLY_APPROVED):
        assert next_status(GEAR, status, Action.CANCEL) is Status.CANCELLED
    assert next_status(GEAR, Status.PICKED_UP, Action.CANCEL) is None


def test_a_subsidy_is_approved_then_paid_and_never_partly_or_picked_up():
    assert actions(SUBSIDY, Status.REQUESTED) == (Action.APPROVE, Action.REJECT, Action.CANCEL)
    assert next_status(SUBSIDY, Status.APPROVED, Action.PAY) is Status.PAID
    assert next_status(SUBSIDY, Status.APPROVED, Action.CANCEL) is None
    assert next_status(SUBSIDY, Status.REQUESTED, Action.APPROVE_PARTLY) is None
    assert next_status(SUBSIDY, Status.APPROVED, Action.PICK_UP) is None


@pytest.mark.parametrize("kind", list(RequestKind))
@pytest.mark.parametrize("status", list(Status))
def test_final_statuses_allow_nothing_and_open_ones_something_to_someone(kind, status):
    if status in FINAL:
        assert actions(kind, status) == () and not is_open(status)
    else:
        assert is_open(status)


@pytest.mark.parametrize("kind", list(RequestKind))
def test_a_stale_press_finds_no_transition(kind):
    for status in FINAL:
        for action in Action:
            assert next_status(kind, status, action) is None


def test_the_board_cancels_and_liaisons_decide():
    assert may_act(Action.CANCEL, is_liaison=False, is_board_of_request=True)
    assert not may_act(Action.CANCEL, is_liaison=True, is_board_of_request=False)
    for action in set(Action) - {Action.CANCEL}:
        assert may_act(action, is_liaison=True, is_board_of_request=False)
        assert not may_act(action, is_liaison=False, is_board_of_request=True)


def test_a_line_holds_what_was_asked_until_decided_then_what_was_approved():
    assert GearLine(1, 5).holds == 5
    assert GearLine(1, 5, approved=2).holds == 2
    assert GearLine(1, 5, approved=0).holds == 0
