"""A board member cancels their association's gear request before it is picked up: *Cancel
request #N* under the submitted request (or wherever `cancel_button` is shown), confirmed once;
the request's card in the association's topic is then redrawn."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import KapstokContext
from bot.domain.requests import Action, RequestKind, Status, SupportRequest, next_status
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.support import gear_card
from handlers.ui import no_longer_valid, refuse, require_approved_member, show


def cancel_button(request_id: int) -> InlineKeyboardButton:
    """The button that cancels a gear request (it asks to confirm first)."""
    return InlineKeyboardButton(
        pgettext("button", "✖️ Cancel request #{number}").format(number=request_id),
        callback_data=callbacks.BORROW_CANCEL.data(request_id),
    )


async def _own_request(update: Update, context: KapstokContext, button) -> SupportRequest | None:
    """The gear request the button names, if it is the presser's association's; otherwise the
    press is refused (another association's request is not told apart from none)."""
    number = button.value(update.callback_query.data)
    request = await context.store.requests.get(number) if number else None
    if (
        request is None
        or request.kind is not RequestKind.GEAR
        or request.association_id != context.profile.association_id
    ):
        await no_longer_valid(update)
        return None
    return request


def _too_late(request: SupportRequest) -> str:
    return _("Request #{number} can no longer be cancelled: it is {status}.").format(
        number=request.request_id, status=gear_card.status_label(request.status)
    )


async def ask(update: Update, context: KapstokContext) -> None:
    """*Cancel request #N*: are you sure?"""
    if not await require_approved_member(update, context):
        return
    request = await _own_request(update, context, callbacks.BORROW_CANCEL)
    if request is None:
        return
    if next_status(request.kind, request.status, Action.CANCEL) is None:
        await refuse(update, _too_late(request))
        return
    await update.callback_query.answer()
    number = request.request_id
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✖️ Yes, cancel it"),
                    callback_data=callbacks.BORROW_CANCEL_CONFIRM.data(number),
                ),
                InlineKeyboardButton(
                    pgettext("button", "No, keep it"),
                    callback_data=callbacks.BORROW_KEEP.data(number),
                ),
            ]
        ]
    )
    await context.bot.send_message(
        update.effective_chat.id,
        _("Cancel request #{number}? The gear is then free for others again.").format(
            number=number
        ),
        reply_markup=keyboard,
    )


async def confirm(update: Update, context: KapstokContext) -> None:
    """*Yes, cancel it*: cancelled, if it still may be; the card in the topic follows."""
    if not await require_approved_member(update, context):
        return
    request = await _own_request(update, context, callbacks.BORROW_CANCEL_CONFIRM)
    if request is None:
        return
    number = request.request_id
    moved = next_status(request.kind, request.status, Action.CANCEL) is not None and (
        await context.store.requests.move(
            number, Status.CANCELLED, expected=request.status, actor=context.profile.user_id
        )
    )
    if not moved:
        await refuse(update, _too_late(await context.store.requests.get(number)))
        return
    await update.callback_query.answer()
    await gear_card.queue_card(context.application, number)
    await show(
        update.callback_query,
        _("✖️ Request #{number} is cancelled. The lending service sees it too.").format(
            number=number
        ),
    )


async def keep(update: Update, context: KapstokContext) -> None:
    """*No, keep it*."""
    if not await require_approved_member(update, context):
        return
    request = await _own_request(update, context, callbacks.BORROW_KEEP)
    if request is None:
        return
    await update.callback_query.answer()
    await show(
        update.callback_query,
        _("Request #{number} stays as it is.").format(number=request.request_id),
    )


def build_handlers() -> list:
    return [
        CallbackQueryHandler(ask, pattern=callbacks.BORROW_CANCEL.matches),
        CallbackQueryHandler(confirm, pattern=callbacks.BORROW_CANCEL_CONFIRM.matches),
        CallbackQueryHandler(keep, pattern=callbacks.BORROW_KEEP.matches),
    ]
