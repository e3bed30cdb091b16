"""Carrying a thread's messages between the board's private chats and the liaison group.

Every Telegram message that shows a thread message is stored with its ids, so that replies and
edits find their way back, also after a restart.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReactionTypeEmoji,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, TelegramError, TimedOut

from bot import i18n
from bot.context import KapstokContext
from bot.i18n import _, pgettext
from handlers import kapstokken
from handlers.topics import post_in_topic
from handlers.ui import esc
from storage import Association
from storage.models import Direction, Thread, ThreadMessage, ThreadStatus

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
REFERENCE = -1
RECEIVED = "👍"  # a copy that only points at a thread message (a confirmation): never edited
RELAYED_KINDS = ("photo", "document", "voice", "video", "audio")

_TAGS = re.compile(r"<[^>]+>")

TAKE = "th:take:"
CLOSE = "th:close:"
REOPEN = "th:reopen:"


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


def plain_length(markup: str) -> int:
    """The length Telegram counts: that of the text without its markup."""
    return len(html.unescape(_TAGS.sub("", markup)))


def message_part(message: Message) -> dict | None:
    """What Kapstok keeps of a message it relays; None for kinds it does not relay."""
    if message.text is not None:
        kind = "text"
    else:
        kind = next((k for k in RELAYED_KINDS if getattr(message, k, None)), None)
        if kind is None:
            return None
    return {
        "kind": kind,
        "text": message.text if kind == "text" else (message.caption or ""),
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "media_group_id": message.media_group_id,
    }


def split_text(text: str, limit: int) -> list[str]:
    """Cut a long text into pieces of at most `limit` characters, at a line or word if possible."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < limit else text[cut:]
    pieces.append(text)
    return pieces


def status_label(status: ThreadStatus) -> str:
    return {
        ThreadStatus.OPEN: pgettext("thread status", "open"),
        ThreadStatus.ANSWERED: pgettext("thread status", "answered"),
        ThreadStatus.CLOSED: pgettext("thread status", "closed"),
    }[status]


def status_icon(status: ThreadStatus) -> str:
    return {ThreadStatus.OPEN: "🟠", ThreadStatus.ANSWERED: "🟢", ThreadStatus.CLOSED: "⚪"}[status]


def kind_label(kind: str) -> str:
    return {
        "photo": _("[photo]"),
        "document": _("[document]"),
        "voice": _("[voice message]"),
        "video": _("[video]"),
        "audio": _("[audio]"),
    }.get(kind, "")


def subject_line(thread: Thread) -> str:
    page = kapstokken.page_by_number(thread.kapstok)
    return f"{page.emoji} {esc(thread.subject.name(i18n.current_language()))}"


# --- the liaison group's side ----------------------------------------------------------------


def card_pieces(thread: Thread, first: ThreadMessage) -> list[str]:
    """The card, and the rest of a question too long to fit on it: split, never cut."""
    head = card_head(thread, first)
    if first.kind != "text":
        return [f"{head}\n" + " ".join(filter(None, [kind_label(first.kind), esc(first.text)]))]
    room = MESSAGE_LIMIT - plain_length(head) - 1
    pieces = split_text(first.text, room)
    continued = group_header(thread, first)
    return [f"{head}\n{esc(pieces[0])}"] + [f"{continued}\n{esc(piece)}" for piece in pieces[1:]]


def card_text(thread: Thread, first: ThreadMessage) -> str:
    return card_pieces(thread, first)[0]


def card_head(thread: Thread, first: ThreadMessage) -> str:
    """The card of a thread in the liaison group, in the group's language, before the question."""
    page = kapstokken.page_by_number(thread.kapstok)
    owner = esc(thread.owner_name) if thread.owner_name else _("nobody yet")
    lines = [
        _("🧵 <b>Question #{number}</b> · {kapstok}").format(
            number=thread.thread_id, kapstok=esc(_(page.title))
        ),
        _("<b>Subject:</b> {subject}").format(
            subject=esc(thread.subject.name(i18n.current_language()))
        ),
        _("<b>Association:</b> {association}").format(association=esc(thread.association_name)),
        _("<b>From:</b> {member}").format(member=esc(first.author_name or _("(erased)"))),
        _("<b>Status:</b> {status} · <b>Owner:</b> {owner}").format(
            status=status_label(thread.status), owner=owner
        ),
        "",
    ]
    return "\n".join(lines)


def card_keyboard(thread: Thread) -> InlineKeyboardMarkup:
    if thread.status is ThreadStatus.CLOSED:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "↩️ Reopen"), callback_data=f"{REOPEN}{thread.thread_id}"
                    )
                ]
            ]
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "🙋 Take it"), callback_data=f"{TAKE}{thread.thread_id}"
                ),
                InlineKeyboardButton(
                    pgettext("button", "✅ Close"), callback_data=f"{CLOSE}{thread.thread_id}"
                ),
            ]
        ]
    )


def group_header(thread: Thread, message: ThreadMessage) -> str:
    """How a thread message is headed in the liaison group: who wrote it, and to whom."""
    author = esc(message.author_name or _("(erased)"))
    if message.direction is Direction.OUT:
        return _("📤 <b>#{number}</b> · {liaison} to the board:").format(
            number=thread.thread_id, liaison=author
        )
    return _("💬 <b>#{number}</b> · {member}:").format(number=thread.thread_id, member=author)


async def _send_card(context: KapstokContext, association, thread, first) -> None:
    pieces, keyboard = card_pieces(thread, first), card_keyboard(thread)
    chat_id = context.config.liaison_chat_id

    async def send(topic_id):
        return await context.bot.send_message(
            chat_id,
            pieces[0],
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            message_thread_id=topic_id,
        )

    card = await post_in_topic(context, association, send)
    await context.store.set_thread_card(thread.thread_id, card.chat_id, card.message_id)
    await context.store.add_copy(first.message_id, card.chat_id, card.message_id)
    for part, piece in enumerate(pieces[1:], start=1):

        async def send_rest(topic_id, piece=piece):
            return await context.bot.send_message(
                chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                message_thread_id=topic_id,
                reply_parameters=ReplyParameters(card.message_id, allow_sending_without_reply=True),
            )

        sent = await post_in_topic(context, association, send_rest)
        await context.store.add_copy(first.message_id, chat_id, sent.message_id, part)


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
                    parse_mode=ParseMode.HTML,
                    message_thread_id=topic_id,
                    reply_parameters=reply,
                )

            sent = await post_in_topic(context, association, send)
            await context.store.add_copy(message.message_id, chat_id, sent.message_id, part)
        return
    copied = await _copy_media(context, association, message, chat_id, header, reply)
    await context.store.add_copy(message.message_id, chat_id, copied)


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
                parse_mode=ParseMode.HTML,
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
    association = await context.store.get_association(thread.association_id)
    with i18n.use_language(context.config.default_language):
        for message in messages:
            try:
                current = await context.store.thread(thread.thread_id)
                if current.card_message_id is None:
                    first = (await context.store.thread_messages(thread.thread_id))[0]
                    await _send_card(context, association, current, first)
                    current = await context.store.thread(thread.thread_id)
                    if message.kind != "text" or message.message_id != first.message_id:
                        await _send_into_group(context, association, current, message)
                else:
                    await _send_into_group(context, association, current, message)
                    if (await context.store.thread(thread.thread_id)).card_message_id is None:
                        # Its topic was deleted meanwhile: the new topic gets the card too.
                        first = (await context.store.thread_messages(thread.thread_id))[0]
                        current = await context.store.thread(thread.thread_id)
                        await _send_card(context, association, current, first)
            except TelegramError as error:
                attempts = await context.store.mark_failed(message.message_id)
                log.error(
                    "could not relay message %s of thread #%s into the liaison group "
                    "(attempt %s): %s",
                    message.message_id,
                    thread.thread_id,
                    attempts,
                    error,
                )
                return False
            await context.store.mark_delivered(message.message_id)
    return True


async def echo_in_group(context: KapstokContext, thread: Thread, message: ThreadMessage) -> None:
    """Show in the topic an answer given elsewhere (a private chat, a snippet), so that the
    topic holds the whole conversation."""
    association = await context.store.get_association(thread.association_id)
    with i18n.use_language(context.config.default_language):
        try:
            await _send_into_group(context, association, thread, message)
        except TelegramError as error:
            log.error(
                "could not show the answer to #%s in the liaison group: %s", thread.thread_id, error
            )


async def refresh_card(context: KapstokContext, thread: Thread) -> None:
    """Show the thread's status and owner on its card."""
    if thread.card_message_id is None:
        return
    messages = await context.store.thread_messages(thread.thread_id)
    with i18n.use_language(context.config.default_language):
        text, keyboard = card_text(thread, messages[0]), card_keyboard(thread)
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=thread.card_chat_id,
            message_id=thread.card_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
    except TelegramError as error:
        if "not modified" not in str(error).lower():
            log.warning("could not update the card of #%s: %s", thread.thread_id, error)


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
    association = await context.store.get_association(thread.association_id)
    with i18n.use_language(context.config.default_language):
        text = text_for_group()

    async def send(topic_id):
        return await context.bot.send_message(
            context.config.liaison_chat_id,
            text,
            parse_mode=ParseMode.HTML,
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


# --- the board's side ------------------------------------------------------------------------


def member_header(thread: Thread, message: ThreadMessage) -> str:
    return _("💬 <b>#{number}</b> · {liaison} (municipality):").format(
        number=thread.thread_id, liaison=esc(message.author_name or _("(erased)"))
    )


async def _send_to_member(context, thread, message, member_id: int) -> None:
    header = member_header(thread, message)
    if message.kind == "text":
        room = MESSAGE_LIMIT - plain_length(header) - 1
        for part, piece in enumerate(split_text(message.text, room)):
            sent = await context.bot.send_message(
                member_id, f"{header}\n{esc(piece)}", parse_mode=ParseMode.HTML
            )
            await context.store.add_copy(message.message_id, member_id, sent.message_id, part)
        return
    copied = await _copy_media(context, None, message, member_id, header, None, in_topic=False)
    await context.store.add_copy(message.message_id, member_id, copied)


async def deliver_out(context: KapstokContext, thread: Thread, message: ThreadMessage) -> int:
    """Send a liaison's message to every board member; tell the topic about who missed it."""
    members = await context.store.board_members(thread.association_id)
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
    for member in await context.store.board_members(thread.association_id):
        if member.user_id == except_user:
            continue
        with i18n.use_language(member.language):
            try:
                await context.bot.send_message(
                    member.user_id,
                    render(),
                    parse_mode=ParseMode.HTML,
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
    thread = await context.store.thread(message.thread_id)
    for copy in await context.store.copies(message.message_id):
        if copy.part == REFERENCE or copy.chat_id == message.source_chat_id:
            continue
        if copy.chat_id == context.config.liaison_chat_id:
            language = context.config.default_language
        else:
            language = await context.store.user_language(copy.chat_id) or i18n.default_language()
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
                parse_mode=ParseMode.HTML,
            )
        return
    caption = f"{header}\n{esc(message.text)}" if message.text else header
    if plain_length(caption) <= CAPTION_LIMIT:
        await context.bot.edit_message_caption(
            chat_id=copy.chat_id,
            message_id=copy.telegram_message_id,
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
