"""The threads' outbox kinds: what goes into the liaison group's topics and to the board, sent
by the outbox when the group's and the chat's budget allow, each once.

Each kind renders at send time from what the database holds then: a card shows the thread as
it is when it is drawn, a relay replies to the card that exists by then.
"""

from __future__ import annotations

import logging

from telegram import ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.threads import MessageCopy, Thread, ThreadMessage
from bot.i18n import _
from bot.outbox import Delivery, Outbox
from handlers.text import CAPTION_LIMIT, MESSAGE_LIMIT, plain_length, split_text
from handlers.threads import rows
from handlers.threads.cards import (
    card_keyboard,
    card_pieces,
    card_text,
    group_header,
    member_header,
)
from handlers.threads.topics import post_in_topic
from handlers.ui import esc
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)


def register(outbox: Outbox, application: Application) -> None:
    """Teach the outbox the kinds of the threads."""

    def context() -> KapstokContext:
        return KapstokContext(application)

    kinds = {
        rows.CARD: _card,
        rows.RELAY_TO_GROUP: _relay_to_group,
        rows.CARD_REFRESH: _card_refresh,
        rows.TOPIC_NOTICE: _topic_notice,
        rows.RELAY_TO_MEMBER: _relay_to_member,
        rows.EDIT_COPY: _edit_copy,
    }
    for kind, render in kinds.items():

        async def render_row(row: OutboxRow, render=render) -> Delivery | None:
            return await render(context(), row)

        outbox.register(kind, render_row)


def _in_group_language(context: KapstokContext):
    return i18n.use_language(context.config.default_language)


# --- into the liaison group ------------------------------------------------------------------


async def _card(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """A thread's card, with the rest of a first question too long for it."""
    store = context.store
    thread = await store.threads.thread(row.payload["thread_id"])
    if thread is None or thread.card_message_id is not None:
        return None
    first = await store.threads.first_message(thread.thread_id)
    association = await store.associations.get(thread.association_id)

    async def send():
        with _in_group_language(context):
            current = await store.threads.thread(thread.thread_id)
            pieces, keyboard = card_pieces(current, first), card_keyboard(current)
            card = await post_in_topic(
                context,
                association,
                lambda topic: context.bot.send_message(
                    row.chat_id, pieces[0], reply_markup=keyboard, message_thread_id=topic
                ),
            )
            sent = [(0, card)]
            reply = ReplyParameters(card.message_id, allow_sending_without_reply=True)
            for part, piece in enumerate(pieces[1:], start=1):
                rest = await post_in_topic(
                    context,
                    association,
                    lambda topic, piece=piece: context.bot.send_message(
                        row.chat_id, piece, message_thread_id=topic, reply_parameters=reply
                    ),
                )
                sent.append((part, rest))
            return sent

    async def sent(result) -> None:
        card = result[0][1]
        await store.threads.set_card(thread.thread_id, card.chat_id, card.message_id)
        for part, message in result:
            await store.threads.add_copy(first.message_id, row.chat_id, message.message_id, part)
        await store.threads.mark_delivered(first.message_id)

    return Delivery(send, sent, patient=True)


async def _relay_to_group(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """One thread message in its association's topic, as a reply to the thread's card."""
    store = context.store
    found = await store.threads.message_in_thread(row.payload["message_id"])
    if found is None:
        return None
    message, thread = found
    association = await store.associations.get(thread.association_id)

    new_topic: list[bool] = []

    async def send():
        with _in_group_language(context):
            return await _send_into_topic(
                context, association, thread, message, row.chat_id, new_topic
            )

    async def sent(result) -> None:
        for part, message_id in result:
            await store.threads.add_copy(message.message_id, row.chat_id, message_id, part)
        await store.threads.mark_delivered(message.message_id)
        if new_topic:
            # Its topic was deleted meanwhile: the new topic gets the card too.
            await queue(context.application, [rows.card(row.chat_id, thread.thread_id)])

    return Delivery(send, sent, patient=True)


async def _send_into_topic(
    context, association, thread: Thread, message, chat_id: int, new_topic: list[bool]
):
    reply = (
        ReplyParameters(thread.card_message_id, allow_sending_without_reply=True)
        if thread.card_chat_id == chat_id
        else None
    )
    header = group_header(thread, message)
    if message.kind != "text":
        copied = await post_in_topic(
            context,
            association,
            lambda topic: _copy_media(context, message, chat_id, header, reply, topic),
            new_topic=new_topic,
        )
        return [(0, copied.message_id)]
    room = MESSAGE_LIMIT - plain_length(header) - 1
    sent = []
    for part, piece in enumerate(split_text(message.text, room)):
        relayed = await post_in_topic(
            context,
            association,
            lambda topic, piece=piece: context.bot.send_message(
                chat_id, f"{header}\n{esc(piece)}", message_thread_id=topic, reply_parameters=reply
            ),
            new_topic=new_topic,
        )
        sent.append((part, relayed.message_id))
    return sent


async def _copy_media(context, message: ThreadMessage, chat_id, header, reply, topic=None):
    """A photo, document or voice message, headed; the header alone first when the caption
    would be too long."""
    caption = f"{header}\n{esc(message.text)}" if message.text else header
    too_long = plain_length(caption) > CAPTION_LIMIT
    if too_long:
        await context.bot.send_message(
            chat_id, header, message_thread_id=topic, reply_parameters=reply
        )
    return await context.bot.copy_message(
        chat_id,
        message.source_chat_id,
        message.source_message_id,
        caption=None if too_long else caption,
        parse_mode=None if too_long else ParseMode.HTML,
        message_thread_id=topic,
        reply_parameters=None if too_long else reply,
    )


async def _card_refresh(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """The card drawn again with the thread's status and owner as they are now."""
    store = context.store
    thread = await store.threads.thread(row.payload["thread_id"])
    if thread is None or thread.card_message_id is None:
        return None
    first = await store.threads.first_message(thread.thread_id)

    async def send():
        current = await store.threads.thread(thread.thread_id)
        with _in_group_language(context):
            text, keyboard = card_text(current, first), card_keyboard(current)
        try:
            return await context.bot.edit_message_text(
                text,
                chat_id=current.card_chat_id,
                message_id=current.card_message_id,
                reply_markup=keyboard,
            )
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            raise

    return Delivery(send, message=False)


async def _topic_notice(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """A short notice in an association's topic, written when it was queued."""
    association = await context.store.associations.get(row.payload["association_id"])
    if association is None:
        return None

    async def send():
        return await post_in_topic(
            context,
            association,
            lambda topic: context.bot.send_message(
                row.chat_id, row.payload["text"], message_thread_id=topic
            ),
        )

    return Delivery(send)


# --- to the board ------------------------------------------------------------------------------


async def _relay_to_member(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """A liaison's answer to one board member, signed; who did not get it is told in the
    topic."""
    store = context.store
    message = await store.threads.message(row.payload["message_id"])
    if message is None:
        return None
    thread = await store.threads.thread(message.thread_id)
    member_id = row.chat_id

    async def send():
        language = await store.users.language_of(member_id) or i18n.default_language()
        with i18n.use_language(language):
            header = member_header(thread, message)
            if message.kind != "text":
                copied = await _copy_media(context, message, member_id, header, None)
                return [(0, copied.message_id)]
            room = MESSAGE_LIMIT - plain_length(header) - 1
            sent = []
            for part, piece in enumerate(split_text(message.text, room)):
                relayed = await context.bot.send_message(member_id, f"{header}\n{esc(piece)}")
                sent.append((part, relayed.message_id))
            return sent

    async def sent(result) -> None:
        for part, message_id in result:
            await store.threads.add_copy(message.message_id, member_id, message_id, part)

    async def refused(state: str, reason: str) -> None:
        user = await store.users.get(member_id)
        name = esc(user.full_name if user else str(member_id))
        with _in_group_language(context):
            if state == "blocked":
                text = _(
                    "⚠️ {member} has blocked Kapstok and did not get this message of #{number}."
                ).format(member=name, number=thread.thread_id)
            else:
                text = _(
                    "⚠️ Telegram did not deliver this message of #{number} to {member}. "
                    "Please send it again in a moment."
                ).format(member=name, number=thread.thread_id)
        notice = rows.topic_notice(context.config.liaison_chat_id, thread.association_id, text)
        await queue(context.application, [notice])

    return Delivery(send, sent, refused)


# --- edits ---------------------------------------------------------------------------------------


async def _edit_copy(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """A relayed copy shows the new text of an edited message."""
    store = context.store
    message = await store.threads.message(row.payload["message_id"])
    if message is None:
        return None
    thread = await store.threads.thread(message.thread_id)
    copy = MessageCopy(
        row.chat_id, row.payload["telegram_message_id"], message.message_id, row.payload["part"]
    )

    async def send():
        with i18n.use_language(row.payload["language"]):
            try:
                return await _edit(context, thread, message, copy)
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    return None
                raise

    return Delivery(send, message=False)


async def _edit(context: KapstokContext, thread: Thread, message, copy: MessageCopy):
    header = (
        group_header(thread, message)
        if copy.chat_id == context.config.liaison_chat_id
        else member_header(thread, message)
    )
    if message.kind == "text":
        room = MESSAGE_LIMIT - plain_length(header) - 1
        pieces = split_text(message.text, room)
        if copy.part >= len(pieces):
            return None
        return await context.bot.edit_message_text(
            f"{header}\n{esc(pieces[copy.part])}",
            chat_id=copy.chat_id,
            message_id=copy.telegram_message_id,
        )
    caption = f"{header}\n{esc(message.text)}" if message.text else header
    if plain_length(caption) > CAPTION_LIMIT:
        return None
    return await context.bot.edit_message_caption(
        chat_id=copy.chat_id, message_id=copy.telegram_message_id, caption=caption
    )
