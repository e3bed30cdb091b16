"""What Kapstok stores about one person, as /mydata shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.associations import Association, InviteCode
from bot.domain.people import full_name


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Everything stored about one user."""

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

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)
