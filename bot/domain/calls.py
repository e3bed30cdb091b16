"""Calls (oproepen): an association asks the others for partners, volunteers, gear or a venue.

A call is for some kinds of association (all by default), open until a date (30 days by default,
at most 90), and answered by other associations; its caller closes it, or a liaison withdraws it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.associations import AssociationKind
from bot.domain.dates import parse_day

MAX_TEXT = 1000
MAX_ANSWER = 1000
MAX_OPEN = 3  # open calls an association may have at once
DEFAULT_DAYS = 30
MAX_DAYS = 90
DAY_CHOICES = (7, 30, 90)
ALL_KINDS = frozenset(AssociationKind)


class Purpose(enum.StrEnum):
    """What a call is for."""

    PARTNERS = "partners"  # partners for an activity
    VOLUNTEERS = "volunteers"
    BORROW = "borrow"  # gear to borrow
    LEND = "lend"  # gear to lend
    VENUE = "venue"


class CallState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # by its caller
    WITHDRAWN = "withdrawn"  # by a liaison
    EXPIRED = "expired"  # never stored: an open call past its last day


@dataclass(frozen=True, slots=True)
class Call:
    call_id: int
    association_id: int  # the caller
    purpose: Purpose
    text: str  # as typed (plain text)
    file_id: str | None  # an optional photo
    kinds: frozenset[AssociationKind]
    until: date  # its last day, in the municipality's calendar
    state: CallState
    created_by: int | None
    created_at: datetime
    recipients: int = 0
    closed_at: datetime | None = None
    withdrawn_reason: str | None = None
    topic_chat_id: int | None = None
    topic_message_id: int | None = None

    @property
    def batch(self) -> str:
        return f"call:{self.call_id}"


@dataclass(frozen=True, slots=True)
class CallAnswer:
    answer_id: int
    call_id: int
    association_id: int  # who answers
    text: str
    file_id: str | None
    with_contact: bool
    answered_by: int | None
    created_at: datetime


def state_on(call: Call, today: date) -> CallState:
    """The state as it is today: an open call after its last day is expired."""
    if call.state is CallState.OPEN and today > call.until:
        return CallState.EXPIRED
    return call.state


def is_open(call: Call, today: date) -> bool:
    return state_on(call, today) is CallState.OPEN


def may_publish(open_calls: int) -> bool:
    """An association has at most MAX_OPEN open calls at once."""
    return open_calls < MAX_OPEN


def until_after(today: date, days: int) -> date:
    """The last day of a call open for this many days from today."""
    return today + timedelta(days=min(max(days, 1), MAX_DAYS))


class UntilRefusal(enum.Enum):
    UNREADABLE = "unreadable"
    PAST = "past"
    TOO_FAR = "too_far"


def parse_until(text: str, today: date, locale: str) -> date | UntilRefusal:
    """The last day a user typed (today at the earliest, MAX_DAYS ahead at the latest), or why
    it cannot be used."""
    day = parse_day(text, locale)
    if day is None:
        return UntilRefusal.UNREADABLE
    if day < today:
        return UntilRefusal.PAST
    if day > today + timedelta(days=MAX_DAYS):
        return UntilRefusal.TOO_FAR
    return day


def text_refusal(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """'empty' or 'too_long' for a text that cannot be a call (or an answer); None if it can."""
    if text is None or not text.strip():
        return "empty"
    if len(text.strip()) > limit:
        return "too_long"
    return None


def toggled(kinds: frozenset[AssociationKind], kind: AssociationKind) -> frozenset[AssociationKind]:
    return kinds ^ {kind}


def kinds_to_text(kinds: frozenset[AssociationKind]) -> str:
    return ",".join(sorted(kinds))


def kinds_from_text(text: str | None) -> frozenset[AssociationKind]:
    """The kinds a stored text names; what is not understood is left out."""
    known = {kind.value for kind in AssociationKind}
    return frozenset(AssociationKind(k) for k in (text or "").split(",") if k in known)


def may_respond(call: Call, association_id: int | None, today: date) -> bool:
    """Another association's board answers an open call; never the caller's own."""
    return (
        association_id is not None
        and association_id != call.association_id
        and is_open(call, today)
    )
