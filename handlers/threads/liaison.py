"""The liaison side of threads: replies in the group, Take it / Close, /open, /mine, /close,
/reopen, and the reminder for threads that wait too long."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

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
from bot.domain.threads import Thread, ThreadStatus, is_owned_by
from bot.domain.workinghours import working_hours_between
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.text import join_blocks
from handlers.threads.cards import card_keyboard, send_history, status_icon
from handlers.threads.relay import (
    acknowledge,
    message_part,
    notify_group,
    refresh_card,
    refuse_unrelayable,
)
from handlers.threads.service import (
    answer_as_liaison,
    close_as_liaison,
    liaison_thread,
    reopen_as_liaison,
)
from handlers.ui import esc, mention, require_liaison

log = logging.getLogger(__name__)

MAX_BUTTONS = 60
ALERT_LIMIT = 200  # Telegram's limit for the text of an alert
ANSWER = "threads.answer"
TIMEOUT = timedelta(hours=24)


@dataclass
class Answering(Draft):
    """A liaison writing an answer from a private chat."""

    KEY = "answering"
    thread: int | None = None


def _number(text: str) -> int | None:
    """A thread's number as a liaison types it: 12 or #12."""
    return callbacks.NUMBER.parse(text.lstrip("#"))


# --- replies in the liaison group ---------------------------------------------------------------


async def group_reply(update: Update, context: KapstokContext) -> None:
    """A liaison's reply to a card or relayed message goes to the board; anything else is a note."""
    message = update.message
    if not context.is_liaison:
        return  # a colleague who is no liaison officer: their reply is an internal note
    known = await context.store.threads.message_by_copy(
        message.chat_id, message.reply_to_message.message_id
    )
    if known is None:
        return  # a reply to something else than a thread: an internal note
    thread = await context.store.threads.thread(known.thread_id)
    part = message_part(message)
    if part is None:
        await message.reply_text(
            _("I can pass on text, photos, documents and voice messages; this was not sent.")
        )
        return
    await answer_as_liaison(context, thread, part)
    await acknowledge(context, message, _("Sent to the board."))


# --- the card's buttons and the commands -------------------------------------------------------


async def take(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await liaison_thread(update, context, callbacks.THREAD_TAKE.value(query.data))
    if thread is None:
        return
    profile = context.profile
    if is_owned_by(thread, profile.user_id):
        await query.answer(_("#{number} is already yours.").format(number=thread.thread_id))
        return
    thread, taken = await context.store.threads.take(thread, profile.user_id, profile.full_name)
    if not taken:
        await query.answer(
            _("{owner} already has #{number}.").format(
                owner=thread.owner_name, number=thread.thread_id
            )[:ALERT_LIMIT],
            show_alert=True,
        )
        await refresh_card(context, thread)
        return
    await query.answer(_("#{number} is yours now.").format(number=thread.thread_id))
    await refresh_card(context, thread)


async def close_button(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await liaison_thread(update, context, callbacks.THREAD_CLOSE.value(query.data))
    if thread is None:
        return
    closed = await close_as_liaison(context, thread)
    await query.answer(
        _("Closed; the board is asked whether it is solved.")
        if closed
        else _("This question was already closed.")
    )


async def reopen_button(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await liaison_thread(update, context, callbacks.THREAD_REOPEN.value(query.data))
    if thread is None:
        return
    reopened = await reopen_as_liaison(context, thread)
    await query.answer(_("Reopened.") if reopened else _("This question is not closed."))


async def _commanded_thread(update: Update, context: KapstokContext, usage: str):
    """The thread a liaison's command names (/close 12), or None after saying why not."""
    if not await require_liaison(update, context):
        return None
    number = _number(context.args[0]) if context.args else None
    if number is None:
        await update.message.reply_text(usage)
        return None
    return await liaison_thread(update, context, number)


async def close_command(update: Update, context: KapstokContext) -> None:
    """/close N"""
    thread = await _commanded_thread(update, context, _("Which question? For example: /close 12"))
    if thread is None:
        return
    number = thread.thread_id
    if await close_as_liaison(context, thread):
        await update.message.reply_text(
            _("#{number} is closed; the board is asked whether it is solved.").format(number=number)
        )
    else:
        await update.message.reply_text(_("#{number} was already closed.").format(number=number))


async def reopen_command(update: Update, context: KapstokContext) -> None:
    """/reopen N"""
    thread = await _commanded_thread(update, context, _("Which question? For example: /reopen 12"))
    if thread is None:
        return
    number = thread.thread_id
    if await reopen_as_liaison(context, thread):
        await update.message.reply_text(_("#{number} is open again.").format(number=number))
    else:
        await update.message.reply_text(_("#{number} is not closed.").format(number=number))


def _waiting(thread: Thread, now) -> str:
    if thread.status is ThreadStatus.OPEN and thread.waiting_since is not None:
        return _("waits {age}").format(age=i18n.format_age(now - thread.waiting_since))
    return _("answered {age} ago").format(age=i18n.format_age(now - thread.updated_at))


async def _list(update: Update, context: KapstokContext, mine: bool) -> None:
    if not await require_liaison(update, context):
        return
    threads = await context.store.threads.waiting(context.profile.user_id if mine else None)
    if not threads:
        await update.message.reply_text(
            _("You own no open questions.") if mine else _("No open questions. 🎉")
        )
        return
    now = context.store.now()
    lines = [
        _("<b>Your open questions</b>")
        if mine
        else _("<b>Open questions</b>, the longest waiting first")
    ]
    for thread in threads:
        owner = esc(thread.owner_name) if thread.owner_name else _("nobody yet")
        lines.append(
            _("{icon} #{number} · {association} · {subject} · {waiting} · owner: {owner}").format(
                icon=status_icon(thread.status),
                number=thread.thread_id,
                association=esc(thread.association_name),
                subject=esc(thread.subject.name(i18n.current_language())),
                waiting=_waiting(thread, now),
                owner=owner,
            )
        )
    keyboard = None
    if update.effective_chat.type == "private":
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"#{t.thread_id} · {t.association_name}"[:64],
                        callback_data=callbacks.THREAD_VIEW.data(t.thread_id),
                    )
                ]
                for t in threads[:MAX_BUTTONS]
            ]
        )
    chunks = join_blocks(lines)
    for index, chunk in enumerate(chunks):
        await update.message.reply_text(
            chunk,
            reply_markup=keyboard if index == len(chunks) - 1 else None,
            do_quote=index == 0,
        )


async def open_threads(update: Update, context: KapstokContext) -> None:
    """/open: every question not closed, the longest waiting first."""
    await _list(update, context, mine=False)


async def my_threads(update: Update, context: KapstokContext) -> None:
    """/mine: the open questions the caller owns."""
    await _list(update, context, mine=True)


async def view_as_liaison(update: Update, context: KapstokContext) -> None:
    """A thread's history in a liaison's private chat, with Reply, Take it and Close."""
    query = update.callback_query
    thread = await liaison_thread(update, context, callbacks.THREAD_VIEW.value(query.data))
    if thread is None:
        return
    await query.answer()
    reply = InlineKeyboardButton(
        pgettext("button", "✍️ Reply"), callback_data=callbacks.THREAD_REPLY.data(thread.thread_id)
    )
    rows = [[reply], *card_keyboard(thread).inline_keyboard]
    await send_history(update, context, thread, InlineKeyboardMarkup(rows))


# --- answering from a private chat -----------------------------------------------------------


async def start_answering(update: Update, context: KapstokContext) -> str | int:
    """✍️ Reply under a thread in a liaison's private chat: ask for the answer."""
    query = update.callback_query
    thread = await liaison_thread(update, context, callbacks.THREAD_REPLY.value(query.data))
    if thread is None:
        return ConversationHandler.END
    await query.answer()
    Answering(thread.thread_id).save(context)
    await context.bot.send_message(
        update.effective_chat.id,
        _(
            "Write your answer to #{number}; it goes to every board member of "
            "{association}, signed with your name."
        ).format(number=thread.thread_id, association=esc(thread.association_name))
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return ANSWER


async def receive_answer(update: Update, context: KapstokContext) -> str | int:
    """Send the answer to the board, and show it in the topic."""
    message = update.message
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return ANSWER
    draft = Answering.load(context) or Answering()
    Answering.drop(context)
    thread = await liaison_thread(update, context, draft.thread)
    if thread is None:
        return ConversationHandler.END
    await answer_as_liaison(context, thread, part, echo=True)
    sent = _("Sent to the board of {association} (#{number}).").format(
        association=esc(thread.association_name), number=thread.thread_id
    )
    await context.store.db.after_commit(lambda: message.reply_text(sent))
    return ConversationHandler.END


# --- the reminder ------------------------------------------------------------------------------


async def nudge_waiting_threads(context: KapstokContext) -> int:
    """Remind the topic, once, of every thread waiting longer than the configured working hours."""
    config = context.config
    now = context.store.now()
    nudged = 0
    for thread in await context.store.threads.to_nudge():
        hours = working_hours_between(thread.waiting_since, now, config.timezone)
        if hours < config.nudge_working_hours:
            continue
        owner = (
            mention(thread.owner_id, thread.owner_name)
            if thread.owner_id
            else _("nobody has taken it yet")
        )
        await notify_group(
            context,
            thread,
            lambda thread=thread, owner=owner, hours=hours: _(
                "⏰ #{number} of {association} waits for an answer since {since} "
                "({hours} working hours). Owner: {owner}."
            ).format(
                number=thread.thread_id,
                association=esc(thread.association_name),
                since=i18n.format_datetime(thread.waiting_since),
                hours=int(hours),
                owner=owner,
            ),
        )
        await context.store.threads.mark_nudged(thread.thread_id, now)
        nudged += 1
    return nudged


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answering = ConversationHandler(
        name="answering",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_answering, pattern=callbacks.THREAD_REPLY.claims)],
        states={
            ANSWER: [MessageHandler(filters.ChatType.PRIVATE & (TEXT | NOT_TEXT), receive_answer)]
        },
        fallbacks=fallbacks(Answering.KEY),
    )
    return [
        answering,
        CallbackQueryHandler(take, pattern=callbacks.THREAD_TAKE.claims),
        CallbackQueryHandler(close_button, pattern=callbacks.THREAD_CLOSE.claims),
        CallbackQueryHandler(reopen_button, pattern=callbacks.THREAD_REOPEN.claims),
        CallbackQueryHandler(view_as_liaison, pattern=callbacks.THREAD_VIEW.claims),
        CommandHandler("open", open_threads, filters=where),
        CommandHandler("mine", my_threads, filters=where),
        CommandHandler("close", close_command, filters=where),
        CommandHandler("reopen", reopen_command, filters=where),
    ]


def build_group_reply_handlers(liaison_chat_id: int) -> list:
    """Replies in the liaison group, in a handler group of their own: they run also while the
    replying liaison is in a conversation that only takes replies to its own prompt."""
    return [
        MessageHandler(
            filters.Chat(liaison_chat_id)
            & filters.UpdateType.MESSAGE
            & filters.REPLY
            & ~filters.COMMAND,
            group_reply,
        )
    ]
