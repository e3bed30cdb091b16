"""A board answers a barometer round: scores pressed on its message, a comment, and sending it.
The last answer sent before the round closes counts; the rest of the board sees who answered.
A score of 1 or 2 opens a thread under that kapstok, for a liaison to follow up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.barometer import complete, is_open, low_kapstokken
from bot.domain.faq import is_blank
from bot.domain.kapstokken import KAPSTOKKEN, by_number
from bot.domain.threads import MessagePart
from bot.i18n import _
from handlers import callbacks
from handlers.checkins import rows
from handlers.checkins.ballot import ballot_keyboard, ballot_text
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.threads.relay import relay_in
from handlers.ui import esc, kapstok_title, no_longer_valid, require_approved_member, show
from storage.barometer import Round

MAX_COMMENT = 1000
COMMENT = "barometer.comment"
BAROMETER_PURPOSE = "barometer"


@dataclass
class CommentDraft(Draft):
    KEY = "barometer_comment"
    round_id: int | None = None


async def _ballot(
    update: Update, context: KapstokContext, round_id: int
) -> tuple[Round, int] | None:
    """The round and the presser's association, if this button is on their own message of an
    open round; otherwise they are told why not, and None."""
    query = update.callback_query
    if not await require_approved_member(update, context):
        return None
    round_ = await context.store.barometer.round(round_id)
    mine = await context.store.barometer.message_of(round_id, context.profile.user_id)
    if (
        round_ is None
        or mine is None
        or query.message is None
        or mine[1] != query.message.message_id
        or mine[0] != context.profile.association_id
    ):
        await no_longer_valid(update)
        return None
    if not is_open(round_.closes_at, round_.closed_at is not None, context.store.now()):
        await query.answer(_("This round is closed. Thank you!"), show_alert=True)
        await _redraw_own(update, context, round_)
        return None
    return round_, mine[0]


async def _redraw_own(update: Update, context: KapstokContext, round_: Round) -> None:
    answer = await context.store.barometer.answer(round_.round_id, context.profile.association_id)
    now = context.store.now()
    await show(
        update.callback_query,
        ballot_text(round_, answer, now),
        ballot_keyboard(round_, answer, now),
    )


async def _redraw_others(context: KapstokContext, round_id: int, association_id: int) -> None:
    """The other board members' messages show the answer as it stands now."""
    me = context.profile.user_id
    messages = await context.store.barometer.messages(round_id, association_id)
    await queue(
        context.application,
        [rows.redraw(user_id, round_id) for user_id, _message in messages if user_id != me],
    )


async def score(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    round_id, kapstok, value = callbacks.BAROMETER_SCORE.parse(query.data)
    found = await _ballot(update, context, round_id)
    if found is None:
        return
    round_, association_id = found
    profile = context.profile
    await context.store.barometer.score(
        round_id, association_id, int(kapstok), int(value), profile.user_id, profile.full_name
    )
    await _redraw_others(context, round_id, association_id)
    await query.answer(
        _("{kapstok}: {score}").format(kapstok=kapstok_title(by_number(int(kapstok))), score=value)
    )
    await _redraw_own(update, context, round_)


async def submit(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    found = await _ballot(update, context, callbacks.BAROMETER_SUBMIT.value(query.data))
    if found is None:
        return
    round_, association_id = found
    store, profile = context.store, context.profile
    answer = await store.barometer.answer(round_.round_id, association_id)
    if answer is None or not complete(answer.scores):
        await query.answer(
            _("Score all five kapstokken first; then send your answer."), show_alert=True
        )
        return
    await store.barometer.submit(
        round_.round_id, association_id, profile.user_id, profile.full_name
    )
    answer = await store.barometer.answer(round_.round_id, association_id)
    threads = await _follow_up(context, round_, answer)
    await _redraw_others(context, round_.round_id, association_id)
    await query.answer()
    await _redraw_own(update, context, round_)
    text = _("Thank you! Your answer is with the municipality.")
    if threads:
        text += "\n\n" + _(
            "You scored {kapstokken} at 2 or lower. The municipality will get back to you about "
            "it: /threads shows {numbers}."
        ).format(
            kapstokken=", ".join(esc(kapstok_title(by_number(n))) for n, _t in threads),
            numbers=", ".join(f"#{thread}" for _n, thread in threads),
        )
    await context.bot.send_message(profile.user_id, text)


async def _follow_up(context: KapstokContext, round_: Round, answer) -> list[tuple[int, int]]:
    """A thread per kapstok scored 1 or 2 that has none yet in this round: (kapstok, thread)."""
    store, profile = context.store, context.profile
    new = [n for n in low_kapstokken(answer.scores) if n not in answer.followed_up]
    if not new:
        return []
    with i18n.use_language(context.config.default_language):
        scores = " · ".join(f"{k.emoji} {answer.scores[k.number]}" for k in KAPSTOKKEN)
        opened = []
        for number in new:
            subject = await store.subjects.for_purpose(number, BAROMETER_PURPOSE)
            text = _(
                "📊 Barometer of {date}: {kapstok} scored {score} out of 5.\nAll scores: {scores}"
            ).format(
                date=i18n.format_date(round_.opened_at),
                kapstok=kapstok_title(by_number(number)),
                score=answer.scores[number],
                scores=scores,
            )
            if answer.comment:
                text += "\n" + _("Comment: {comment}").format(comment=answer.comment)
            part = MessagePart("text", text, 0, follow_up_source(round_.round_id, answer, number))
            thread, messages = await store.threads.open(
                answer.association_id, subject, profile.user_id, profile.full_name, [part]
            )
            await relay_in(context, thread, messages)
            opened.append((number, thread.thread_id))
    await store.barometer.followed_up(
        round_.round_id, answer.association_id, answer.followed_up | {n for n, _t in opened}
    )
    return opened


def follow_up_source(round_id: int, answer, kapstok: int) -> int:
    """A follow-up thread's first message came from no Telegram message: a number of its own,
    negative, so it never meets a real message's id."""
    return -((round_id << 34) | (answer.association_id << 3) | kapstok)


# --- the comment ---------------------------------------------------------------------------------


async def start_comment(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    found = await _ballot(update, context, callbacks.BAROMETER_COMMENT.value(query.data))
    if found is None:
        return ConversationHandler.END
    round_, _association_id = found
    CommentDraft(round_.round_id).save(context)
    await query.answer()
    await context.bot.send_message(
        context.profile.user_id,
        _(
            "Write your comment for the municipality (at most {limit} characters). It goes with "
            "your scores when you send your answer. /cancel keeps the comment as it was."
        ).format(limit=MAX_COMMENT),
    )
    return COMMENT


async def receive_comment(update: Update, context: KapstokContext) -> str | int | None:
    draft = CommentDraft.load(context)
    text = update.message.text.strip()
    if draft is None or draft.round_id is None:
        return ConversationHandler.END
    if is_blank(text):
        await update.message.reply_text(_comment_again())
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
    round_ = await store.barometer.round(draft.round_id)
    CommentDraft.drop(context)
    now = store.now()
    if (
        round_ is None
        or not profile.is_approved_member
        or not is_open(round_.closes_at, round_.closed_at is not None, now)
    ):
        await update.message.reply_text(_("This round is closed. Thank you!"))
        return ConversationHandler.END
    association_id = profile.association_id
    await store.barometer.comment(
        round_.round_id, association_id, text, profile.user_id, profile.full_name
    )
    await queue(
        context.application,
        [
            rows.redraw(user_id, round_.round_id)
            for user_id, _message in await store.barometer.messages(round_.round_id, association_id)
        ],
    )
    await update.message.reply_text(
        _("Your comment is noted. Press “📨 Send our answer” on the barometer to send it.")
    )
    return ConversationHandler.END


def _comment_again() -> str:
    return _("Please write your comment as text, or /cancel.")


async def not_a_comment(update: Update, context: KapstokContext) -> None:
    await update.message.reply_text(_comment_again())


def build_handlers() -> list:
    return [
        ConversationHandler(
            name="barometer",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=timedelta(hours=24),
            entry_points=[
                CallbackQueryHandler(start_comment, pattern=callbacks.BAROMETER_COMMENT.matches)
            ],
            states={
                COMMENT: [
                    MessageHandler(TEXT, receive_comment),
                    MessageHandler(NOT_TEXT, not_a_comment),
                ]
            },
            fallbacks=fallbacks(CommentDraft.KEY),
        ),
        CallbackQueryHandler(score, pattern=callbacks.BAROMETER_SCORE.matches),
        CallbackQueryHandler(submit, pattern=callbacks.BAROMETER_SUBMIT.matches),
    ]
