"""A board member asks the municipality something: subject, question, FAQ check, thread."""

from __future__ import annotations

import time
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import textsearch
from bot.context import KapstokContext
from bot.i18n import _, current_language, pgettext
from handlers.conversation import NOT_TEXT, TEXT, fallbacks
from handlers.relay import (
    REFERENCE,
    deliver_in,
    message_part,
    refuse_unrelayable,
    send_surely,
)
from handlers.ui import ASK_PREFIX, esc, require_approved_member, show
from storage.models import Direction, FaqEntry

SUBJECT_PREFIX = "ask:subject:"
FAQ_HELPED = "ask:faq:yes"
FAQ_NOT_HELPED = "ask:faq:no"
SUBJECT, QUESTION, FAQ_OFFER = "asking.subject", "asking.question", "asking.faq"
DRAFT = "question"
TIMEOUT = timedelta(hours=24)
ALBUM_MEMORY_SECONDS = 120
ANSWER_PREVIEW = 400


def ask_button(kapstok: int, label: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=f"{ASK_PREFIX}{kapstok}")


async def faq_for_user(context: KapstokContext, kapstok: int | None = None) -> list[FaqEntry]:
    """FAQ entries in the user's language, else in the default language."""
    entries = await context.store.faq_entries(kapstok, current_language())
    if not entries and current_language() != context.config.default_language:
        entries = await context.store.faq_entries(kapstok, context.config.default_language)
    return entries


# --- albums: one message in several updates ---------------------------------------------------


def remember_album(context: KapstokContext, message: Message, **where) -> None:
    """Remember where an album's first item went, so its other items follow it there."""
    if message.media_group_id:
        now = time.monotonic()
        albums = context.bot_data.media_groups
        for key in [k for k, v in albums.items() if now - v["at"] > ALBUM_MEMORY_SECONDS]:
            del albums[key]
        albums[message.media_group_id] = {"user": message.from_user.id, "at": now, **where}


class AlbumContinuation(filters.MessageFilter):
    """A later item of an album whose first item Kapstok already took."""

    def __init__(self, albums: dict[str, dict]) -> None:
        super().__init__(name="AlbumContinuation")
        self.albums = albums

    def filter(self, message: Message) -> bool:
        album = self.albums.get(message.media_group_id) if message.media_group_id else None
        return (
            album is not None
            and message.from_user is not None
            and (album["user"] == message.from_user.id)
        )


async def continue_album(update: Update, context: KapstokContext) -> None:
    """Add an album's later item where its first item went: the draft, or the thread."""
    message = update.message
    album = context.bot_data.media_groups[message.media_group_id]
    part = message_part(message)
    if part is None:
        return
    if album.get("draft"):
        context.user_data.setdefault(DRAFT, {}).setdefault("parts", []).append(part)
        return
    profile = context.profile
    thread = await context.store.thread(album["thread"])
    if thread is None or thread.association_id != profile.association_id:
        return
    thread, added, _reopened = await context.store.add_message(
        thread.thread_id, Direction.IN, profile.user_id, profile.full_name, part
    )
    await deliver_in(context, thread, [added])


# --- the conversation -------------------------------------------------------------------------


async def start_asking(update: Update, context: KapstokContext) -> str | int:
    """Offer the subjects of this kapstok."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    kapstok = int(query.data.removeprefix(ASK_PREFIX))
    subjects = await context.store.subjects(kapstok)
    await query.answer()
    context.user_data[DRAFT] = {"kapstok": kapstok}
    rows = [
        [
            InlineKeyboardButton(
                subject.name(current_language()),
                callback_data=f"{SUBJECT_PREFIX}{subject.subject_id}",
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
    draft = context.user_data.get(DRAFT, {})
    value = query.data.removeprefix(SUBJECT_PREFIX)
    subject = await context.store.subject(int(value)) if value.isdigit() else None
    if subject is None or subject.kapstok != draft.get("kapstok"):
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return SUBJECT
    await query.answer()
    draft["subject"] = subject.subject_id
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
    draft = context.user_data.setdefault(DRAFT, {})
    draft["parts"] = [part]
    remember_album(context, message, draft=True)
    matches = textsearch.best_matches(
        part["text"], await faq_for_user(context), lambda e: (e.question, e.answer)
    )
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
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(pgettext("button", "Yes, thanks"), callback_data=FAQ_HELPED)],
                [
                    InlineKeyboardButton(
                        pgettext("button", "No, send my question"), callback_data=FAQ_NOT_HELPED
                    )
                ],
            ]
        ),
    )
    return FAQ_OFFER


async def faq_helped(update: Update, context: KapstokContext) -> int:
    await update.callback_query.answer()
    context.user_data.pop(DRAFT, None)
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
    draft = context.user_data.pop(DRAFT, {})
    profile = context.profile
    if not profile.is_approved_member:
        await require_approved_member(update, context)
        return ConversationHandler.END
    subject = await context.store.subject(draft["subject"]) if "subject" in draft else None
    if subject is None or "parts" not in draft:
        await context.bot.send_message(
            profile.user_id, _("Something of your question got lost. Please start again.")
        )
        return ConversationHandler.END
    thread, messages = await context.store.open_thread(
        profile.association_id, subject, profile.user_id, profile.full_name, draft["parts"]
    )
    for part in draft["parts"]:
        if part.get("media_group_id"):
            context.bot_data.media_groups.setdefault(
                part["media_group_id"], {"user": profile.user_id, "at": time.monotonic()}
            ).update(thread=thread.thread_id, draft=False)
    delivered = await deliver_in(context, thread, messages)
    if delivered:
        text = _(
            "✅ Your question is sent to the municipality as <b>#{number}</b>. A liaison officer "
            "will answer you here.\n\nTo add something, reply to this message. /threads shows "
            "all your association's questions."
        )
    else:
        text = _(
            "Your question is saved as <b>#{number}</b>, but I could not reach the "
            "municipality just now. I will keep trying; you do not need to send it again."
        )
    confirmation = await send_surely(
        lambda: context.bot.send_message(
            profile.user_id, text.format(number=thread.thread_id), parse_mode=ParseMode.HTML
        )
    )
    await context.store.add_copy(
        messages[0].message_id, confirmation.chat_id, confirmation.message_id, REFERENCE
    )
    return ConversationHandler.END


def build_handlers(albums: dict[str, dict]) -> list:
    private = filters.ChatType.PRIVATE
    asking = ConversationHandler(
        name="asking",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_asking, pattern=rf"^{ASK_PREFIX}[12]$")],
        states={
            SUBJECT: [
                CallbackQueryHandler(choose_subject, pattern=f"^{SUBJECT_PREFIX}"),
                MessageHandler(TEXT | NOT_TEXT, subject_as_text),
            ],
            QUESTION: [MessageHandler(TEXT | NOT_TEXT, receive_question)],
            FAQ_OFFER: [
                CallbackQueryHandler(faq_helped, pattern=f"^{FAQ_HELPED}$"),
                CallbackQueryHandler(faq_not_helped, pattern=f"^{FAQ_NOT_HELPED}$"),
                MessageHandler(TEXT, typed_during_offer),
            ],
        },
        fallbacks=fallbacks(DRAFT),
    )
    return [
        MessageHandler(
            private & filters.UpdateType.MESSAGE & AlbumContinuation(albums), continue_album
        ),
        asking,
    ]
