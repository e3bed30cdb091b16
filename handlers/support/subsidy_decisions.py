"""Liaison officers decide on a subsidy request from its card: *Approve* asks the amount granted
(typed in their locale, at most the amount asked), *Reject* asks the reason, and once approved
*Paid* asks the date (typed, or *Today*). Each decision is kept in the request's history, the
card is drawn again and every board member is told, amounts in their own locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.amounts import example_amount, parse_amount
from bot.domain.dates import parse_day
from bot.domain.requests import Action, RequestKind, next_status
from bot.domain.subsidies import SubsidyRequest, amount_to_cents, cents_to_amount
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support import subsidy_card
from handlers.support.recognition import short_date
from handlers.support.subsidy_card import amount, amount_refusal, type_name
from handlers.ui import esc, mention, no_longer_valid, refuse, require_liaison

GRANTED, REASON, PAID_DATE = "subsidy.granted", "subsidy.reason", "subsidy.paid_date"
TIMEOUT = timedelta(hours=24)
REASON_LIMIT = 1000

ACTIONS = {
    GRANTED: Action.APPROVE,
    REASON: Action.REJECT,
    PAID_DATE: Action.PAY,
}


@dataclass
class DecisionDraft(Draft):
    KEY = "subsidy_decision"
    request_id: int | None = None
    step: str | None = None


# --- which request, and may it be decided ---------------------------------------------------------


async def _decidable(
    update: Update, context: KapstokContext, number: int | None, action: Action, *, on_card: bool
) -> SubsidyRequest | None:
    """The request, when the action still applies to it and (in the group) the button is on
    its own card; else say why not."""
    request = await context.store.subsidies.get(number) if number is not None else None
    if request is None:
        await no_longer_valid(update)
        return None
    message = update.callback_query.message if update.callback_query else None
    in_group = message is not None and message.chat.id == context.config.liaison_chat_id
    if on_card and in_group and message.message_id != request.request.card_message_id:
        await refuse(update, _("This button does not work here. Nothing was changed."))
        return None
    if next_status(RequestKind.SUBSIDY, request.status, action) is None:
        await no_longer_valid(update)
        await subsidy_card.redraw(context.application, request.request_id)
        return None
    return request


async def _prompt(update: Update, context: KapstokContext, text: str, keyboard=None):
    """Ask the liaison (in the group, as a reply to the question only)."""
    message = update.callback_query.message
    group = message.chat.type != "private"
    prompt = await context.bot.send_message(
        message.chat.id,
        text,
        reply_markup=ForceReply(selective=True) if group and keyboard is None else keyboard,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
    remember_prompt(context, DecisionDraft.KEY, prompt)
    return prompt


async def _again(update: Update, context: KapstokContext, text: str) -> None:
    """Why not, as the new question: in the group, a reply to it answers."""
    message = update.message
    again = await message.reply_text(
        text, reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None
    )
    remember_prompt(context, DecisionDraft.KEY, again)


def _who(context: KapstokContext) -> str:
    return mention(context.profile.user_id, context.profile.first_name)


async def _association_name(context: KapstokContext, request: SubsidyRequest) -> str:
    association = await context.store.associations.get(request.request.association_id)
    return esc(association.name if association else "?")


# --- the entry points: a button on the card -------------------------------------------------------


async def ask_granted(update: Update, context: KapstokContext) -> str | int:
    """✅ Approve…: how much is granted?"""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    request = await _decidable(
        update, context, callbacks.SUBSIDY_APPROVE.value(query.data), Action.APPROVE, on_card=True
    )
    if request is None:
        return ConversationHandler.END
    await query.answer()
    DecisionDraft(request.request_id, GRANTED).save(context)
    await _prompt(
        update,
        context,
        _("{liaison}, how much is granted to {association} for request #{number}? They asked "
          "{asked}. Type the amount, like {example}. /cancel leaves the request as it is.").format(
            liaison=_who(context),
            association=await _association_name(context, request),
            number=request.request_id,
            asked=amount(request.amount_cents),
            example=example_amount(i18n.current_language()),
        ),
    )  # fmt: skip
    return GRANTED


async def ask_reason(update: Update, context: KapstokContext) -> str | int:
    """❌ Reject…: why?"""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    request = await _decidable(
        update, context, callbacks.SUBSIDY_REJECT.value(query.data), Action.REJECT, on_card=True
    )
    if request is None:
        return ConversationHandler.END
    await query.answer()
    DecisionDraft(request.request_id, REASON).save(context)
    await _prompt(
        update,
        context,
        _("{liaison}, why is request #{number} of {association} not approved? The board reads "
          "your reason. /cancel leaves the request as it is.").format(
            liaison=_who(context),
            number=request.request_id,
            association=await _association_name(context, request),
        ),
    )  # fmt: skip
    return REASON


def _today_keyboard(number: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "📅 Today"),
                    callback_data=callbacks.SUBSIDY_PAID_TODAY.data(number),
                )
            ]
        ]
    )


async def ask_paid(update: Update, context: KapstokContext) -> str | int:
    """💶 Paid…: on which date?"""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    request = await _decidable(
        update, context, callbacks.SUBSIDY_PAID.value(query.data), Action.PAY, on_card=True
    )
    if request is None:
        return ConversationHandler.END
    await query.answer()
    DecisionDraft(request.request_id, PAID_DATE).save(context)
    day = today(context.store, context.config)
    text = _(
        "{liaison}, on which date were {granted} paid to {association} (request #{number})? "
        "Press Today, or reply with the date, like {example}. /cancel leaves it as it is."
    ).format(
        liaison=_who(context),
        granted=amount(request.granted_cents or 0),
        association=await _association_name(context, request),
        number=request.request_id,
        example=short_date(day),
    )
    await _prompt(update, context, text, _today_keyboard(request.request_id))
    return PAID_DATE


# --- the typed answers ----------------------------------------------------------------------------


async def _draft_request(
    update: Update, context: KapstokContext, step: str
) -> SubsidyRequest | None:
    """The request the liaison's answer is about, when it can still take that decision."""
    draft = DecisionDraft.load(context)
    request = (
        await context.store.subsidies.get(draft.request_id)
        if draft and draft.request_id and draft.step == step
        else None
    )
    if request is None or next_status(RequestKind.SUBSIDY, request.status, ACTIONS[step]) is None:
        DecisionDraft.drop(context)
        await update.message.reply_text(
            _("This request was decided meanwhile; nothing was changed.")
        )
        return None
    return request


async def receive_granted(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DecisionDraft.KEY):
        return None
    if not await require_liaison(update, context):
        DecisionDraft.drop(context)
        return ConversationHandler.END
    request = await _draft_request(update, context, GRANTED)
    if request is None:
        return ConversationHandler.END
    typed = parse_amount(
        update.message.text, i18n.current_language(), cents_to_amount(request.amount_cents)
    )
    if isinstance(typed, str):
        await _again(update, context, amount_refusal(typed, request.amount_cents, granted=True))
        return GRANTED
    granted = amount_to_cents(typed)
    if not await context.store.subsidies.approve(
        request.request_id, granted, context.profile.user_id
    ):
        DecisionDraft.drop(context)
        await update.message.reply_text(
            _("This request was decided meanwhile; nothing was changed.")
        )
        return ConversationHandler.END
    DecisionDraft.drop(context)
    decided = await context.store.subsidies.get(request.request_id)
    await _after_decision(context, decided)
    await update.message.reply_text(
        _("Request #{number} is approved: {granted} granted. The board is told.").format(
            number=request.request_id, granted=amount(granted)
        )
    )
    return ConversationHandler.END


async def receive_reason(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DecisionDraft.KEY):
        return None
    if not await require_liaison(update, context):
        DecisionDraft.drop(context)
        return ConversationHandler.END
    request = await _draft_request(update, context, REASON)
    if request is None:
        return ConversationHandler.END
    reason = update.message.text.strip()
    if not reason or len(reason) > REASON_LIMIT:
        await _again(
            update,
            context,
            _("A reason has at most {limit} characters; yours has {count}. Make it shorter, or "
              "/cancel.").format(limit=REASON_LIMIT, count=len(reason))
        )  # fmt: skip
        return REASON
    if not await context.store.subsidies.reject(
        request.request_id, reason, context.profile.user_id
    ):
        DecisionDraft.drop(context)
        await update.message.reply_text(
            _("This request was decided meanwhile; nothing was changed.")
        )
        return ConversationHandler.END
    DecisionDraft.drop(context)
    await _after_decision(context, await context.store.subsidies.get(request.request_id), reason)
    await update.message.reply_text(
        _("Request #{number} is rejected. The board is told, with your reason.").format(
            number=request.request_id
        )
    )
    return ConversationHandler.END


def _date_refusal(day: date) -> str:
    return _(
        "I cannot read that as a date of today or before. Reply with the date, like {example}, "
        "press Today, or /cancel."
    ).format(example=short_date(day))


async def receive_paid_date(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DecisionDraft.KEY):
        return None
    if not await require_liaison(update, context):
        DecisionDraft.drop(context)
        return ConversationHandler.END
    request = await _draft_request(update, context, PAID_DATE)
    if request is None:
        return ConversationHandler.END
    day = today(context.store, context.config)
    typed = parse_day(update.message.text, i18n.babel_locale())
    if typed is None or typed > day or typed < date(2000, 1, 1):
        await _again(update, context, _date_refusal(day))
        return PAID_DATE
    requested_on = request.request.created_at.astimezone(context.config.timezone).date()
    if typed < requested_on:
        await _again(
            update,
            context,
            _("Request #{number} was made on {date}: it cannot have been paid before.").format(
                number=request.request_id, date=i18n.format_day(requested_on)
            ),
        )
        return PAID_DATE
    return await _mark_paid(update, context, request, typed)


async def not_text(update: Update, context: KapstokContext) -> str | int | None:
    """A photo or a sticker instead of an answer: ask again."""
    if not await answers_prompt(update, context, DecisionDraft.KEY):
        return None
    draft = DecisionDraft.load(context)
    step = draft.step if draft else None
    if step == PAID_DATE:
        await _again(update, context, _date_refusal(today(context.store, context.config)))
    elif step == GRANTED:
        await _again(update, context, amount_refusal("unreadable"))
    else:
        await _again(update, context, _("Reply with the reason as text, or /cancel."))
    return step or ConversationHandler.END


async def paid_today(update: Update, context: KapstokContext) -> int:
    """📅 Today: paid today."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    request = await _decidable(
        update, context, callbacks.SUBSIDY_PAID_TODAY.value(query.data), Action.PAY, on_card=False
    )
    if request is None:
        DecisionDraft.drop(context)
        return ConversationHandler.END
    await query.answer()
    return await _mark_paid(update, context, request, today(context.store, context.config))


async def _mark_paid(
    update: Update, context: KapstokContext, request: SubsidyRequest, day: date
) -> int:
    DecisionDraft.drop(context)
    answer = update.effective_message.reply_text
    if not await context.store.subsidies.paid(request.request_id, day, context.profile.user_id):
        await answer(_("This request was decided meanwhile; nothing was changed."))
        return ConversationHandler.END
    await _after_decision(context, await context.store.subsidies.get(request.request_id))
    await answer(
        _("Request #{number} is marked paid on {date}. The board is told.").format(
            number=request.request_id, date=i18n.format_day(day)
        )
    )
    return ConversationHandler.END


# --- after a decision: the card, and the board --------------------------------------------------


async def _after_decision(
    context: KapstokContext, request: SubsidyRequest, reason: str = ""
) -> None:
    await subsidy_card.redraw(context.application, request.request_id)
    subsidy_type = await context.store.subsidies.get_type(request.type_id)

    async def words() -> str:
        name = esc(type_name(subsidy_type))
        number = request.request_id
        if request.paid_on is not None:
            return _("💶 Subsidy request #{number} ({name}): {granted} was paid on {date}.").format(
                number=number,
                name=name,
                granted=amount(request.granted_cents or 0),
                date=i18n.format_day(request.paid_on),
            )
        if request.granted_cents is not None:
            return _(
                "✅ Subsidy request #{number} ({name}) is approved: {granted} granted (you asked "
                "{asked})."
            ).format(
                number=number,
                name=name,
                granted=amount(request.granted_cents),
                asked=amount(request.amount_cents),
            )
        return _(
            "❌ Subsidy request #{number} ({name}) is not approved. The municipality's reason: "
            "{reason}"
        ).format(number=number, name=name, reason=esc(reason))

    await subsidy_card.tell_board(context, request, words)


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    deciding = ConversationHandler(
        name="subsidy_decision",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(ask_granted, pattern=callbacks.SUBSIDY_APPROVE.matches),
            CallbackQueryHandler(ask_reason, pattern=callbacks.SUBSIDY_REJECT.matches),
            CallbackQueryHandler(ask_paid, pattern=callbacks.SUBSIDY_PAID.matches),
        ],
        states={
            GRANTED: [
                MessageHandler(TEXT & answered & where, receive_granted),
                MessageHandler(NOT_TEXT & answered & where, not_text),
            ],
            REASON: [
                MessageHandler(TEXT & answered & where, receive_reason),
                MessageHandler(NOT_TEXT & answered & where, not_text),
            ],
            PAID_DATE: [
                MessageHandler(TEXT & answered & where, receive_paid_date),
                MessageHandler(NOT_TEXT & answered & where, not_text),
                CallbackQueryHandler(paid_today, pattern=callbacks.SUBSIDY_PAID_TODAY.matches),
            ],
        },
        fallbacks=fallbacks(DecisionDraft.KEY),
    )
    return [
        deciding,
        CallbackQueryHandler(paid_today, pattern=callbacks.SUBSIDY_PAID_TODAY.matches),
    ]
