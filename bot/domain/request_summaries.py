"""Requests for support as they are listed, followed and exported: one summary per request,
whatever its kind, with the words for its kind, status and history, how long it waited, the
period of an export, and an activity's evidence (its dossier).

The words for statuses, kinds and events are in handlers/request_words.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.domain.requests import RequestKind, Status, SupportRequest

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # what a bot may download: Telegram's own limit
MAX_CAPTION = 1024
LONGEST_EXPORT = timedelta(days=366 * 5)  # an export covers at most about five years


STATUS_MARKS = {
    Status.REQUESTED: "🟠",
    Status.APPROVED: "🟢",
    Status.PARTLY_APPROVED: "🟡",
    Status.REJECTED: "🔴",
    Status.CANCELLED: "⚪",
    Status.PICKED_UP: "🔵",
    Status.RETURNED: "✅",
    Status.PAID: "✅",
}
KIND_MARKS = {RequestKind.GEAR: "🎪", RequestKind.SUBSIDY: "💶"}


@dataclass(frozen=True)
class ItemLine:
    """One item of a gear request: how many were asked, and approved once decided."""

    name_nl: str
    quantity: int
    approved: int | None = None
    name_fr: str | None = None
    name_en: str | None = None
    unit: str = ""

    def name(self, language: str) -> str:
        return {"fr": self.name_fr, "en": self.name_en}.get(language) or self.name_nl


@dataclass(frozen=True)
class RequestSummary:
    """A request with what its kind adds: a gear request's period and items, a subsidy
    request's type and amounts; and the names of its association and activity."""

    request: SupportRequest
    association_name: str
    activity_title: str | None = None
    pick_up: date | None = None
    return_on: date | None = None
    items: tuple[ItemLine, ...] = ()
    type_names: tuple[str | None, str | None, str | None] | None = None  # nl, fr, en
    amount_cents: int | None = None
    granted_cents: int | None = None
    paid_on: date | None = None

    @property
    def request_id(self) -> int:
        return self.request.request_id

    @property
    def kind(self) -> RequestKind:
        return self.request.kind

    @property
    def status(self) -> Status:
        return self.request.status

    def type_name(self, language: str) -> str:
        """The subsidy type's name in the language when it has one, else in Dutch."""
        if self.type_names is None:
            return ""
        nl, fr, en = self.type_names
        return {"fr": fr, "en": en}.get(language) or nl or ""


def euros(cents: int) -> Decimal:
    """Cents as an amount of euros with two decimals."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def plain_amount(cents: int | None) -> str:
    """An amount for a Belgian spreadsheet (the file's ';' goes with a decimal comma): 1250,50,
    whatever the language ('' for none)."""
    return "" if cents is None else str(euros(cents)).replace(".", ",")


def waited(request: SupportRequest, now: datetime) -> timedelta:
    """How long an open request has waited since it was made."""
    return max(now - request.created_at, timedelta(0))


# --- the period of an export ---------------------------------------------------------------


class PeriodProblem(enum.StrEnum):
    UNREADABLE = "unreadable"
    ORDER = "order"  # the last day before the first
    TOO_LONG = "too_long"


def period_problem(first: date | None, last: date | None) -> PeriodProblem | None:
    """Why first..last is no period to export, or None."""
    if first is None or last is None:
        return PeriodProblem.UNREADABLE
    if last < first:
        return PeriodProblem.ORDER
    if last - first > LONGEST_EXPORT:
        return PeriodProblem.TOO_LONG
    return None


def this_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def this_year(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)


def last_year(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


# --- an activity's evidence ------------------------------------------------------------------


class EvidenceKind(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Evidence:
    """A photo, flyer or document a board added to its activity's dossier."""

    evidence_id: int
    activity_id: int
    association_id: int
    kind: EvidenceKind
    file_id: str
    file_unique_id: str
    added_at: datetime
    file_name: str | None = None
    caption: str = ""
    added_by: int | None = None


def evidence_too_large(file_size: int | None) -> bool:
    """A document over the limit (one without a size is taken: Telegram gives it as a rule)."""
    return file_size is not None and file_size > MAX_EVIDENCE_BYTES
