"""The dataclasses the store returns; no Telegram objects, no SQL."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class AssociationKind(enum.StrEnum):
    YOUTH = "youth"
    SPORT = "sport"
    CULTURE = "culture"
    WELFARE = "welfare"
    NEIGHBOURHOOD = "neighbourhood"
    EDUCATION = "education"
    OTHER = "other"


class AssociationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Profile:
    """What every update needs to know about its sender: language, association, role."""

    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    association_id: int | None
    association_name: str | None
    association_status: AssociationStatus | None
    is_liaison: bool

    @property
    def is_approved_member(self) -> bool:
        return self.association_status is AssociationStatus.APPROVED

    @property
    def is_pending_member(self) -> bool:
        return self.association_status is AssociationStatus.PENDING

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True, slots=True)
class Association:
    association_id: int
    name: str
    kind: AssociationKind
    description: str
    status: AssociationStatus
    registered_by: int | None
    registered_name: str | None
    registered_at: datetime
    decided_by_name: str | None
    decided_at: datetime | None
    rejection_reason: str | None
    card_chat_id: int | None
    card_message_id: int | None


@dataclass(frozen=True, slots=True)
class BoardMember:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    joined_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True, slots=True)
class InviteCode:
    code: str
    association_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class RedemptionOutcome(enum.Enum):
    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    LOCKED = "locked"
    ALREADY_MEMBER = "already_member"
    ASSOCIATION_CLOSED = "association_closed"


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: RedemptionOutcome
    association: Association | None = None
    expired_at: datetime | None = None
    locked_until: datetime | None = None
    tries_left: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of approving or rejecting an association."""

    association: Association
    changed: bool
    members: tuple[BoardMember, ...]


@dataclass(frozen=True, slots=True)
class LiaisonOfficer:
    user_id: int
    first_name: str | None
    last_name: str | None
    username: str | None
    appointed_at: datetime | None
    is_admin: bool = False

    @property
    def display_name(self) -> str:
        if self.first_name:
            return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name
        return str(self.user_id)


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Everything stored about one user, for /mydata."""

    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    first_contact: datetime
    association: Association | None
    joined_at: datetime | None
    registered_associations: tuple[str, ...]
    invite_codes: tuple[InviteCode, ...]
    wrong_code_attempts: int
    liaison_since: datetime | None
    thread_messages: int = 0
    threads: int = 0


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Direction(enum.StrEnum):
    """'in' comes from the association, 'out' from a liaison officer."""

    IN = "in"
    OUT = "out"


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
    chat_id: int
    telegram_message_id: int
    message_id: int
    part: int


@dataclass(frozen=True, slots=True)
class FaqEntry:
    faq_id: int
    kapstok: int
    language: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Snippet:
    name: str
    text: str
