"""How an activity reads: its moment, its card for each kind of reader, its partners' answers and
the clashes an organiser is warned about; in the reader's language and the municipality's time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.context import KapstokContext
from bot.domain.activities import Activity, Clash, ClashKind, PartnerStatus, may_edit
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.ui import esc, kind_label

PARTNER_MARKS = {
    PartnerStatus.INVITED: "⏳",
    PartnerStatus.CONFIRMED: "✅",
    PartnerStatus.DECLINED: "❌",
}


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return babel_dates.format_date(
        moment.astimezone(zone), "EEEE d MMMM y", locale=i18n.babel_locale()
    )


def _time(moment: datetime, zone: ZoneInfo) -> str:
    return babel_dates.format_time(moment.astimezone(zone), "short", locale=i18n.babel_locale())


def when_text(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> str:
    """'Saturday 12 March 2027, 14:00–17:00', or both days when it ends on another day."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date():
        return _("{day}, {start}–{end}").format(
            day=_day(start, zone), start=_time(start, zone), end=_time(end, zone)
        )
    return _("{start_day}, {start} to {end_day}, {end}").format(
        start_day=_day(start, zone),
        start=_time(start, zone),
        end_day=_day(end, zone),
        end=_time(end, zone),
    )


def short_when(starts_at: datetime, zone: ZoneInfo) -> str:
    """'za 12 mrt. 14:00': for a line of the calendar or a button."""
    local = starts_at.astimezone(zone)
    day = babel_dates.format_date(local, "EEE d MMM", locale=i18n.babel_locale())
    return f"{day} {_time(local, zone)}"


def partner_status(status: PartnerStatus) -> str:
    return {
        PartnerStatus.INVITED: lambda: _("not answered yet"),
        PartnerStatus.CONFIRMED: lambda: _("confirmed"),
        PartnerStatus.DECLINED: lambda: _("declined"),
    }[status]()


def partners_lines(activity: Activity, *, answers: bool) -> list[str]:
    """The partners: with their answers for those in the activity, else the confirmed ones."""
    if answers:
        return [
            f"{PARTNER_MARKS[p.status]} {esc(p.name)} ({partner_status(p.status)})"
            for p in activity.partners
        ]
    return [f"🤝 {esc(p.name)}" for p in activity.confirmed_partners()]


def card(activity: Activity, zone: ZoneInfo, viewer: int | None, *, liaison=False) -> str:
    """An activity as a reader sees it: those in it see every partner's answer."""
    lines = []
    if activity.cancelled:
        lines.append(_("❌ <b>Cancelled</b>"))
    lines.append(f"<b>{esc(activity.title)}</b>")
    lines.append("🕒 " + when_text(activity.starts_at, activity.ends_at, zone))
    lines.append("📍 " + esc(activity.place))
    lines.append(
        _("Organised by {association} ({kind})").format(
            association=esc(activity.association_name), kind=kind_label(activity.association_kind)
        )
    )
    lines.append(
        _("🌍 Public: every association sees it in its calendar.")
        if activity.public
        else _("🔒 Not public: only the organiser and its partners see it.")
    )
    in_it = liaison or activity.involves(viewer)
    partners = partners_lines(activity, answers=in_it)
    if partners:
        lines.append("")
        lines.append(_("<b>Partners</b>"))
        lines.extend(partners)
    if activity.description:
        lines.append("")
        lines.append(esc(activity.description))
    return "\n".join(lines)


def detail_keyboard(activity: Activity, viewer: int | None) -> InlineKeyboardMarkup:
    """What the reader may do: the organiser edits or cancels, an invited partner answers."""
    rows = []
    number = activity.activity_id
    if may_edit(activity, viewer) and not activity.cancelled:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "🕒 Time"),
                    callback_data=callbacks.ACTIVITY_EDIT.data(number, "when"),
                ),
                InlineKeyboardButton(
                    pgettext("button", "📍 Place"),
                    callback_data=callbacks.ACTIVITY_EDIT.data(number, "place"),
                ),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "📝 Description"),
                    callback_data=callbacks.ACTIVITY_EDIT.data(number, "description"),
                ),
                InlineKeyboardButton(
                    pgettext("button", "❌ Cancel the activity"),
                    callback_data=callbacks.ACTIVITY_CANCEL.data(number),
                ),
            ]
        )
    if may_edit(activity, viewer):
        rows.append([dossier_button(number)])
    partner = activity.partner(viewer)
    if partner is not None and partner.status is PartnerStatus.INVITED and not activity.cancelled:
        rows.append(answer_buttons(number))
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "📅 Calendar"), callback_data=callbacks.CALENDAR.data("30", 1)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def answer_buttons(activity_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            pgettext("button", "✅ We take part"),
            callback_data=callbacks.ACTIVITY_CONFIRM.data(activity_id),
        ),
        InlineKeyboardButton(
            pgettext("button", "❌ Decline"),
            callback_data=callbacks.ACTIVITY_DECLINE.data(activity_id),
        ),
    ]


def dossier_button(activity_id: int) -> InlineKeyboardButton:
    """The activity's dossier (dossier.py): for its organiser's board and liaison officers."""
    return InlineKeyboardButton(
        pgettext("button", "📁 Dossier"), callback_data=callbacks.DOSSIER.data(activity_id)
    )


def view_button(activity_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "🔎 Details"), callback_data=callbacks.ACTIVITY_VIEW.data(activity_id)
    )


CLASHES_SHOWN = 5


def clash_lines(clashes: list[Clash], zone: ZoneInfo) -> list[str]:
    """What clashes, as far as the organiser may see it (the first few; the rest counted)."""
    lines = []
    for clash in clashes[:CLASHES_SHOWN]:
        other = clash.activity
        when = when_text(other.starts_at, other.ends_at, zone)
        if clash.kind is ClashKind.PLACE and not clash.visible:
            lines.append(_("⚠️ Another activity is planned there then."))
        elif clash.kind is ClashKind.PLACE:
            lines.append(
                _("⚠️ {title} of {association} is at {place} then too: {when}.").format(
                    title=esc(other.title),
                    association=esc(other.association_name),
                    place=esc(other.place),
                    when=when,
                )
            )
        else:
            lines.append(
                _(
                    "⚠️ {association}, also an association of the kind {kind}, has a public "
                    "activity that day: {title}, {when}."
                ).format(
                    association=esc(other.association_name),
                    kind=kind_label(other.association_kind),
                    title=esc(other.title),
                    when=when,
                )
            )
    more = len(clashes) - CLASHES_SHOWN
    if more > 0:
        lines.append(
            ngettext("… and {count} more activity.", "… and {count} more activities.", more).format(
                count=more
            )
        )
    return lines


def zone_of(context: KapstokContext) -> ZoneInfo:
    return context.config.timezone
