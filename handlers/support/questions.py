"""*Ask* on a request's card (and in /requests): a liaison officer's question to the requesting
association's board. The first question opens a thread under kapstok 5 (subject: the request)
in the association's topic; later ones go into that thread while it is open. The board gets the
question as any answer of a liaison in a thread, and answers in the thread as usual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.faq import is_blank
from bot.domain.kapstokken import SUPPORT
from bot.domain.request_summaries import RequestSummary
from bot.domain.threads import MessagePart, Thread, ThreadStatus
from bot.i18n import _
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.request_words import kind_label, what
from handlers.text import plain_text
from handlers.threads.relay import message_part, relay_in, tell_members
from handlers.threads.service import answer_as_liaison
from handlers.ui import esc, mention, no_longer_valid, require_liaison

QUESTION = "requests.question"
TIMEOUT = timedelta(hours=24)
MAX_QUESTION = 3500
REQUEST_PURPOSE = "request"


@dataclass
class QuestionDraft(Draft):
    KEY = "request_question"
    request_id: int | None = None


async def start(update: Update, context: KapstokContext) -> str | int:
    """rq:ask: ask the liaison officer for the question."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    number = callbacks.REQUEST_ASK.value(query.data)
    summary = await context.store.request_summaries.get(number) if number else None
    if summary is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    message = query.message
    prompt = await context.bot.send_message(
        message.chat.id,
        _(
            "{liaison}, what is your question to the board of {association} about request "
            "#{number} ({what})? Type it: it goes to every board member, signed with your name, "
            "and their answer comes back as a question in the association's topic. /cancel "
            "asks nothing."
        ).format(
            liaison=mention(context.profile.user_id, context.profile.first_name),
            association=esc(summary.association_name),
            number=summary.request_id,
            what=what(summary),
        ),
        reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )
    QuestionDraft(summary.request_id).save(context)
    remember_prompt(context, QuestionDraft.KEY, prompt)
    return QUESTION


async def receive(update: Update, context: KapstokContext) -> str | int | None:
    """The question: to the board, in the request's thread (opened if it has none open)."""
    if not await answers_prompt(update, context, QuestionDraft.KEY):
        return None
    if not await require_liaison(update, context):
        QuestionDraft.drop(context)
        return ConversationHandler.END
    draft = QuestionDraft.load(context)
    summary = (
        await context.store.request_summaries.get(draft.request_id)
        if draft and draft.request_id
        else None
    )
    message = update.message
    if summary is None:
        QuestionDraft.drop(context)
        await message.reply_text(_("This request no longer exists; nothing was sent."))
        return ConversationHandler.END
    text = message.text.strip()
    if is_blank(text):
        await message.reply_text(_("Please type your question as text, or /cancel."))
        return QUESTION
    if len(text) > MAX_QUESTION:
        await message.reply_text(
            _(
                "That question is {length} characters long; the limit is {limit}. Please send "
                "a shorter one."
            ).format(length=len(text), limit=MAX_QUESTION)
        )
        return QUESTION
    QuestionDraft.drop(context)
    thread = await ask_board(context, summary, message)
    sent = _("Sent to the board of {association}; their answer comes in #{number}.").format(
        association=esc(summary.association_name), number=thread.thread_id
    )
    await context.store.db.after_commit(lambda: message.reply_text(sent))
    return ConversationHandler.END


async def not_text(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, QuestionDraft.KEY):
        return None
    await update.message.reply_text(_("Please type your question as text, or /cancel."))
    return QUESTION


# --- the thread --------------------------------------------------------------------------------


async def ask_board(context: KapstokContext, summary: RequestSummary, message) -> Thread:
    """Put the question in the request's open thread (a new one if it has none), send it to
    the board, and write it in the request's history."""
    store, profile = context.store, context.profile
    request = summary.request
    thread = await store.threads.thread(request.thread_id) if request.thread_id else None
    if thread is None or thread.status is ThreadStatus.CLOSED:
        thread = await _open_thread(context, summary)
    await tell_members(
        context,
        thread,
        lambda: _(
            "❓ The municipality has a question about your request #{number} ({kind}: {what}). "
            "Answer it by replying to the question; /threads shows #{thread}."
        ).format(
            number=summary.request_id,
            kind=kind_label(summary.kind),
            what=what(summary),
            thread=thread.thread_id,
        ),
    )
    private = message.chat.type == "private"
    thread = await answer_as_liaison(context, thread, message_part(message), echo=private)
    await store.requests.record(request.request_id, "asked", profile.user_id, message.text.strip())
    return thread


async def _open_thread(context: KapstokContext, summary: RequestSummary) -> Thread:
    store, profile, config = context.store, context.profile, context.config
    subject = await store.subjects.for_purpose(SUPPORT.number, REQUEST_PURPOSE)
    asked = sum(
        event.event == "asked" for event in await store.requests.history(summary.request_id)
    )
    with i18n.use_language(config.default_language):
        text = _(
            "📋 Request #{number} of {association} ({kind}: {what}). {liaison} of the "
            "municipality asks the board a question about it."
        ).format(
            number=summary.request_id,
            association=summary.association_name,
            kind=plain_text(kind_label(summary.kind)),
            what=plain_text(what(summary)),
            liaison=profile.full_name,
        )
    part = MessagePart("text", text, 0, question_source(summary.request_id, asked))
    thread, messages = await store.threads.open(
        summary.request.association_id, subject, profile.user_id, profile.full_name, [part]
    )
    await relay_in(context, thread, messages)
    await store.requests.set_thread(summary.request_id, thread.thread_id)
    return thread


def question_source(request_id: int, asked: int) -> int:
    """A request thread's first message came from no Telegram message: a negative number of
    its own (the request, how many questions were asked before, kapstok 5), below 2**34 (where
    the barometer's begin) for the first half million requests."""
    return -((((request_id << 12) | (asked % 4096)) << 3) | SUPPORT.number)


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    # In the group, where liaisons also talk among themselves, only a reply is the question.
    answered = filters.ChatType.PRIVATE | filters.REPLY
    return [
        ConversationHandler(
            name="request_question",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=TIMEOUT,
            entry_points=[CallbackQueryHandler(start, pattern=callbacks.REQUEST_ASK.matches)],
            states={
                QUESTION: [
                    MessageHandler(TEXT & answered & where, receive),
                    MessageHandler(NOT_TEXT & answered & where, not_text),
                ]
            },
            fallbacks=fallbacks(QuestionDraft.KEY),
        )
    ]
