"""Introductions: one association asks to be introduced to another; the other's board accepts
or declines, and only on acceptance do both get each other's contact.

The rules here decide whether a request may be made, whether a note may go with it, and who may
answer it; they know no Telegram and no SQLite.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_NOTE = 500
OPEN_FOR = timedelta(days=14)  # an open request expires after this
MAX_OPEN = 5  # open requests an association may have asked at once
DECLINED_PAUSE = timedelta(days=30)  # no new request to who declined within this


class IntroductionState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Introduction:
    """A request of `from_association` to be introduced to `to_association`."""

    introduction_id: int
    from_association: int
    to_association: int
    note: str
    asked_by: int | None  # None once that person was forgotten
    state: IntroductionState
    created_at: datetime
    expires_at: datetime
    decided_by: int | None = None
    decided_at: datetime | None = None


class Refusal(enum.Enum):
    """Why a request may not be made (or a note not sent)."""

    NOT_A_MEMBER = "not_a_member"  # the asker is no board member of an approved association
    ITSELF = "itself"
    NOT_LISTED = "not_listed"
    ALREADY_OPEN = "already_open"  # one is open between the two, either way
    TOO_MANY_OPEN = "too_many_open"
    DECLINED_RECENTLY = "declined_recently"
    NOTE_EMPTY = "note_empty"
    NOTE_TOO_LONG = "note_too_long"


@dataclass(frozen=True, slots=True)
class Situation:
    """What the rules need to know about a request about to be made."""

    asker_approved: bool
    asker: int | None  # the asker's association
    target: int
    target_listed: bool
    open_asked: int  # open requests the asker's association made
    open_between: bool  # an open request between the two, in either direction
    last_declined_at: datetime | None  # when the target last declined one of the asker's


def refusal(situation: Situation, now: datetime) -> Refusal | None:
    """Why this request may not be made, or None when it may."""
    if not situation.asker_approved or situation.asker is None:
        return Refusal.NOT_A_MEMBER
    if situation.asker == situation.target:
        return Refusal.ITSELF
    if not situation.target_listed:
        return Refusal.NOT_LISTED
    if situation.open_between:
        return Refusal.ALREADY_OPEN
    if situation.open_asked >= MAX_OPEN:
        return Refusal.TOO_MANY_OPEN
    if declined_recently(situation.last_declined_at, now):
        return Refusal.DECLINED_RECENTLY
    return None


def declined_recently(declined_at: datetime | None, now: datetime) -> bool:
    return declined_at is not None and now - declined_at < DECLINED_PAUSE


def may_ask_again_on(declined_at: datetime) -> datetime:
    """The moment a new request may follow a declined one."""
    return declined_at + DECLINED_PAUSE


def note_refusal(text: str) -> Refusal | None:
    """Whether this note may go with the request."""
    if not text.strip():
        return Refusal.NOTE_EMPTY
    if len(text.strip()) > MAX_NOTE:
        return Refusal.NOTE_TOO_LONG
    return None


def expires_at(created_at: datetime) -> datetime:
    return created_at + OPEN_FOR


def is_open(introduction: Introduction, now: datetime) -> bool:
    """Open and not yet expired (the expiry job may not have marked it yet)."""
    return introduction.state is IntroductionState.OPEN and now < introduction.expires_at


def state_at(introduction: Introduction, now: datetime) -> IntroductionState:
    """The state as it is now: an open request past its time is expired."""
    if introduction.state is IntroductionState.OPEN and now >= introduction.expires_at:
        return IntroductionState.EXPIRED
    return introduction.state


def may_answer(introduction: Introduction, association_id: int | None) -> bool:
    """Only the board of the association that was asked answers a request."""
    return association_id is not None and association_id == introduction.to_association
