"""A board's threads: the list, a thread's history, adding to it, closing, and replies and edits
that find their thread by the message they answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.threads import Direction, MessagePart, Thread, ThreadMessage, belongs_to_board
from bot.i18n import _
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.threads.albums import remember_album
from handlers.threads.cards import member_thread_keyboard, send_history, status_icon
from handlers.threads.relay import (
    REFERENCE,
    acknowledge,
    card_refresh_rows,
    message_part,
    notify_group,
    propagate_edit,
    refresh_card,
    refuse_unrelayable,
    relay_rows,
)
from handlers.threads.service import own_thread
from handlers.ui import esc, menu_button, refuse, require_approved_member, send_menu

WRITE = "threads.write"
TIMEOUT = timedelta(hours=24)


@dataclass
class Writing(Draft):
    """A board member writing a new message for one of their threads."""

    KEY = "writing"
    thread: int | None = None


# --- /threads and a thread's history ----------------------------------------------------------


def thread_button(thread: Thread, now) -> InlineKeyboardButton:
    age = i18n.format_age(now - thread.updated_at)
    label = f"{status_icon(thread.status)} #{thread.thread_id} · "
    label += f"{thread.subject.name(i18n.current_language())} · {age}"
    return InlineKeyboardButton(
        label[:64], callback_data=callbacks.MY_THREAD.data(thread.thread_id)
    )


async def list_threads(update: Update, context: KapstokContext) -> None:
    """/threads: the association's questions, open ones first."""
    if not await require_approved_member(update, context):
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    threads = await context.store.threads.of_association(context.profile.association_id)
    if not threads:
        await update.effective_message.reply_text(
            _(
                "Your association has not asked the municipality anything yet. Ask a question "
                "from the kapstok “Good guidance” in the /menu."
            ),
        )
        return
    now = context.store.now()
    rows = [[thread_button(thread, now)] for thread in threads]
    rows.append([menu_button()])
    await context.bot.send_message(
        update.effective_chat.id,
        _(
            "<b>{association}</b>: your questions to the municipality. 🟠 waits for the "
            "municipality, 🟢 answered, ⚪ closed."
        ).format(association=esc(context.profile.association_name)),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def view_thread(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, callbacks.MY_THREAD.value(query.data))
    if thread is None:
        return
    await query.answer()
    await send_history(update, context, thread, member_thread_keyboard(thread))


# --- adding a message: a member to their thread, a liaison from a private chat ------------------


async def add_member_message(
    update: Update, context: KapstokContext, thread: Thread, part: MessagePart
) -> None:
    """Record a member's message in the thread, carry it to the group, and acknowledge it."""
    profile = context.profile
    thread, added, reopened = await context.store.threads.add_message(
        thread, Direction.IN, profile.user_id, profile.full_name, part
    )
    message = update.message
    remember_album(context, message.media_group_id, profile.user_id, thread=thread.thread_id)
    await queue(
        context.application,
        [
            *await relay_rows(context, thread, [added]),
            *await card_refresh_rows(context, thread, soon=reopened),
        ],
    )
    if not reopened:
        await acknowledge(context, update.message, _("Passed on to the municipality."))
        return
    await notify_group(
        context,
        thread,
        lambda: _("↩️ {member} wrote again: #{number} is open again.").format(
            member=esc(profile.full_name), number=thread.thread_id
        ),
    )
    reopened_text = _("Question #{number} is open again; the municipality has your message.")
    await context.store.db.after_commit(
        lambda: update.message.reply_text(reopened_text.format(number=thread.thread_id))
    )


# --- adding a message ----------------------------------------------------------------------------


async def start_writing(update: Update, context: KapstokContext) -> str | int:
    """✍️ Add a message: ask for it."""
    query = update.callback_query
    thread = await own_thread(update, context, callbacks.MY_THREAD_ADD.value(query.data))
    if thread is None:
        return ConversationHandler.END
    await query.answer()
    Writing(thread.thread_id).save(context)
    await context.bot.send_message(
        update.effective_chat.id,
        _("Write your message for #{number}: text, a photo, a document or a voice message.").format(
            number=thread.thread_id
        )
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return WRITE


async def receive_written(update: Update, context: KapstokContext) -> str | int:
    """Add the message to the thread."""
    message = update.message
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return WRITE
    draft = Writing.load(context) or Writing()
    Writing.drop(context)
    thread = await own_thread(update, context, draft.thread)
    if thread is not None:
        await add_member_message(update, context, thread, part)
    return ConversationHandler.END


# --- replies and edits outside a conversation --------------------------------------------------


_THREAD_NUMBER = re.compile(r"#([0-9]{1,18})\b")


async def _thread_named_in(context: KapstokContext, replied: Message) -> Thread | None:
    """The thread a message of the bot names ("… as #12"), when the bot did not get to note
    which message it was (it stopped right after sending it)."""
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    found = _THREAD_NUMBER.search(replied.text or replied.caption or "")
    return await context.store.threads.thread(int(found.group(1))) if found else None


async def member_reply(update: Update, context: KapstokContext) -> None:
    """A reply to one of the bot's thread messages goes into that thread."""
    message = update.message
    replied = message.reply_to_message
    thread = await context.store.threads.thread_of_copy(message.chat_id, replied.message_id)
    if thread is None:
        thread = await _thread_named_in(context, replied)
    if thread is None:
        await send_menu(
            update,
            context,
            prefix=_("I did not expect that message. Choose from the menu, or send /help."),
        )
        return
    if not belongs_to_board(thread, context.profile):
        await refuse(update, _("This question is not (or no longer) one of your association's."))
        return
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return
    await add_member_message(update, context, thread, part)


async def may_still_speak(context: KapstokContext, message: ThreadMessage) -> bool:
    """Whether the author of a thread message may still change what others see of it: a
    liaison who still is one, a board member still on the thread's board."""
    if message.direction is Direction.OUT:
        return context.is_liaison
    thread = await context.store.threads.thread(message.thread_id)
    return thread is not None and belongs_to_board(thread, context.profile)


async def edited(update: Update, context: KapstokContext) -> None:
    """An edit of a relayed message is shown on the other side too."""
    message = update.edited_message
    known = await context.store.threads.message_by_source(message.chat_id, message.message_id)
    if known is not None and not await may_still_speak(context, known):
        return  # a liaison no longer, or no longer on the board: the edit stays theirs alone
    if known is None or known.author_id != message.from_user.id:
        if message.chat.type == "private":
            await message.reply_text(
                _(
                    "I saw that you edited a message. An edit does not change what you sent me "
                    "before: please send the correction as a new message."
                )
            )
        return
    new_text = message.text if message.text is not None else (message.caption or "")
    await context.store.threads.edit_text(known.message_id, new_text)
    await propagate_edit(context, await context.store.threads.message(known.message_id))


# --- closing -------------------------------------------------------------------------------------


async def close_by_member(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, callbacks.MY_THREAD_CLOSE.value(query.data))
    if thread is None:
        return
    thread, changed = await context.store.threads.close(
        thread, context.profile.full_name, closed_by=context.profile.user_id
    )
    await query.answer(_("Closed.") if changed else _("This question was already closed."))
    if changed:
        await refresh_card(context, thread)
        member = context.profile.full_name
        await notify_group(
            context,
            thread,
            lambda: _("🔒 {member} closed #{number}.").format(
                member=esc(member), number=thread.thread_id
            ),
        )
    await send_history(update, context, thread, member_thread_keyboard(thread))


async def took_the_buttons(query: CallbackQuery) -> bool:
    """Answer 👍 or 👎 by removing both; False (answered quietly) when a press before this
    one already did: a double press changes nothing."""
    await query.answer()
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return False
        raise
    return True


async def solved(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, callbacks.MY_THREAD_SOLVED.value(query.data))
    if thread is None:
        return
    if not await took_the_buttons(query):
        return
    await query.message.reply_text(_("Thank you for letting us know!"))
    member = context.profile.full_name
    await notify_group(
        context,
        thread,
        lambda: _("👍 {member}: #{number} is solved.").format(
            member=esc(member), number=thread.thread_id
        ),
    )


async def not_solved(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, callbacks.MY_THREAD_NOT_SOLVED.value(query.data))
    if thread is None:
        return
    if not await took_the_buttons(query):
        return
    thread, _changed = await context.store.threads.reopen(thread)
    await refresh_card(context, thread)
    member = context.profile.full_name
    await notify_group(
        context,
        thread,
        lambda: _("↩️ {member}: #{number} is not solved and open again.").format(
            member=esc(member), number=thread.thread_id
        ),
    )
    answer = await query.message.reply_text(
        _(
            "I reopened #{number}. Reply to this message to tell the municipality what is still "
            "missing."
        ).format(number=thread.thread_id)
    )
    last = await context.store.threads.last_message(thread.thread_id)
    await context.store.threads.add_copy(
        last.message_id, answer.chat_id, answer.message_id, REFERENCE
    )


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    writing = ConversationHandler(
        name="writing",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(start_writing, pattern=callbacks.MY_THREAD_ADD.claims),
        ],
        states={WRITE: [MessageHandler(private & (TEXT | NOT_TEXT), receive_written)]},
        fallbacks=fallbacks(Writing.KEY),
    )
    return [
        writing,
        CommandHandler("threads", list_threads, filters=private),
        CallbackQueryHandler(list_threads, pattern=callbacks.MY_THREADS.matches),
        CallbackQueryHandler(view_thread, pattern=callbacks.MY_THREAD.claims),
        CallbackQueryHandler(close_by_member, pattern=callbacks.MY_THREAD_CLOSE.claims),
        CallbackQueryHandler(solved, pattern=callbacks.MY_THREAD_SOLVED.claims),
        CallbackQueryHandler(not_solved, pattern=callbacks.MY_THREAD_NOT_SOLVED.claims),
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.REPLY & ~filters.COMMAND,
            member_reply,
        ),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited),
    ]
