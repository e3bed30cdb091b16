"""Carrying a thread's messages between the board's private chats and the liaison group.

What a handler decides to carry is queued in the outbox, in the update's transaction; the
outbox sends it as the group's budget allows (handlers/threads/deliveries.py). Every Telegram
message that shows a thread message is stored with its ids, so that replies and edits find
their way back, also after a restart.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Message, ReactionTypeEmoji
from telegram.error import NetworkError, TelegramError, TimedOut

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.threads import MEDIA_KINDS, MessagePart, Thread, ThreadMessage
from bot.i18n import _
from handlers.threads import rows
from handlers.ui import esc

# However many messages arrive, a card is drawn again at most once a minute.
CARD_QUIET = timedelta(minutes=1)

REFERENCE = -1  # a copy that only points at a thread message (a confirmation): never edited
RECEIVED = "👍"


async def acknowledge(context: KapstokContext, message: Message, fallback: str) -> None:
    """A quiet 👍 on a relayed message; a short text where Telegram refuses the reaction. Given
    once what it acknowledges is committed: the database is not held while Telegram answers."""

    async def react() -> None:
        try:
            await context.bot.set_message_reaction(
                message.chat_id, message.message_id, ReactionTypeEmoji(RECEIVED)
            )
        except TelegramError:
            await message.reply_text(fallback)

    await context.store.db.after_commit(react)


async def refuse_unrelayable(message: Message) -> None:
    await message.reply_text(
        _("I can pass on text, photos, documents and voice messages. Please send one of those.")
    )


def message_part(message: Message) -> MessagePart | None:
    """What Kapstok keeps of a message it relays; None for kinds it does not relay."""
    if message.text is not None:
        kind = "text"
    else:
        kind = next((k for k in MEDIA_KINDS if getattr(message, k, None)), None)
        if kind is None:
            return None
    return MessagePart(
        kind=kind,
        text=message.text if kind == "text" else (message.caption or ""),
        chat_id=message.chat_id,
        message_id=message.message_id,
        media_group_id=message.media_group_id,
    )


async def relay_in(context: KapstokContext, thread: Thread, messages: list[ThreadMessage]) -> None:
    """Carry association messages into its topic; a thread without a card gets it first (the
    card shows the first message)."""
    await queue(context.application, await relay_rows(context, thread, messages))


async def relay_rows(context: KapstokContext, thread: Thread, messages: list[ThreadMessage]):
    """The outbox rows that carry association messages into the topic (see relay_in)."""
    chat_id = context.config.liaison_chat_id
    queued = []
    covered = None
    if thread.card_message_id is None and not await context.store.outbox.waiting(
        rows.new_card_key(thread.thread_id)
    ):
        queued.append(rows.card(chat_id, thread.thread_id))
        covered = await context.store.threads.first_message(thread.thread_id)
    for message in messages:
        if covered and message.message_id == covered.message_id and message.kind == "text":
            continue
        queued.append(rows.relay_to_group(chat_id, message.message_id))
    return queued


async def echo_in_group(context: KapstokContext, thread: Thread, message: ThreadMessage) -> None:
    """Show in the topic an answer given elsewhere (a private chat, a snippet), so that the
    topic holds the whole conversation."""
    await queue(
        context.application,
        [rows.relay_to_group(context.config.liaison_chat_id, message.message_id)],
    )


async def refresh_card(context: KapstokContext, thread: Thread, *, soon: bool = True) -> None:
    """Draw the card again with the thread's status and owner: soon after a liaison's action,
    within a minute (and so at most once a minute) when the board's messages change it."""
    await queue(context.application, await card_refresh_rows(context, thread, soon=soon))


async def card_refresh_rows(context: KapstokContext, thread: Thread, *, soon: bool):
    """The outbox row that draws the card again (see refresh_card); a waiting one is hastened
    when it is a liaison's action."""
    key = rows.refresh_key(thread.thread_id)
    if soon:
        await context.store.outbox.hasten(key)
        not_before = None
    else:
        not_before = context.store.now() + CARD_QUIET
    return [rows.card_refresh(context.config.liaison_chat_id, thread.thread_id, not_before)]


async def notify_group(context: KapstokContext, thread: Thread, text_for_group) -> None:
    """A short notice in the association's topic, rendered by `text_for_group()` in the group's
    language."""
    with i18n.use_language(context.config.default_language):
        text = text_for_group()
    notice = rows.topic_notice(context.config.liaison_chat_id, thread.association_id, text)
    await queue(context.application, [notice])


async def deliver_out(context: KapstokContext, thread: Thread, message: ThreadMessage) -> None:
    """Send a liaison's message to every board member; the topic hears who did not get it."""
    members = await context.store.associations.board_members(thread.association_id)
    if not members:
        await notify_group(
            context,
            thread,
            lambda: _(
                "⚠️ {association} has no board members on Kapstok any more: nobody got "
                "this message of #{number}."
            ).format(association=esc(thread.association_name), number=thread.thread_id),
        )
        return
    await queue(
        context.application,
        [rows.relay_to_member(member.user_id, message.message_id) for member in members],
    )


async def tell_members(
    context: KapstokContext, thread: Thread, render, keyboard=None, except_user: int | None = None
) -> None:
    """A message to every board member in their language; `render()` and `keyboard()` make it."""
    queued = []
    for member in await context.store.associations.board_members(thread.association_id):
        if member.user_id == except_user:
            continue
        with i18n.use_language(member.language):
            queued.append(message_row(member.user_id, render(), keyboard() if keyboard else None))
    await queue(context.application, queued)


async def propagate_edit(context: KapstokContext, message: ThreadMessage) -> None:
    """Show an edited message's new text wherever it was relayed."""
    thread = await context.store.threads.thread(message.thread_id)
    queued = []
    for copy in await context.store.threads.copies(message.message_id):
        if copy.part == REFERENCE or copy.chat_id == message.source_chat_id:
            continue
        if (copy.chat_id, copy.telegram_message_id) == (
            thread.card_chat_id,
            thread.card_message_id,
        ):
            await refresh_card(context, thread)
            continue
        if copy.chat_id == context.config.liaison_chat_id:
            language = context.config.default_language
        else:
            language = await context.store.users.language_of(copy.chat_id)
        queued.append(
            rows.edit_copy(
                copy.chat_id,
                message.message_id,
                copy.telegram_message_id,
                copy.part,
                language or i18n.default_language(),
            )
        )
    await queue(context.application, queued)


async def send_surely(send, attempts: int = 3):
    """Send a message that must arrive, trying again after a network hiccup."""
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except (NetworkError, TimedOut):
            if attempt == attempts:
                raise
            await asyncio.sleep(0.5 * attempt)
    return None
