"""The calendar of a board: the coming 7 or 30 days (or all its own to come), an activity's
details, cancelling it, and the export as an .ics file for calendar apps."""

from __future__ import annotations

import io
import math
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.context import KapstokContext
from bot.domain.activities import Activity, PartnerStatus, may_see, window
from bot.domain.activity_exports import CalendarEvent, ics
from bot.domain.kapstokken import ACTIVITIES
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.activities import partners as partnering
from handlers.activities.planning import own_activity
from handlers.activities.views import (
    card,
    detail_keyboard,
    dossier_button,
    short_when,
    view_button,
    zone_of,
)
from handlers.ui import esc, no_longer_valid, require_approved_member, show

PAGE_SIZE = 8
OURS_AHEAD = timedelta(days=3 * 366)
BUTTON_TITLE = 28


# --- the calendar ----------------------------------------------------------------------------


def _mark(activity: Activity, association_id: int) -> str:
    if activity.association_id == association_id:
        return "⭐"
    if activity.partner(association_id) is not None:
        return "🤝"
    return "🌍"


def _heading(scope: str) -> str:
    if scope == "ours":
        return _("<b>📅 Our activities to come</b> (⭐ ours, 🤝 as a partner)")
    return ngettext(
        "<b>📅 The coming {days} day</b> (⭐ ours, 🤝 as a partner, 🌍 public)",
        "<b>📅 The coming {days} days</b> (⭐ ours, 🤝 as a partner, 🌍 public)",
        int(scope),
    ).format(days=int(scope))


def _empty(scope: str) -> str:
    if scope == "ours":
        return _("Your association has no activities to come. Plan one with “New activity”.")
    return _("Nothing is planned in these days.")


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1] + "…"


async def _entries(context: KapstokContext, scope: str) -> list[Activity]:
    store, association = context.store, context.profile.association_id
    now = store.now()
    if scope == "ours":
        found = await store.activities.calendar(association, now, now + OURS_AHEAD)
        return [a for a in found if a.involves(association)]
    start, end = window(now, int(scope), zone_of(context))
    return await store.activities.calendar(association, start, end)


def _scope_row() -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            pgettext("button", "7 days"), callback_data=callbacks.CALENDAR.data("7", 1)
        ),
        InlineKeyboardButton(
            pgettext("button", "30 days"), callback_data=callbacks.CALENDAR.data("30", 1)
        ),
        InlineKeyboardButton(
            pgettext("button", "⭐ Ours"), callback_data=callbacks.CALENDAR.data("ours", 1)
        ),
    ]


def _export_row() -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            pgettext("button", "📤 Ours (.ics)"),
            callback_data=callbacks.CALENDAR_EXPORT.data("ours"),
        ),
        InlineKeyboardButton(
            pgettext("button", "📤 All public (.ics)"),
            callback_data=callbacks.CALENDAR_EXPORT.data("public"),
        ),
    ]


async def show_calendar(update: Update, context: KapstokContext) -> None:
    """The calendar's page: a line and a details button per activity, ◀ ▶ between pages."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    scope, page = callbacks.CALENDAR.parse(query.data)
    entries = await _entries(context, scope)
    pages = max(math.ceil(len(entries) / PAGE_SIZE), 1)
    if page > pages:
        await no_longer_valid(update)
        return
    await query.answer()
    zone, association = zone_of(context), context.profile.association_id
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines = [_heading(scope), ""]
    if not shown:
        lines.append(_empty(scope))
    for activity in shown:
        lines.append(
            f"{_mark(activity, association)} {short_when(activity.starts_at, zone)} · "
            f"<b>{esc(activity.title)}</b> · {esc(activity.place)}"
            + (
                ""
                if activity.association_id == association
                else f" · {esc(activity.association_name)}"
            )
        )
    if pages > 1:
        lines += ["", _("Page {page} of {pages}").format(page=page, pages=pages)]
    rows = [
        [
            InlineKeyboardButton(
                f"{_mark(a, association)} {short_when(a.starts_at, zone)} {_short(a.title)}",
                callback_data=callbacks.ACTIVITY_VIEW.data(a.activity_id),
            )
        ]
        for a in shown
    ]
    navigation = []
    if page > 1:
        navigation.append(
            InlineKeyboardButton("◀", callback_data=callbacks.CALENDAR.data(scope, page - 1))
        )
    if page < pages:
        navigation.append(
            InlineKeyboardButton("▶", callback_data=callbacks.CALENDAR.data(scope, page + 1))
        )
    if navigation:
        rows.append(navigation)
    rows += [_scope_row(), _export_row(), [_back_button()]]
    await show(query, "\n".join(lines), InlineKeyboardMarkup(rows))


def _back_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "⬅️ Back"), callback_data=callbacks.KAPSTOK_PAGE.data(ACTIVITIES.number)
    )


# --- an activity's details ---------------------------------------------------------------------


async def view(update: Update, context: KapstokContext) -> None:
    """An activity as the reader may see it: board members of the organiser and of partners
    with every answer, others only a public one; liaison officers every activity."""
    query = update.callback_query
    liaison = context.is_liaison and not (context.profile and context.profile.is_approved_member)
    if not liaison and not await require_approved_member(update, context):
        return
    activity = await context.store.activities.get(callbacks.ACTIVITY_VIEW.value(query.data))
    viewer = None if liaison else context.profile.association_id
    if activity is None or not (liaison or may_see(activity, viewer)):
        await no_longer_valid(update)
        return
    await query.answer()
    zone = zone_of(context)
    if liaison:
        await show(
            query,
            card(activity, zone, None, liaison=True),
            InlineKeyboardMarkup([[dossier_button(activity.activity_id)]]),
        )
        return
    await show(query, card(activity, zone, viewer), detail_keyboard(activity, viewer))


async def ask_cancel(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    activity = await own_activity(update, context, callbacks.ACTIVITY_CANCEL.value(query.data))
    if activity is None:
        return
    await query.answer()
    await show(
        query,
        card(activity, zone_of(context), activity.association_id)
        + "\n\n"
        + _("Cancel this activity? Your partners are told."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "❌ Yes, cancel it"),
                        callback_data=callbacks.ACTIVITY_CANCEL_CONFIRM.data(activity.activity_id),
                    )
                ],
                [
                    InlineKeyboardButton(
                        pgettext("button", "No, keep it"),
                        callback_data=callbacks.ACTIVITY_VIEW.data(activity.activity_id),
                    )
                ],
            ]
        ),
    )


async def cancel(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    number = callbacks.ACTIVITY_CANCEL_CONFIRM.value(query.data)
    if await own_activity(update, context, number) is None:
        return
    activity = await context.store.activities.cancel(number)
    if activity is None:
        await no_longer_valid(update)
        return
    await query.answer(_("Cancelled."))
    zone = zone_of(context)
    await show(query, card(activity, zone, activity.association_id))
    for partner in activity.partners:
        if partner.status is PartnerStatus.DECLINED:
            continue
        await partnering.tell_board(
            context,
            partner.association_id,
            lambda: _("❌ {organiser} cancelled {title}, planned {when}.").format(
                organiser=esc(activity.association_name),
                title=esc(activity.title),
                when=short_when(activity.starts_at, zone),
            ),
            lambda: InlineKeyboardMarkup([[view_button(activity.activity_id)]]),
        )


# --- the export ----------------------------------------------------------------------------------


def calendar_event(activity: Activity, zone) -> CalendarEvent:
    """An activity for a calendar app, with its organiser and confirmed partners in words."""
    about = [_("Organised by {association}").format(association=activity.association_name)]
    confirmed = activity.confirmed_partners()
    if confirmed:
        about.append(_("Partners: {names}").format(names=", ".join(p.name for p in confirmed)))
    if activity.description:
        about += ["", activity.description]
    return CalendarEvent(
        uid=activity.uid,
        sequence=activity.sequence,
        summary=activity.title,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        location=activity.place,
        description="\n".join(about),
        cancelled=activity.cancelled,
        public=activity.public,
        created_at=activity.created_at,
        updated_at=activity.updated_at,
    )


async def export(update: Update, context: KapstokContext) -> None:
    """An .ics file: the association's own and confirmed partner activities, or all public."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    scope = callbacks.CALENDAR_EXPORT.value(query.data)
    store, profile = context.store, context.profile
    zone = zone_of(context)
    if scope == "ours":
        activities = await store.activities.of_association(profile.association_id)
        name, filename = profile.association_name, "kapstok-our-activities.ics"
    else:
        activities = await store.activities.public()
        name, filename = _("Public activities"), "kapstok-public-activities.ics"
    await query.answer()
    content = ics([calendar_event(a, zone) for a in activities], zone, store.now(), name)
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(io.BytesIO(content), filename=filename),
        caption=ngettext(
            "{count} activity, to import into your calendar app.",
            "{count} activities, to import into your calendar app.",
            len(activities),
        ).format(count=len(activities)),
    )


def build_handlers() -> list:
    return [
        CallbackQueryHandler(show_calendar, pattern=callbacks.CALENDAR.matches),
        CallbackQueryHandler(view, pattern=callbacks.ACTIVITY_VIEW.matches),
        CallbackQueryHandler(ask_cancel, pattern=callbacks.ACTIVITY_CANCEL.matches),
        CallbackQueryHandler(cancel, pattern=callbacks.ACTIVITY_CANCEL_CONFIRM.matches),
        CallbackQueryHandler(export, pattern=callbacks.CALENDAR_EXPORT.matches),
    ]
