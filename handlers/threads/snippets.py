"""Canned replies: liaisons keep short answers and send one with /s NAME as a reply."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import KapstokContext
from bot.domain.threads import MessagePart
from bot.i18n import _
from handlers.text import join_blocks
from handlers.threads.relay import acknowledge
from handlers.threads.service import answer_as_liaison
from handlers.ui import esc, require_liaison

NAME = re.compile(r"^[a-z0-9_-]{1,32}$")
MAX_SNIPPET = 3000


def _usage() -> str:
    return _(
        "Use /snippet add NAME TEXT, /snippet list or /snippet remove NAME. Then send a snippet "
        "to an association with /s NAME as a reply to one of its messages in the liaison group."
    )


async def snippet_command(update: Update, context: KapstokContext) -> None:
    """/snippet add|list|remove"""
    if not await require_liaison(update, context):
        return
    message = update.message
    words = message.text.split(maxsplit=3)
    action = words[1].lower() if len(words) > 1 else ""
    name = words[2].lower() if len(words) > 2 else ""
    if action == "list":
        snippets = await context.store.snippets.all()
        if not snippets:
            await message.reply_text(_("No snippets yet. Add one with /snippet add NAME TEXT."))
            return
        lines = [_("<b>Snippets</b> (send one with /s NAME as a reply):")]
        lines += [f"• <code>{esc(s.name)}</code>: {esc(s.text[:80])}" for s in snippets]
        for chunk in join_blocks(lines):
            await message.reply_text(chunk, do_quote=False)
    elif action == "add" and NAME.match(name) and len(words) > 3:
        text = words[3].strip()
        if len(text) > MAX_SNIPPET:
            await message.reply_text(
                _("That snippet is {length} characters long; the limit is {limit}.").format(
                    length=len(text), limit=MAX_SNIPPET
                )
            )
            return
        new = await context.store.snippets.save(name, text, context.profile.user_id)
        reply = _("Snippet {name} saved.") if new else _("Snippet {name} replaced.")
        await message.reply_text(reply.format(name=esc(name)))
    elif action == "remove" and name:
        removed = await context.store.snippets.remove(name)
        reply = _("Snippet {name} removed.") if removed else _("There is no snippet {name}.")
        await message.reply_text(reply.format(name=esc(name[:64])))
    else:
        await message.reply_text(_usage())


async def send_snippet(update: Update, context: KapstokContext) -> None:
    """/s NAME, as a reply to a thread's message: the snippet goes out as the liaison's answer."""
    if not await require_liaison(update, context):
        return
    message = update.message
    name = context.args[0].lower() if context.args else ""
    snippet = await context.store.snippets.get(name) if name else None
    if snippet is None:
        await message.reply_text(
            _("There is no snippet {name}. /snippet list shows them.").format(
                name=esc(name[:64]) or "?"
            )
        )
        return
    replied = message.reply_to_message
    known = (
        await context.store.threads.message_by_copy(message.chat_id, replied.message_id)
        if replied is not None
        else None
    )
    if known is None:
        await message.reply_text(
            _("Send /s NAME as a reply to a message of the question you want to answer.")
        )
        return
    thread = await context.store.threads.thread(known.thread_id)
    part = MessagePart("text", snippet.text, message.chat_id, message.message_id)
    await answer_as_liaison(context, thread, part, echo=True)
    await acknowledge(context, message, _("Sent to the board."))


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("snippet", snippet_command, filters=where),
        CommandHandler("s", send_snippet, filters=filters.Chat(liaison_chat_id)),
    ]
