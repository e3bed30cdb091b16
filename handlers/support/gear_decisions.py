"""Liaison officers decide a gear request from its card: *Approve* (everything asked),
*Approve partly* (a quantity per item, set with − and + on the card, then confirmed) or *Reject*
(with a typed reason). Approving checks the stock again in one write transaction: when it no
longer fits, the officer is told what is left and the card stays. The board hears every decision,
with the pick-up details and the deposit to bring.

Also the words and the way to the board that the desk (gear_desk.py) and the reminders
(gear_reminders.py) use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import URGENT, message_row, queue
from bot.domain.audience import Audience
from bot.domain.gear import GearItem
from bot.domain.preferences import Kind
from bot.domain.requests import GearRequest, Status
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import today, with_fewer
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support.gear_card import (
    card,
    card_text,
    item_name,
    money,
    period_text,
    pressed_on_another_card,
    queue_card,
    request_deposit,
    status_label,
)
from handlers.ui import esc, mention, no_longer_valid, require_liaison, show
from storage.gear_requests import Shortage

REASON = "gear.reject_reason"
TIMEOUT = timedelta(hours=24)
REASON_LIMIT = 1000


# --- the board ---------------------------------------------------------------------------------


async def tell_board(
    application: Application,
    request: GearRequest,
    write: Callable[[GearRequest, dict[int, GearItem]], str],
    *,
    kind: Kind = Kind.ESSENTIAL,
    priority: int = URGENT,
) -> int:
    """Every board member of the request's association gets `write`'s text in their language
    (an optional kind with its 🔕 button); how many."""
    store, config = application.bot_data.store, application.bot_data.config
    items = await store.gear.many(line.item_id for line in request.lines)
    recipients = await store.audience.recipients(
        Audience(),
        kind,
        today(store, config),
        only_associations={request.request.association_id},
    )
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            text = write(request, items)
            keyboard = with_fewer(kind) if kind is not Kind.ESSENTIAL else None
        rows.append(message_row(recipient.user_id, text, keyboard, priority=priority))
    await queue(application, rows)
    return len(rows)


def items_text(request: GearRequest, items: dict[int, GearItem]) -> list[str]:
    """What the association gets (or asked, before a decision), one line per item."""
    lines = []
    for line in request.lines:
        count = line.holds if line.approved is not None else line.quantity
        if count == 0:
            continue
        if line.approved is not None and line.approved != line.quantity:
            lines.append(
                _("• {name}: {approved} (of {count} asked)").format(
                    name=esc(item_name(items, line.item_id)),
                    approved=line.approved,
                    count=line.quantity,
                )
            )
        else:
            lines.append(
                _("• {name}: {count}").format(name=esc(item_name(items, line.item_id)), count=count)
            )
    return lines


def pick_up_text(request: GearRequest, items: dict[int, GearItem]) -> list[str]:
    """When and where to pick up and return it, and the deposit to bring."""
    lines = [
        _("<b>Pick-up:</b> {date}").format(date=i18n.format_day(request.pick_up)),
        _("<b>Return:</b> {date}").format(date=i18n.format_day(request.return_on)),
    ]
    places: dict[str, list[str]] = {}
    for line in request.lines:
        item = items.get(line.item_id)
        if item is not None and item.pick_up_info and line.holds:
            places.setdefault(item.pick_up_info, []).append(item.name(i18n.current_language()))
    for info, names in places.items():
        lines.append(_("📍 {items}: {where}").format(items=esc(", ".join(names)), where=esc(info)))
    deposit = request_deposit(request, items)
    if deposit:
        lines.append(_("💶 <b>Deposit to bring:</b> {amount}").format(amount=money(deposit)))
    return lines


def decision_text(reason: str = "") -> Callable[[GearRequest, dict[int, GearItem]], str]:
    def write(request: GearRequest, items: dict[int, GearItem]) -> str:
        number = request.request_id
        status = request.request.status
        if status is Status.REJECTED:
            return "\n".join(
                [
                    _("❌ Your gear request #{number} ({period}) was not approved.").format(
                        number=number, period=period_text(request)
                    ),
                    _("<b>Reason:</b> {reason}").format(reason=esc(reason)),
                    _("Questions? Ask through kapstok 1 (💬 Contact the liaison)."),
                ]
            )
        head = (
            _("✅ Your gear request #{number} is approved.")
            if status is Status.APPROVED
            else _("☑️ Your gear request #{number} is partly approved.")
        ).format(number=number)
        return "\n".join([head, "", *items_text(request, items), "", *pick_up_text(request, items)])

    return write


# --- approving ---------------------------------------------------------------------------------


async def _asked_request(update: Update, context: KapstokContext, button) -> GearRequest | None:
    """The gear request a liaison's button names; None (and told so) when there is none."""
    number = button.parse(update.callback_query.data)[0]
    request = await context.store.gear_requests.get(number)
    if request is None:
        await no_longer_valid(update)
        return None
    if await pressed_on_another_card(update, context, request):
        return None
    return request


async def already(update: Update, request: GearRequest) -> None:
    """The request moved on before this press: say where it is, redraw nothing."""
    await update.callback_query.answer(
        _("Gear request #{number} is already {status}.").format(
            number=request.request_id, status=status_label(request.request.status)
        ),
        show_alert=True,
    )


def shortage_text(request: GearRequest, items, shortage: Shortage) -> str:
    lines = [
        _(
            "⚠️ Gear request #{number} cannot be approved like this: meanwhile other requests "
            "took part of the stock. What is free now for {period}:"
        ).format(number=request.request_id, period=period_text(request)),
    ]
    for item_id, wanted in shortage.wanted.items():
        if not wanted:
            continue
        lines.append(
            _("• {name}: {wanted} to approve, {free} free").format(
                name=esc(item_name(items, item_id)),
                wanted=wanted,
                free=shortage.free.get(item_id, 0),
            )
        )
    lines.append(_("Approve partly what is free, or reject the request."))
    return "\n".join(lines)


async def decide(
    update: Update, context: KapstokContext, request: GearRequest, quantities: dict[int, int]
) -> bool:
    """Approve these quantities; tell the officer, the board and the card. Whether it was."""
    store = context.store
    query = update.callback_query
    if request.pick_up < today(store, context.config):
        await query.answer(
            _(
                "The pick-up day of gear request #{number} has passed: reject it, or ask the "
                "board for new dates."
            ).format(number=request.request_id),
            show_alert=True,
        )
        return False
    outcome = await store.gear_requests.approve(
        request.request_id, quantities, context.profile.user_id
    )
    if outcome is None:
        await already(update, await store.gear_requests.get(request.request_id))
        return False
    if isinstance(outcome, Shortage):
        items = await store.gear.many(line.item_id for line in request.lines)
        await query.answer(_("Not enough is free any more."), show_alert=True)
        await query.message.reply_text(shortage_text(request, items, outcome))
        return False
    decided = await store.gear_requests.get(request.request_id)
    await tell_board(context.application, decided, decision_text())
    await queue_card(context.application, request.request_id)
    await query.answer(
        _("Approved; the board is told.")
        if outcome is Status.APPROVED
        else _("Partly approved; the board is told.")
    )
    return True


async def approve(update: Update, context: KapstokContext) -> None:
    """gd:ok: everything asked."""
    if not await require_liaison(update, context):
        return
    request = await _asked_request(update, context, callbacks.GEAR_APPROVE)
    if request is None:
        return
    if request.request.status is not Status.REQUESTED:
        await already(update, request)
        return
    if await decide(
        update, context, request, {line.item_id: line.quantity for line in request.lines}
    ):
        draft = PartlyDraft.load(context)
        if draft is not None and draft.request_id == request.request_id:
            PartlyDraft.drop(context)


# --- approving partly: a quantity per item ---------------------------------------------------


@dataclass
class PartlyDraft(Draft):
    KEY = "gear_partly"
    request_id: int | None = None
    quantities: list = field(default_factory=list)  # [item_id, quantity] pairs

    def as_dict(self) -> dict[int, int]:
        return {int(item): int(count) for item, count in self.quantities}


async def _partly_draft(context: KapstokContext, request: GearRequest) -> PartlyDraft:
    """The officer's quantities for this request; at first what is asked, as far as it is free."""
    draft = PartlyDraft.load(context)
    if draft is not None and draft.request_id == request.request_id:
        return draft
    store = context.store
    items = await store.gear.many(line.item_id for line in request.lines)
    free = await store.gear_requests.free(
        {item_id: item.stock for item_id, item in items.items()},
        request.pick_up,
        request.return_on,
        without=request.request_id,
    )
    draft = PartlyDraft(
        request.request_id,
        [
            [line.item_id, max(0, min(line.quantity, free.get(line.item_id, 0)))]
            for line in request.lines
        ],
    )
    draft.save(context)
    return draft


async def _show_editor(update: Update, context: KapstokContext, request: GearRequest) -> None:
    with i18n.use_language(_card_language(update, context)):
        text, keyboard = await _editor(context, request)
    await show(update.callback_query, text, keyboard)


async def _editor(context: KapstokContext, request: GearRequest):
    draft = await _partly_draft(context, request)
    chosen = draft.as_dict()
    number = request.request_id
    items = await context.store.gear.many(line.item_id for line in request.lines)
    text = (
        await card_text(context, request)
        + "\n\n"
        + _("☑️ <b>Approve partly:</b> set how many of each item to approve, then confirm.")
    )
    rows = []
    for line in request.lines:
        count = chosen.get(line.item_id, 0)
        rows.append(
            [
                InlineKeyboardButton(
                    "➖", callback_data=callbacks.GEAR_QUANTITY.data(number, line.item_id, "down")
                ),
                InlineKeyboardButton(
                    f"{item_name(items, line.item_id)[:30]}: {count}/{line.quantity}",
                    callback_data=callbacks.GEAR_PARTLY.data(number),
                ),
                InlineKeyboardButton(
                    "➕", callback_data=callbacks.GEAR_QUANTITY.data(number, line.item_id, "up")
                ),
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "✅ Approve these"),
                callback_data=callbacks.GEAR_PARTLY_CONFIRM.data(number),
            ),
            InlineKeyboardButton(
                pgettext("button", "↩️ Back"), callback_data=callbacks.GEAR_CARD.data(number)
            ),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


async def _waiting_request(update: Update, context: KapstokContext, button) -> GearRequest | None:
    """The request a partial approval's button names, while it still waits for a decision."""
    if not await require_liaison(update, context):
        return None
    request = await _asked_request(update, context, button)
    if request is None:
        return None
    if request.request.status is not Status.REQUESTED:
        PartlyDraft.drop(context)
        await already(update, request)
        await queue_card(context.application, request.request_id)
        return None
    return request


async def partly(update: Update, context: KapstokContext) -> None:
    """gd:part: the card becomes the officer's editor of the quantities."""
    request = await _waiting_request(update, context, callbacks.GEAR_PARTLY)
    if request is None:
        return
    await update.callback_query.answer()
    await _show_editor(update, context, request)


async def change_quantity(update: Update, context: KapstokContext) -> None:
    """gd:q: one less or one more of an item, between 0 and what was asked."""
    request = await _waiting_request(update, context, callbacks.GEAR_QUANTITY)
    if request is None:
        return
    _number, item_id, step = callbacks.GEAR_QUANTITY.parse(update.callback_query.data)
    asked = {line.item_id: line.quantity for line in request.lines}
    if item_id not in asked:
        await no_longer_valid(update)
        return
    draft = await _partly_draft(context, request)
    chosen = draft.as_dict()
    count = chosen.get(item_id, 0) + (1 if step == "up" else -1)
    if not 0 <= count <= asked[item_id]:
        await update.callback_query.answer(
            _("Between 0 and the {count} asked.").format(count=asked[item_id])
        )
        return
    chosen[item_id] = count
    draft.quantities = [[item, chosen.get(item, 0)] for item in asked]
    draft.save(context)
    await update.callback_query.answer()
    await _show_editor(update, context, request)


async def confirm_partly(update: Update, context: KapstokContext) -> None:
    """gd:pok: approve the quantities set."""
    request = await _waiting_request(update, context, callbacks.GEAR_PARTLY_CONFIRM)
    if request is None:
        return
    draft = PartlyDraft.load(context)
    if draft is None or draft.request_id != request.request_id:
        await update.callback_query.answer(_("Set the quantities first."))
        await _show_editor(update, context, request)
        return
    chosen = draft.as_dict()
    if not any(chosen.values()):
        await update.callback_query.answer(
            _("Approve at least one item, or reject the request."), show_alert=True
        )
        return
    if await decide(update, context, request, chosen):
        PartlyDraft.drop(context)


async def back_to_card(update: Update, context: KapstokContext) -> None:
    """gd:card: the card as it is, without the editor."""
    if not await require_liaison(update, context):
        return
    request = await _asked_request(update, context, callbacks.GEAR_CARD)
    if request is None:
        return
    PartlyDraft.drop(context)
    await update.callback_query.answer()
    with i18n.use_language(_card_language(update, context)):
        text, keyboard = await card(context, request.request_id)
    await show(update.callback_query, text, keyboard)


def _card_language(update: Update, context: KapstokContext) -> str:
    """A card in the group speaks the group's language; in a private chat the officer's."""
    if update.effective_chat.id == context.config.liaison_chat_id:
        return context.config.default_language
    return i18n.current_language()


# --- rejecting: a reason -------------------------------------------------------------------------


@dataclass
class RejectDraft(Draft):
    KEY = "gear_reject"
    request_id: int | None = None


async def ask_reason(update: Update, context: KapstokContext) -> str | int:
    """gd:no: ask why."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    request = await _asked_request(update, context, callbacks.GEAR_REJECT)
    if request is None:
        return ConversationHandler.END
    if request.request.status is not Status.REQUESTED:
        await already(update, request)
        return ConversationHandler.END
    query = update.callback_query
    await query.answer()
    message = query.message
    prompt = await context.bot.send_message(
        message.chat.id,
        _(
            "{liaison}, why is gear request #{number} not approved? Type the reason: the board "
            "reads it. /cancel leaves the request as it is."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            number=request.request_id,
        ),
        reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
    RejectDraft(request.request_id).save(context)
    remember_prompt(context, RejectDraft.KEY, prompt)
    return REASON


async def receive_reason(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, RejectDraft.KEY):
        return None
    if not await require_liaison(update, context):
        RejectDraft.drop(context)
        return ConversationHandler.END
    draft = RejectDraft.load(context)
    store = context.store
    request = (
        await store.gear_requests.get(draft.request_id) if draft and draft.request_id else None
    )
    if request is None:
        RejectDraft.drop(context)
        await update.message.reply_text(_("This request no longer exists."))
        return ConversationHandler.END
    reason = update.message.text.strip()
    if not reason:
        await update.message.reply_text(_("Type the reason as text, or /cancel."))
        return REASON
    if len(reason) > REASON_LIMIT:
        await update.message.reply_text(
            _("That is {count} characters; at most {limit}. Make it shorter, or /cancel.").format(
                count=len(reason), limit=REASON_LIMIT
            )
        )
        return REASON
    RejectDraft.drop(context)
    moved = await store.requests.move(
        request.request_id,
        Status.REJECTED,
        expected=Status.REQUESTED,
        actor=context.profile.user_id,
        detail=reason,
    )
    if not moved:
        now = await store.gear_requests.get(request.request_id)
        await update.message.reply_text(
            _("Gear request #{number} is already {status}.").format(
                number=request.request_id, status=status_label(now.request.status)
            )
        )
        return ConversationHandler.END
    rejected = await store.gear_requests.get(request.request_id)
    await tell_board(context.application, rejected, decision_text(reason))
    await queue_card(context.application, request.request_id)
    await update.message.reply_text(
        _("Gear request #{number} is rejected; the board is told.").format(
            number=request.request_id
        )
    )
    return ConversationHandler.END


async def reason_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, RejectDraft.KEY):
        return None
    await update.message.reply_text(_("Type the reason as text, or /cancel."))
    return REASON


def build_handlers(liaison_chat_id: int) -> list:
    where = tg_filters.ChatType.PRIVATE | tg_filters.Chat(liaison_chat_id)
    answered = tg_filters.ChatType.PRIVATE | tg_filters.REPLY
    rejecting = ConversationHandler(
        name="gear_reject",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(ask_reason, pattern=callbacks.GEAR_REJECT.matches)],
        states={
            REASON: [
                MessageHandler(TEXT & answered & where, receive_reason),
                MessageHandler(NOT_TEXT & answered & where, reason_not_text),
            ]
        },
        fallbacks=fallbacks(RejectDraft.KEY),
    )
    return [
        rejecting,
        CallbackQueryHandler(approve, pattern=callbacks.GEAR_APPROVE.matches),
        CallbackQueryHandler(partly, pattern=callbacks.GEAR_PARTLY.matches),
        CallbackQueryHandler(change_quantity, pattern=callbacks.GEAR_QUANTITY.matches),
        CallbackQueryHandler(confirm_partly, pattern=callbacks.GEAR_PARTLY_CONFIRM.matches),
        CallbackQueryHandler(back_to_card, pattern=callbacks.GEAR_CARD.matches),
    ]
