"""Runs before every handler: logs the update, loads the sender's profile, sets the language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot import i18n
from bot.context import KapstokContext

log = logging.getLogger("kapstok.updates")

GATEKEEPER_GROUP = -2


def describe(update: Update) -> str:
    """The kind of update, for the log: no message text, no names."""
    for kind in (
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "chat_member",
        "inline_query",
    ):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


async def identify_sender(update: Update, context: KapstokContext) -> None:
    """Know who is writing (creating them at first contact) and speak their language."""
    user = update.effective_user
    chat = update.effective_chat
    log.info(
        "update %s: %s from user %s in chat %s",
        update.update_id,
        describe(update),
        user.id if user else "-",
        chat.id if chat else "-",
    )
    if user is None or user.is_bot:
        i18n.set_language(context.config.default_language)
        return
    language = i18n.language_from_telegram(user.language_code, context.config.default_language)
    context.profile = await context.store.ensure_profile(
        user.id, user.first_name, user.last_name, user.username, language
    )
    i18n.set_language(context.profile.language)
    if (await context.store.users.get(user.id)).unreachable:
        await reachable_again(context, user.id)


async def reachable_again(context: KapstokContext, user_id: int) -> None:
    """Who blocked the bot and writes to it again can be reached again."""
    await context.store.users.mark_reachable(user_id)
    if context.profile is not None and context.profile.association_id is not None:
        await context.store.preferences.reachable_again(context.profile.association_id)


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, identify_sender), group=GATEKEEPER_GROUP)
