"""Requests for support (kapstok 5), gear or subsidy, and the way each goes to its end.

A request is numbered with the others (request #N) whatever its kind. What may happen to it
depends on its kind and its status: `next_status` is the whole rule, for the buttons that are
shown and for the presses that arrive (a stale button finds no transition).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class RequestKind(enum.StrEnum):
    GEAR = "gear"
    SUBSIDY = "subsidy"


class Status(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"  # gear only: less than asked of at least one item
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    PICKED_UP = "picked_up"  # gear
    RETURNED = "returned"  # gear
    PAID = "paid"  # subsidy


class Action(enum.StrEnum):
    APPROVE = "approve"  # gear: everything asked; subsidy: an amount up to the one asked
    APPROVE_PARTLY = "approve_partly"  # gear: a quantity per item
    REJECT = "reject"
    CANCEL = "cancel"  # by the board
    PICK_UP = "pick_up"
    RETURN = "return"
    PAY = "pay"


_GEAR: dict[Status, dict[Action, Status]] = {
    Status.REQUESTED: {
        Action.APPROVE: Status.APPROVED,
        Action.APPROVE_PARTLY: Status.PARTLY_APPROVED,
        Action.REJECT: Status.REJECTED,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.APPROVED: {Action.PICK_UP: Status.PICKED_UP, Action.CANCEL: Status.CANCELLED},
    Status.PARTLY_APPROVED: {Action.PICK_UP: Status.PICKED_UP, Action.CANCEL: Status.CANCELLED},
    Status.PICKED_UP: {Action.RETURN: Status.RETURNED},
}
_SUBSIDY: dict[Status, dict[Action, Status]] = {
    Status.REQUESTED: {
        Action.APPROVE: Status.APPROVED,
        Action.REJECT: Status.REJECTED,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.APPROVED: {Action.PAY: Status.PAID},
}
TRANSITIONS = {RequestKind.GEAR: _GEAR, RequestKind.SUBSIDY: _SUBSIDY}

# The board's part: the rest is for liaison officers.
BOARD_ACTIONS = frozenset({Action.CANCEL})
# Statuses a request ends in; every other one still waits for someone.
FINAL = frozenset({Status.REJECTED, Status.CANCELLED, Status.RETURNED, Status.PAID})


def next_status(kind: RequestKind, status: Status, action: Action) -> Status | None:
    """The status `action` moves a request of this kind in this status to; None when the
    action does not apply to it (any more)."""
    return TRANSITIONS[kind].get(status, {}).get(action)


def actions(kind: RequestKind, status: Status) -> tuple[Action, ...]:
    """What may be done to a request of this kind in this status, in a fixed order."""
    possible = TRANSITIONS[kind].get(status, {})
    return tuple(action for action in Action if action in possible)


def is_open(status: Status) -> bool:
    """Whether the request still waits for something (a decision, a pick-up, a payment)."""
    return status not in FINAL


def may_act(action: Action, *, is_liaison: bool, is_board_of_request: bool) -> bool:
    """Who may do what: the requesting association's board cancels, liaisons do the rest."""
    if action in BOARD_ACTIONS:
        return is_board_of_request
    return is_liaison


@dataclass(frozen=True)
class SupportRequest:
    request_id: int
    kind: RequestKind
    association_id: int
    status: Status
    created_at: datetime
    updated_at: datetime
    requested_by: int | None = None
    activity_id: int | None = None
    note: str = ""
    card_message_id: int | None = None
    thread_id: int | None = None

    @property
    def open(self) -> bool:
        return is_open(self.status)


@dataclass(frozen=True)
class RequestEvent:
    """One step of a request's history: `event` is a Status value, or 'asked' or 'noted'."""

    request_id: int
    at: datetime
    event: str
    actor: int | None = None
    detail: str = ""
    cents: int | None = None


@dataclass(frozen=True)
class GearLine:
    item_id: int
    quantity: int
    approved: int | None = None
    deposit_cents: int = 0  # per piece, as it was when the request was made

    @property
    def holds(self) -> int:
        """What this line takes from the stock once approved."""
        return self.quantity if self.approved is None else self.approved


@dataclass(frozen=True)
class GearRequest:
    """A gear request: the request, its period, its lines, and what happened at the desk."""

    request: SupportRequest
    pick_up: date
    return_on: date
    lines: tuple[GearLine, ...]
    deposit_received: bool | None = None
    returned_in_order: bool | None = None
    return_note: str | None = None
    damage_photo: str | None = None
    deposit_kept_cents: int | None = None
    reminded_pick_up: bool = False
    reminded_return: bool = False
    overdue_reminders: int = 0
    overdue_in_topic: bool = False

    @property
    def request_id(self) -> int:
        return self.request.request_id
