"""/help: what the bot does, and the commands this user may use."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.commands import Audience, commands_for
from bot.context import KapstokContext
from bot.i18n import _
from handlers.ui import esc


def _audience(context: KapstokContext) -> Audience:
    if context.is_admin:
        return Audience.ADMIN
    if context.is_liaison:
        return Audience.LIAISON
    return Audience.EVERYONE


async def help_command(update: Update, context: KapstokContext) -> None:
    lines = [
        _(
            "I am Kapstok, the link between the municipality and its associations. I am built "
            "around five kapstokken of good cooperation: a good relationship, good guidance, "
            "cooperation between associations, cooperation around activities, and financial "
            "and material support."
        ),
        "",
        _("<b>Your commands</b>"),
    ]
    member = context.profile is not None and context.profile.is_approved_member
    for command in commands_for(_audience(context), member):
        lines.append(f"/{command.name} — {esc(_(command.description))}")
    await update.effective_message.reply_text("\n".join(lines))


def build_handlers() -> list:
    return [CommandHandler("help", help_command)]
