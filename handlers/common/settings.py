"""/settings: a board member turns each kind of optional message on or off, or pauses them all
until a date; the 🔕 button under an optional message opens the same page for its kind.

Essential messages (answers to their threads, decisions on their requests, the approval of their
association) always arrive; the page says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.preferences import MAX_PAUSE_DAYS, OPTIONAL, Kind, Preferences, parse_pause
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import kind_name, today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.ui import menu_button, require_approved_member, show
from handlers.ui import reply as _reply

PAUSE = "settings.pause"
TIMEOUT = timedelta(hours=24)
EXAMPLE_AHEAD = timedelta(days=14)  # the example date a prompt gives: two weeks from today


@dataclass
class Pausing(Draft):
    """A board member typing the last day of a pause."""

    KEY = "pausing"


def _paused_until(preferences: Preferences, day: date) -> date | None:
    """The last day of the pause, while it lasts."""
    until = preferences.paused_until
    return until if until is not None and until >= day else None


def _long_date(day: date) -> str:
    return babel_dates.format_date(day, "long", locale=i18n.babel_locale())


def _short_date(day: date) -> str:
    """The way the user's locale writes a date in figures, with the year in full."""
    locale = i18n.babel_locale()
    pattern = re.sub("y+", "y", babel_dates.get_date_format("short", locale=locale).pattern)
    return babel_dates.format_date(day, pattern, locale=locale)


# --- the page ----------------------------------------------------------------------------------


def settings_text(preferences: Preferences, day: date, focus: Kind | None = None) -> str:
    lines = []
    if focus is not None:
        if focus in preferences.off:
            lines.append(
                _("“{kind}” is already off: no more of these messages reach you.").format(
                    kind=kind_name(focus)
                )
            )
        else:
            lines.append(
                _(
                    "You get messages about “{kind}”. For fewer, turn them off with their button "
                    "below, or pause all of these messages until a date."
                ).format(kind=kind_name(focus))
            )
        lines.append("")
    lines.append(_("<b>⚙️ Your messages</b>"))
    lines.append(
        _("Besides the essential messages, I send you these. Tap one to turn it on or off:")
    )
    for kind in OPTIONAL:
        if kind in preferences.off:
            line = "🔕 " + _("{kind}: off").format(kind=kind_name(kind))
        else:
            line = "✅ " + _("{kind}: on").format(kind=kind_name(kind))
        lines.append(f"<b>{line}</b>" if kind is focus else line)
    lines.append("")
    until = _paused_until(preferences, day)
    if until is not None:
        lines.append(
            _("⏸ Paused until {date}: until then only the essential messages reach you.").format(
                date=_long_date(until)
            )
        )
        lines.append("")
    lines.append(
        _(
            "Essential messages always reach you: the answers to your association's questions, "
            "the decisions on your requests and the approval of your association."
        )
    )
    return "\n".join(lines)


def settings_keyboard(preferences: Preferences, day: date) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{'🔕' if kind in preferences.off else '✅'} {kind_name(kind)}",
                callback_data=callbacks.SETTINGS_TOGGLE.data(kind.value),
            )
        ]
        for kind in OPTIONAL
    ]
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⏸ Pause until a date"),
                callback_data=callbacks.SETTINGS_PAUSE.data(),
            )
        ]
    )
    if _paused_until(preferences, day) is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "▶️ Resume now"),
                    callback_data=callbacks.SETTINGS_RESUME.data(),
                )
            ]
        )
    rows.append([menu_button()])
    return InlineKeyboardMarkup(rows)


async def _page(context: KapstokContext, focus: Kind | None = None):
    preferences = await context.store.preferences.get(context.profile.user_id)
    day = today(context.store, context.config)
    return settings_text(preferences, day, focus), settings_keyboard(preferences, day)


async def settings(update: Update, context: KapstokContext) -> None:
    """/settings, or the page's own button: the page, in place of a button's message."""
    if not await require_approved_member(update, context):
        return
    await _reply(update, *await _page(context))


async def fewer(update: Update, context: KapstokContext) -> None:
    """🔕 under an optional message: the page for its kind, as a new message; the message it
    was under stays as it is."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    kind = Kind(callbacks.FEWER.value(query.data))
    await query.answer()
    text, keyboard = await _page(context, focus=kind)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)


async def toggle(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    kind = Kind(callbacks.SETTINGS_TOGGLE.value(query.data))
    preferences = await context.store.preferences.get(context.profile.user_id)
    await context.store.preferences.turn(context.profile.user_id, kind, kind in preferences.off)
    await query.answer()
    await show(query, *await _page(context))


async def resume(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    await context.store.preferences.pause(context.profile.user_id, None)
    await query.answer()
    await show(query, *await _page(context))


# --- pausing until a date: a conversation of one step ------------------------------------------


def _example(day: date) -> str:
    return _short_date(day + EXAMPLE_AHEAD)


async def start_pause(update: Update, context: KapstokContext) -> str | int:
    """⏸ Pause until a date: ask for the last day."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    await query.answer()
    day = today(context.store, context.config)
    await show(
        query,
        _(
            "Until which day shall I pause the messages you can turn off? Type the last day of "
            "the pause, like {example}, at the latest {last}."
        ).format(example=_example(day), last=_short_date(day + timedelta(days=MAX_PAUSE_DAYS)))
        + "\n\n"
        + _("You can stop at any time with /cancel."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "⬅️ Back"), callback_data=callbacks.SETTINGS.data()
                    )
                ]
            ]
        ),
    )
    Pausing().save(context)
    return PAUSE


async def receive_pause(update: Update, context: KapstokContext) -> str | int:
    """A typed date: pause until then, or say why not and ask again."""
    if not await require_approved_member(update, context):
        Pausing.drop(context)
        return ConversationHandler.END
    text = update.message.text
    day = today(context.store, context.config)
    locale = i18n.babel_locale()
    until = parse_pause(text, day, locale)
    if until is None:
        last = day + timedelta(days=MAX_PAUSE_DAYS)
        if parse_pause(text, day - timedelta(days=MAX_PAUSE_DAYS), locale) is not None:
            answer = _("That day has already passed. Type a date from today on, like {example}.")
        elif parse_pause(text, last, locale) is not None:
            answer = _(
                "You can pause for at most a year: until {last} at the latest. Type an earlier "
                "date, like {example}."
            )
        else:
            answer = _(
                "I cannot use that as a date. Type a date from today to {last}, like {example}."
            )
        await update.message.reply_text(
            answer.format(example=_example(day), last=_short_date(last))
        )
        return PAUSE
    Pausing.drop(context)
    await context.store.preferences.pause(context.profile.user_id, until)
    text, keyboard = await _page(context)
    await update.message.reply_text(text, reply_markup=keyboard)
    return ConversationHandler.END


async def pause_not_text(update: Update, context: KapstokContext) -> str:
    day = today(context.store, context.config)
    await update.message.reply_text(
        _("Please type the date as a text message, like {example}.").format(example=_example(day))
    )
    return PAUSE


async def back(update: Update, context: KapstokContext) -> int:
    """⬅️ Back while a date is asked for: no pause, the page again."""
    Pausing.drop(context)
    await settings(update, context)
    return ConversationHandler.END


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    pausing = ConversationHandler(
        name="settings",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_pause, pattern=callbacks.SETTINGS_PAUSE.matches)],
        states={
            PAUSE: [
                MessageHandler(private & TEXT, receive_pause),
                MessageHandler(private & NOT_TEXT, pause_not_text),
                CallbackQueryHandler(back, pattern=callbacks.SETTINGS.matches),
            ]
        },
        fallbacks=fallbacks(Pausing.KEY),
    )
    return [
        pausing,
        CommandHandler("settings", settings, filters=private),
        CallbackQueryHandler(settings, pattern=callbacks.SETTINGS.matches),
        CallbackQueryHandler(toggle, pattern=callbacks.SETTINGS_TOGGLE.matches),
        CallbackQueryHandler(resume, pattern=callbacks.SETTINGS_RESUME.matches),
        CallbackQueryHandler(fewer, pattern=callbacks.FEWER.matches),
    ]
