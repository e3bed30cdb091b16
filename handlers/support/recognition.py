"""For liaison officers: /association N (or /association in an association's topic) shows an
association and its recognition, with buttons to record a new status; "recognised" asks for the
renewal date, typed in the officer's locale. The board is told of every change.

Also the words for a recognition that the board's page (page.py) and the reminders
(renewals.py) use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel import dates as babel_dates
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
from bot.domain.associations import Association, AssociationStatus
from bot.domain.audience import Audience
from bot.domain.dates import parse_day
from bot.domain.preferences import Kind
from bot.domain.recognition import (
    DateProblem,
    Recognition,
    RecognitionStatus,
    latest_renewal,
    passed_reminders,
    renewal_problem,
)
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.ui import esc, kind_label, mention, no_longer_valid, require_liaison, show

DATE = "recognition.date"
TIMEOUT = timedelta(hours=24)
EXAMPLE_AHEAD = timedelta(days=365)  # the example date a prompt gives
_NUMBER = re.compile(r"#?([0-9]{1,18})")


# --- the words for a recognition ---------------------------------------------------------------


def short_date(day: date) -> str:
    """The way the user's locale writes a date in figures, with the year in full."""
    locale = i18n.babel_locale()
    pattern = re.sub("y+", "y", babel_dates.get_date_format("short", locale=locale).pattern)
    return babel_dates.format_date(day, pattern, locale=locale)


def state_text(recognition: Recognition) -> str:
    """ "Recognised until 12 March 2028", "Applied for", …"""
    status, day = recognition.status, recognition.renews_on
    if status is RecognitionStatus.RECOGNISED and day is not None:
        return _("Recognised until {date}").format(date=i18n.format_day(day))
    if status is RecognitionStatus.EXPIRED and day is not None:
        return _("Expired on {date}").format(date=i18n.format_day(day))
    return {
        RecognitionStatus.NONE: lambda: _("Not recognised"),
        RecognitionStatus.APPLIED: lambda: _("Applied for"),
        RecognitionStatus.RECOGNISED: lambda: _("Recognised"),
        RecognitionStatus.SUSPENDED: lambda: _("Suspended"),
        RecognitionStatus.EXPIRED: lambda: _("Expired"),
    }[status]()


def advice(recognition: Recognition) -> str:
    """One sentence for the board: what to do now."""
    return {
        RecognitionStatus.NONE: lambda: _(
            "Some gear and subsidies are only for recognised associations: to apply, ask the "
            "municipality through kapstok 1 (💬 Contact the liaison)."
        ),
        RecognitionStatus.APPLIED: lambda: _(
            "The municipality is looking at your application; you will hear here as soon as it "
            "is decided."
        ),
        RecognitionStatus.RECOGNISED: lambda: _(
            "Apply for the renewal in good time: you will be reminded 60 and 14 days before."
        ),
        RecognitionStatus.SUSPENDED: lambda: _(
            "Gear and subsidies that require recognition are not available for now: ask the "
            "municipality through kapstok 1 (💬 Contact the liaison) what is needed."
        ),
        RecognitionStatus.EXPIRED: lambda: _(
            "Apply for a renewal through kapstok 1 (💬 Contact the liaison), so that gear and "
            "subsidies that require recognition are available again."
        ),
    }[recognition.status]()


def board_text(recognition: Recognition) -> str:
    """The recognition as the board's page shows it."""
    return (
        _("🏛 <b>Recognition by the municipality:</b> {state}").format(state=state_text(recognition))
        + "\n"
        + advice(recognition)
    )


# --- the association, as a liaison officer sees it ---------------------------------------------


def _association_status(association: Association) -> str:
    return {
        AssociationStatus.PENDING: lambda: _("waiting for approval"),
        AssociationStatus.APPROVED: lambda: _("approved"),
        AssociationStatus.REJECTED: lambda: _("rejected"),
    }[association.status]()


async def view_text(context: KapstokContext, association: Association) -> str:
    store = context.store
    recognition = await store.recognition.get(association.association_id)
    size = len(await store.associations.board_members(association.association_id))
    lines = [
        f"🏛 <b>{esc(association.name)}</b> · #{association.association_id}",
        _("<b>Kind:</b> {kind}").format(kind=esc(kind_label(association.kind))),
        _("<b>Status:</b> {status}").format(status=_association_status(association)),
        _("<b>Board:</b> {count}").format(
            count=ngettext("{count} board member", "{count} board members", size).format(count=size)
        ),
        _("<b>Recognition:</b> {state}").format(state=state_text(recognition)),
    ]
    if recognition.recorded_at is not None:
        recorder = (
            await store.users.get(recognition.recorded_by) if recognition.recorded_by else None
        )
        when = i18n.format_datetime(recognition.recorded_at)
        lines.append(
            _("Recorded by {liaison} on {date}.").format(liaison=esc(recorder.full_name), date=when)
            if recorder is not None
            else _("Recorded on {date}.").format(date=when)
        )
    if association.status is not AssociationStatus.APPROVED:
        lines += ["", _("Its recognition can be recorded once it is approved.")]
    return "\n".join(lines)


def _status_button(association_id: int, status: str, text: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text, callback_data=callbacks.RECOGNITION_SET.data(association_id, status)
    )


async def view_keyboard(
    context: KapstokContext, association: Association
) -> InlineKeyboardMarkup | None:
    """A button per status it can be given (recognised again: a new renewal date)."""
    if association.status is not AssociationStatus.APPROVED:
        return None
    number = association.association_id
    current = (await context.store.recognition.get(number)).status
    buttons = [
        (RecognitionStatus.APPLIED, pgettext("button", "📝 Applied for")),
        (RecognitionStatus.RECOGNISED, pgettext("button", "✅ Recognised…")),
        (RecognitionStatus.SUSPENDED, pgettext("button", "⏸ Suspended")),
        (RecognitionStatus.EXPIRED, pgettext("button", "⌛ Expired")),
        (RecognitionStatus.NONE, pgettext("button", "✖️ Not recognised")),
    ]
    row = []
    for status, text in buttons:
        if status is RecognitionStatus.RECOGNISED:
            row.append(
                InlineKeyboardButton(
                    text, callback_data=callbacks.RECOGNITION_RECOGNISED.data(number)
                )
            )
        elif status is not current:
            row.append(_status_button(number, status.value, text))
    return InlineKeyboardMarkup([row[index : index + 2] for index in range(0, len(row), 2)])


async def _asked_association(update: Update, context: KapstokContext) -> Association | None:
    """The association /association names: its number, or the topic it is sent in."""
    words = context.args or []
    message = update.effective_message
    if words:
        found = _NUMBER.fullmatch(words[0])
        association = await context.store.associations.get(int(found[1])) if found else None
        if association is None:
            await message.reply_text(
                _("There is no association #{number}. /association N shows association N.").format(
                    number=esc(words[0][:20].lstrip("#"))
                )
            )
        return association
    if message.chat.id == context.config.liaison_chat_id and message.is_topic_message:
        number = await context.store.topics.association_of(
            message.chat.id, message.message_thread_id
        )
        if number is not None:
            return await context.store.associations.get(number)
    await message.reply_text(
        _(
            "Which association? Send /association followed by its number, like /association "
            "12; in an association's topic, /association alone is enough."
        )
    )
    return None


async def association_command(update: Update, context: KapstokContext) -> None:
    """/association N: the association and its recognition, with buttons to change it."""
    if not await require_liaison(update, context):
        return
    association = await _asked_association(update, context)
    if association is None:
        return
    await update.effective_message.reply_text(
        await view_text(context, association),
        reply_markup=await view_keyboard(context, association),
    )


# --- recording a status -----------------------------------------------------------------------


async def _approved_association(update: Update, context: KapstokContext, number: int):
    association = await context.store.associations.get(number)
    if association is None or association.status is not AssociationStatus.APPROVED:
        await no_longer_valid(update)
        return None
    return association


async def tell_board(
    context: KapstokContext, association: Association, recognition: Recognition
) -> None:
    """Every board member hears of the change (essential: no setting turns it off)."""
    store = context.store
    recipients = await store.audience.recipients(
        Audience(),
        Kind.ESSENTIAL,
        today(store, context.config),
        only_associations={association.association_id},
    )
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            text = (
                _("🏛 The municipality recorded the recognition of {association}: {state}.").format(
                    association=esc(association.name), state=state_text(recognition)
                )
                + "\n"
                + advice(recognition)
            )
        rows.append(message_row(recipient.user_id, text))
    await queue(context.application, rows)


async def record(
    context: KapstokContext,
    association: Association,
    status: RecognitionStatus,
    renews_on: date | None = None,
) -> bool:
    """Record the status; tell the board when it changed. Whether it changed."""
    store = context.store
    before = await store.recognition.get(association.association_id)
    if before.status is status and before.renews_on == renews_on:
        return False
    last_reminder = passed_reminders(renews_on, today(store, context.config)) if renews_on else None
    after = await store.recognition.set(
        association.association_id, status, renews_on, context.profile.user_id, last_reminder
    )
    await tell_board(context, association, after)
    return True


async def set_status(update: Update, context: KapstokContext) -> None:
    """rec:s: applied, suspended, expired or not recognised, at once."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    number, value = callbacks.RECOGNITION_SET.parse(query.data)
    association = await _approved_association(update, context, number)
    if association is None:
        return
    changed = await record(context, association, RecognitionStatus(value))
    await query.answer(_("Recorded; the board is told.") if changed else _("Nothing changed."))
    await show(
        query, await view_text(context, association), await view_keyboard(context, association)
    )


# --- recognised: the renewal date -----------------------------------------------------------------


@dataclass
class RenewalDraft(Draft):
    KEY = "recognition_date"
    association_id: int | None = None


def _example(day: date) -> str:
    return short_date(day + EXAMPLE_AHEAD)


async def ask_date(update: Update, context: KapstokContext) -> str | int:
    """rec:r: ask until when the association is recognised."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    association = await _approved_association(
        update, context, callbacks.RECOGNITION_RECOGNISED.value(query.data)
    )
    if association is None:
        return ConversationHandler.END
    await query.answer()
    message = query.message
    day = today(context.store, context.config)
    prompt = await context.bot.send_message(
        message.chat.id,
        _(
            "{liaison}, until when is <b>{association}</b> recognised? Type the renewal date, "
            "like {example}. /cancel leaves the recognition as it is."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            association=esc(association.name),
            example=_example(day),
        ),
        reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
    RenewalDraft(association.association_id).save(context)
    remember_prompt(context, RenewalDraft.KEY, prompt)
    return DATE


def _date_problem_text(problem: DateProblem | None, day: date) -> str:
    example = _example(day)
    if problem is DateProblem.NOT_AFTER_TODAY:
        return _(
            "The renewal date must be after today. Type a later date, like {example}, or /cancel."
        ).format(example=example)
    if problem is DateProblem.TOO_FAR:
        return _(
            "That is more than 10 years ahead: the latest renewal date is {last}. Type an "
            "earlier date, like {example}, or /cancel."
        ).format(last=short_date(latest_renewal(day)), example=example)
    return _("I cannot read that as a date. Type it like {example}, or /cancel.").format(
        example=example
    )


async def receive_date(update: Update, context: KapstokContext) -> str | int | None:
    """A typed renewal date: recorded, or why not and ask again."""
    if not await answers_prompt(update, context, RenewalDraft.KEY):
        return None
    if not await require_liaison(update, context):
        RenewalDraft.drop(context)
        return ConversationHandler.END
    draft = RenewalDraft.load(context)
    association = (
        await context.store.associations.get(draft.association_id)
        if draft and draft.association_id
        else None
    )
    if association is None or association.status is not AssociationStatus.APPROVED:
        RenewalDraft.drop(context)
        await update.message.reply_text(_("This association can no longer be recognised."))
        return ConversationHandler.END
    day = today(context.store, context.config)
    typed = parse_day(update.message.text, i18n.babel_locale())
    problem = renewal_problem(typed, day) if typed is not None else None
    if typed is None or problem is not None:
        await update.message.reply_text(_date_problem_text(problem, day))
        return DATE
    RenewalDraft.drop(context)
    changed = await record(context, association, RecognitionStatus.RECOGNISED, typed)
    await update.message.reply_text(
        (_("Recorded; the board is told.") if changed else _("Nothing changed."))
        + "\n\n"
        + await view_text(context, association),
        reply_markup=await view_keyboard(context, association),
    )
    return ConversationHandler.END


async def date_not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, RenewalDraft.KEY):
        return None
    await update.message.reply_text(_date_problem_text(None, today(context.store, context.config)))
    return DATE


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    # In the group, where liaisons also talk among themselves, only a reply is the date.
    answered = filters.ChatType.PRIVATE | filters.REPLY
    dating = ConversationHandler(
        name="recognition_date",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(ask_date, pattern=callbacks.RECOGNITION_RECOGNISED.matches)
        ],
        states={
            DATE: [
                MessageHandler(TEXT & answered & where, receive_date),
                MessageHandler(NOT_TEXT & answered & where, date_not_text),
            ]
        },
        fallbacks=fallbacks(RenewalDraft.KEY),
    )
    return [
        dating,
        CommandHandler("association", association_command, filters=where),
        CallbackQueryHandler(set_status, pattern=callbacks.RECOGNITION_SET.matches),
    ]
