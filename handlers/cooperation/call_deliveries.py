"""The calls' outbox kinds: a call to one board member (rendered when its turn comes, in their
language and against their settings), the call in its association's topic of the liaison group
with *Withdraw*, and an answer to one board member of the caller."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.domain.calls import Call, CallState, is_open, state_on
from bot.domain.preferences import Kind
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.bulk import BULK, still_wanted, today
from handlers.cooperation.call_text import (
    answer_header,
    call_body,
    call_header,
    kinds_text,
    purpose_label,
    respond_keyboard,
    send_with_photo,
)
from handlers.cooperation.contact import contact_html
from handlers.threads.topics import post_in_topic
from handlers.ui import esc
from storage.outbox import NewRow, OutboxRow

CALL = "call"  # one board member's copy of a call
CALL_TOPIC = "call_topic"  # the call in its association's topic, with Withdraw
CALL_ANSWER = "call_answer"  # an answer, to one board member of the caller


def call_row(user_id: int, call: Call) -> NewRow:
    return NewRow(user_id, CALL, {"call_id": call.call_id}, BULK, batch=call.batch)


def topic_row(chat_id: int, call_id: int) -> NewRow:
    return NewRow(chat_id, CALL_TOPIC, {"call_id": call_id})


def answer_row(user_id: int, answer_id: int) -> NewRow:
    return NewRow(user_id, CALL_ANSWER, {"answer_id": answer_id})


# --- in the liaison group ------------------------------------------------------------------------


def topic_text(call: Call, association_name: str, day) -> str:
    """The call as liaisons see it in the association's topic: what, for whom, until when,
    and how it ended."""
    lines = [
        _("📢 <b>Call #{number}</b> of {association}: {purpose}").format(
            number=call.call_id,
            association=esc(association_name),
            purpose=esc(purpose_label(call.purpose)),
        ),
        _("For: {kinds}. Open until {date}.").format(
            kinds=esc(kinds_text(call.kinds)), date=i18n.format_day(call.until)
        ),
        "",
        esc(call.text),
    ]
    state = state_on(call, day)
    if state is CallState.WITHDRAWN:
        lines += [
            "",
            _("↩️ Withdrawn on {date}: {reason}").format(
                date=i18n.format_datetime(call.closed_at), reason=esc(call.withdrawn_reason)
            ),
        ]
    elif state is CallState.CLOSED:
        lines += [
            "",
            _("🔒 Closed by the association on {date}.").format(
                date=i18n.format_datetime(call.closed_at)
            ),
        ]
    return "\n".join(lines)


def topic_keyboard(call: Call, day) -> InlineKeyboardMarkup | None:
    if not is_open(call, day):
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "↩️ Withdraw"),
                    callback_data=callbacks.CALL_WITHDRAW.data(call.call_id),
                )
            ]
        ]
    )


# --- the kinds -----------------------------------------------------------------------------------


def register(outbox: Outbox, application: Application) -> None:
    def context() -> KapstokContext:
        return KapstokContext(application)

    async def render_call(row: OutboxRow) -> Delivery | None:
        return await _call(context(), row)

    async def render_topic(row: OutboxRow) -> Delivery | None:
        return await _topic(context(), row)

    async def render_answer(row: OutboxRow) -> Delivery | None:
        return await _answer(context(), row)

    outbox.register(CALL, render_call)
    outbox.register(CALL_TOPIC, render_topic)
    outbox.register(CALL_ANSWER, render_answer)


async def _language_of(context: KapstokContext, user_id: int) -> str:
    return await context.store.users.language_of(user_id) or i18n.default_language()


async def _call(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """Nothing when the call ended meanwhile, or the recipient no longer wants calls."""
    store = context.store
    call = await store.calls.get(row.payload["call_id"])
    if call is None or not is_open(call, today(store, context.config)):
        return None
    if not await still_wanted(context, row.chat_id, Kind.CALLS):
        return None
    association = await store.associations.get(call.association_id)
    with i18n.use_language(await _language_of(context, row.chat_id)):
        header = call_header(association, call.purpose, call.until)
        keyboard = respond_keyboard(call.call_id)

    async def send():
        return await send_with_photo(
            context.bot, row.chat_id, header, call_body(call.text), call.file_id, keyboard
        )

    return Delivery(send)


async def _topic(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    store = context.store
    call = await store.calls.get(row.payload["call_id"])
    if call is None or call.topic_message_id is not None:
        return None
    association = await store.associations.get(call.association_id)
    bot = context.bot

    async def send():
        with i18n.use_language(context.config.default_language):
            current = await store.calls.get(call.call_id)
            day = today(store, context.config)
            text, keyboard = (
                topic_text(current, association.name, day),
                topic_keyboard(current, day),
            )

        async def post(topic: int | None):
            if current.file_id:
                await bot.send_photo(row.chat_id, current.file_id, message_thread_id=topic)
            return await bot.send_message(
                row.chat_id, text, reply_markup=keyboard, message_thread_id=topic
            )

        return await post_in_topic(context, association, post)

    async def sent(message) -> None:
        await store.calls.set_topic_message(call.call_id, message.chat_id, message.message_id)

    return Delivery(send, sent, patient=True)


async def _answer(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """An answer to a call, to one board member of the caller, with the respondent's contact
    when they agreed to share it."""
    store = context.store
    answer = await store.calls.answer(row.payload["answer_id"])
    if answer is None:
        return None
    call = await store.calls.get(answer.call_id)
    respondent = await store.associations.get(answer.association_id)
    with i18n.use_language(await _language_of(context, row.chat_id)):
        header = answer_header(respondent, call)
        body = esc(answer.text)
        if answer.with_contact:
            contact = await contact_html(context, respondent.association_id)
            if contact is not None:
                body += "\n\n" + _("How to reach them: {contact}").format(contact=contact)
        else:
            body += "\n\n" + _("(They did not share a contact with this answer.)")

    async def send():
        return await send_with_photo(context.bot, row.chat_id, header, body, answer.file_id, None)

    return Delivery(send)
