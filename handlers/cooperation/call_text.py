"""How a call (oproep) and its answers read, wherever they are shown: to the boards it goes to,
in the caller's preview and list, and in the liaison group. One place, so they agree."""

from __future__ import annotations

from datetime import date

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import i18n
from bot.domain.associations import Association, AssociationKind
from bot.domain.calls import (
    ALL_KINDS,
    Call,
    CallAnswer,
    CallState,
    Purpose,
    state_on,
    text_refusal,
)
from bot.domain.preferences import Kind
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import with_fewer
from handlers.text import CAPTION_LIMIT, plain_length
from handlers.ui import esc, kind_label

PURPOSES = {
    Purpose.PARTNERS: lambda: pgettext("button", "🤝 Partners for an activity"),
    Purpose.VOLUNTEERS: lambda: pgettext("button", "🙋 Volunteers"),
    Purpose.BORROW: lambda: pgettext("button", "📦 Gear to borrow"),
    Purpose.LEND: lambda: pgettext("button", "🎁 Gear to lend"),
    Purpose.VENUE: lambda: pgettext("button", "🏠 A venue"),
}


async def text_and_photo(message: Message, limit: int, again: str) -> tuple[str, str | None] | None:
    """A call's or an answer's text (or a photo's caption) and the photo, if they can be used;
    otherwise None, after telling the writer why (too long, or `again`)."""
    text = message.text if message.text is not None else message.caption
    problem = text_refusal(text, limit)
    if problem == "too_long":
        await message.reply_text(
            _(
                "That text is {length} characters long; the limit is {limit}. Please send a "
                "shorter one."
            ).format(length=len(text.strip()), limit=limit)
        )
        return None
    if problem is not None:
        await message.reply_text(again)
        return None
    return text.strip(), (message.photo[-1].file_id if message.photo else None)


def purpose_label(purpose: Purpose) -> str:
    return PURPOSES[purpose]()


def kinds_text(kinds: frozenset[AssociationKind]) -> str:
    if kinds >= ALL_KINDS:
        return _("every kind of association")
    return ", ".join(kind_label(kind) for kind in AssociationKind if kind in kinds)


def state_text(call: Call, today: date) -> str:
    state = state_on(call, today)
    return {
        CallState.OPEN: lambda: _("open until {date}").format(date=i18n.format_day(call.until)),
        CallState.CLOSED: lambda: _("closed by your association"),
        CallState.WITHDRAWN: lambda: _("withdrawn by the municipality"),
        CallState.EXPIRED: lambda: _("ended on {date}").format(date=i18n.format_day(call.until)),
    }[state]()


def call_header(association: Association, purpose: Purpose, until: date) -> str:
    """The first lines of a call as its recipients read it."""
    return "\n".join(
        [
            _("📢 <b>A call from {association}</b> ({kind})").format(
                association=esc(association.name), kind=esc(kind_label(association.kind))
            ),
            _("<b>Looking for:</b> {purpose}").format(purpose=esc(purpose_label(purpose))),
            _("Open until {date}.").format(date=i18n.format_day(until)),
        ]
    )


def call_body(text: str) -> str:
    return esc(text)


def respond_keyboard(call_id: int) -> InlineKeyboardMarkup:
    """Under a delivered call: *Respond*, and 🔕 for fewer calls."""
    return with_fewer(
        Kind.CALLS,
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "💬 Respond"),
                    callback_data=callbacks.CALL_RESPOND.data(call_id),
                )
            ]
        ],
    )


def answer_header(association: Association, call: Call) -> str:
    return _("💬 <b>{association}</b> answers your call #{number} ({purpose}):").format(
        association=esc(association.name),
        number=call.call_id,
        purpose=esc(purpose_label(call.purpose)),
    )


def answer_line(answer: CallAnswer, association_name: str, length: int = 200) -> str:
    """One answer in the caller's list of answers: who, when, the beginning of what."""
    text = " ".join(answer.text.split())
    if len(text) > length:
        text = text[: length - 1] + "…"
    photo = "📷 " if answer.file_id else ""
    return _("• <b>{association}</b>, {date}: {photo}{text}").format(
        association=esc(association_name),
        date=i18n.format_date(answer.created_at),
        photo=photo,
        text=esc(text),
    )


async def send_with_photo(
    bot: Bot,
    chat_id: int,
    header: str,
    body: str,
    file_id: str | None,
    keyboard: InlineKeyboardMarkup | None,
    topic: int | None = None,
) -> Message:
    """A header and a body (HTML), under a photo when there is one: as its caption when it
    fits, else the photo under the header and the body as a message of its own. The keyboard
    goes on the last message, which is returned."""
    text = f"{header}\n\n{body}" if body else header
    if file_id is None:
        return await bot.send_message(chat_id, text, reply_markup=keyboard, message_thread_id=topic)
    if plain_length(text) <= CAPTION_LIMIT:
        return await bot.send_photo(
            chat_id, file_id, text, reply_markup=keyboard, message_thread_id=topic
        )
    await bot.send_photo(chat_id, file_id, header, message_thread_id=topic)
    return await bot.send_message(chat_id, body, reply_markup=keyboard, message_thread_id=topic)
