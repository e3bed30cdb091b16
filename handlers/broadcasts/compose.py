"""/broadcast: a liaison writes a message, picks its audience, sees it as the boards will, and
sends it now or at a moment they type. /broadcasts lists the past ones; *Stop* ends one."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
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
from bot.domain.associations import AssociationKind
from bot.domain.audience import LANGUAGES, Audience
from bot.domain.dates import moment_of, parse_moment
from bot.domain.faq import is_blank
from bot.domain.preferences import Kind
from bot.domain.schedules import Rule
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.broadcasts import deliveries, sending
from handlers.bulk import today, with_fewer
from handlers.checkins import runner
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.text import CAPTION_LIMIT, MESSAGE_LIMIT, plain_text
from handlers.ui import esc, kind_label, no_longer_valid, require_liaison, show

CONTENT, AUDIENCE, PREVIEW, WHEN = (
    "broadcast.content",
    "broadcast.audience",
    "broadcast.preview",
    "broadcast.when",
)
TIMEOUT = timedelta(hours=6)
FARTHEST = timedelta(days=366)
LIST_PAGE = 10


@dataclass
class BroadcastDraft(Draft):
    KEY = "broadcast"
    body: str = ""  # HTML
    media_kind: str | None = None
    file_id: str | None = None
    audience: str = field(default_factory=lambda: Audience().to_json())
    prompt: int | None = None


def _topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _prompt_markup(update: Update):
    return ForceReply(selective=True) if update.effective_chat.type != "private" else None


async def _ask(update: Update, context: KapstokContext, text: str) -> None:
    """A question the liaison answers by typing (in the group: by replying to it)."""
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        text,
        reply_markup=_prompt_markup(update),
        message_thread_id=_topic(update),
    )
    remember_prompt(context, BroadcastDraft.KEY, prompt)


async def _still_liaison(update: Update, context: KapstokContext) -> bool:
    if context.is_liaison:
        return True
    BroadcastDraft.drop(context)
    await require_liaison(update, context)
    return False


async def _draft_of(update: Update, context: KapstokContext) -> BroadcastDraft | None:
    """The broadcast being written, if its writer is still a liaison and it still exists (a
    button of a finished one says it is no longer valid)."""
    if not await _still_liaison(update, context):
        return None
    draft = BroadcastDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
    return draft


# --- the message ---------------------------------------------------------------------------------


async def start(update: Update, context: KapstokContext) -> str | int:
    """/broadcast: what shall the boards read?"""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    BroadcastDraft().save(context)
    await _ask(
        update,
        context,
        _(
            "📣 A message to the boards of the associations. Send it now: a text (at most "
            "{text_limit} characters), or a photo or a document with a caption (at most "
            "{caption_limit} characters). It goes out as you write it, in one language."
        ).format(text_limit=MESSAGE_LIMIT, caption_limit=CAPTION_LIMIT)
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return CONTENT


async def receive_content(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, BroadcastDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    message = update.message
    draft = BroadcastDraft.load(context) or BroadcastDraft()
    if message.photo or message.document:
        caption = message.caption or ""
        if len(caption) > CAPTION_LIMIT:
            await _ask(
                update,
                context,
                _(
                    "That caption is {length} characters long; Telegram shows at most {limit} "
                    "under a photo or a document. Send it again with a shorter caption, or "
                    "send the text on its own."
                ).format(length=len(caption), limit=CAPTION_LIMIT),
            )
            return None
        draft.body = message.caption_html if caption.strip() else ""
        draft.media_kind = "photo" if message.photo else "document"
        draft.file_id = message.photo[-1].file_id if message.photo else message.document.file_id
    elif message.text is not None:
        if is_blank(message.text):
            await _ask(update, context, _empty())
            return None
        if len(message.text) > MESSAGE_LIMIT:
            await _ask(
                update,
                context,
                _(
                    "That text is {length} characters long; the limit is {limit}. Please send "
                    "a shorter one."
                ).format(length=len(message.text), limit=MESSAGE_LIMIT),
            )
            return None
        draft.body, draft.media_kind, draft.file_id = message.text_html, None, None
    else:
        await _ask(update, context, _empty())
        return None
    draft.save(context)
    await _show_audience(update, context, draft, new_message=True)
    return AUDIENCE


def _empty() -> str:
    return _(
        "A broadcast needs a text, or a photo or a document. Please send one of those, or /cancel."
    )


# --- the audience --------------------------------------------------------------------------------


def _mark(on: bool) -> str:
    return "✅ " if on else ""


def _audience_keyboard(audience: Audience) -> InlineKeyboardMarkup:
    def button(text: str, data: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=data)

    kinds = [
        button(
            _mark(kind in audience.kinds) + kind_label(kind), callbacks.BROADCAST_KIND.data(kind)
        )
        for kind in AssociationKind
    ]
    languages = [
        button(
            _mark(code in audience.languages) + i18n.LANGUAGE_NAMES[code],
            callbacks.BROADCAST_LANGUAGE.data(code),
        )
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup(
        [
            [
                button(
                    _mark(audience.everyone) + pgettext("button", "Every approved association"),
                    callbacks.BROADCAST_ALL.data(),
                )
            ],
            *[kinds[i : i + 2] for i in range(0, len(kinds), 2)],
            languages,
            [
                button(
                    _mark(audience.open_thread) + pgettext("button", "With an open question"),
                    callbacks.BROADCAST_OPEN_THREAD.data(),
                )
            ],
            [button(pgettext("button", "Next ▶"), callbacks.BROADCAST_AUDIENCE_DONE.data())],
            [button(pgettext("button", "Cancel"), callbacks.BROADCAST_CANCEL.data())],
        ]
    )


def describe_audience(audience: Audience) -> str:
    """The audience in words, in the current language."""
    if audience.everyone:
        return _("the boards of every approved association")
    parts = []
    if audience.kinds:
        parts.append(", ".join(kind_label(kind) for kind in sorted(audience.kinds)))
    if audience.languages:
        parts.append(
            _("speaking {languages}").format(
                languages=", ".join(i18n.LANGUAGE_NAMES[c] for c in sorted(audience.languages))
            )
        )
    if audience.open_thread:
        parts.append(_("with an open question"))
    return _("the boards of approved associations: {filters}").format(filters="; ".join(parts))


async def _show_audience(
    update: Update, context: KapstokContext, draft: BroadcastDraft, *, new_message: bool = False
) -> None:
    audience = Audience.from_json(draft.audience)
    text = (
        _(
            "Who gets it? Choose kinds of association, languages, or associations with an open "
            "question; with nothing chosen, every approved association's board gets it."
        )
        + "\n\n"
        + _("Now: {audience}.").format(audience=describe_audience(audience))
    )
    if new_message:
        await context.bot.send_message(
            update.effective_chat.id,
            text,
            reply_markup=_audience_keyboard(audience),
            message_thread_id=_topic(update),
        )
    else:
        await show(update.callback_query, text, _audience_keyboard(audience))


async def change_audience(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    await query.answer()
    audience = Audience.from_json(draft.audience)
    if callbacks.BROADCAST_ALL.matches(query.data):
        audience = Audience()
    elif kind := callbacks.BROADCAST_KIND.value(query.data):
        audience = audience.toggled_kind(AssociationKind(kind))
    elif language := callbacks.BROADCAST_LANGUAGE.value(query.data):
        audience = audience.toggled_language(language)
    elif callbacks.BROADCAST_OPEN_THREAD.matches(query.data):
        audience = audience.toggled_open_thread()
    draft.audience = audience.to_json()
    draft.save(context)
    await _show_audience(update, context, draft)
    return AUDIENCE


# --- the preview ---------------------------------------------------------------------------------


async def preview(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    audience = Audience.from_json(draft.audience)
    recipients = await context.store.audience.recipients(
        audience, Kind.NEWS, today(context.store, context.config)
    )
    if not recipients:
        await query.answer(
            _("Nobody in this audience can get it now. Choose another audience."), show_alert=True
        )
        return AUDIENCE
    await query.answer()
    associations = len({r.association_id for r in recipients})
    await show(query, _("Audience: {audience}.").format(audience=describe_audience(audience)))
    chat, topic = update.effective_chat.id, _topic(update)
    await context.bot.send_message(
        chat, _("This is how the boards will see it:"), message_thread_id=topic
    )
    await deliveries.send_as_written(
        context.bot, chat, draft.body, draft.media_kind, draft.file_id, with_fewer(Kind.NEWS), topic
    )
    summary = ngettext(
        "It goes to {members} board member of {associations} association(s).",
        "It goes to {members} board members of {associations} association(s).",
        len(recipients),
    ).format(members=len(recipients), associations=associations)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "📣 Send now"), callback_data=callbacks.BROADCAST_SEND.data()
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "🕒 Schedule"),
                    callback_data=callbacks.BROADCAST_SCHEDULE.data(),
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "Cancel"), callback_data=callbacks.BROADCAST_CANCEL.data()
                )
            ],
        ]
    )
    await context.bot.send_message(chat, summary, reply_markup=keyboard, message_thread_id=topic)
    return PREVIEW


async def _create(
    update: Update, context: KapstokContext, draft: BroadcastDraft, send_at=None
) -> int:
    profile = context.profile
    return await context.store.broadcasts.create(
        author_id=profile.user_id,
        author_name=profile.full_name,
        body=draft.body,
        media_kind=draft.media_kind,
        file_id=draft.file_id,
        audience=Audience.from_json(draft.audience),
        report_chat_id=update.effective_chat.id,
        report_topic=_topic(update),
        send_at=send_at,
    )


async def send_now(update: Update, context: KapstokContext) -> int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    await query.answer()
    broadcast_id = await _create(update, context, draft)
    count = await sending.start(context.application, broadcast_id)
    BroadcastDraft.drop(context)
    await show(
        query,
        ngettext(
            "Broadcast #{number} goes to {count} board member. The report below follows it.",
            "Broadcast #{number} goes to {count} board members. The report below follows it.",
            count or 0,
        ).format(number=broadcast_id, count=count or 0),
    )
    return ConversationHandler.END


async def ask_when(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if await _draft_of(update, context) is None:
        return ConversationHandler.END
    await query.answer()
    await show(query, _("Scheduling the broadcast."))
    await _ask(update, context, _when_question(context))
    return WHEN


def _when_question(context: KapstokContext) -> str:
    return _("When shall it go? Send the date and the time, for example {example}.").format(
        example=_typed_example(context)
    )


def _typed_example(context: KapstokContext) -> str:
    """Tomorrow at the next full hour, as it is typed (day first in each of our languages)."""
    moment = (context.store.now() + timedelta(days=1)).astimezone(context.config.timezone)
    return f"{moment:%d/%m/%Y %H}:00"


async def receive_when(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, BroadcastDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = BroadcastDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    zone = context.config.timezone
    typed = parse_moment(update.message.text, i18n.babel_locale(), zone)
    if typed is None:
        await _ask(
            update,
            context,
            _("I could not read that as a date and a time. Send it like {example}.").format(
                example=_typed_example(context)
            ),
        )
        return None
    day, at = typed
    moment = moment_of(day, at, zone)
    now = context.store.now()
    if moment <= now:
        await _ask(
            update,
            context,
            _("{moment} has passed. Send a moment in the future, like {example}.").format(
                moment=i18n.format_datetime(moment), example=_typed_example(context)
            ),
        )
        return None
    if moment - now > FARTHEST:
        await _ask(
            update,
            context,
            _("That is more than a year ahead. Send a moment within the coming year."),
        )
        return None
    broadcast_id = await _create(update, context, draft, send_at=moment)
    profile = context.profile
    schedule_id = await context.store.schedules.create(
        created_by=profile.user_id,
        created_by_name=profile.full_name,
        rule=Rule("once", at, on=day),
        audience=Audience.from_json(draft.audience),
        content="broadcast",
        next_run_at=moment,
        broadcast_id=broadcast_id,
    )
    runner.put_on_queue(context.application, schedule_id, moment)
    BroadcastDraft.drop(context)
    await update.message.reply_text(
        _(
            "Broadcast #{number} will go on {moment}, to the boards in its audience at that "
            "moment. /schedules lists it; delete it there to cancel it."
        ).format(number=broadcast_id, moment=i18n.format_datetime(moment))
    )
    return ConversationHandler.END


async def cancel(update: Update, context: KapstokContext) -> int:
    query = update.callback_query
    BroadcastDraft.drop(context)
    await query.answer()
    await show(query, _("Stopped. Nothing was sent."))
    return ConversationHandler.END


async def not_a_message(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, BroadcastDraft.KEY):
        return None
    await _ask(update, context, _empty())
    return None


async def not_a_moment(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, BroadcastDraft.KEY):
        return None
    await _ask(update, context, _when_question(context))
    return None


# --- stop, and the list --------------------------------------------------------------------------


async def stop(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    if not await require_liaison(update, context):
        return
    broadcast_id = callbacks.BROADCAST_STOP.value(query.data)
    if not await sending.stop(context.application, broadcast_id):
        await query.answer(_("This broadcast is no longer being sent."), show_alert=True)
        return
    await query.answer(_("Stopped: nobody else gets it."))


async def list_broadcasts(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    page = 1
    if update.callback_query is not None:
        page = callbacks.BROADCAST_LIST_PAGE.value(update.callback_query.data) or 0
    total = await context.store.broadcasts.count()
    pages = max(math.ceil(total / LIST_PAGE), 1)
    if not 1 <= page <= pages:
        await no_longer_valid(update)
        return
    broadcasts = await context.store.broadcasts.recent(LIST_PAGE, (page - 1) * LIST_PAGE)
    if not broadcasts:
        text = _("No broadcast was sent yet. /broadcast writes one.")
    else:
        lines = [_("<b>Broadcasts</b>")]
        for broadcast in broadcasts:
            counts = await context.store.outbox.batch_counts(broadcast.batch)
            lines.append("")
            lines.append(f"<b>{deliveries.report_title(broadcast)}</b>")
            lines.append(
                _("By {author} on {moment}: {beginning}").format(
                    author=esc(broadcast.author_name),
                    moment=i18n.format_datetime(broadcast.send_at or broadcast.created_at),
                    beginning=esc(_beginning(broadcast.body)),
                )
            )
            if broadcast.state != "scheduled":
                lines.append(deliveries.counts_line(counts))
        if pages > 1:
            lines.append("")
            lines.append(_("Page {page} of {pages}").format(page=page, pages=pages))
        text = "\n".join(lines)
    navigation = []
    if page > 1:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "◀ Previous"),
                callback_data=callbacks.BROADCAST_LIST_PAGE.data(page - 1),
            )
        )
    if page < pages:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "Next ▶"),
                callback_data=callbacks.BROADCAST_LIST_PAGE.data(page + 1),
            )
        )
    keyboard = InlineKeyboardMarkup([navigation]) if navigation else None
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update.callback_query, text, keyboard)
    else:
        await update.effective_message.reply_text(text, reply_markup=keyboard)


def _beginning(html_body: str, length: int = 80) -> str:
    text = " ".join(plain_text(html_body).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    content = filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL) & answered
    composing = ConversationHandler(
        name="broadcast",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CommandHandler("broadcast", start, filters=where)],
        states={
            CONTENT: [
                MessageHandler(TEXT & answered, receive_content),
                MessageHandler(content, receive_content),
                MessageHandler(NOT_TEXT & answered, not_a_message),
            ],
            AUDIENCE: [
                CallbackQueryHandler(
                    change_audience,
                    pattern=lambda data: any(
                        button.matches(data)
                        for button in (
                            callbacks.BROADCAST_ALL,
                            callbacks.BROADCAST_KIND,
                            callbacks.BROADCAST_LANGUAGE,
                            callbacks.BROADCAST_OPEN_THREAD,
                        )
                    ),
                ),
                CallbackQueryHandler(preview, pattern=callbacks.BROADCAST_AUDIENCE_DONE.matches),
                CallbackQueryHandler(cancel, pattern=callbacks.BROADCAST_CANCEL.matches),
            ],
            PREVIEW: [
                CallbackQueryHandler(send_now, pattern=callbacks.BROADCAST_SEND.matches),
                CallbackQueryHandler(ask_when, pattern=callbacks.BROADCAST_SCHEDULE.matches),
                CallbackQueryHandler(cancel, pattern=callbacks.BROADCAST_CANCEL.matches),
            ],
            WHEN: [
                MessageHandler(TEXT & answered, receive_when),
                MessageHandler(NOT_TEXT & answered, not_a_moment),
            ],
        },
        fallbacks=fallbacks(BroadcastDraft.KEY),
    )
    return [
        composing,
        CommandHandler("broadcasts", list_broadcasts, filters=where),
        CallbackQueryHandler(list_broadcasts, pattern=callbacks.BROADCAST_LIST_PAGE.matches),
        CallbackQueryHandler(stop, pattern=callbacks.BROADCAST_STOP.matches),
    ]
