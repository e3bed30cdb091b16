"""A board member asks the municipality something: subject, question, FAQ check, thread."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import KapstokContext
from bot.domain import textsearch
from bot.domain.threads import MessagePart
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.pages import faq_for_user
from handlers.threads.albums import remember_album
from handlers.threads.relay import (
    REFERENCE,
    message_part,
    refuse_unrelayable,
    relay_in,
    send_surely,
)
from handlers.ui import esc, require_approved_member, show

SUBJECT, QUESTION, FAQ_OFFER = "asking.subject", "asking.question", "asking.faq"
TIMEOUT = timedelta(hours=24)
ANSWER_PREVIEW = 400


@dataclass
class Question(Draft):
    """A question being asked: its kapstok, its subject, its message (the parts of an album)."""

    KEY = "question"
    kapstok: int | None = None
    subject: int | None = None
    parts: list[dict] = field(default_factory=list)

    def message_parts(self) -> list[MessagePart]:
        return [MessagePart(**part) for part in self.parts]

    def add(self, part: MessagePart) -> None:
        self.parts.append(asdict(part))


# --- the conversation -------------------------------------------------------------------------


async def start_asking(update: Update, context: KapstokContext) -> str | int:
    """Offer the subjects of this kapstok."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    kapstok = int(callbacks.ASK.value(query.data))
    subjects = await context.store.subjects.active(kapstok)
    await query.answer()
    Question(kapstok=kapstok).save(context)
    rows = [
        [
            InlineKeyboardButton(
                subject.name(current_language()),
                callback_data=callbacks.ASK_SUBJECT.data(subject.subject_id),
            )
        ]
        for subject in subjects
    ]
    await show(
        query,
        _("What is it about? Choose a subject.")
        + "\n\n"
        + _("You can stop at any time with /cancel."),
        InlineKeyboardMarkup(rows),
    )
    return SUBJECT


async def choose_subject(update: Update, context: KapstokContext) -> str:
    query = update.callback_query
    draft = Question.load(context) or Question()
    subject = await context.store.subjects.get(callbacks.ASK_SUBJECT.value(query.data))
    if subject is None or subject.kapstok != draft.kapstok:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return SUBJECT
    await query.answer()
    draft.subject = subject.subject_id
    draft.save(context)
    await show(
        query,
        _("Subject: {subject}").format(subject=esc(subject.name(current_language())))
        + "\n\n"
        + _(
            "Now write your question. You can send text, a photo, a document or a voice "
            "message; a liaison officer of the municipality will answer you here."
        ),
    )
    return QUESTION


async def subject_as_text(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(_("Please choose a subject with one of the buttons above."))
    return SUBJECT


async def receive_question(update: Update, context: KapstokContext) -> str | int:
    """Take the question; offer FAQ answers that match its words before sending it."""
    message = update.message
    part = message_part(message)
    if part is None:
        await refuse_unrelayable(message)
        return QUESTION
    draft = Question.load(context) or Question()
    draft.parts = [asdict(part)]
    draft.save(context)
    remember_album(context, message.media_group_id, message.from_user.id, draft=Question.KEY)
    matches = await faq_for_user(context, matching=textsearch.offer(part.text, current_language()))
    if not matches:
        return await send_question(update, context)
    lines = [_("Maybe one of these answers your question already?"), ""]
    for entry in matches:
        answer = (
            entry.answer
            if len(entry.answer) <= ANSWER_PREVIEW
            else (entry.answer[:ANSWER_PREVIEW] + "…")
        )
        lines += [f"<b>{esc(entry.question)}</b>", esc(answer), ""]
    await message.reply_text(
        "\n".join(lines).strip(),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "Yes, thanks"),
                        callback_data=callbacks.ASK_FAQ_HELPED.data(),
                    )
                ],
                [
                    InlineKeyboardButton(
                        pgettext("button", "No, send my question"),
                        callback_data=callbacks.ASK_FAQ_NOT_HELPED.data(),
                    )
                ],
            ]
        ),
    )
    return FAQ_OFFER


async def faq_helped(update: Update, context: KapstokContext) -> int:
    await update.callback_query.answer()
    Question.drop(context)
    await show(
        update.callback_query,
        _("Glad that helped! Your question was not sent. Ask again whenever you need to."),
    )
    return ConversationHandler.END


async def faq_not_helped(update: Update, context: KapstokContext) -> int:
    await update.callback_query.answer()
    await show(update.callback_query, _("Then I send your question to the municipality."))
    return await send_question(update, context)


async def typed_during_offer(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(
        _(
            "Please answer with one of the buttons: does the answer help, or shall I send your "
            "question?"
        )
    )
    return FAQ_OFFER


async def send_question(update: Update, context: KapstokContext) -> int:
    """Open the thread, put it before the liaison officers, and confirm with its number."""
    draft = Question.load(context) or Question()
    Question.drop(context)
    profile = context.profile
    if not profile.is_approved_member:
        await require_approved_member(update, context)
        return ConversationHandler.END
    subject = await context.store.subjects.get(draft.subject) if draft.subject else None
    if subject is None or not draft.parts:
        await context.bot.send_message(
            profile.user_id, _("Something of your question got lost. Please start again.")
        )
        return ConversationHandler.END
    parts = draft.message_parts()
    thread, messages = await context.store.threads.open(
        profile.association_id, subject, profile.user_id, profile.full_name, parts
    )
    for part in parts:
        if part.media_group_id:
            remember_album(context, part.media_group_id, profile.user_id, thread=thread.thread_id)
    await relay_in(context, thread, messages)
    text = _(
        "✅ Your question is sent to the municipality as <b>#{number}</b>. A liaison officer "
        "will answer you here.\n\nTo add something, reply to this message. /threads shows "
        "all your association's questions."
    )

    async def confirm() -> None:
        """Once the question is stored: its number, on a message a reply to which joins it."""
        confirmation = await send_surely(
            lambda: context.bot.send_message(profile.user_id, text.format(number=thread.thread_id))
        )
        await context.store.threads.add_copy(
            messages[0].message_id, confirmation.chat_id, confirmation.message_id, REFERENCE
        )

    await context.store.db.after_commit(confirm)
    return ConversationHandler.END


def build_handlers() -> list:
    asking = ConversationHandler(
        name="asking",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_asking, pattern=callbacks.ASK.matches)],
        states={
            SUBJECT: [
                CallbackQueryHandler(choose_subject, pattern=callbacks.ASK_SUBJECT.claims),
                MessageHandler(TEXT | NOT_TEXT, subject_as_text),
            ],
            QUESTION: [MessageHandler(TEXT | NOT_TEXT, receive_question)],
            FAQ_OFFER: [
                CallbackQueryHandler(faq_helped, pattern=callbacks.ASK_FAQ_HELPED.matches),
                CallbackQueryHandler(faq_not_helped, pattern=callbacks.ASK_FAQ_NOT_HELPED.matches),
                MessageHandler(TEXT, typed_during_offer),
            ],
        },
        fallbacks=fallbacks(Question.KEY),
    )
    return [asking]
