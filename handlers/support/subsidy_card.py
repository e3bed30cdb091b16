"""A subsidy request as liaison officers see it: a card in its association's topic, drawn when
its turn in the outbox comes and drawn again after every change (edits coalesced), followed by
the request's attachments, sent into the topic so that a liaison can open them. Also the words
for a request that the board's side uses, and the message that tells the board a decision."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.amounts import example_amount, format_amount
from bot.domain.audience import Audience
from bot.domain.preferences import Kind
from bot.domain.requests import Action, RequestKind, Status, actions
from bot.domain.subsidies import SubsidyRequest, SubsidyType, cents_to_amount
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.bulk import today
from handlers.threads.topics import post_in_topic
from handlers.ui import esc
from storage.outbox import NewRow, OutboxRow

log = logging.getLogger(__name__)

CARD = "subsidy_card"  # the card, once
CARD_REFRESH = "subsidy_card_refresh"  # the card drawn again as the request is now
ATTACHMENT = "subsidy_attachment"  # one attachment, after the card


def card_row(chat_id: int, request_id: int) -> NewRow:
    return NewRow(
        chat_id, CARD, {"request_id": request_id}, coalesce_key=f"subsidy_card:new:{request_id}"
    )


def attachment_row(chat_id: int, request_id: int, attachment_id: int) -> NewRow:
    return NewRow(chat_id, ATTACHMENT, {"request_id": request_id, "attachment_id": attachment_id})


def refresh_row(chat_id: int, request_id: int) -> NewRow:
    return NewRow(
        chat_id,
        CARD_REFRESH,
        {"request_id": request_id},
        coalesce_key=f"subsidy_card:{request_id}",
        ordered=False,
    )


async def redraw(application: Application, request_id: int) -> None:
    """Queue the card's redrawing (after a decision, a cancellation, a question)."""
    chat_id = application.bot_data.config.liaison_chat_id
    await queue(application, [refresh_row(chat_id, request_id)])


# --- the words -----------------------------------------------------------------------------------


def amount(cents: int) -> str:
    """An amount in the current language: `€ 1.250,50`."""
    return format_amount(cents_to_amount(cents), i18n.current_language())


def type_name(subsidy_type: SubsidyType | None) -> str:
    if subsidy_type is None:
        return "?"
    return subsidy_type.name(i18n.current_language())


def status_text(request: SubsidyRequest, reason: str = "") -> str:
    """Where the request is: waiting, approved (how much), rejected (why), paid (when)."""
    status = request.status
    if status is Status.APPROVED:
        return _("✅ Approved: {granted} granted").format(granted=amount(request.granted_cents))
    if status is Status.PAID and request.paid_on is not None:
        return _("💶 Paid on {date}: {granted}").format(
            date=i18n.format_day(request.paid_on), granted=amount(request.granted_cents or 0)
        )
    if status is Status.REJECTED:
        return _("❌ Rejected: {reason}").format(reason=esc(reason))
    if status is Status.CANCELLED:
        return _("↩️ Cancelled by the association")
    return _("⏳ Waiting for a decision")


async def decision_reason(context: KapstokContext, request_id: int) -> str:
    """The reason of a rejection, from the request's history."""
    for event in reversed(await context.store.requests.history(request_id)):
        if event.event == Status.REJECTED.value:
            return event.detail
    return ""


async def card_text(context: KapstokContext, request: SubsidyRequest) -> str:
    store = context.store
    association = await store.associations.get(request.request.association_id)
    subsidy_type = await store.subsidies.get_type(request.type_id)
    requester = (
        await store.users.get(request.request.requested_by)
        if request.request.requested_by
        else None
    )
    lines = [
        _("💶 <b>Subsidy request #{number}</b> · {association}").format(
            number=request.request_id, association=esc(association.name if association else "?")
        ),
        _("<b>Subsidy:</b> {name}").format(name=esc(type_name(subsidy_type))),
        _("<b>Asked:</b> {amount}").format(amount=amount(request.amount_cents)),
    ]
    if request.granted_cents is not None:
        lines.append(_("<b>Granted:</b> {amount}").format(amount=amount(request.granted_cents)))
    lines.append(_("<b>Purpose:</b> {purpose}").format(purpose=esc(request.purpose)))
    if request.attachments:
        names = ", ".join(esc(attachment_name(a)) for a in request.attachments)
        lines.append(
            _("<b>Attachments ({count}, sent below):</b> {names}").format(
                count=len(request.attachments), names=names
            )
        )
    else:
        lines.append(_("<b>Attachments:</b> none"))
    if request.request.activity_id is not None:
        activity = await store.activities.get(request.request.activity_id)
        if activity is not None:
            lines.append(
                _("<b>Activity:</b> {title}, {date}").format(
                    title=esc(activity.title), date=i18n.format_date(activity.starts_at)
                )
            )
    lines.append(
        _("Asked by {name} on {date}.").format(
            name=esc(requester.full_name if requester else "—"),
            date=i18n.format_datetime(request.request.created_at),
        )
    )
    reason = await decision_reason(context, request.request_id)
    lines += ["", _("<b>Status:</b> {status}").format(status=status_text(request, reason))]
    return "\n".join(lines)


def attachment_name(attachment) -> str:
    if attachment.file_name:
        return attachment.file_name
    return _("photo") if attachment.kind == "photo" else _("document")


def card_keyboard(request: SubsidyRequest) -> InlineKeyboardMarkup | None:
    """Approve, Reject and Ask while it waits; Paid (and Ask) once approved."""
    number = request.request_id
    possible = actions(RequestKind.SUBSIDY, request.status)
    rows = []
    if Action.APPROVE in possible:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Approve…"),
                    callback_data=callbacks.SUBSIDY_APPROVE.data(number),
                ),
                InlineKeyboardButton(
                    pgettext("button", "❌ Reject…"),
                    callback_data=callbacks.SUBSIDY_REJECT.data(number),
                ),
            ]
        )
    if Action.PAY in possible:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "💶 Paid…"),
                    callback_data=callbacks.SUBSIDY_PAID.data(number),
                )
            ]
        )
    if request.request.open:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "❓ Ask the board"),
                    callback_data=callbacks.REQUEST_ASK.data(number),
                )
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


# --- telling the board ---------------------------------------------------------------------


async def tell_board(context: KapstokContext, request: SubsidyRequest, words) -> None:
    """Every board member of the association hears it, in their language (essential: no
    setting turns it off). `words()` writes the text in the language in use."""
    store = context.store
    recipients = await store.audience.recipients(
        Audience(),
        Kind.ESSENTIAL,
        today(store, context.config),
        only_associations={request.request.association_id},
    )
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            rows.append(message_row(recipient.user_id, await words()))
    await queue(context.application, rows)


# --- the outbox kinds ---------------------------------------------------------------------------


def register(outbox: Outbox, application: Application) -> None:
    def context() -> KapstokContext:
        return KapstokContext(application)

    async def render_card(row: OutboxRow) -> Delivery | None:
        return await _card(context(), row)

    async def render_refresh(row: OutboxRow) -> Delivery | None:
        return await _refresh(context(), row)

    async def render_attachment(row: OutboxRow) -> Delivery | None:
        return await _attachment(context(), row)

    outbox.register(CARD, render_card)
    outbox.register(CARD_REFRESH, render_refresh)
    outbox.register(ATTACHMENT, render_attachment)


def _in_group_language(context: KapstokContext):
    return i18n.use_language(context.config.default_language)


async def _card(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """The card, drawn as the request is when it goes; once."""
    store = context.store
    request = await store.subsidies.get(row.payload["request_id"])
    if request is None or request.request.card_message_id is not None:
        return None
    association = await store.associations.get(request.request.association_id)
    if association is None:
        return None

    async def send():
        current = await store.subsidies.get(request.request_id)
        with _in_group_language(context):
            text, keyboard = await card_text(context, current), card_keyboard(current)
        return await post_in_topic(
            context,
            association,
            lambda topic: context.bot.send_message(
                row.chat_id, text, reply_markup=keyboard, message_thread_id=topic
            ),
        )

    async def sent(message) -> None:
        await store.requests.set_card(request.request_id, message.message_id)

    return Delivery(send, sent, patient=True)


async def _refresh(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """The card drawn again (nothing before it was sent: then it is drawn as it is)."""
    store = context.store
    request = await store.subsidies.get(row.payload["request_id"])
    if request is None or request.request.card_message_id is None:
        return None

    async def send():
        current = await store.subsidies.get(request.request_id)
        with _in_group_language(context):
            text, keyboard = await card_text(context, current), card_keyboard(current)
        try:
            return await context.bot.edit_message_text(
                text,
                chat_id=row.chat_id,
                message_id=current.request.card_message_id,
                reply_markup=keyboard,
            )
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            raise

    return Delivery(send, message=False)


async def _attachment(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """One attachment in the topic, as a reply to the card (sent before it: a chat's rows go
    in order)."""
    store = context.store
    request = await store.subsidies.get(row.payload["request_id"])
    if request is None:
        return None
    attachment = next(
        (a for a in request.attachments if a.attachment_id == row.payload["attachment_id"]), None
    )
    association = await store.associations.get(request.request.association_id)
    if attachment is None or association is None:
        return None
    with _in_group_language(context):
        caption = _("📎 Subsidy request #{number}: {name}").format(
            number=request.request_id, name=esc(attachment_name(attachment))
        )
        if attachment.label:
            caption += "\n" + esc(attachment.label)
    reply = (
        ReplyParameters(request.request.card_message_id, allow_sending_without_reply=True)
        if request.request.card_message_id
        else None
    )
    bot = context.bot
    send_file = bot.send_photo if attachment.kind == "photo" else bot.send_document

    async def send():
        return await post_in_topic(
            context,
            association,
            lambda topic: send_file(
                row.chat_id,
                attachment.file_id,
                caption=caption,
                message_thread_id=topic,
                reply_parameters=reply,
            ),
        )

    return Delivery(send, patient=True)


def queue_rows(chat_id: int, request: SubsidyRequest) -> list[NewRow]:
    """The card and then each attachment, for a new request."""
    return [
        card_row(chat_id, request.request_id),
        *(
            attachment_row(chat_id, request.request_id, a.attachment_id)
            for a in request.attachments
        ),
    ]


def amount_refusal(reason: str, maximum_cents: int | None = None, *, granted: bool = False) -> str:
    """Why a typed amount is refused, with an example in the current language."""
    example = example_amount(i18n.current_language())
    if reason == "over_maximum" and maximum_cents is not None:
        if granted:
            return _(
                "That is more than the association asked, {maximum}. Type at most {maximum}, "
                "like {example}."
            ).format(maximum=amount(maximum_cents), example=example)
        return _(
            "That is more than the maximum of this subsidy, {maximum}. Type at most {maximum}, "
            "like {example}."
        ).format(maximum=amount(maximum_cents), example=example)
    if reason == "ambiguous":
        return _(
            "That amount can be read in two ways. Type it with the decimal sign of your "
            "language, like {example}."
        ).format(example=example)
    if reason == "too_many_decimals":
        return _("An amount has at most two decimals (the cents). Type it like {example}.").format(
            example=example
        )
    if reason == "zero":
        return _("The amount must be more than zero. Type it like {example}.").format(
            example=example
        )
    if reason == "negative":
        return _("The amount cannot be negative. Type it like {example}.").format(example=example)
    return _("I cannot read that as an amount. Type it like {example}.").format(example=example)
