"""Before and after an activity: the day before, its organiser's board and its confirmed partners
get a reminder (an optional message, 🔕); the day after it ended the organiser's board is asked
how it went (1 to 5, a comment) and, when gear was borrowed for it (a gear request linked to it,
not rejected or cancelled), whether all of it is back. A score of 1 or 2 opens a thread in the
association's topic for the municipality to follow up.

A repeating job calls `tend_activities`, which tests call directly."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.activities import (
    ASK_AT_MOST_LATE,
    MAX_COMMENT,
    Activity,
    evaluation_due,
    low_score,
    reminder_due,
)
from bot.domain.audience import Audience
from bot.domain.faq import is_blank
from bot.domain.kapstokken import ACTIVITIES
from bot.domain.preferences import Kind
from bot.domain.requests import RequestKind, Status
from bot.domain.threads import Direction, MessagePart
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.activities.views import card, view_button, when_text, zone_of
from handlers.bulk import BULK, today, with_fewer
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.threads.relay import relay_in
from handlers.ui import esc, no_longer_valid, require_approved_member, show
from storage.activities import Evaluation

log = logging.getLogger(__name__)

TICK_SECONDS = 900
REMIND_AHEAD = timedelta(days=2)  # activities starting within this are looked at for reminders
ACTIVITY_PURPOSE = "activity"
COMMENT = "activity.comment"


# --- the job ---------------------------------------------------------------------------------


async def tend_activities(application: Application) -> None:
    """Queue the reminders and the questions that are due, each once."""
    store, config = application.bot_data.store, application.bot_data.config
    now, zone = store.now(), config.timezone
    for activity in await store.activities.reminders_to_check(now, now + REMIND_AHEAD):
        if not reminder_due(activity, False, now, zone):
            continue
        async with store.transaction():
            if await store.activities.mark_reminded(activity.activity_id):
                await _remind(application, activity)
    since = now - ASK_AT_MOST_LATE - timedelta(days=2)
    for activity in await store.activities.evaluations_to_check(since, now):
        if not evaluation_due(activity, False, now, zone):
            continue
        async with store.transaction():
            if await store.activities.mark_asked(activity.activity_id):
                await _ask(application, activity)


async def _remind(application: Application, activity: Activity) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    boards = {activity.association_id, *(p.association_id for p in activity.confirmed_partners())}
    recipients = await store.audience.recipients(
        Audience(), Kind.REMINDERS, today(store, config), only_associations=boards
    )
    zone = config.timezone
    today_too = activity.starts_at.astimezone(zone).date() == today(store, config)
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            # Late (Kapstok was down the day before): it is today.
            heading = _("🔔 Today: {title}") if today_too else _("🔔 Tomorrow: {title}")
            text = (
                heading.format(title=esc(activity.title))
                + "\n\n"
                + card(activity, config.timezone, recipient.association_id)
            )
            keyboard = with_fewer(Kind.REMINDERS, [[view_button(activity.activity_id)]])
        rows.append(message_row(recipient.user_id, text, keyboard, priority=BULK))
    await queue(application, rows)
    log.info("activity %s: %s reminder(s)", activity.activity_id, len(rows))


async def _ask(application: Application, activity: Activity) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    recipients = await store.audience.recipients(
        Audience(),
        Kind.ESSENTIAL,
        today(store, config),
        only_associations={activity.association_id},
    )
    gear = await had_gear(store, activity.activity_id)
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            text = evaluation_text(activity, None, config.timezone, gear=gear)
            keyboard = evaluation_keyboard(activity.activity_id, gear=gear)
        rows.append(message_row(recipient.user_id, text, keyboard))
    await queue(application, rows)


async def tend_job(context: KapstokContext) -> None:
    await tend_activities(context.application)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(tend_job, TICK_SECONDS, first=150, name="activities")


# --- how it went -----------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("yes") if value else _("no")


async def had_gear(store, activity_id: int) -> bool:
    """Whether gear was borrowed for the activity: a gear request linked to it that was picked
    up (returned or not). Only then is the board asked whether it all came back."""
    return any(
        request.kind is RequestKind.GEAR and request.status in (Status.PICKED_UP, Status.RETURNED)
        for request in await store.requests.of_activity(activity_id)
    )


def evaluation_text(
    activity: Activity, evaluation: Evaluation | None, zone, *, gear: bool = True
) -> str:
    lines = [
        _("📝 <b>{title}</b> is over ({when}). How did it go?").format(
            title=esc(activity.title), when=when_text(activity.starts_at, activity.ends_at, zone)
        ),
        _(
            "Give it a score from 1 (badly) to 5 (very well), and tell us whether everything "
            "you borrowed is back. A comment is welcome too."
        )
        if gear
        else _("Give it a score from 1 (badly) to 5 (very well). A comment is welcome too."),
    ]
    if evaluation is not None:
        lines.append("")
        lines.append(
            _("Score: {score}").format(score=evaluation.score or "–")
            + (
                " · "
                + _("Everything borrowed is back: {answer}").format(
                    answer=_yes_no(evaluation.gear_back)
                )
                if gear
                else ""
            )
        )
        if evaluation.comment:
            lines.append(_("Comment: {comment}").format(comment=esc(evaluation.comment)))
    return "\n".join(lines)


def evaluation_keyboard(activity_id: int, *, gear: bool = True) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                str(score), callback_data=callbacks.ACTIVITY_SCORE.data(activity_id, score)
            )
            for score in range(1, 6)
        ]
    ]
    if gear:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ All back"),
                    callback_data=callbacks.ACTIVITY_GEAR.data(activity_id, "yes"),
                ),
                InlineKeyboardButton(
                    pgettext("button", "❗ Not all back"),
                    callback_data=callbacks.ACTIVITY_GEAR.data(activity_id, "no"),
                ),
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "💬 Comment"),
                callback_data=callbacks.ACTIVITY_COMMENT.data(activity_id),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _asked(update: Update, context: KapstokContext, number: int) -> Activity | None:
    """The activity, if the presser's association organised it and was asked how it went."""
    if not await require_approved_member(update, context):
        return None
    activity = await context.store.activities.get(number)
    if (
        activity is None
        or activity.association_id != context.profile.association_id
        or not await context.store.activities.was_asked(number)
    ):
        await no_longer_valid(update)
        return None
    return activity


async def _redraw(update: Update, context: KapstokContext, activity, evaluation) -> None:
    gear = await had_gear(context.store, activity.activity_id)
    await show(
        update.callback_query,
        evaluation_text(activity, evaluation, zone_of(context), gear=gear),
        evaluation_keyboard(activity.activity_id, gear=gear),
    )


async def score(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    number, value = callbacks.ACTIVITY_SCORE.parse(query.data)
    activity = await _asked(update, context, number)
    if activity is None:
        return
    profile = context.profile
    evaluation = await context.store.activities.evaluate(
        number, activity.association_id, profile.user_id, score=int(value)
    )
    await query.answer(_("Thank you!"))
    await _redraw(update, context, activity, evaluation)
    if low_score(int(value)) and evaluation.thread_id is None:
        thread = await _follow_up(context, activity, evaluation)
        await context.bot.send_message(
            profile.user_id,
            _(
                "Sorry it did not go well. The municipality will get back to you about it: "
                "/threads shows #{number}."
            ).format(number=thread),
        )


async def gear(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    number, answer = callbacks.ACTIVITY_GEAR.parse(query.data)
    activity = await _asked(update, context, number)
    if activity is None:
        return
    evaluation = await context.store.activities.evaluate(
        number, activity.association_id, context.profile.user_id, gear_back=answer == "yes"
    )
    await query.answer(_("Thank you!"))
    await _redraw(update, context, activity, evaluation)


async def _follow_up(context: KapstokContext, activity: Activity, evaluation: Evaluation) -> int:
    """A thread under kapstok 4 in the association's topic, with the score and the comment."""
    store, profile, config = context.store, context.profile, context.config
    subject = await store.subjects.for_purpose(ACTIVITIES.number, ACTIVITY_PURPOSE)
    with i18n.use_language(config.default_language):
        text = _("📅 The activity {title} ({when}) scored {score} out of 5.").format(
            title=activity.title,
            when=when_text(activity.starts_at, activity.ends_at, config.timezone),
            score=evaluation.score,
        )
        if await had_gear(store, activity.activity_id):
            text += "\n" + _("Everything borrowed is back: {answer}").format(
                answer=_yes_no(evaluation.gear_back)
            )
        if evaluation.comment:
            text += "\n" + _("Comment: {comment}").format(comment=evaluation.comment)
    part = MessagePart("text", text, 0, follow_up_source(activity.activity_id))
    thread, messages = await store.threads.open(
        activity.association_id, subject, profile.user_id, profile.full_name, [part]
    )
    await relay_in(context, thread, messages)
    await store.activities.followed_up(activity.activity_id, thread.thread_id)
    return thread.thread_id


def follow_up_source(activity_id: int) -> int:
    """A follow-up thread's first message came from no Telegram message: a negative number of
    its own (below 2**34, where the barometer's begin)."""
    return -((activity_id << 3) | ACTIVITIES.number)


# --- the comment -----------------------------------------------------------------------------


@dataclass
class CommentDraft(Draft):
    KEY = "activity_comment"
    activity_id: int | None = None


async def start_comment(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    activity = await _asked(update, context, callbacks.ACTIVITY_COMMENT.value(query.data))
    if activity is None:
        return ConversationHandler.END
    CommentDraft(activity.activity_id).save(context)
    await query.answer()
    await context.bot.send_message(
        update.effective_chat.id,
        _("Write your comment on {title} (at most {limit} characters), or /cancel.").format(
            title=esc(activity.title), limit=MAX_COMMENT
        ),
    )
    return COMMENT


async def receive_comment(update: Update, context: KapstokContext) -> str | int | None:
    draft = CommentDraft.load(context)
    if draft is None or draft.activity_id is None:
        return ConversationHandler.END
    if not await require_approved_member(update, context):
        CommentDraft.drop(context)
        return ConversationHandler.END
    text = update.message.text.strip()
    if is_blank(text):
        await update.message.reply_text(_("Please write your comment as text, or /cancel."))
        return None
    if len(text) > MAX_COMMENT:
        await update.message.reply_text(
            _(
                "That comment is {length} characters long; the limit is {limit}. Please send a "
                "shorter one."
            ).format(length=len(text), limit=MAX_COMMENT)
        )
        return None
    store, profile = context.store, context.profile
    activity = await store.activities.get(draft.activity_id)
    CommentDraft.drop(context)
    if activity is None or activity.association_id != profile.association_id:
        await update.message.reply_text(_("This activity is no longer yours to comment on."))
        return ConversationHandler.END
    evaluation = await store.activities.evaluate(
        activity.activity_id, activity.association_id, profile.user_id, comment=text
    )
    if evaluation.thread_id is not None:
        thread = await store.threads.thread(evaluation.thread_id)
        if thread is not None:
            part = MessagePart("text", text, update.message.chat_id, update.message.message_id)
            thread, message, _reopened = await store.threads.add_message(
                thread, Direction.IN, profile.user_id, profile.full_name, part
            )
            await relay_in(context, thread, [message])
    gear = await had_gear(store, activity.activity_id)
    await update.message.reply_text(
        _("Thank you! Your comment is noted.")
        + "\n\n"
        + evaluation_text(activity, evaluation, zone_of(context), gear=gear),
        reply_markup=evaluation_keyboard(activity.activity_id, gear=gear),
    )
    return ConversationHandler.END


async def not_a_comment(update: Update, context: KapstokContext) -> None:
    await update.message.reply_text(_("Please write your comment as text, or /cancel."))


def build_handlers() -> list:
    return [
        ConversationHandler(
            name="activity_comment",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=timedelta(hours=24),
            entry_points=[
                CallbackQueryHandler(start_comment, pattern=callbacks.ACTIVITY_COMMENT.matches)
            ],
            states={
                COMMENT: [
                    MessageHandler(TEXT, receive_comment),
                    MessageHandler(NOT_TEXT, not_a_comment),
                ]
            },
            fallbacks=fallbacks(CommentDraft.KEY),
        ),
        CallbackQueryHandler(score, pattern=callbacks.ACTIVITY_SCORE.matches),
        CallbackQueryHandler(gear, pattern=callbacks.ACTIVITY_GEAR.matches),
    ]
