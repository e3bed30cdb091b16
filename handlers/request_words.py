"""How a request for support reads wherever it is shown (/requests, a question about it, an
activity's dossier): its kind, status, what it asks, its period and amounts, in the reader's
language. A leaf that kapstok 4's dossier and kapstok 5 both use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import dates as babel_dates

from bot import i18n
from bot.domain.amounts import format_amount
from bot.domain.request_summaries import KIND_MARKS, STATUS_MARKS, RequestSummary, euros
from bot.domain.requests import RequestKind, Status
from bot.i18n import _, pgettext
from handlers.ui import esc

ITEMS_SHOWN = 4  # a line names this many items, then counts the rest


def status_name(status: Status) -> str:
    """A request's status in words: 'approved', 'picked up', …"""
    return {
        Status.REQUESTED: lambda: pgettext("request", "requested"),
        Status.APPROVED: lambda: pgettext("request", "approved"),
        Status.PARTLY_APPROVED: lambda: pgettext("request", "partly approved"),
        Status.REJECTED: lambda: pgettext("request", "rejected"),
        Status.CANCELLED: lambda: pgettext("request", "cancelled"),
        Status.PICKED_UP: lambda: pgettext("request", "picked up"),
        Status.RETURNED: lambda: pgettext("request", "returned"),
        Status.PAID: lambda: pgettext("request", "paid"),
    }[status]()


def kind_name(kind: RequestKind) -> str:
    return {
        RequestKind.GEAR: lambda: pgettext("request", "gear"),
        RequestKind.SUBSIDY: lambda: pgettext("request", "subsidy"),
    }[kind]()


def status_label(status: Status) -> str:
    return f"{STATUS_MARKS[status]} {status_name(status)}"


def kind_label(kind: RequestKind) -> str:
    return f"{KIND_MARKS[kind]} {kind_name(kind)}"


def history_event(event: str) -> str:
    """What a step of a request's history was: a status it moved to, or a question, a note."""
    try:
        return status_name(Status(event))
    except ValueError:
        pass
    return {
        "asked": lambda: pgettext("request", "asked a question"),
        "noted": lambda: pgettext("request", "added a note"),
        "edited": lambda: pgettext("request", "changed the request"),
    }.get(event, lambda: event)()


def amount(cents: int) -> str:
    """€ 1.250,50 in the reader's locale."""
    return format_amount(euros(cents), i18n.babel_locale())


def amount_value(cents: int) -> Decimal:
    return euros(cents)


def period(first: date, last: date) -> str:
    """12–14 Jun 2027, in the reader's locale."""
    if first == last:
        return babel_dates.format_skeleton("yMMMd", first, locale=i18n.babel_locale())
    return babel_dates.format_interval(first, last, "yMMMd", locale=i18n.babel_locale())


def items_text(summary: RequestSummary, *, limit: int | None = ITEMS_SHOWN) -> str:
    """4 × Tent, 20 × Chair (approved: 2 where fewer were approved), … and 3 more."""
    language = i18n.current_language()
    lines = summary.items if limit is None else summary.items[:limit]
    words = []
    for line in lines:
        text = f"{line.quantity} × {line.name(language)}"
        if line.approved is not None and line.approved != line.quantity:
            text += " " + _("(approved: {count})").format(count=line.approved)
        words.append(text)
    rest = len(summary.items) - len(lines)
    if rest > 0:
        words.append(
            i18n.ngettext("… and {count} more", "… and {count} more", rest).format(count=rest)
        )
    return ", ".join(words)


def what(summary: RequestSummary) -> str:
    """What the request asks, as HTML: the items and period, or the subsidy type and amount."""
    if summary.kind is RequestKind.GEAR:
        parts = [esc(items_text(summary))]
        if summary.pick_up and summary.return_on:
            parts.append(period(summary.pick_up, summary.return_on))
        return " · ".join(part for part in parts if part)
    parts = [esc(summary.type_name(i18n.current_language()))]
    if summary.amount_cents is not None:
        parts.append(amount(summary.amount_cents))
    if summary.granted_cents is not None and summary.granted_cents != summary.amount_cents:
        parts.append(_("granted {amount}").format(amount=amount(summary.granted_cents)))
    return " · ".join(part for part in parts if part)


def line(summary: RequestSummary, *, association: bool = False) -> str:
    """One request in a list: #12 · 🎪 gear · what · status (and the association)."""
    pieces = [f"<b>#{summary.request_id}</b>", kind_label(summary.kind)]
    if association:
        pieces.append(esc(summary.association_name))
    described = what(summary)
    if described:
        pieces.append(described)
    pieces.append(status_label(summary.status))
    return " · ".join(pieces)
