"""Sending to many: rows that wait behind relays, the 🔕 button under every optional message,
and what happens when a board member blocked the bot.

A message to many is decided once (one row per recipient, one `executemany`, in the transaction
that decides it) and rendered when its row has its turn, in the recipient's language and
against their settings as they are then.
"""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.preferences import Kind, wants
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.threads import rows
from handlers.ui import esc
from storage import Store

BULK = 10  # after relays, answers and notices (priority 0)


def today(store: Store, config) -> date:
    """The municipality's date now."""
    return store.now().astimezone(config.timezone).date()


async def still_wanted(context: KapstokContext, user_id: int, kind: Kind) -> bool:
    """Whether the recipient still wants this kind of message, at the moment it goes."""
    preferences = await context.store.preferences.get(user_id)
    return wants(preferences, kind, today(context.store, context.config))


KIND_NAMES = {
    Kind.NEWS: lambda: _("News from the municipality"),
    Kind.CHECKINS: lambda: _("Check-ins and the cooperation barometer"),
    Kind.CALLS: lambda: _("Calls from other associations"),
    Kind.REMINDERS: lambda: _("Reminders"),
}


def kind_name(kind: Kind) -> str:
    """An optional kind of message, as /settings names it."""
    return KIND_NAMES[kind]()


def fewer_button(kind: Kind) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "🔕 Fewer messages like this"),
        callback_data=callbacks.FEWER.data(kind.value),
    )


def with_fewer(kind: Kind, keyboard: list[list[InlineKeyboardButton]] = ()) -> InlineKeyboardMarkup:
    """A keyboard that ends with the 🔕 button for this kind of optional message."""
    return InlineKeyboardMarkup([*keyboard, [fewer_button(kind)]])


async def blocked(application: Application, user_id: int) -> None:
    """A board member blocked the bot (or their account is gone): no optional message is queued
    for them any more; when nobody of their board can be reached, their topic hears it once."""
    store = application.bot_data.store
    config = application.bot_data.config
    async with store.transaction():
        if not await store.users.mark_unreachable(user_id):
            return
        membership = await store.associations.membership(user_id)
        if membership is None or not await store.preferences.all_unreachable(
            membership.association_id
        ):
            return
        if not await store.preferences.notice_unreachable(membership.association_id):
            return
        with i18n.use_language(config.default_language):
            text = _(
                "📵 Nobody of the board of {association} can be reached: each of them blocked "
                "Kapstok. Messages to them wait until one of them writes to Kapstok again."
            ).format(association=esc(membership.association_name))
        await queue(
            application,
            [rows.topic_notice(config.liaison_chat_id, membership.association_id, text)],
        )


def register(application: Application) -> None:
    outbox = application.bot_data.outbox

    async def on_blocked(chat_id: int) -> None:
        await blocked(application, chat_id)

    outbox.on_blocked.append(on_blocked)
