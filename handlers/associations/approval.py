"""Approval: a new association's card in the liaison group, Approve, Reject with a reason,
and /pending."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import edit_row, message_row, queue
from bot.domain.associations import Association, AssociationStatus, Decision
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.conversation import (
    NOT_TEXT,
    TEXT,
    Draft,
    answers_prompt,
    fallbacks,
    remember_prompt,
)
from handlers.ui import (
    esc,
    kapstok_menu_keyboard,
    kind_label,
    mention,
    no_longer_valid,
    require_liaison,
)
from storage.outbox import NewRow, OutboxRow

log = logging.getLogger(__name__)

CARD_KIND = "association_card"
REASON = "liaison.reject_reason"  # the name conversations in progress were saved with
MAX_REASON = 1000
ALERT_LIMIT = 200
REASON_TIMEOUT = timedelta(hours=24)


@dataclass
class Rejection(Draft):
    """A rejection waiting for its reason: which association, and the card it was pressed on."""

    KEY = "rejecting"
    association: int | None = None
    card: list[int] | None = None
    prompt: int | None = None


# --- the card of a new association ------------------------------------------------------------


def association_card(association: Association) -> str:
    """The card liaison officers decide on; its last line says who decided, once decided."""
    lines = [
        _("🆕 <b>New association</b>"),
        "",
        _("<b>Name:</b> {name}").format(name=esc(association.name)),
        _("<b>Kind:</b> {kind}").format(kind=esc(kind_label(association.kind))),
        _("<b>Registered by:</b> {member} on {date}").format(
            member=esc(association.registered_name or _("(erased)")),
            date=i18n.format_datetime(association.registered_at),
        ),
        "",
        esc(association.description),
    ]
    if association.status is AssociationStatus.APPROVED:
        lines += [
            "",
            _("✅ Approved by {liaison} on {date}.").format(
                liaison=esc(association.decided_by_name or _("(erased)")),
                date=i18n.format_datetime(association.decided_at),
            ),
        ]
    elif association.status is AssociationStatus.REJECTED:
        lines += [
            "",
            _("❌ Rejected by {liaison} on {date}: {reason}").format(
                liaison=esc(association.decided_by_name or _("(erased)")),
                date=i18n.format_datetime(association.decided_at),
                reason=esc(association.rejection_reason),
            ),
        ]
    return "\n".join(lines)


def association_card_keyboard(association: Association) -> InlineKeyboardMarkup | None:
    if association.status is not AssociationStatus.PENDING:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Approve"),
                    callback_data=callbacks.APPROVE.data(association.association_id),
                ),
                InlineKeyboardButton(
                    pgettext("button", "❌ Reject"),
                    callback_data=callbacks.REJECT.data(association.association_id),
                ),
            ]
        ]
    )


async def post_association_card(context: KapstokContext, association: Association) -> None:
    """Put a new association before the liaison officers: queued, drawn when it is sent."""
    row = NewRow(
        context.config.liaison_chat_id,
        CARD_KIND,
        {"association_id": association.association_id},
    )
    await queue(context.application, [row])


def register_deliveries(outbox: Outbox, application: Application) -> None:
    """The association card as an outbox kind: drawn in the group's language as it is when it
    is sent, and remembered so that a decision shows on it."""

    async def render(row: OutboxRow) -> Delivery | None:
        store = application.bot_data.store
        association = await store.associations.get(row.payload["association_id"])
        if association is None or association.card_message_id is not None:
            return None

        async def send():
            current = await store.associations.get(association.association_id)
            with i18n.use_language(application.bot_data.config.default_language):
                text, keyboard = association_card(current), association_card_keyboard(current)
            return await application.bot.send_message(row.chat_id, text, reply_markup=keyboard)

        async def sent(message) -> None:
            await store.associations.set_card(
                association.association_id, message.chat_id, message.message_id
            )

        return Delivery(send, sent)

    outbox.register(CARD_KIND, render)


async def _update_cards(
    context: KapstokContext, association: Association, pressed: tuple[int, int] | None = None
) -> None:
    """Show the decision on the card it was made on at once, and on the group's card (if that
    is another one) through the outbox."""
    group_card = (association.card_chat_id, association.card_message_id)
    with i18n.use_language(context.config.default_language):
        group_text = association_card(association)
    if pressed is not None:
        on_group_card = tuple(pressed) == group_card
        try:
            await context.bot.edit_message_text(
                group_text if on_group_card else association_card(association),
                chat_id=pressed[0],
                message_id=pressed[1],
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.warning("could not update card %s/%s: %s", *pressed, error)
    if association.card_chat_id is None or tuple(pressed or ()) == group_card:
        return
    await queue(context.application, [edit_row(*group_card, group_text)])


async def _tell_members(context: KapstokContext, decision: Decision) -> None:
    association = decision.association
    queued = []
    for member in decision.members:
        with i18n.use_language(member.language):
            if association.status is AssociationStatus.APPROVED:
                text = _(
                    "Good news: <b>{association}</b> is confirmed by the municipality. "
                    "Welcome to Kapstok! Choose a kapstok:"
                ).format(association=esc(association.name))
                keyboard = kapstok_menu_keyboard(with_association=True)
            else:
                text = _(
                    "The municipality did not confirm <b>{association}</b>. The reason given: "
                    "{reason}\n\nYou can register again with /start, or contact the "
                    "municipality's association desk."
                ).format(
                    association=esc(association.name), reason=esc(association.rejection_reason)
                )
                keyboard = None
        queued.append(message_row(member.user_id, text, keyboard))
    await queue(context.application, queued)


def _pressed_card(update: Update) -> tuple[int, int] | None:
    """The association card the button was pressed on — only a message that carries this very
    button is one: a forged press on another message must not turn it into a card."""
    query = update.callback_query
    message = query.message
    if message is None or message.reply_markup is None:
        return None
    rows = message.reply_markup.inline_keyboard
    if not any(button.callback_data == query.data for row in rows for button in row):
        return None
    return message.chat_id, message.message_id


def _decided_text(association: Association) -> str:
    if association.status is AssociationStatus.APPROVED:
        text = _("{association} was already approved by {liaison}.")
    else:
        text = _("{association} was already rejected by {liaison}.")
    return text.format(
        association=association.name, liaison=association.decided_by_name or _("(erased)")
    )


async def _already_decided(update: Update, context: KapstokContext, association: Association):
    await update.callback_query.answer(_decided_text(association)[:ALERT_LIMIT], show_alert=True)
    await _update_cards(context, association, _pressed_card(update))


# --- approving ----------------------------------------------------------------------------


async def approve(update: Update, context: KapstokContext) -> None:
    """A liaison officer approves a pending association; its board is told at once."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    decision = await context.store.associations.decide(
        callbacks.APPROVE.value(query.data),
        True,
        context.profile.user_id,
        context.profile.full_name,
    )
    if decision is None:
        await no_longer_valid(update)
        return
    if not decision.changed:
        await _already_decided(update, context, decision.association)
        return
    await query.answer(_("Approved."))
    await _update_cards(context, decision.association, _pressed_card(update))
    await _tell_members(context, decision)


# --- rejecting, with a reason -------------------------------------------------------------


async def ask_reason(update: Update, context: KapstokContext) -> str | int:
    """Ask the liaison officer why; the reason goes to the applicant."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    association = await context.store.associations.get(callbacks.REJECT.value(query.data))
    if association is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    if association.status is not AssociationStatus.PENDING:
        await _already_decided(update, context, association)
        return ConversationHandler.END
    await query.answer()
    card = _pressed_card(update)
    Rejection(association.association_id, list(card) if card else None).save(context)
    liaison = mention(context.profile.user_id, context.profile.first_name)
    prompt = await context.bot.send_message(
        query.message.chat_id,
        _(
            "{liaison}, why do you reject <b>{association}</b>? Reply to this message with the "
            "reason; I will send it to the board. /cancel keeps the association pending."
        ).format(liaison=liaison, association=esc(association.name)),
        reply_markup=ForceReply(selective=True),
        message_thread_id=query.message.message_thread_id
        if query.message.is_topic_message
        else None,
    )
    remember_prompt(context, Rejection.KEY, prompt)
    return REASON


async def receive_reason(update: Update, context: KapstokContext) -> str | int:
    """Reject with this reason, tell the board, and show the decision on the card."""
    if not await answers_prompt(update, context, Rejection.KEY):
        return None
    reason = update.message.text.strip()
    if not reason:
        await update.message.reply_text(
            _("The reason cannot be empty: the board should know why. Please send it, or /cancel.")
        )
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
        Rejection.drop(context)
        return ConversationHandler.END
    draft = Rejection.load(context) or Rejection()
    Rejection.drop(context)
    decision = None
    if draft.association is not None:
        decision = await context.store.associations.decide(
            draft.association, False, context.profile.user_id, context.profile.full_name, reason
        )
    if decision is None:
        await update.message.reply_text(_("That association no longer exists."))
        return ConversationHandler.END
    association = decision.association
    if not decision.changed:
        await update.message.reply_text(esc(_decided_text(association)))
        return ConversationHandler.END
    await update.message.reply_text(
        _("Rejected. I sent the reason to the board of {association}.").format(
            association=esc(association.name)
        )
    )
    await _update_cards(context, association, tuple(draft.card) if draft.card else None)
    await _tell_members(context, decision)
    return ConversationHandler.END


async def reason_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, Rejection.KEY):
        return None
    await update.message.reply_text(_("Please send the reason as a text message, or /cancel."))
    return REASON


# --- commands ------------------------------------------------------------------------------


async def pending(update: Update, context: KapstokContext) -> None:
    """/pending: every association waiting for confirmation, each with its card."""
    if not await require_liaison(update, context):
        return
    associations = await context.store.associations.pending()
    if not associations:
        await update.message.reply_text(_("No association is waiting for confirmation."))
        return
    await update.message.reply_text(
        i18n.ngettext(
            "{count} association is waiting for confirmation:",
            "{count} associations are waiting for confirmation:",
            len(associations),
        ).format(count=len(associations))
    )
    for association in associations:
        await update.message.reply_text(
            association_card(association),
            reply_markup=association_card_keyboard(association),
            do_quote=False,
        )


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    # In the group, where liaisons also talk among themselves, only a reply is the reason.
    answered = filters.ChatType.PRIVATE | filters.REPLY
    rejecting = ConversationHandler(
        name="rejecting",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=REASON_TIMEOUT,
        entry_points=[CallbackQueryHandler(ask_reason, pattern=callbacks.REJECT.claims)],
        states={
            REASON: [
                MessageHandler(TEXT & answered, receive_reason),
                MessageHandler(NOT_TEXT & answered, reason_not_text),
            ]
        },
        fallbacks=fallbacks(Rejection.KEY),
    )
    return [
        rejecting,
        CallbackQueryHandler(approve, pattern=callbacks.APPROVE.claims),
        CommandHandler("pending", pending, filters=where),
    ]
