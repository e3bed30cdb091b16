"""For liaison officers: /activities lists every activity of a week or a month (◀ ▶), with its
number (for /dossier N), organiser and partners; /activities csv sends them all as a CSV file
for a spreadsheet."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.activities import Activity, moment, month_of, week_of
from bot.domain.activity_exports import csv_file
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.activities.picker import day_number, day_of_number, month_number, month_of_number
from handlers.activities.views import PARTNER_MARKS, partner_status, short_when, zone_of
from handlers.bulk import today
from handlers.text import join_blocks
from handlers.ui import esc, no_longer_valid, reply, require_liaison

CSV_TIME = "%Y-%m-%d %H:%M"


def _line(activity: Activity, zone) -> str:
    """One activity in the list: when, what, where, who organises it, and its partners."""
    head = (
        f"#{activity.activity_id} · {short_when(activity.starts_at, zone)} · "
        f"<b>{esc(activity.title)}</b>"
    )
    if activity.cancelled:
        head = "❌ <s>" + head + "</s>"
    lines = [
        head,
        "📍 " + esc(activity.place) + (" · 🌍" if activity.public else " · 🔒"),
        _("Organiser: {association}").format(association=esc(activity.association_name)),
    ]
    if activity.partners:
        lines.append(
            _("Partners: {names}").format(
                names=", ".join(
                    f"{PARTNER_MARKS[p.status]} {esc(p.name)}" for p in activity.partners
                )
            )
        )
    return "\n".join(lines)


def _period(kind: str, first: date) -> tuple[date, date]:
    return week_of(first) if kind == "week" else month_of(first)


def _title(kind: str, first: date, last: date) -> str:
    locale = i18n.babel_locale()
    if kind == "week":
        return _("<b>Activities of the week of {day}</b>").format(
            day=babel_dates.format_date(first, "d MMMM y", locale=locale)
        )
    return _("<b>Activities of {month}</b>").format(
        month=babel_dates.format_skeleton("yMMMM", first, locale=locale)
    )


def _keyboard(kind: str, first: date, last: date) -> InlineKeyboardMarkup:
    if kind == "week":
        before, after = first - timedelta(days=7), last
        button = callbacks.ACTIVITIES_WEEK
        data_of = day_number
        switch = InlineKeyboardButton(
            pgettext("button", "Month"),
            callback_data=callbacks.ACTIVITIES_MONTH.data(month_number(first)),
        )
    else:
        before, after = (first - timedelta(days=1)).replace(day=1), last
        button = callbacks.ACTIVITIES_MONTH
        data_of = month_number
        switch = InlineKeyboardButton(
            pgettext("button", "Week"),
            callback_data=callbacks.ACTIVITIES_WEEK.data(day_number(week_of(first)[0])),
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("◀", callback_data=button.data(data_of(before))),
                switch,
                InlineKeyboardButton("▶", callback_data=button.data(data_of(after))),
            ]
        ]
    )


async def _list(update: Update, context: KapstokContext, kind: str, day: date) -> None:
    first, last = _period(kind, day)
    zone = zone_of(context)
    found = await context.store.activities.between(
        moment(first, time(0, 0), zone), moment(last, time(0, 0), zone)
    )
    header = (
        _title(kind, first, last)
        + "\n"
        + ngettext("{count} activity", "{count} activities", len(found)).format(count=len(found))
    )
    if not found:
        header += "\n\n" + _("Nothing is planned then.")
    chunks = join_blocks([header, *(_line(a, zone) for a in found)], "\n\n")
    keyboard = _keyboard(kind, first, last)
    chat = update.effective_chat.id
    topic = update.effective_message.message_thread_id if update.effective_message else None
    if update.callback_query is not None and len(chunks) == 1:
        await reply(update, chunks[0], keyboard)
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    for index, chunk in enumerate(chunks):
        await context.bot.send_message(
            chat,
            chunk,
            reply_markup=keyboard if index == len(chunks) - 1 else None,
            message_thread_id=topic,
        )


async def activities(update: Update, context: KapstokContext) -> None:
    """/activities: this week's; /activities csv: all of them as a file."""
    if not await require_liaison(update, context):
        return
    words = context.args or []
    if words and words[0].lower() == "csv":
        await _csv(update, context)
        return
    await _list(update, context, "week", today(context.store, context.config))


async def page(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    data = update.callback_query.data
    if callbacks.ACTIVITIES_WEEK.matches(data):
        kind, day = "week", day_of_number(callbacks.ACTIVITIES_WEEK.value(data))
    else:
        kind, day = "month", month_of_number(callbacks.ACTIVITIES_MONTH.value(data))
    if day is None or not date(2000, 1, 1) <= day <= date(2200, 1, 1):
        await no_longer_valid(update)
        return
    await _list(update, context, kind, day)


async def _csv(update: Update, context: KapstokContext) -> None:
    store, zone = context.store, zone_of(context)
    found = await store.activities.everything()
    evaluations = await store.activities.evaluations(a.activity_id for a in found)
    header = [
        _("number"),
        _("title"),
        _("start"),
        _("end"),
        _("place"),
        _("organiser"),
        _("partners"),
        _("public"),
        _("status"),
        _("description"),
        _("score"),
        _("comment"),
        _("everything borrowed back"),
    ]

    def yes_no(value: bool | None) -> str:
        return "" if value is None else (_("yes") if value else _("no"))

    rows = []
    for activity in found:
        evaluation = evaluations.get(activity.activity_id)
        rows.append(
            [
                activity.activity_id,
                activity.title,
                activity.starts_at.astimezone(zone).strftime(CSV_TIME),
                activity.ends_at.astimezone(zone).strftime(CSV_TIME),
                activity.place,
                activity.association_name,
                ", ".join(f"{p.name} ({partner_status(p.status)})" for p in activity.partners),
                yes_no(activity.public),
                _("cancelled") if activity.cancelled else _("planned"),
                activity.description,
                evaluation.score if evaluation and evaluation.score else "",
                evaluation.comment if evaluation and evaluation.comment else "",
                yes_no(evaluation.gear_back if evaluation else None),
            ]
        )
    await update.effective_message.reply_document(
        InputFile(io.BytesIO(csv_file(header, rows)), filename="kapstok-activities.csv"),
        caption=ngettext(
            "{count} activity, as CSV.", "{count} activities, as CSV.", len(found)
        ).format(count=len(found)),
    )


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("activities", activities, filters=where),
        CallbackQueryHandler(page, pattern=callbacks.ACTIVITIES_WEEK.matches),
        CallbackQueryHandler(page, pattern=callbacks.ACTIVITIES_MONTH.matches),
    ]
