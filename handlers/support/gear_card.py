"""A gear request's card in its association's topic of the liaison group: what is asked, for
when, what is free now, the deposit, the linked activity, and the buttons that take it further.

The card goes through the outbox (`queue_card`): the first time as a new message, whose id is
kept with the request; afterwards as an edit of it, coalesced, so every change redraws it from
the database at the moment it is sent.
"""

from __future__ import annotations

from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.amounts import format_amount
from bot.domain.gear import GearItem
from bot.domain.lending import loan_days
from bot.domain.requests import Action, GearRequest, RequestKind, Status, actions
from bot.i18n import _, ngettext, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.threads.topics import post_in_topic
from handlers.ui import esc, refuse
from storage.outbox import NewRow, OutboxRow

CARD = "gear_card"  # the outbox kind: the card, sent the first time, edited afterwards


def card_key(request_id: int) -> str:
    return f"gear_card:{request_id}"


def card_row(chat_id: int, request_id: int) -> NewRow:
    return NewRow(chat_id, CARD, {"request_id": request_id}, coalesce_key=card_key(request_id))


async def queue_card(application: Application, request_id: int) -> None:
    """Queue the request's card in its association's topic: new the first time, an edit of it
    afterwards (drawn when it is sent, so it shows the request as it is then)."""
    chat = application.bot_data.config.liaison_chat_id
    await queue(application, [card_row(chat, request_id)])


# --- the words ---------------------------------------------------------------------------------


def status_label(status: Status) -> str:
    return {
        Status.REQUESTED: lambda: _("⏳ waiting for a decision"),
        Status.APPROVED: lambda: _("✅ approved"),
        Status.PARTLY_APPROVED: lambda: _("☑️ partly approved"),
        Status.REJECTED: lambda: _("❌ rejected"),
        Status.CANCELLED: lambda: _("🚫 cancelled by the association"),
        Status.PICKED_UP: lambda: _("📦 picked up"),
        Status.RETURNED: lambda: _("↩️ returned"),
        Status.PAID: lambda: _("💶 paid"),
    }[status]()


def money(cents: int) -> str:
    """Cents as the current language writes euros."""
    return format_amount(Decimal(cents) / 100, i18n.current_language())


def period_text(request: GearRequest) -> str:
    days = loan_days(request.pick_up, request.return_on)
    return ngettext(
        "{pick_up} → {return_on} ({count} day)",
        "{pick_up} → {return_on} ({count} days)",
        days,
    ).format(
        pick_up=i18n.format_day(request.pick_up),
        return_on=i18n.format_day(request.return_on),
        count=days,
    )


def item_name(items: dict[int, GearItem], item_id: int) -> str:
    item = items.get(item_id)
    if item is None:
        return _("(removed item)")
    return item.name(i18n.current_language())


DECIDED = (Status.APPROVED, Status.PARTLY_APPROVED, Status.PICKED_UP, Status.RETURNED)


def decided(request: GearRequest) -> bool:
    return request.request.status in DECIDED


async def pressed_on_another_card(
    update: Update, context: KapstokContext, request: GearRequest
) -> bool:
    """A card's button pressed in the liaison group on a message that is not this request's
    card (forged data): refused, nothing changes."""
    message = update.callback_query.message
    in_group = message is not None and message.chat.id == context.config.liaison_chat_id
    if in_group and message.message_id != request.request.card_message_id:
        await refuse(update, _("This button does not work here. Nothing was changed."))
        return True
    return False


def held(request: GearRequest) -> dict[int, int]:
    """The quantities per item the request asks (before a decision) or was given (after)."""
    if decided(request):
        return {line.item_id: line.holds for line in request.lines if line.holds}
    return {line.item_id: line.quantity for line in request.lines}


def request_deposit(request: GearRequest, items: dict[int, GearItem]) -> int:
    """The deposit to bring, in cents: for what was approved once decided, else what is asked;
    at each item's deposit when the request was made (a later catalog change does not count)."""
    quantities = held(request)
    return sum(line.deposit_cents * quantities.get(line.item_id, 0) for line in request.lines)


def _line_text(request: GearRequest, items, line, free: dict[int, int] | None) -> str:
    name = esc(item_name(items, line.item_id))
    unit = esc(items[line.item_id].unit) if line.item_id in items else ""
    unit = f" {unit}" if unit else ""
    if request.request.status is Status.REQUESTED:
        text = _("• {name}: {count}{unit} asked").format(name=name, count=line.quantity, unit=unit)
        if free is not None and line.item_id in free:
            text += " · " + _("{count} free now").format(count=free[line.item_id])
        return text
    if line.approved is not None and line.approved != line.quantity:
        return _("• {name}: {approved}{unit} of {count} asked").format(
            name=name, approved=line.approved, count=line.quantity, unit=unit
        )
    return _("• {name}: {count}{unit}").format(name=name, count=line.quantity, unit=unit)


async def card_text(context: KapstokContext, request: GearRequest) -> str:
    """The card, in the current language, as the request is now."""
    store = context.store
    association = await store.associations.get(request.request.association_id)
    items = await store.gear.many(line.item_id for line in request.lines)
    free = None
    if request.request.status is Status.REQUESTED:
        stock = {item_id: item.stock for item_id, item in items.items()}
        free = await store.gear_requests.free(
            stock, request.pick_up, request.return_on, without=request.request_id
        )
    lines = [
        _("🧰 <b>Gear request #{number}</b> · {association}").format(
            number=request.request_id,
            association=esc(association.name if association else "?"),
        ),
        _("<b>Status:</b> {status}").format(status=status_label(request.request.status)),
        _("<b>Period:</b> {period}").format(period=period_text(request)),
        "",
        *(_line_text(request, items, line, free) for line in request.lines),
        "",
        _("<b>Deposit:</b> {amount}").format(amount=money(request_deposit(request, items))),
    ]
    if request.request.activity_id is not None:
        activity = await store.activities.get(request.request.activity_id)
        if activity is not None:
            lines.append(
                _("<b>Activity:</b> {title}, {date}").format(
                    title=esc(activity.title), date=i18n.format_date(activity.starts_at)
                )
            )
    if request.request.note:
        lines.append(_("<b>Note of the board:</b> {note}").format(note=esc(request.request.note)))
    lines += await _desk_lines(context, request, request_deposit(request, items))
    return "\n".join(lines)


async def _desk_lines(context: KapstokContext, request: GearRequest, deposit: int) -> list[str]:
    """What happened at the desk: the reason of a rejection, the deposit, the return."""
    status = request.request.status
    lines: list[str] = []
    if status is Status.REJECTED:
        history = await context.store.requests.history(request.request_id)
        reason = next((e.detail for e in reversed(history) if e.event == Status.REJECTED), "")
        if reason:
            lines.append(_("<b>Reason:</b> {reason}").format(reason=esc(reason)))
    if request.deposit_received is not None:
        if not deposit:
            lines.append(_("📦 Picked up."))
        elif request.deposit_received:
            lines.append(_("📦 Picked up; deposit received."))
        else:
            lines.append(_("📦 Picked up; deposit not received."))
    if status is Status.RETURNED:
        if request.returned_in_order:
            lines.append(_("↩️ Returned, everything back and in order."))
        else:
            lines.append(
                _("↩️ Returned with a note: {note}").format(note=esc(request.return_note or ""))
            )
        if request.damage_photo:
            lines.append(_("📷 A photo of the damage was added."))
        kept = request.deposit_kept_cents or 0
        if kept:
            lines.append(_("Deposit kept: {amount}").format(amount=money(kept)))
        elif deposit and request.deposit_received:
            lines.append(_("Deposit returned in full."))
    if lines:
        lines.insert(0, "")
    return lines


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def card_keyboard(request: GearRequest) -> InlineKeyboardMarkup | None:
    """The liaisons' buttons for what may be done to the request now."""
    number = request.request_id
    possible = actions(RequestKind.GEAR, request.request.status)
    rows: list[list[InlineKeyboardButton]] = []
    if Action.APPROVE in possible:
        rows.append(
            [
                _button(pgettext("button", "✅ Approve"), callbacks.GEAR_APPROVE.data(number)),
                _button(pgettext("button", "☑️ Approve partly"), callbacks.GEAR_PARTLY.data(number)),
            ]
        )
    if Action.REJECT in possible:
        rows.append(
            [
                _button(pgettext("button", "❌ Reject"), callbacks.GEAR_REJECT.data(number)),
                _button(pgettext("button", "❓ Ask the board"), callbacks.REQUEST_ASK.data(number)),
            ]
        )
    if Action.PICK_UP in possible:
        rows.append(
            [_button(pgettext("button", "📦 Picked up"), callbacks.GEAR_PICKED_UP.data(number))]
        )
    if Action.RETURN in possible:
        rows.append(
            [_button(pgettext("button", "↩️ Returned"), callbacks.GEAR_RETURNED.data(number))]
        )
    return InlineKeyboardMarkup(rows) if rows else None


async def card(context: KapstokContext, request_id: int):
    """The card's text and keyboard in the current language; None when there is no such gear
    request."""
    request = await context.store.gear_requests.get(request_id)
    if request is None:
        return None
    return await card_text(context, request), card_keyboard(request)


# --- the outbox kind -----------------------------------------------------------------------------


def register(outbox: Outbox, application: Application) -> None:
    async def render(row: OutboxRow) -> Delivery | None:
        return await _card(KapstokContext(application), row)

    outbox.register(CARD, render)


async def _card(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    store = context.store
    request_id = row.payload["request_id"]
    request = await store.gear_requests.get(request_id)
    if request is None:
        return None
    association = await store.associations.get(request.request.association_id)
    if association is None:
        return None
    bot = context.bot
    message_id = request.request.card_message_id

    async def drawn():
        with i18n.use_language(context.config.default_language):
            return await card(context, request_id)

    async def send():
        text, keyboard = await drawn()

        async def post(topic: int | None):
            return await bot.send_message(
                row.chat_id, text, reply_markup=keyboard, message_thread_id=topic
            )

        if message_id is not None:
            try:
                return await bot.edit_message_text(
                    text, chat_id=row.chat_id, message_id=message_id, reply_markup=keyboard
                )
            except BadRequest as error:
                reason = str(error).lower()
                if "not modified" in reason:
                    return None
                if "not found" not in reason:
                    raise
            # the card was deleted by hand: a new one
        return await post_in_topic(context, association, post)

    async def sent(result) -> None:
        new_id = getattr(result, "message_id", None)
        if isinstance(new_id, int) and new_id != message_id:
            await store.requests.set_card(request_id, new_id)

    return Delivery(send, sent, message=message_id is None, patient=True)
