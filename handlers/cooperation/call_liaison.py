"""The liaison's side of calls: every call appears in its association's topic with *Withdraw*
(call_deliveries.py); /calls lists the open calls to a liaison officer. Withdrawing asks for a
reason, which goes to the caller's board; what was not delivered yet is skipped.

/calls is one command for both sides: a board member (in a private chat) gets the
association's own calls (call_answers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.calls import is_open
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import (
    NOT_TEXT,
    TEXT,
    Draft,
    answers_prompt,
    fallbacks,
    remember_prompt,
)
from handlers.cooperation import call_answers
from handlers.cooperation.call_text import purpose_label
from handlers.ui import (
    esc,
    mention,
    no_longer_valid,
    reply,
    require_approved_member,
    require_liaison,
)

REASON = "calls.withdraw_reason"
TIMEOUT = timedelta(hours=24)
MAX_REASON = 1000
LISTED = 20  # open calls in a liaison's list


@dataclass
class Withdrawal(Draft):
    KEY = "call_withdrawal"
    call_id: int | None = None
    prompt: int | None = None


# --- /calls ------------------------------------------------------------------------------------


async def list_calls(update: Update, context: KapstokContext) -> None:
    """/calls: a board member's own calls in a private chat; every open call for a liaison."""
    profile = context.profile
    private = update.effective_chat is not None and update.effective_chat.type == "private"
    if private and profile is not None and profile.is_approved_member:
        await call_answers.our_calls(update, context)
        return
    if private and not context.is_liaison:
        await require_approved_member(update, context)
        return
    if not await require_liaison(update, context):
        return
    await reply(update, *await open_calls_page(context))


async def open_calls_page(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup | None]:
    """The open calls of every association, newest first, each with *Withdraw*."""
    store = context.store
    day = today(store, context.config)
    calls = await store.calls.open_calls(day, LISTED)
    if not calls:
        return _("No association has an open call."), None
    total = await store.calls.count_open(day)
    lines = [
        ngettext("<b>{count} open call</b>", "<b>{count} open calls</b>", total).format(count=total)
    ]
    rows = []
    for call in calls:
        association = await store.associations.get(call.association_id)
        beginning = " ".join(call.text.split())
        if len(beginning) > 60:
            beginning = beginning[:59] + "…"
        lines.append(
            _("#{number} · {association} · {purpose} · until {date}: {beginning}").format(
                number=call.call_id,
                association=esc(association.name),
                purpose=esc(purpose_label(call.purpose)),
                date=i18n.format_day(call.until),
                beginning=esc(beginning),
            )
        )
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "↩️ Withdraw #{number}").format(number=call.call_id),
                    callback_data=callbacks.CALL_WITHDRAW.data(call.call_id),
                )
            ]
        )
    if total > len(calls):
        lines.append(
            _("… and {count} older ones: withdraw those from their association's topic.").format(
                count=total - len(calls)
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


# --- withdrawing, with a reason ------------------------------------------------------------------


async def ask_reason(update: Update, context: KapstokContext) -> str | int:
    """↩️ Withdraw: why? The reason goes to the caller's board."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    call = await context.store.calls.get(callbacks.CALL_WITHDRAW.value(query.data))
    if call is None or not call_answers.carries_button(update):
        await no_longer_valid(update)
        return ConversationHandler.END
    if not is_open(call, today(context.store, context.config)):
        await query.answer(_("This call has already ended."), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    association = await context.store.associations.get(call.association_id)
    message = query.message
    prompt = await context.bot.send_message(
        message.chat.id,
        _(
            "{liaison}, why do you withdraw call #{number} of <b>{association}</b>? Reply to "
            "this message with the reason; I will send it to their board. /cancel leaves the "
            "call as it is."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            number=call.call_id,
            association=esc(association.name),
        ),
        reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
    Withdrawal(call.call_id).save(context)
    remember_prompt(context, Withdrawal.KEY, prompt)
    return REASON


async def receive_reason(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, Withdrawal.KEY):
        return None
    reason = update.message.text.strip()
    if not reason:
        await update.message.reply_text(_reason_again())
        return REASON
    if len(reason) > MAX_REASON:
        await update.message.reply_text(
            _(
                "That reason is {length} characters long; the limit is {limit}. "
                "Please send a shorter one."
            ).format(length=len(reason), limit=MAX_REASON)
        )
        return REASON
    if not await require_liaison(update, context):
        Withdrawal.drop(context)
        return ConversationHandler.END
    draft = Withdrawal.load(context) or Withdrawal()
    Withdrawal.drop(context)
    store = context.store
    call = await store.calls.get(draft.call_id) if draft.call_id else None
    if (
        call is None
        or not is_open(call, today(store, context.config))
        or not await store.calls.withdraw(call.call_id, context.profile.user_id, reason)
    ):
        await update.message.reply_text(_("This call has already ended."))
        return ConversationHandler.END
    await store.outbox.skip_batch(call.batch)
    await call_answers.redraw_topic(context, call.call_id)
    association = await store.associations.get(call.association_id)
    rows = []
    for member in await store.associations.board_members(call.association_id):
        with i18n.use_language(member.language):
            rows.append(
                message_row(
                    member.user_id,
                    _(
                        "↩️ The municipality withdrew your association's call #{number} "
                        "({purpose}). The reason given: {reason}"
                    ).format(
                        number=call.call_id,
                        purpose=esc(purpose_label(call.purpose)),
                        reason=esc(reason),
                    ),
                )
            )
    await queue(context.application, rows)
    await update.message.reply_text(
        _("Withdrawn. I sent the reason to the board of {association}.").format(
            association=esc(association.name)
        )
    )
    return ConversationHandler.END


def _reason_again() -> str:
    return _("Please send the reason as a text message, or /cancel.")


async def reason_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, Withdrawal.KEY):
        return None
    await update.message.reply_text(_reason_again())
    return REASON


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    # In the group, where liaisons also talk among themselves, only a reply is the reason.
    answered = filters.ChatType.PRIVATE | filters.REPLY
    withdrawing = ConversationHandler(
        name="call_withdraw",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(ask_reason, pattern=callbacks.CALL_WITHDRAW.matches)],
        states={
            REASON: [
                MessageHandler(TEXT & answered & where, receive_reason),
                MessageHandler(NOT_TEXT & answered & where, reason_not_text),
            ]
        },
        fallbacks=fallbacks(Withdrawal.KEY),
    )
    return [withdrawing, CommandHandler("calls", list_calls, filters=where)]
