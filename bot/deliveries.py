"""The outbox kinds every package may use: a message to a chat, and an edit of a message.

The text is rendered (in the recipient's language) when the row is queued; what changes until
the send (a card's status) belongs in a kind of its own that renders at send time.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import Application

from bot.outbox import Delivery, Outbox
from storage.outbox import NewRow, OutboxRow

MESSAGE = "message"
EDIT = "edit"
URGENT = 0  # relays, answers, notices: before anything sent to many


def message_row(
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    topic: int | None = None,
    priority: int = URGENT,
) -> NewRow:
    """An HTML message to send to a chat (in a forum topic when given)."""
    payload = {"text": text, "topic": topic}
    if keyboard is not None:
        payload["keyboard"] = keyboard.to_dict()
    return NewRow(chat_id, MESSAGE, payload, priority)


def edit_row(
    chat_id: int,
    message_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    coalesce_key: str | None = None,
) -> NewRow:
    """A new text (and keyboard: None removes it) for a message the bot sent."""
    payload = {"message_id": message_id, "text": text}
    if keyboard is not None:
        payload["keyboard"] = keyboard.to_dict()
    return NewRow(chat_id, EDIT, payload, URGENT, coalesce_key)


def register(outbox: Outbox, application: Application) -> None:
    bot = application.bot

    def keyboard_of(row: OutboxRow) -> InlineKeyboardMarkup | None:
        data = row.payload.get("keyboard")
        return InlineKeyboardMarkup.de_json(data, bot) if data else None

    async def render_message(row: OutboxRow) -> Delivery:
        async def send():
            return await bot.send_message(
                row.chat_id,
                row.payload["text"],
                reply_markup=keyboard_of(row),
                message_thread_id=row.payload.get("topic"),
            )

        return Delivery(send)

    async def render_edit(row: OutboxRow) -> Delivery:
        async def send():
            try:
                return await bot.edit_message_text(
                    row.payload["text"],
                    chat_id=row.chat_id,
                    message_id=row.payload["message_id"],
                    reply_markup=keyboard_of(row),
                )
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    return None
                raise

        return Delivery(send, message=False)

    outbox.register(MESSAGE, render_message)
    outbox.register(EDIT, render_edit)


async def queue(application: Application, rows: list[NewRow]) -> None:
    """Add rows to the outbox; they go once what queued them is committed."""
    if rows:
        await application.bot_data.store.outbox.add(rows)
        outbox = application.bot_data.outbox
        outbox.queued()
        db = application.bot_data.store.db
        if not db.in_unit_of_work():  # inside an update, the update's commit wakes it

            async def wake() -> None:
                outbox.wake()

            await db.after_commit(wake)  # once the rows are committed, not before
