"""At the lending service's desk: a liaison officer marks a gear request picked up (was the
deposit received?) and returned (everything back and in order, or a typed note and optionally a
photo of the damage; the deposit returned in full, kept in part — an amount typed in the
officer's locale — or kept in full). The board hears both, the card redraws after each.

`/gear today` (in the group or a private chat) lists what is picked up and returned today, and
what is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.amounts import example_amount, parse_amount
from bot.domain.gear import GearItem
from bot.domain.gear_reminders import overdue_days
from bot.domain.requests import GearRequest, Status
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support.gear_card import (
    item_name,
    money,
    pressed_on_another_card,
    queue_card,
    request_deposit,
)
from handlers.support.gear_decisions import already, tell_board
from handlers.ui import esc, mention, no_longer_valid, require_liaison, show

ORDER = "gear.return_order"
NOTE = "gear.return_note"
PHOTO = "gear.return_photo"
DEPOSIT = "gear.return_deposit"
AMOUNT = "gear.return_amount"
TIMEOUT = timedelta(hours=24)
NOTE_LIMIT = 1000
HOLDING = (Status.APPROVED, Status.PARTLY_APPROVED)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


async def _gear_request(update: Update, context: KapstokContext, button) -> GearRequest | None:
    number = button.parse(update.callback_query.data)[0]
    request = await context.store.gear_requests.get(number)
    if request is None:
        await no_longer_valid(update)
    return request


async def _deposit_of(context: KapstokContext, request: GearRequest) -> int:
    items = await context.store.gear.many(line.item_id for line in request.lines)
    return request_deposit(request, items)


async def _reply(message: Message, context: KapstokContext, text: str, keyboard=None) -> Message:
    """A question under the card (in its topic), or in the officer's private chat."""
    return await context.bot.send_message(
        message.chat.id,
        text,
        reply_markup=keyboard,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )


# --- picked up ---------------------------------------------------------------------------------


def picked_up_text(request: GearRequest, items: dict[int, GearItem]) -> str:
    lines = [
        _("📦 Gear request #{number} is picked up. Bring it back on {date}.").format(
            number=request.request_id, date=i18n.format_day(request.return_on)
        )
    ]
    deposit = request_deposit(request, items)
    if deposit:
        lines.append(
            _("The deposit of {amount} was received.").format(amount=money(deposit))
            if request.deposit_received
            else _("The deposit of {amount} was not received.").format(amount=money(deposit))
        )
    return "\n".join(lines)


async def ask_deposit(update: Update, context: KapstokContext) -> None:
    """gd:pu: picked up; when there is a deposit, was it received?"""
    if not await require_liaison(update, context):
        return
    request = await _gear_request(update, context, callbacks.GEAR_PICKED_UP)
    if request is None or await pressed_on_another_card(update, context, request):
        return
    if request.request.status not in HOLDING:
        await already(update, request)
        return
    deposit = await _deposit_of(context, request)
    if not deposit:
        await _picked_up(update, context, request, True)
        return
    await update.callback_query.answer()
    number = request.request_id
    await _reply(
        update.callback_query.message,
        context,
        _("📦 Gear request #{number} is picked up. Was the deposit of {amount} received?").format(
            number=number, amount=money(deposit)
        ),
        InlineKeyboardMarkup(
            [
                [
                    _button(
                        pgettext("button", "✅ Deposit received"),
                        callbacks.GEAR_DEPOSIT.data(number, "yes"),
                    ),
                    _button(
                        pgettext("button", "✖️ Not received"),
                        callbacks.GEAR_DEPOSIT.data(number, "no"),
                    ),
                ]
            ]
        ),
    )


async def deposit_received(update: Update, context: KapstokContext) -> None:
    """gd:dep: mark it picked up, with or without the deposit."""
    if not await require_liaison(update, context):
        return
    request = await _gear_request(update, context, callbacks.GEAR_DEPOSIT)
    if request is None:
        return
    if request.request.status not in HOLDING:
        await already(update, request)
        return
    received = callbacks.GEAR_DEPOSIT.parse(update.callback_query.data)[1] == "yes"
    await _picked_up(update, context, request, received, edit=True)


async def _picked_up(
    update: Update, context: KapstokContext, request: GearRequest, received: bool, edit=False
) -> None:
    store = context.store
    if not await store.gear_requests.picked_up(
        request.request_id, context.profile.user_id, received
    ):
        await already(update, await store.gear_requests.get(request.request_id))
        return
    done = await store.gear_requests.get(request.request_id)
    await tell_board(context.application, done, picked_up_text)
    await queue_card(context.application, request.request_id)
    await update.callback_query.answer(_("Picked up; the board is told."))
    if edit:
        await show(
            update.callback_query,
            (
                _("📦 Gear request #{number}: picked up, deposit received.")
                if received
                else _("📦 Gear request #{number}: picked up, deposit not received.")
            ).format(number=request.request_id),
        )


# --- returned ----------------------------------------------------------------------------------


@dataclass
class ReturnDraft(Draft):
    KEY = "gear_return"
    request_id: int | None = None
    in_order: bool = True
    note: str = ""
    photo: str | None = None


def returned_text(request: GearRequest, items: dict[int, GearItem]) -> str:
    lines = [
        _("↩️ Gear request #{number} is returned. Thank you!").format(number=request.request_id)
    ]
    if not request.returned_in_order:
        lines.append(
            _("The lending service noted: {note}").format(note=esc(request.return_note or ""))
        )
    deposit = request_deposit(request, items)
    kept = request.deposit_kept_cents or 0
    if deposit and request.deposit_received is not False:
        if kept >= deposit:
            lines.append(_("The deposit of {amount} is kept.").format(amount=money(kept)))
        elif kept:
            lines.append(
                _("Of the deposit of {deposit}, {kept} is kept; {back} comes back.").format(
                    deposit=money(deposit), kept=money(kept), back=money(deposit - kept)
                )
            )
        else:
            lines.append(
                _("The deposit of {amount} comes back in full.").format(amount=money(deposit))
            )
    return "\n".join(lines)


async def _current(context: KapstokContext) -> tuple[ReturnDraft | None, GearRequest | None]:
    draft = ReturnDraft.load(context)
    if draft is None or draft.request_id is None:
        return None, None
    return draft, await context.store.gear_requests.get(draft.request_id)


async def _returning(
    update: Update, context: KapstokContext
) -> tuple[ReturnDraft, GearRequest] | None:
    """A typed step of a return, by a liaison, while the request is still out; else the return
    ends (and says why when the request moved on)."""
    if not await require_liaison(update, context):
        ReturnDraft.drop(context)
        return None
    draft, request = await _current(context)
    if request is None or request.request.status is not Status.PICKED_UP:
        ReturnDraft.drop(context)
        await update.message.reply_text(_("This request can no longer be returned."))
        return None
    return draft, request


async def ask_order(update: Update, context: KapstokContext) -> str | int:
    """gd:ret: is everything back and in order?"""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    request = await _gear_request(update, context, callbacks.GEAR_RETURNED)
    if request is None or await pressed_on_another_card(update, context, request):
        return ConversationHandler.END
    if request.request.status is not Status.PICKED_UP:
        await already(update, request)
        return ConversationHandler.END
    await update.callback_query.answer()
    number = request.request_id
    ReturnDraft(number).save(context)
    await _reply(
        update.callback_query.message,
        context,
        _("↩️ Gear request #{number} is returned. Is everything back and in order?").format(
            number=number
        ),
        InlineKeyboardMarkup(
            [
                [
                    _button(
                        pgettext("button", "✅ All in order"),
                        callbacks.GEAR_IN_ORDER.data(number, "yes"),
                    ),
                    _button(
                        pgettext("button", "⚠️ With a note"),
                        callbacks.GEAR_IN_ORDER.data(number, "no"),
                    ),
                ]
            ]
        ),
    )
    return ORDER


async def _step_request(update: Update, context: KapstokContext, button) -> GearRequest | None:
    """The request a step's button names, when it is the one being returned."""
    if not await require_liaison(update, context):
        return None
    draft, request = await _current(context)
    number = button.parse(update.callback_query.data)[0]
    if request is None or draft.request_id != number:
        await no_longer_valid(update)
        return None
    if request.request.status is not Status.PICKED_UP:
        ReturnDraft.drop(context)
        await already(update, request)
        return None
    return request


async def order_answered(update: Update, context: KapstokContext) -> str | int:
    """gd:ro: in order (on to the deposit), or not (a note first)."""
    request = await _step_request(update, context, callbacks.GEAR_IN_ORDER)
    if request is None:
        return ConversationHandler.END
    query = update.callback_query
    await query.answer()
    in_order = callbacks.GEAR_IN_ORDER.parse(query.data)[1] == "yes"
    draft = ReturnDraft.load(context)
    draft.in_order = in_order
    draft.save(context)
    if in_order:
        await show(
            query,
            _("↩️ Gear request #{number}: everything back and in order.").format(
                number=request.request_id
            ),
        )
        return await _to_deposit(update, context, request)
    await show(
        query,
        _("↩️ Gear request #{number}: not everything is in order.").format(
            number=request.request_id
        ),
    )
    prompt = await context.bot.send_message(
        query.message.chat.id,
        _(
            "{liaison}, what is missing or damaged in gear request #{number}? Type a note: the "
            "board reads it. /cancel stops without recording the return."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            number=request.request_id,
        ),
        reply_markup=ForceReply(selective=True) if query.message.chat.type != "private" else None,
        message_thread_id=query.message.message_thread_id
        if query.message.is_topic_message
        else None,
    )
    remember_prompt(context, ReturnDraft.KEY, prompt)
    return NOTE


async def receive_note(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    step = await _returning(update, context)
    if step is None:
        return ConversationHandler.END
    draft, request = step
    note = update.message.text.strip()
    if not note or len(note) > NOTE_LIMIT:
        await update.message.reply_text(
            _("Type a note of at most {limit} characters, or /cancel.").format(limit=NOTE_LIMIT)
        )
        return NOTE
    draft.note = note
    draft.save(context)
    prompt = await update.message.reply_text(
        _(
            "Send a photo of the damage (as a reply to this message in the group), or press "
            "No photo."
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    _button(
                        pgettext("button", "➡️ No photo"),
                        callbacks.GEAR_NO_PHOTO.data(request.request_id),
                    )
                ]
            ]
        ),
    )
    remember_prompt(context, ReturnDraft.KEY, prompt)
    return PHOTO


async def note_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    await update.message.reply_text(
        _("Type the note as text first; the photo comes after it. Or /cancel.")
    )
    return NOTE


async def receive_photo(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    step = await _returning(update, context)
    if step is None:
        return ConversationHandler.END
    draft, request = step
    draft.photo = update.message.photo[-1].file_id
    draft.save(context)
    return await _to_deposit(update, context, request)


async def photo_not_photo(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    await update.message.reply_text(_("Send a photo, or press No photo. Or /cancel."))
    return PHOTO


async def no_photo(update: Update, context: KapstokContext) -> str | int:
    """gd:nophoto: on to the deposit."""
    request = await _step_request(update, context, callbacks.GEAR_NO_PHOTO)
    if request is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    return await _to_deposit(update, context, request)


async def _to_deposit(update: Update, context: KapstokContext, request: GearRequest) -> str | int:
    """Ask about the deposit; none to keep (none, or never received): the return is recorded."""
    deposit = await _deposit_of(context, request)
    if not deposit or request.deposit_received is False:
        return await _finish(update, context, request, 0)
    number = request.request_id
    await context.bot.send_message(
        update.effective_chat.id,
        _("The deposit of gear request #{number} is {amount}. What happens to it?").format(
            number=number, amount=money(deposit)
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    _button(
                        pgettext("button", "💶 Return it in full"),
                        callbacks.GEAR_KEEP.data(number, "none"),
                    )
                ],
                [
                    _button(
                        pgettext("button", "✂️ Keep part of it"),
                        callbacks.GEAR_KEEP.data(number, "part"),
                    ),
                    _button(
                        pgettext("button", "🔒 Keep all of it"),
                        callbacks.GEAR_KEEP.data(number, "all"),
                    ),
                ],
            ]
        ),
        message_thread_id=_thread_of(update),
    )
    return DEPOSIT


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


async def deposit_chosen(update: Update, context: KapstokContext) -> str | int:
    """gd:keep: none, all, or part (then an amount)."""
    request = await _step_request(update, context, callbacks.GEAR_KEEP)
    if request is None:
        return ConversationHandler.END
    query = update.callback_query
    await query.answer()
    choice = callbacks.GEAR_KEEP.parse(query.data)[1]
    deposit = await _deposit_of(context, request)
    if choice == "none":
        return await _finish(update, context, request, 0)
    if choice == "all":
        return await _finish(update, context, request, deposit)
    language = i18n.current_language()
    prompt = await context.bot.send_message(
        query.message.chat.id,
        _(
            "{liaison}, how much of the deposit of {amount} is kept? Type an amount, like "
            "{example}. /cancel stops without recording the return."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            amount=money(deposit),
            example=example_amount(language),
        ),
        reply_markup=ForceReply(selective=True) if query.message.chat.type != "private" else None,
        message_thread_id=_thread_of(update),
    )
    remember_prompt(context, ReturnDraft.KEY, prompt)
    return AMOUNT


def amount_problem(reason: str, deposit: int, language: str) -> str:
    example = example_amount(language)
    if reason == "over_maximum":
        return _(
            "That is more than the deposit of {amount}. Type at most that, or press Keep all "
            "of it. Or /cancel."
        ).format(amount=money(deposit))
    if reason == "zero":
        return _(
            "Nothing kept? Press Return it in full. Or type an amount, like {example}."
        ).format(example=example)
    if reason == "negative":
        return _("Type the amount kept without a minus sign, like {example}.").format(
            example=example
        )
    return _("I cannot read that as an amount. Type it like {example}, or /cancel.").format(
        example=example
    )


async def receive_amount(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    step = await _returning(update, context)
    if step is None:
        return ConversationHandler.END
    _draft, request = step
    deposit = await _deposit_of(context, request)
    language = i18n.current_language()
    value = parse_amount(update.message.text, language, Decimal(deposit) / 100)
    if isinstance(value, str):
        await update.message.reply_text(amount_problem(value, deposit, language))
        return AMOUNT
    return await _finish(update, context, request, int(value * 100))


async def amount_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, ReturnDraft.KEY):
        return None
    await update.message.reply_text(amount_problem("unreadable", 0, i18n.current_language()))
    return AMOUNT


async def _finish(update: Update, context: KapstokContext, request: GearRequest, kept: int) -> int:
    store = context.store
    draft = ReturnDraft.load(context) or ReturnDraft(request.request_id)
    ReturnDraft.drop(context)
    recorded = await store.gear_requests.returned(
        request.request_id,
        context.profile.user_id,
        in_order=draft.in_order,
        note=draft.note,
        damage_photo=draft.photo,
        deposit_kept_cents=kept,
    )
    chat = update.effective_chat.id
    if not recorded:
        await context.bot.send_message(
            chat,
            _("Gear request #{number} was already returned.").format(number=request.request_id),
            message_thread_id=_thread_of(update),
        )
        return ConversationHandler.END
    done = await store.gear_requests.get(request.request_id)
    await tell_board(context.application, done, returned_text)
    await queue_card(context.application, request.request_id)
    kept_text = (
        _("{amount} of the deposit kept.").format(amount=money(kept))
        if kept
        else _("Nothing of the deposit kept.")
    )
    await context.bot.send_message(
        chat,
        _("↩️ Gear request #{number} is recorded as returned; the board is told.").format(
            number=request.request_id
        )
        + " "
        + kept_text,
        message_thread_id=_thread_of(update),
    )
    return ConversationHandler.END


# --- /gear today -------------------------------------------------------------------------------


def _lines_of(request: GearRequest, items: dict[int, GearItem], association: str) -> str:
    what = ", ".join(
        f"{line.holds} × {esc(item_name(items, line.item_id))}"
        for line in request.lines
        if line.holds
    )
    return _("• #{number} {association}: {items}").format(
        number=request.request_id, association=esc(association), items=what
    )


async def today_text(context: KapstokContext) -> str:
    store = context.store
    day = today(store, context.config)
    picking = await store.gear_requests.picking_up_on(day)
    returning = await store.gear_requests.returning_on(day)
    overdue = await store.gear_requests.overdue(day)
    every = [*picking, *returning, *overdue]
    items = await store.gear.many(line.item_id for r in every for line in r.lines)
    names = {}
    for request in every:
        number = request.request.association_id
        if number not in names:
            association = await store.associations.get(number)
            names[number] = association.name if association else "?"
    lines = [_("🧰 <b>The lending service today, {date}</b>").format(date=i18n.format_day(day))]
    if not every:
        lines.append(_("Nothing is picked up or returned today, and nothing is overdue."))
        return "\n".join(lines)
    for title, requests in (
        (_("📦 <b>To pick up</b>"), picking),
        (_("↩️ <b>To return</b>"), returning),
    ):
        if requests:
            lines += ["", title]
            lines += [_lines_of(r, items, names[r.request.association_id]) for r in requests]
    if overdue:
        lines += ["", _("⏰ <b>Overdue</b>")]
        for request in overdue:
            late = overdue_days(request.return_on, day)
            lines.append(
                _lines_of(request, items, names[request.request.association_id])
                + " "
                + ngettext(
                    "(due {date}, {count} day late)",
                    "(due {date}, {count} days late)",
                    late,
                ).format(date=i18n.format_day(request.return_on), count=late)
            )
    return "\n".join(lines)


async def gear_today(update: Update, context: KapstokContext) -> None:
    """/gear today: for liaison officers."""
    if not await require_liaison(update, context):
        return
    await update.effective_message.reply_text(await today_text(context))


async def stale_step(update: Update, context: KapstokContext) -> None:
    """A return's step button pressed outside its conversation (pressed before, or by another
    officer): nothing happens."""
    if not await require_liaison(update, context):
        return
    await no_longer_valid(update)


TODAY = tg_filters.Regex(r"(?i)^/gear(@\w+)?\s+(today|vandaag|aujourd['’]hui)\s*$")


def build_handlers(liaison_chat_id: int) -> list:
    where = tg_filters.ChatType.PRIVATE | tg_filters.Chat(liaison_chat_id)
    answered = tg_filters.ChatType.PRIVATE | tg_filters.REPLY
    photo = tg_filters.UpdateType.MESSAGE & tg_filters.PHOTO
    returning = ConversationHandler(
        name="gear_return",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(ask_order, pattern=callbacks.GEAR_RETURNED.matches)],
        states={
            ORDER: [CallbackQueryHandler(order_answered, pattern=callbacks.GEAR_IN_ORDER.matches)],
            NOTE: [
                MessageHandler(TEXT & answered & where, receive_note),
                MessageHandler(NOT_TEXT & answered & where, note_not_text),
            ],
            PHOTO: [
                CallbackQueryHandler(no_photo, pattern=callbacks.GEAR_NO_PHOTO.matches),
                MessageHandler(photo & answered & where, receive_photo),
                MessageHandler((TEXT | NOT_TEXT) & answered & where, photo_not_photo),
            ],
            DEPOSIT: [CallbackQueryHandler(deposit_chosen, pattern=callbacks.GEAR_KEEP.matches)],
            AMOUNT: [
                MessageHandler(TEXT & answered & where, receive_amount),
                MessageHandler(NOT_TEXT & answered & where, amount_not_text),
            ],
        },
        fallbacks=fallbacks(ReturnDraft.KEY),
    )
    return [
        CommandHandler("gear", gear_today, filters=TODAY & where),
        returning,
        CallbackQueryHandler(ask_deposit, pattern=callbacks.GEAR_PICKED_UP.matches),
        CallbackQueryHandler(deposit_received, pattern=callbacks.GEAR_DEPOSIT.matches),
        *(
            CallbackQueryHandler(stale_step, pattern=button.matches)
            for button in (callbacks.GEAR_IN_ORDER, callbacks.GEAR_NO_PHOTO, callbacks.GEAR_KEEP)
        ),
    ]
