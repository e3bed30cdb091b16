"""Carrying a thread's messages between the board's private chats and the liaison group.

Every Telegram message that shows a thread message is stored with its ids, so that replies and
edits find their way back, also after a restart.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, ReactionTypeEmoji, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, TelegramError, TimedOut

from bot import i18n
from bot.context import KapstokContext
from bot.domain.associations import Association
from bot.domain.threads import MEDIA_KINDS, MessagePart, Thread, ThreadMessage
from bot.i18n import _
from handlers.text import CAPTION_LIMIT, MESSAGE_LIMIT, plain_length, split_text
from handlers.threads.cards import (
    card_keyboard,
    card_pieces,
    group_header,
    member_header,
    refresh_card,
)
from handlers.threads.topics import post_in_topic
from handlers.ui import esc

log = logging.getLogger(__name__)

REFERENCE = -1  # a copy that only points at a thread message (a confirmation): never edited
RECEIVED = "👍"


async def acknowledge(context: KapstokContext, message: Message, fallback: str) -> None:
    """A quiet 👍 on a relayed message; a short text where Telegram refuses the reaction."""
    try:
        await context.bot.set_message_reaction(
            message.chat_id, message.message_id, ReactionTypeEmoji(RECEIVED)
        )
    except TelegramError:
        await message.reply_text(fallback)


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


async def _send_card(context: KapstokContext, association, thread, first) -> None:
    pieces, keyboard = card_pieces(thread, first), card_keyboard(thread)
    chat_id = context.config.liaison_chat_id

    async def send(topic_id):
        return await context.bot.send_message(
            chat_id,
            pieces[0],
            reply_markup=keyboard,
            message_thread_id=topic_id,
        )

    card = await post_in_topic(context, association, send)
    await context.store.threads.set_card(thread.thread_id, card.chat_id, card.message_id)
    await context.store.threads.add_copy(first.message_id, card.chat_id, card.message_id)
    for part, piece in enumerate(pieces[1:], start=1):

        async def send_rest(topic_id, piece=piece):
            return await context.bot.send_message(
                chat_id,
                piece,
                message_thread_id=topic_id,
                reply_parameters=ReplyParameters(card.message_id, allow_sending_without_reply=True),
            )

        sent = await post_in_topic(context, association, send_rest)
        await context.store.threads.add_copy(first.message_id, chat_id, sent.message_id, part)


async def _send_into_group(
    context: KapstokContext, association: Association, thread: Thread, message: ThreadMessage
) -> None:
    """Relay one association message into the topic, as a reply to the thread's card."""
    chat_id = context.config.liaison_chat_id
    reply = (
        ReplyParameters(thread.card_message_id, allow_sending_without_reply=True)
        if thread.card_chat_id == chat_id
        else None
    )
    header = group_header(thread, message)
    if message.kind == "text":
        room = MESSAGE_LIMIT - plain_length(header) - 1
        for part, piece in enumerate(split_text(message.text, room)):

            async def send(topic_id, piece=piece):
                return await context.bot.send_message(
                    chat_id,
                    f"{header}\n{esc(piece)}",
                    message_thread_id=topic_id,
                    reply_parameters=reply,
                )

            sent = await post_in_topic(context, association, send)
            await context.store.threads.add_copy(message.message_id, chat_id, sent.message_id, part)
        return
    copied = await _copy_media(context, association, message, chat_id, header, reply)
    await context.store.threads.add_copy(message.message_id, chat_id, copied)


async def _copy_media(
    context, association, message, chat_id, header, reply, *, in_topic=True
) -> int:
    caption = f"{header}\n{esc(message.text)}" if message.text else header
    too_long = plain_length(caption) > CAPTION_LIMIT

    async def send(topic_id):
        if too_long:
            await context.bot.send_message(
                chat_id,
                header,
                message_thread_id=topic_id,
                reply_parameters=reply,
            )
        return await context.bot.copy_message(
            chat_id,
            message.source_chat_id,
            message.source_message_id,
            caption=None if too_long else caption,
            parse_mode=None if too_long else ParseMode.HTML,
            message_thread_id=topic_id,
            reply_parameters=None if too_long else reply,
        )

    if in_topic:
        copied = await post_in_topic(context, association, send)
    else:
        copied = await send(None)
    return copied.message_id


async def deliver_in(
    context: KapstokContext, thread: Thread, messages: list[ThreadMessage]
) -> bool:
    """Carry association messages into its topic; the first message of a thread gets the card.

    A failure is counted and the message stays undelivered, for the retry job to carry later.
    """
    association = await context.store.associations.get(thread.association_id)
    with i18n.use_language(context.config.default_language):
        for message in messages:
            try:
                current = await context.store.threads.thread(thread.thread_id)
                if current.card_message_id is None:
                    first = (await context.store.threads.messages(thread.thread_id))[0]
                    await _send_card(context, association, current, first)
                    current = await context.store.threads.thread(thread.thread_id)
                    if message.kind != "text" or message.message_id != first.message_id:
                        await _send_into_group(context, association, current, message)
                else:
                    await _send_into_group(context, association, current, message)
                    if (
                        await context.store.threads.thread(thread.thread_id)
                    ).card_message_id is None:
                        # Its topic was deleted meanwhile: the new topic gets the card too.
                        first = (await context.store.threads.messages(thread.thread_id))[0]
                        current = await context.store.threads.thread(thread.thread_id)
                        await _send_card(context, association, current, first)
            except TelegramError as error:
                attempts = await context.store.threads.mark_failed(message.message_id)
                log.error(
                    "could not relay message %s of thread #%s into the liaison group "
                    "(attempt %s): %s",
                    message.message_id,
                    thread.thread_id,
                    attempts,
                    error,
                )
                return False
            await context.store.threads.mark_delivered(message.message_id)
    return True


async def echo_in_group(context: KapstokContext, thread: Thread, message: ThreadMessage) -> None:
    """Show in the topic an answer given elsewhere (a private chat, a snippet), so that the
    topic holds the whole conversation."""
    association = await context.store.associations.get(thread.association_id)
    with i18n.use_language(context.config.default_language):
        try:
            await _send_into_group(context, association, thread, message)
        except TelegramError as error:
            log.error(
                "could not show the answer to #%s in the liaison group: %s", thread.thread_id, error
            )


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


async def notify_group(context: KapstokContext, thread: Thread, text_for_group) -> bool:
    """A short notice in the association's topic, rendered by `text_for_group()` in the group's
    language; False when Telegram did not take it."""
    association = await context.store.associations.get(thread.association_id)
    with i18n.use_language(context.config.default_language):
        text = text_for_group()

    async def send(topic_id):
        return await context.bot.send_message(
            context.config.liaison_chat_id,
            text,
            message_thread_id=topic_id,
        )

    try:
        await post_in_topic(context, association, send)
    except TelegramError as error:
        log.error(
            "could not post a notice about #%s in the liaison group: %s", thread.thread_id, error
        )
        return False
    return True


async def _send_to_member(context, thread, message, member_id: int) -> None:
    header = member_header(thread, message)
    if message.kind == "text":
        room = MESSAGE_LIMIT - plain_length(header) - 1
        for part, piece in enumerate(split_text(message.text, room)):
            sent = await context.bot.send_message(member_id, f"{header}\n{esc(piece)}")
            await context.store.threads.add_copy(
                message.message_id, member_id, sent.message_id, part
            )
        return
    copied = await _copy_media(context, None, message, member_id, header, None, in_topic=False)
    await context.store.threads.add_copy(message.message_id, member_id, copied)


async def deliver_out(context: KapstokContext, thread: Thread, message: ThreadMessage) -> int:
    """Send a liaison's message to every board member; tell the topic about who missed it."""
    members = await context.store.associations.board_members(thread.association_id)
    delivered = 0
    for member in members:
        with i18n.use_language(member.language):
            try:
                await _send_to_member(context, thread, message, member.user_id)
                delivered += 1
            except Forbidden:
                await notify_group(
                    context,
                    thread,
                    lambda member=member: _(
                        "⚠️ {member} has blocked Kapstok and did not get this message of #{number}."
                    ).format(member=esc(member.full_name), number=thread.thread_id),
                )
            except TelegramError as error:
                log.error(
                    "could not send #%s to member %s: %s", thread.thread_id, member.user_id, error
                )
                await notify_group(
                    context,
                    thread,
                    lambda member=member: _(
                        "⚠️ Telegram did not deliver this message of #{number} to {member}. "
                        "Please send it again in a moment."
                    ).format(member=esc(member.full_name), number=thread.thread_id),
                )
    if not members:
        await notify_group(
            context,
            thread,
            lambda: _(
                "⚠️ {association} has no board members on Kapstok any more: nobody got "
                "this message of #{number}."
            ).format(association=esc(thread.association_name), number=thread.thread_id),
        )
    return delivered


async def tell_members(
    context: KapstokContext, thread: Thread, render, keyboard=None, except_user: int | None = None
) -> None:
    """A message to every board member in their language; `render()` and `keyboard()` make it."""
    for member in await context.store.associations.board_members(thread.association_id):
        if member.user_id == except_user:
            continue
        with i18n.use_language(member.language):
            try:
                await context.bot.send_message(
                    member.user_id,
                    render(),
                    reply_markup=keyboard() if keyboard else None,
                )
            except TelegramError as error:
                log.warning(
                    "could not tell member %s about #%s: %s",
                    member.user_id,
                    thread.thread_id,
                    error,
                )


# --- edits -----------------------------------------------------------------------------------


async def propagate_edit(context: KapstokContext, message: ThreadMessage) -> None:
    """Show an edited message's new text wherever it was relayed."""
    thread = await context.store.threads.thread(message.thread_id)
    for copy in await context.store.threads.copies(message.message_id):
        if copy.part == REFERENCE or copy.chat_id == message.source_chat_id:
            continue
        if copy.chat_id == context.config.liaison_chat_id:
            language = context.config.default_language
        else:
            language = (
                await context.store.users.language_of(copy.chat_id) or i18n.default_language()
            )
        with i18n.use_language(language):
            try:
                await _edit_copy(context, thread, message, copy)
            except TelegramError as error:
                if "not modified" not in str(error).lower():
                    log.warning(
                        "could not edit the copy %s/%s: %s",
                        copy.chat_id,
                        copy.telegram_message_id,
                        error,
                    )


async def _edit_copy(context, thread, message, copy) -> None:
    is_card = (copy.chat_id, copy.telegram_message_id) == (
        thread.card_chat_id,
        thread.card_message_id,
    )
    if is_card:
        await refresh_card(context, thread)
        return
    header = (
        group_header(thread, message)
        if copy.chat_id == context.config.liaison_chat_id
        else member_header(thread, message)
    )
    if message.kind == "text":
        room = MESSAGE_LIMIT - plain_length(header) - 1
        pieces = split_text(message.text, room)
        if copy.part < len(pieces):
            await context.bot.edit_message_text(
                f"{header}\n{esc(pieces[copy.part])}",
                chat_id=copy.chat_id,
                message_id=copy.telegram_message_id,
            )
        return
    caption = f"{header}\n{esc(message.text)}" if message.text else header
    if plain_length(caption) <= CAPTION_LIMIT:
        await context.bot.edit_message_caption(
            chat_id=copy.chat_id,
            message_id=copy.telegram_message_id,
            caption=caption,
        )
