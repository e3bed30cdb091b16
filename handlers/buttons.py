"""Before any button acts: it acts only in the kind of chat it was made for, and a thread's
button in the liaison group only on that thread's own messages."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler

from bot.context import KapstokContext
from bot.i18n import _
from handlers import callbacks
from handlers.callbacks import Where

THREAD_BUTTONS = (
    callbacks.THREAD_TAKE,
    callbacks.THREAD_CLOSE,
    callbacks.THREAD_REOPEN,
)


async def check(update: Update, context: KapstokContext) -> None:
    """Refuse, with an alert and no change, a button pressed where it does not belong."""
    query = update.callback_query
    if not query.data:
        # No data at all would match every pattern of every handler: no button of ours.
        await query.answer(_("This button is no longer valid."), show_alert=True)
        raise ApplicationHandlerStop
    button = callbacks.button_of(query.data)
    chat = update.effective_chat
    if button is None or chat is None:
        return  # not one of ours, or an inline message: the last resort answers it
    private = chat.type == "private"
    in_group = chat.id == context.config.liaison_chat_id
    if (button.where is Where.PRIVATE and not private) or (
        button.where is Where.LIAISON and not (private or in_group)
    ):
        await _refuse(update)
    if in_group and button in THREAD_BUTTONS and not await _on_own_thread(update, context, button):
        await _refuse(update)


async def _on_own_thread(update: Update, context: KapstokContext, button) -> bool:
    """Whether the pressed message shows the thread the button names."""
    number = button.value(update.callback_query.data)
    message = update.callback_query.message
    if number is None or message is None:
        return True  # the handler refuses what does not parse
    shown = await context.store.threads.message_by_copy(message.chat.id, message.message_id)
    return shown is not None and shown.thread_id == number


async def _refuse(update: Update) -> None:
    await update.callback_query.answer(
        _("This button does not work here. Nothing was changed."), show_alert=True
    )
    raise ApplicationHandlerStop


def build_handlers() -> list:
    return [CallbackQueryHandler(check)]
