"""Questions as threads: their parts, their states, and who may see, take or answer them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.people import Profile


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Direction(enum.StrEnum):
    """'in' comes from the association, 'out' from a liaison officer."""

    IN = "in"
    OUT = "out"


MEDIA_KINDS = ("photo", "document", "voice", "video", "audio")


@dataclass(frozen=True, slots=True)
class MessagePart:
    """What Kapstok keeps of one Telegram message it relays (an album has one per item)."""

    kind: str
    text: str
    chat_id: int
    message_id: int
    media_group_id: str | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    subject_id: int
    kapstok: int
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["nl"]


@dataclass(frozen=True, slots=True)
class Topic:
    """An association's forum topic in the liaison group."""

    association_id: int
    chat_id: int
    message_thread_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ThreadState:
    """The part of a thread that its messages, closing and reopening change."""

    status: ThreadStatus
    waiting_since: datetime | None
    closed_at: datetime | None
    closed_by_name: str | None


@dataclass(frozen=True, slots=True)
class Thread:
    thread_id: int
    association_id: int
    association_name: str
    kapstok: int
    subject: Subject
    status: ThreadStatus
    opened_by: int | None
    opened_at: datetime
    owner_id: int | None
    owner_name: str | None
    waiting_since: datetime | None
    nudged_at: datetime | None
    closed_at: datetime | None
    closed_by_name: str | None
    updated_at: datetime
    card_chat_id: int | None
    card_message_id: int | None

    @property
    def state(self) -> ThreadState:
        return ThreadState(self.status, self.waiting_since, self.closed_at, self.closed_by_name)

    def with_state(self, state: ThreadState, now: datetime) -> Thread:
        return replace(
            self,
            status=state.status,
            waiting_since=state.waiting_since,
            closed_at=state.closed_at,
            closed_by_name=state.closed_by_name,
            updated_at=now,
        )


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    message_id: int
    thread_id: int
    direction: Direction
    author_id: int | None
    author_name: str | None
    kind: str
    text: str
    media_group_id: str | None
    source_chat_id: int
    source_message_id: int
    created_at: datetime
    edited_at: datetime | None
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessageCopy:
    """A Telegram message that shows a thread message: a relayed copy, a card, a confirmation."""

    chat_id: int
    telegram_message_id: int
    message_id: int
    part: int


@dataclass(frozen=True, slots=True)
class Snippet:
    name: str
    text: str


# --- the state machine ------------------------------------------------------------------------


def opened(now: datetime) -> ThreadState:
    """A new thread waits for the municipality from the moment it is asked."""
    return ThreadState(ThreadStatus.OPEN, now, None, None)


def after_message(state: ThreadState, direction: Direction, now: datetime) -> ThreadState:
    """A member's message (re)opens the thread; it keeps waiting since the first unanswered
    message, or starts waiting now after an answer or a close. A liaison's message answers it."""
    if direction is Direction.OUT:
        return ThreadState(ThreadStatus.ANSWERED, None, None, None)
    if state.status is ThreadStatus.OPEN and state.waiting_since is not None:
        return ThreadState(ThreadStatus.OPEN, state.waiting_since, None, None)
    return ThreadState(ThreadStatus.OPEN, now, None, None)


def after_close(state: ThreadState, closed_by_name: str, now: datetime) -> ThreadState | None:
    """Closed by this person now; None when it already was closed."""
    if state.status is ThreadStatus.CLOSED:
        return None
    return ThreadState(ThreadStatus.CLOSED, None, now, closed_by_name)


def after_reopen(state: ThreadState, now: datetime) -> ThreadState | None:
    """Open again, waiting for the municipality from now; None when it was not closed."""
    if state.status is not ThreadStatus.CLOSED:
        return None
    return ThreadState(ThreadStatus.OPEN, now, None, None)


def reopens(state: ThreadState, direction: Direction) -> bool:
    """A member writing in a closed thread opens it again (the topic is told)."""
    return direction is Direction.IN and state.status is ThreadStatus.CLOSED


# --- who may see and do what -------------------------------------------------------------------


def belongs_to_board(thread: Thread, profile: Profile | None) -> bool:
    """A board member of the thread's association, once that association is approved."""
    return (
        profile is not None
        and profile.is_approved_member
        and profile.association_id == thread.association_id
    )


def may_see(thread: Thread, profile: Profile | None, is_liaison: bool) -> bool:
    """Its association's board and the liaison officers; nobody else."""
    return is_liaison or belongs_to_board(thread, profile)


def takes_on_answer(thread: Thread) -> bool:
    """A liaison who answers a thread nobody owns becomes its owner."""
    return thread.owner_id is None


def is_owned_by(thread: Thread, user_id: int) -> bool:
    return thread.owner_id == user_id
