"""The liaison side of threads: replies in the group, Take it / Close, /open, /mine, /close,
/reopen, and the reminder for threads that wait too long."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.i18n import _, pgettext
from bot.workinghours import working_hours_between
from handlers.relay import (
    CLOSE,
    MESSAGE_LIMIT,
    REOPEN,
    TAKE,
    acknowledge,
    message_part,
    notify_group,
    plain_length,
    refresh_card,
    status_icon,
    tell_members,
)
from handlers.threads import (
    LIAISON_REPLY,
    answer_as_liaison,
    liaison_thread,
    send_history,
    solved_keyboard,
)
from handlers.ui import esc, require_liaison
from storage.models import Thread, ThreadStatus

log = logging.getLogger(__name__)

VIEW = "th:view:"
MAX_BUTTONS = 60


def _number(text: str, prefix: str = "") -> int | None:
    value = text.removeprefix(prefix).lstrip("#")
    return int(value) if value.isdigit() else None


# --- replies in the liaison group ---------------------------------------------------------------


async def group_reply(update: Update, context: KapstokContext) -> None:
    """A liaison's reply to a card or relayed message goes to the board; anything else is a note."""
    message = update.message
    if not context.is_liaison:
        return  # a colleague who is no liaison officer: their reply is an internal note
    known = await context.store.message_by_copy(
        message.chat_id, message.reply_to_message.message_id
    )
    if known is None:
        return  # a reply to something else than a thread: an internal note
    thread = await context.store.thread(known.thread_id)
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
    thread = await liaison_thread(update, context, _number(query.data, TAKE))
    if thread is None:
        return
    profile = context.profile
    if thread.owner_id == profile.user_id:
        await query.answer(_("#{number} is already yours.").format(number=thread.thread_id))
        return
    thread = await context.store.take_thread(thread.thread_id, profile.user_id, profile.full_name)
    await query.answer(_("#{number} is yours now.").format(number=thread.thread_id))
    await refresh_card(context, thread)


async def close_thread(context: KapstokContext, thread: Thread) -> bool:
    """Close a thread as the liaison officer, and ask the board whether it is solved."""
    name = context.profile.full_name
    thread, changed = await context.store.close_thread(thread.thread_id, name)
    if not changed:
        return False
    await refresh_card(context, thread)
    await tell_members(
        context,
        thread,
        lambda: _(
            "🔒 {liaison} of the municipality closed your question #{number}. Is it solved?"
        ).format(liaison=esc(name), number=thread.thread_id),
        keyboard=lambda: solved_keyboard(thread),
    )
    return True


async def reopen_thread(context: KapstokContext, thread: Thread) -> bool:
    thread, changed = await context.store.reopen_thread(thread.thread_id)
    if changed:
        await refresh_card(context, thread)
    return changed


async def close_button(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await liaison_thread(update, context, _number(query.data, CLOSE))
    if thread is None:
        return
    closed = await close_thread(context, thread)
    await query.answer(
        _("Closed; the board is asked whether it is solved.")
        if closed
        else _("This question was already closed.")
    )


async def reopen_button(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await liaison_thread(update, context, _number(query.data, REOPEN))
    if thread is None:
        return
    reopened = await reopen_thread(context, thread)
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
    if await close_thread(context, thread):
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
    if await reopen_thread(context, thread):
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
    threads = await context.store.waiting_threads(context.profile.user_id if mine else None)
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
                        callback_data=f"{VIEW}{t.thread_id}",
                    )
                ]
                for t in threads[:MAX_BUTTONS]
            ]
        )
    chunks = [lines[0]]
    for line in lines[1:]:
        if plain_length(chunks[-1]) + plain_length(line) + 1 > MESSAGE_LIMIT:
            chunks.append(line)
        else:
            chunks[-1] += "\n" + line
    for index, chunk in enumerate(chunks):
        await update.message.reply_text(
            chunk,
            parse_mode=ParseMode.HTML,
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
    thread = await liaison_thread(update, context, _number(query.data, VIEW))
    if thread is None:
        return
    await query.answer()
    rows = [
        [
            InlineKeyboardButton(
                pgettext("button", "✍️ Reply"), callback_data=f"{LIAISON_REPLY}{thread.thread_id}"
            )
        ]
    ]
    if thread.status is ThreadStatus.CLOSED:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "↩️ Reopen"), callback_data=f"{REOPEN}{thread.thread_id}"
                )
            ]
        )
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "🙋 Take it"), callback_data=f"{TAKE}{thread.thread_id}"
                ),
                InlineKeyboardButton(
                    pgettext("button", "✅ Close"), callback_data=f"{CLOSE}{thread.thread_id}"
                ),
            ]
        )
    await send_history(update, context, thread, InlineKeyboardMarkup(rows))


# --- the reminder ------------------------------------------------------------------------------


async def nudge_waiting_threads(context: KapstokContext) -> int:
    """Remind the topic, once, of every thread waiting longer than the configured working hours."""
    config = context.config
    now = context.store.now()
    nudged = 0
    for thread in await context.store.threads_to_nudge():
        hours = working_hours_between(thread.waiting_since, now, config.timezone)
        if hours < config.nudge_working_hours:
            continue
        owner = (
            f'<a href="tg://user?id={thread.owner_id}">{esc(thread.owner_name)}</a>'
            if thread.owner_id
            else _("nobody has taken it yet")
        )
        posted = await notify_group(
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
        if posted:
            await context.store.mark_nudged(thread.thread_id, now)
            nudged += 1
    return nudged


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        MessageHandler(
            filters.Chat(liaison_chat_id)
            & filters.UpdateType.MESSAGE
            & filters.REPLY
            & ~filters.COMMAND,
            group_reply,
        ),
        CallbackQueryHandler(take, pattern=f"^{TAKE}"),
        CallbackQueryHandler(close_button, pattern=f"^{CLOSE}"),
        CallbackQueryHandler(reopen_button, pattern=f"^{REOPEN}"),
        CallbackQueryHandler(view_as_liaison, pattern=f"^{VIEW}"),
        CommandHandler("open", open_threads, filters=where),
        CommandHandler("mine", my_threads, filters=where),
        CommandHandler("close", close_command, filters=where),
        CommandHandler("reopen", reopen_command, filters=where),
    ]
