"""How a thread shows: its card in the liaison group, the headers of relayed messages, and
the labels of its status and of media."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.context import KapstokContext
from bot.domain.kapstokken import by_number
from bot.domain.threads import Direction, Thread, ThreadMessage, ThreadStatus
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.text import MESSAGE_LIMIT, join_blocks, plain_length, split_text
from handlers.ui import esc, kapstok_title

log = logging.getLogger(__name__)


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
    kapstok = by_number(thread.kapstok)
    return f"{kapstok.emoji} {esc(thread.subject.name(i18n.current_language()))}"


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
    kapstok = by_number(thread.kapstok)
    owner = esc(thread.owner_name) if thread.owner_name else _("nobody yet")
    lines = [
        _("🧵 <b>Question #{number}</b> · {kapstok}").format(
            number=thread.thread_id, kapstok=esc(kapstok_title(kapstok))
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
                        pgettext("button", "↩️ Reopen"),
                        callback_data=callbacks.THREAD_REOPEN.data(thread.thread_id),
                    )
                ]
            ]
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "🙋 Take it"),
                    callback_data=callbacks.THREAD_TAKE.data(thread.thread_id),
                ),
                InlineKeyboardButton(
                    pgettext("button", "✅ Close"),
                    callback_data=callbacks.THREAD_CLOSE.data(thread.thread_id),
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


def member_header(thread: Thread, message: ThreadMessage) -> str:
    return _("💬 <b>#{number}</b> · {liaison} (municipality):").format(
        number=thread.thread_id, liaison=esc(message.author_name or _("(erased)"))
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
    for message in await context.store.threads.messages(thread.thread_id):
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
    chunks = join_blocks(await history_blocks(context, thread), "\n\n")
    for index, chunk in enumerate(chunks):
        await context.bot.send_message(
            update.effective_chat.id,
            chunk,
            reply_markup=keyboard if index == len(chunks) - 1 else None,
        )


def solved_keyboard(thread: Thread) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "👍 Thanks, solved"),
                    callback_data=callbacks.MY_THREAD_SOLVED.data(thread.thread_id),
                ),
                InlineKeyboardButton(
                    pgettext("button", "👎 Not solved"),
                    callback_data=callbacks.MY_THREAD_NOT_SOLVED.data(thread.thread_id),
                ),
            ]
        ]
    )


def member_thread_keyboard(thread: Thread) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                pgettext("button", "✍️ Add a message"),
                callback_data=callbacks.MY_THREAD_ADD.data(thread.thread_id),
            )
        ]
    ]
    if thread.status is not ThreadStatus.CLOSED:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Close this question"),
                    callback_data=callbacks.MY_THREAD_CLOSE.data(thread.thread_id),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⬅️ All questions"), callback_data=callbacks.MY_THREADS.data()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
