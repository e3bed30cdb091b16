"""Subsidies (kapstok 5): the types liaison officers define, their deadlines in every year, a
board's request for one, and the reminders 30 and 7 days before a deadline.

A deadline is a day of the year (31 March), not a date: it comes back every year. Its date in a
year where it does not exist (29 February) is the last day of that month.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.domain.requests import Status, SupportRequest

REMINDER_DAYS = (30, 7)  # days before a deadline the eligible boards are reminded
PURPOSE_LIMIT = 1000
NAME_LIMIT = 100
DESCRIPTION_LIMIT = 1000
ATTACHMENT_LABEL_LIMIT = 100
MAX_ATTACHMENT_LABELS = 10
MAX_DEADLINES = 12
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download, and so what a request may carry
MAX_ATTACHMENTS = 20
LANGUAGES = ("nl", "fr", "en")

_DEADLINE = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True, order=True)
class Deadline:
    """A day of the year: month and day."""

    month: int
    day: int

    def on(self, year: int) -> date:
        """Its date in this year (29 February in a common year: the 28th)."""
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))


def parse_deadlines(text: str) -> tuple[Deadline, ...] | None:
    """Days of the year typed as day and month (`31/03`, `31-3`, `1.10`), separated by spaces,
    commas, semicolons or lines; sorted, without doubles. None when a piece is not one, or
    there is none, or more than MAX_DEADLINES."""
    pieces = [piece for piece in _SEPARATORS.split(text.strip()) if piece]
    if not pieces or len(pieces) > MAX_DEADLINES:
        return None
    found = set()
    for piece in pieces:
        match = _DEADLINE.fullmatch(piece)
        if match is None:
            return None
        day, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
            return None  # 2024 is a leap year: 29/02 exists
        found.add(Deadline(month, day))
    return tuple(sorted(found))


def next_deadlines(deadlines: Iterable[Deadline], day: date, count: int = 1) -> list[date]:
    """The next `count` deadline dates on or after `day` (a deadline today is still open)."""
    days = sorted(set(deadlines))
    if not days:
        return []
    found: list[date] = []
    year = day.year
    while len(found) < count:
        found += [deadline.on(year) for deadline in days if deadline.on(year) >= day]
        year += 1
    return found[:count]


def previous_deadline(deadlines: Iterable[Deadline], day: date) -> date | None:
    """The last deadline date before `day`, if there is a deadline at all."""
    days = sorted(set(deadlines))
    if not days:
        return None
    for year in (day.year, day.year - 1):
        earlier = [deadline.on(year) for deadline in days if deadline.on(year) < day]
        if earlier:
            return max(earlier)
    return None  # unreachable: every deadline falls before `day` a year earlier


@dataclass(frozen=True)
class SubsidyType:
    type_id: int
    name_nl: str
    max_cents: int
    name_fr: str | None = None
    name_en: str | None = None
    description_nl: str = ""
    description_fr: str | None = None
    description_en: str | None = None
    needs_recognition: bool = False
    attachments: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    active: bool = True

    def name(self, language: str) -> str:
        """Its name in the language, or in Dutch when it has none in that one."""
        return {"fr": self.name_fr, "en": self.name_en}.get(language) or self.name_nl

    def description(self, language: str) -> str:
        return {"fr": self.description_fr, "en": self.description_en}.get(
            language
        ) or self.description_nl

    @property
    def maximum(self) -> Decimal:
        return cents_to_amount(self.max_cents)

    def next_deadline(self, day: date) -> date | None:
        found = next_deadlines(self.deadlines, day)
        return found[0] if found else None


def attachment_labels(text: str) -> tuple[str, ...] | None:
    """The attachments a type asks for, one a line; None when too many or one too long."""
    labels = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(labels) > MAX_ATTACHMENT_LABELS or any(
        len(one) > ATTACHMENT_LABEL_LIMIT for one in labels
    ):
        return None
    return labels


def amount_to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def cents_to_amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


# --- a request ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """A file sent with a request: a document or a photo."""

    kind: str  # 'document' or 'photo'
    file_id: str
    file_unique_id: str
    file_name: str | None = None
    file_size: int | None = None
    label: str = ""
    attachment_id: int | None = None


def too_big(file_size: int | None) -> bool:
    """Whether a file is over what a request may carry (an unknown size is let through)."""
    return file_size is not None and file_size > MAX_FILE_BYTES


@dataclass(frozen=True)
class SubsidyRequest:
    request: SupportRequest
    type_id: int
    amount_cents: int
    purpose: str
    granted_cents: int | None = None
    paid_on: date | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    @property
    def request_id(self) -> int:
        return self.request.request_id

    @property
    def status(self) -> Status:
        return self.request.status


def granted_problem(granted_cents: int, amount_cents: int) -> str | None:
    """Why a granted amount cannot be: 'over_asked'; None when it can."""
    if granted_cents > amount_cents:
        return "over_asked"
    return None


# --- the reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An approved association, whether it is recognised, and the municipality's date of its
    last request of the type that was not cancelled (None: never)."""

    association_id: int
    recognised: bool
    last_requested: date | None = None


@dataclass(frozen=True)
class Reminder:
    type_id: int
    association_id: int
    deadline: date
    days: int  # the reminder: 30 or 7
    days_left: int  # the days really left (a reminder that was late says so)


def reminder_due(deadline: date, today: date) -> int | None:
    """Which reminder falls due today for this deadline (30 or 7), None when none: the 30-day
    one from 30 days before, the 7-day one from 7 days before, until the deadline itself; a
    late start sends only the nearest one."""
    left = (deadline - today).days
    if left < 0:
        return None
    due = [days for days in REMINDER_DAYS if left <= days]
    return min(due) if due else None


def eligible(subsidy_type: SubsidyType, candidate: Candidate, deadline: date) -> bool:
    """May ask for the type and did not since the deadline before this one."""
    if not subsidy_type.active:
        return False
    if subsidy_type.needs_recognition and not candidate.recognised:
        return False
    since = previous_deadline(subsidy_type.deadlines, deadline)
    if candidate.last_requested is None:
        return True
    return since is not None and candidate.last_requested <= since


def due_reminders(
    subsidy_type: SubsidyType, today: date, candidates: Iterable[Candidate]
) -> list[Reminder]:
    """The reminders due today for the type's next deadline, to the eligible associations that
    did not ask for the type since the previous deadline (each is sent once: the caller
    marks them)."""
    deadline = subsidy_type.next_deadline(today)
    if deadline is None:
        return []
    days = reminder_due(deadline, today)
    if days is None:
        return []
    left = (deadline - today).days
    return [
        Reminder(subsidy_type.type_id, candidate.association_id, deadline, days, left)
        for candidate in candidates
        if eligible(subsidy_type, candidate, deadline)
    ]
