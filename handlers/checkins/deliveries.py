"""The outbox kinds of check-ins and the barometer, rendered when their turn comes: in the
reader's language, against their settings and the round as it stands then."""

from __future__ import annotations

from telegram import InlineKeyboardButton
from telegram.error import BadRequest
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.domain.kapstokken import RELATIONSHIP
from bot.domain.preferences import Kind
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.bulk import still_wanted, with_fewer
from handlers.checkins import rows
from handlers.checkins.ballot import ballot_keyboard, ballot_text
from storage.outbox import OutboxRow


def register(outbox: Outbox, application: Application) -> None:
    def context() -> KapstokContext:
        return KapstokContext(application)

    kinds = {
        rows.ROUND: _round_message,
        rows.REDRAW: _redraw,
        rows.CHECKIN: _checkin,
        rows.YOU_SAID: _you_said,
    }
    for kind, render in kinds.items():

        async def render_row(row: OutboxRow, render=render) -> Delivery | None:
            return await render(context(), row)

        outbox.register(kind, render_row)


async def _language(context: KapstokContext, user_id: int) -> str:
    return await context.store.users.language_of(user_id) or context.config.default_language


async def _round_message(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """The round's message (or its reminder): not once the round closed, not to who no longer
    wants it, and no reminder once the board answered."""
    store = context.store
    round_id, association_id = row.payload["round_id"], row.payload["association_id"]
    round_ = await store.barometer.round(round_id)
    now = store.now()
    if round_ is None or round_.closed_at is not None or now >= round_.closes_at:
        return None
    if not await still_wanted(context, row.chat_id, Kind.CHECKINS):
        return None
    answer = await store.barometer.answer(round_id, association_id)
    reminder = bool(row.payload.get("reminder"))
    if reminder and answer is not None and answer.submitted_at is not None:
        return None
    with i18n.use_language(await _language(context, row.chat_id)):
        text = ballot_text(round_, answer, now, reminder=reminder)
        keyboard = ballot_keyboard(round_, answer, now)

    async def send():
        return await context.bot.send_message(row.chat_id, text, reply_markup=keyboard)

    async def sent(message) -> None:
        await store.barometer.remember_message(
            round_id, row.chat_id, association_id, message.message_id
        )

    return Delivery(send, sent)


async def _redraw(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    store = context.store
    round_ = await store.barometer.round(row.payload["round_id"])
    mine = await store.barometer.message_of(row.payload["round_id"], row.chat_id)
    if round_ is None or mine is None:
        return None
    association_id, message_id = mine
    answer = await store.barometer.answer(round_.round_id, association_id)
    now = store.now()
    with i18n.use_language(await _language(context, row.chat_id)):
        text = ballot_text(round_, answer, now)
        keyboard = ballot_keyboard(round_, answer, now)

    async def send():
        try:
            return await context.bot.edit_message_text(
                text, chat_id=row.chat_id, message_id=message_id, reply_markup=keyboard
            )
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            raise

    return Delivery(send, message=False)


async def _checkin(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """A liaison's check-in as written, with a way to answer the municipality."""
    if not await still_wanted(context, row.chat_id, Kind.CHECKINS):
        return None
    body, file_id = row.payload.get("body") or "", row.payload.get("file_id")
    with i18n.use_language(await _language(context, row.chat_id)):
        keyboard = with_fewer(
            Kind.CHECKINS,
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "💬 Answer the municipality"),
                        callback_data=callbacks.ASK.data(RELATIONSHIP.number),
                    )
                ]
            ],
        )

    async def send():
        if file_id:
            return await context.bot.send_photo(
                row.chat_id, file_id, caption=body or None, reply_markup=keyboard
            )
        return await context.bot.send_message(row.chat_id, body, reply_markup=keyboard)

    return Delivery(send)


async def _you_said(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """ "You said, we did": what the municipality does with a round's answers."""
    round_ = await context.store.barometer.round(row.payload["round_id"])
    if round_ is None or not round_.you_said:
        return None
    if not await still_wanted(context, row.chat_id, Kind.CHECKINS):
        return None
    with i18n.use_language(await _language(context, row.chat_id)):
        header = _("📊 <b>You said, we did</b> — the barometer of {date}").format(
            date=i18n.format_date(round_.opened_at)
        )
        keyboard = with_fewer(Kind.CHECKINS)
    text = f"{header}\n\n{round_.you_said}"

    async def send():
        return await context.bot.send_message(row.chat_id, text, reply_markup=keyboard)

    return Delivery(send)
