"""Associations, their invite codes, and how their names are compared."""

from __future__ import annotations

import enum
import unicodedata
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
    unreachable: bool = False  # blocked the bot; reachable again when they write to it

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

    @property
    def may_try_again(self) -> bool:
        """A typo, a used or an expired code: the user may send another one."""
        return self.outcome in (
            RedemptionOutcome.UNKNOWN,
            RedemptionOutcome.USED,
            RedemptionOutcome.EXPIRED,
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of approving or rejecting an association."""

    association: Association
    changed: bool
    members: tuple[BoardMember, ...]


INVITE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INVITE_CODE_LENGTH = 8


def normalize_invite_code(text: str) -> str:
    """What a user typed, as a code: capitals, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def name_key(name: str) -> str:
    """How names are compared: by Unicode case folding, without accents, spaces or
    punctuation; letters of every script, digits and symbols count ('KSA Sint-Jan' =
    'ksa sint jan', 'Спорт' ≠ 'Футбол', 'Chiro 🎉' ≠ 'Chiro 😀')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LNS")
