"""The people Kapstok knows: who is writing, and what they may do."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.domain.associations import AssociationStatus


def full_name(first_name: str, last_name: str | None) -> str:
    return f"{first_name} {last_name}" if last_name else first_name


@dataclass(frozen=True, slots=True)
class User:
    """A person who wrote to the bot, with the names Telegram gave last."""

    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    unreachable: bool = False  # blocked the bot; reachable again when they write to it

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


@dataclass(frozen=True, slots=True)
class Membership:
    """The association a user is a board member of, as a profile needs it."""

    association_id: int
    association_name: str
    status: AssociationStatus


class Role(enum.IntEnum):
    """What a user may do; each role may also do what the roles before it may."""

    STRANGER = 0
    PENDING_MEMBER = 1
    MEMBER = 2
    LIAISON = 3
    ADMIN = 4


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

    @classmethod
    def of(cls, user: User, membership: Membership | None, is_liaison: bool) -> Profile:
        return cls(
            user_id=user.user_id,
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
            language=user.language,
            association_id=membership.association_id if membership else None,
            association_name=membership.association_name if membership else None,
            association_status=membership.status if membership else None,
            is_liaison=is_liaison,
        )

    @property
    def is_approved_member(self) -> bool:
        return self.association_status is AssociationStatus.APPROVED

    @property
    def is_pending_member(self) -> bool:
        return self.association_status is AssociationStatus.PENDING

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


def role_of(profile: Profile | None, is_admin: bool) -> Role:
    """The highest role a user has: admins (from the configuration) are liaisons too."""
    if profile is None:
        return Role.STRANGER
    if is_admin:
        return Role.ADMIN
    if profile.is_liaison:
        return Role.LIAISON
    if profile.is_approved_member:
        return Role.MEMBER
    if profile.is_pending_member:
        return Role.PENDING_MEMBER
    return Role.STRANGER


@dataclass(frozen=True, slots=True)
class LiaisonOfficer:
    user_id: int
    first_name: str | None
    last_name: str | None
    username: str | None
    appointed_at: datetime | None

    @property
    def display_name(self) -> str:
        if self.first_name:
            return full_name(self.first_name, self.last_name)
        return str(self.user_id)
