"""A board's threads: the list, a thread's history, adding to it, closing, and replies and edits
that find their thread by the message they answer."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.i18n import _, pgettext
from handlers.asking import remember_album
from handlers.conversation import NOT_TEXT, TEXT, fallbacks
from handlers.relay import (
    MESSAGE_LIMIT,
    REFERENCE,
    acknowledge,
    deliver_in,
    deliver_out,
    echo_in_group,
    kind_label,
    message_part,
    notify_group,
    plain_length,
    propagate_edit,
    refresh_card,
    refuse_unrelayable,
    send_surely,
    split_text,
    status_icon,
    status_label,
    subject_line,
)
from handlers.ui import THREADS_LIST, esc, menu_button, refuse, require_approved_member
from storage.models import Direction, Thread, ThreadStatus

VIEW = "mt:view:"
ADD = "mt:add:"
CLOSE = "mt:close:"
SOLVED = "mt:solved:"
NOT_SOLVED = "mt:unsolved:"
LIAISON_REPLY = "th:reply:"
WRITE = "threads.write"
DRAFT = "writing"
TIMEOUT = timedelta(hours=24)


def _number(data: str, prefix: str) -> int | None:
    value = data.removeprefix(prefix)
    return int(value) if value.isdigit() else None


async def own_thread(update: Update, context: KapstokContext, number: int | None) -> Thread | None:
    """The thread, if it belongs to the sender's approved association; else refuse."""
    profile = context.profile
    thread = await context.store.thread(number) if number is not None else None
    if (
        thread is None
        or not profile.is_approved_member
        or thread.association_id != profile.association_id
    ):
        await refuse(update, _("This question is not (or no longer) one of your association's."))
        return None
    return thread


async def liaison_thread(update: Update, context: KapstokContext, number: int | None):
    """The thread, for a liaison officer; refuse anyone else."""
    if not context.is_liaison:
        await refuse(update, _("Only liaison officers of the municipality can do this."))
        return None
    thread = await context.store.thread(number) if number is not None else None
    if thread is None:
        await refuse(update, _("There is no question #{number}.").format(number=number))
    return thread


# --- /threads and a thread's history ----------------------------------------------------------


def thread_button(thread: Thread, now) -> InlineKeyboardButton:
    age = i18n.format_age(now - thread.updated_at)
    label = f"{status_icon(thread.status)} #{thread.thread_id} · "
    label += f"{thread.subject.name(i18n.current_language())} · {age}"
    return InlineKeyboardButton(label[:64], callback_data=f"{VIEW}{thread.thread_id}")


async def list_threads(update: Update, context: KapstokContext) -> None:
    """/threads: the association's questions, open ones first."""
    if not await require_approved_member(update, context):
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    threads = await context.store.association_threads(context.profile.association_id)
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
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def history_blocks(context: KapstokContext, thread: Thread) -> list[str]:
    """The thread as HTML blocks, each short enough for one Telegram message."""
    blocks = [
        _("🧵 <b>#{number}</b> · {subject} · {status}").format(
            number=thread.thread_id,
            subject=subject_line(thread),
            status=status_label(thread.status),
        )
    ]
    room = MESSAGE_LIMIT - 200
    for message in await context.store.thread_messages(thread.thread_id):
        author = esc(message.author_name or _("(erased)"))
        if message.direction is Direction.OUT:
            author = _("{liaison} (municipality)").format(liaison=author)
        heading = f"<b>{author}</b> · {i18n.format_datetime(message.created_at)}"
        pieces = split_text(message.text, room) if message.text else [""]
        for index, piece in enumerate(pieces):
            body = " ".join(
                filter(None, [kind_label(message.kind) if index == 0 else "", esc(piece)])
            )
            blocks.append(f"{heading}\n{body}" if index == 0 else body)
    return blocks


async def send_history(update, context, thread: Thread, keyboard: InlineKeyboardMarkup) -> None:
    """The whole thread, in order; spread over several messages when it is long."""
    chunks: list[str] = []
    for block in await history_blocks(context, thread):
        if chunks and plain_length(chunks[-1]) + plain_length(block) + 2 <= MESSAGE_LIMIT:
            chunks[-1] += "\n\n" + block
        else:
            chunks.append(block)
    for index, chunk in enumerate(chunks):
        await context.bot.send_message(
            update.effective_chat.id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if index == len(chunks) - 1 else None,
        )


def member_thread_keyboard(thread: Thread) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                pgettext("button", "✍️ Add a message"), callback_data=f"{ADD}{thread.thread_id}"
            )
        ]
    ]
    if thread.status is not ThreadStatus.CLOSED:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Close this question"),
                    callback_data=f"{CLOSE}{thread.thread_id}",
                )
            ]
        )
    rows.append(
        [InlineKeyboardButton(pgettext("button", "⬅️ All questions"), callback_data=THREADS_LIST)]
    )
    return InlineKeyboardMarkup(rows)


async def view_thread(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, _number(query.data, VIEW))
    if thread is None:
        return
    await query.answer()
    await send_history(update, context, thread, member_thread_keyboard(thread))


# --- adding a message: a member to their thread, a liaison from a private chat ------------------


async def start_writing(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if query.data.startswith(ADD):
        thread = await own_thread(update, context, _number(query.data, ADD))
        direction = Direction.IN
        prompt = _(
            "Write your message for #{number}: text, a photo, a document or a voice message."
        )
    else:
        thread = await liaison_thread(update, context, _number(query.data, LIAISON_REPLY))
        direction = Direction.OUT
        prompt = _(
            "Write your answer to #{number}; it goes to every board member of "
            "{association}, signed with your name."
        )
    if thread is None:
        return ConversationHandler.END
    await query.answer()
    context.user_data[DRAFT] = {"thread": thread.thread_id, "direction": direction.value}
    await context.bot.send_message(
        update.effective_chat.id,
        prompt.format(number=thread.thread_id, association=esc(thread.association_name))
        + "\n\n"
        + _("You can stop at any time with /cancel."),
        parse_mode=ParseMode.HTML,
    )
    return WRITE


async def receive_written(update: Update, context: KapstokContext) -> str | int:
    draft = context.user_data.get(DRAFT) or {}
    message = update.message
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return WRITE
    number = draft.get("thread")
    if draft.get("direction") == Direction.OUT.value:
        thread = await liaison_thread(update, context, number)
        if thread is None:
            context.user_data.pop(DRAFT, None)
            return ConversationHandler.END
        await answer_as_liaison(context, thread, part, echo=True)
        await message.reply_text(
            _("Sent to the board of {association} (#{number}).").format(
                association=thread.association_name, number=thread.thread_id
            )
        )
    else:
        thread = await own_thread(update, context, number)
        if thread is None:
            context.user_data.pop(DRAFT, None)
            return ConversationHandler.END
        await add_member_message(update, context, thread, part)
    context.user_data.pop(DRAFT, None)
    return ConversationHandler.END


async def answer_as_liaison(
    context: KapstokContext, thread: Thread, part: dict, *, echo: bool = False
) -> Thread:
    """Record a liaison's answer, hand the thread to them if nobody had it, and send it out;
    `echo` shows it in the topic too, when it was written where colleagues cannot see it."""
    profile = context.profile
    if thread.owner_id is None:
        await context.store.take_thread(thread.thread_id, profile.user_id, profile.full_name)
    thread, message, _reopened = await context.store.add_message(
        thread.thread_id, Direction.OUT, profile.user_id, profile.full_name, part
    )
    await deliver_out(context, thread, message)
    if echo:
        await echo_in_group(context, thread, message)
    await refresh_card(context, thread)
    return thread


async def add_member_message(update, context: KapstokContext, thread: Thread, part: dict) -> None:
    """Record a member's message in the thread, carry it to the group, and acknowledge it."""
    profile = context.profile
    thread, added, reopened = await context.store.add_message(
        thread.thread_id, Direction.IN, profile.user_id, profile.full_name, part
    )
    remember_album(context, update.message, thread=thread.thread_id)
    delivered = await deliver_in(context, thread, [added])
    await refresh_card(context, thread)
    if reopened:
        await notify_group(
            context,
            thread,
            lambda: _("↩️ {member} wrote again: #{number} is open again.").format(
                member=esc(profile.full_name), number=thread.thread_id
            ),
        )
    if not delivered:
        saved = _(
            "Your message is saved in #{number}, but I could not reach the municipality just "
            "now. I will keep trying; you do not need to send it again."
        ).format(number=thread.thread_id)
        await send_surely(lambda: update.message.reply_text(saved))
    elif reopened:
        await update.message.reply_text(
            _("Question #{number} is open again; the municipality has your message.").format(
                number=thread.thread_id
            )
        )
    else:
        await acknowledge(context, update.message, _("Passed on to the municipality."))


# --- replies and edits outside a conversation --------------------------------------------------


async def member_reply(update: Update, context: KapstokContext) -> None:
    """A reply to one of the bot's thread messages goes into that thread."""
    message = update.message
    known = await context.store.message_by_copy(
        message.chat_id, message.reply_to_message.message_id
    )
    if known is None:
        from handlers.common import unexpected_text

        await unexpected_text(update, context)
        return
    thread = await own_thread(update, context, known.thread_id)
    if thread is None:
        return
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return
    await add_member_message(update, context, thread, part)


async def edited(update: Update, context: KapstokContext) -> None:
    """An edit of a relayed message is shown on the other side too."""
    message = update.edited_message
    known = await context.store.message_by_source(message.chat_id, message.message_id)
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
    await context.store.edit_message_text(known.message_id, new_text)
    await propagate_edit(context, await context.store.thread_message(known.message_id))


# --- closing -------------------------------------------------------------------------------------


async def close_by_member(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, _number(query.data, CLOSE))
    if thread is None:
        return
    thread, changed = await context.store.close_thread(thread.thread_id, context.profile.full_name)
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


def solved_keyboard(thread: Thread) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "👍 Thanks, solved"),
                    callback_data=f"{SOLVED}{thread.thread_id}",
                ),
                InlineKeyboardButton(
                    pgettext("button", "👎 Not solved"),
                    callback_data=f"{NOT_SOLVED}{thread.thread_id}",
                ),
            ]
        ]
    )


async def solved(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    thread = await own_thread(update, context, _number(query.data, SOLVED))
    if thread is None:
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
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
    thread = await own_thread(update, context, _number(query.data, NOT_SOLVED))
    if thread is None:
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    thread, _changed = await context.store.reopen_thread(thread.thread_id)
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
    last = (await context.store.thread_messages(thread.thread_id))[-1]
    await context.store.add_copy(last.message_id, answer.chat_id, answer.message_id, REFERENCE)


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    writing = ConversationHandler(
        name="writing",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(start_writing, pattern=f"^({ADD}|{LIAISON_REPLY})"),
        ],
        states={WRITE: [MessageHandler(private & (TEXT | NOT_TEXT), receive_written)]},
        fallbacks=fallbacks(DRAFT),
    )
    return [
        writing,
        CommandHandler("threads", list_threads, filters=private),
        CallbackQueryHandler(list_threads, pattern=f"^{THREADS_LIST}$"),
        CallbackQueryHandler(view_thread, pattern=f"^{VIEW}"),
        CallbackQueryHandler(close_by_member, pattern=f"^{CLOSE}"),
        CallbackQueryHandler(solved, pattern=f"^{SOLVED}"),
        CallbackQueryHandler(not_solved, pattern=f"^{NOT_SOLVED}"),
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.REPLY & ~filters.COMMAND,
            member_reply,
        ),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited),
    ]
