"""An activity's dossier, in one message: its partners, the gear and subsidy requests linked to
it, and the evidence its board added (photos, flyers, documents, kept for the yearly report).

The dossier is the organiser's: its board sees it from the activity's details (📁 Dossier)
and adds to it with *Add to the dossier*; partners do not see it (it shows the organiser's
requests and amounts). Liaison officers see the same dossier with `/dossier N` (in the liaison
group or a private chat) or from an activity's details. Requests are read through storage, not
through kapstok 5's handlers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.activities import Activity
from bot.domain.request_summaries import (
    MAX_CAPTION,
    MAX_EVIDENCE_BYTES,
    EvidenceKind,
    RequestSummary,
    evidence_too_large,
)
from bot.domain.requests import RequestKind
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.activities.views import partners_lines, view_button, when_text, zone_of
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.request_words import status_label, what
from handlers.text import CAPTION_LIMIT, join_blocks
from handlers.ui import esc, no_longer_valid, require_approved_member, require_liaison, show

EVIDENCE = "dossier.evidence"
TIMEOUT = timedelta(hours=6)
MAX_SENT = 50  # files sent at one press
_NUMBER = re.compile(r"#?([0-9]{1,18})")


# --- the dossier ---------------------------------------------------------------------------------


def _request_line(summary: RequestSummary) -> str:
    return f"#{summary.request_id} · {what(summary)} · {status_label(summary.status)}"


def evidence_text(counts: dict[EvidenceKind, int]) -> str:
    if not counts:
        return _("Nothing added yet.")
    parts = []
    if counts.get(EvidenceKind.PHOTO):
        count = counts[EvidenceKind.PHOTO]
        parts.append(ngettext("{count} photo", "{count} photos", count).format(count=count))
    if counts.get(EvidenceKind.DOCUMENT):
        count = counts[EvidenceKind.DOCUMENT]
        parts.append(ngettext("{count} document", "{count} documents", count).format(count=count))
    return " · ".join(parts)


async def dossier_text(context: KapstokContext, activity: Activity) -> str:
    store = context.store
    requests = await store.request_summaries.of_activity(activity.activity_id)
    counts = await store.evidence.counts(activity.activity_id)
    gear = [r for r in requests if r.kind is RequestKind.GEAR]
    subsidies = [r for r in requests if r.kind is RequestKind.SUBSIDY]
    lines = [
        _("📁 <b>Dossier: {title}</b>").format(title=esc(activity.title)),
        "🕒 " + when_text(activity.starts_at, activity.ends_at, zone_of(context)),
        "📍 " + esc(activity.place),
        _("Organised by {association}").format(association=esc(activity.association_name)),
    ]
    if activity.cancelled:
        lines.append(_("❌ <b>Cancelled</b>"))
    lines += ["", _("<b>Partners</b>")]
    lines += partners_lines(activity, answers=True) or [_("No partners.")]
    lines += ["", _("<b>🎪 Gear requests</b>")]
    lines += [_request_line(r) for r in gear] or [_("None linked to this activity.")]
    lines += ["", _("<b>💶 Subsidy requests</b>")]
    lines += [_request_line(r) for r in subsidies] or [_("None linked to this activity.")]
    lines += ["", _("<b>📎 Evidence</b>"), evidence_text(counts)]
    return join_blocks(lines)[0]


async def dossier_keyboard(
    context: KapstokContext, activity: Activity, *, as_board: bool
) -> InlineKeyboardMarkup | None:
    number = activity.activity_id
    total = sum((await context.store.evidence.counts(number)).values())
    rows = []
    if as_board:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "📎 Add to the dossier"),
                    callback_data=callbacks.DOSSIER_ADD.data(number),
                )
            ]
        )
    if total:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "📥 Receive the files ({count})").format(count=total),
                    callback_data=callbacks.DOSSIER_FILES.data(number),
                )
            ]
        )
    if as_board:
        rows.append([view_button(number)])
    return InlineKeyboardMarkup(rows) if rows else None


async def _reader(
    update: Update, context: KapstokContext, number: int | None
) -> tuple[Activity, bool] | None:
    """The activity and whether it is read by its organiser's board (in a private chat); a
    liaison officer reads any. Anyone else is refused before anything is read."""
    profile = context.profile
    private = update.effective_chat.type == "private"
    as_board = private and profile is not None and profile.is_approved_member
    if not as_board and not await require_liaison(update, context):
        return None
    activity = await context.store.activities.get(number) if number else None
    if as_board and (activity is None or activity.association_id != profile.association_id):
        if not context.is_liaison:
            await no_longer_valid(update)  # not the organiser's: as if it did not exist
            return None
        as_board = False
    if activity is None:
        await no_longer_valid(update)
        return None
    return activity, as_board


async def view(update: Update, context: KapstokContext) -> None:
    """dos:v: the dossier, in place of the message it was pressed on."""
    query = update.callback_query
    found = await _reader(update, context, callbacks.DOSSIER.value(query.data))
    if found is None:
        return
    activity, as_board = found
    await query.answer()
    await show(
        query,
        await dossier_text(context, activity),
        await dossier_keyboard(context, activity, as_board=as_board),
    )


async def dossier_command(update: Update, context: KapstokContext) -> None:
    """/dossier N: an activity's dossier, for liaison officers."""
    if not await require_liaison(update, context):
        return
    words = context.args or []
    found = _NUMBER.fullmatch(words[0]) if words else None
    message = update.effective_message
    activity = await context.store.activities.get(int(found[1])) if found else None
    if activity is None:
        await message.reply_text(
            _(
                "Which activity? Send /dossier followed by its number, like /dossier 12; "
                "/activities lists the activities with their numbers."
            )
        )
        return
    await message.reply_text(
        await dossier_text(context, activity),
        reply_markup=await dossier_keyboard(context, activity, as_board=False),
    )


async def send_files(update: Update, context: KapstokContext) -> None:
    """dos:f: the dossier's photos and documents, sent into the chat it was pressed in."""
    query = update.callback_query
    found = await _reader(update, context, callbacks.DOSSIER_FILES.value(query.data))
    if found is None:
        return
    activity, _as_board = found
    files = await context.store.evidence.of_activity(activity.activity_id)
    if not files:
        await no_longer_valid(update)
        return
    await query.answer()
    message = query.message
    chat = message.chat.id
    topic = message.message_thread_id if message.is_topic_message else None
    for evidence in files[:MAX_SENT]:
        caption = esc(evidence.caption[:CAPTION_LIMIT]) or None
        if evidence.kind is EvidenceKind.PHOTO:
            await context.bot.send_photo(
                chat, evidence.file_id, caption=caption, message_thread_id=topic
            )
        else:
            await context.bot.send_document(
                chat, evidence.file_id, caption=caption, message_thread_id=topic
            )
    if len(files) > MAX_SENT:
        await context.bot.send_message(
            chat,
            _("These are the first {shown} of {count} files.").format(
                shown=MAX_SENT, count=len(files)
            ),
            message_thread_id=topic,
        )


# --- adding to it --------------------------------------------------------------------------------


@dataclass
class DossierDraft(Draft):
    KEY = "dossier"
    activity_id: int | None = None


def _done_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Done"), callback_data=callbacks.DOSSIER_DONE.data()
                )
            ]
        ]
    )


async def _own_activity(update: Update, context: KapstokContext, number: int | None):
    """The activity if the sender's association organises it; else refuse."""
    activity = await context.store.activities.get(number) if number else None
    if activity is None or activity.association_id != context.profile.association_id:
        return None
    return activity


async def start_adding(update: Update, context: KapstokContext) -> str | int:
    """dos:add: ask for the files."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    activity = await _own_activity(update, context, callbacks.DOSSIER_ADD.value(query.data))
    if activity is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    DossierDraft(activity.activity_id).save(context)
    await context.bot.send_message(
        update.effective_chat.id,
        _(
            "Send the photos, flyers and documents for the dossier of {title}, one or several "
            "(documents up to {megabytes} MB); a caption is kept with each. Press Done when you "
            "have sent everything."
        ).format(title=esc(activity.title), megabytes=MAX_EVIDENCE_BYTES // (1024 * 1024)),
        reply_markup=_done_keyboard(),
    )
    return EVIDENCE


async def _adding_to(update: Update, context: KapstokContext) -> Activity | None:
    """The activity being added to, if the sender may still add to it; else end."""
    if not await require_approved_member(update, context):
        DossierDraft.drop(context)
        return None
    draft = DossierDraft.load(context)
    activity = await _own_activity(update, context, draft.activity_id if draft else None)
    if activity is None:
        DossierDraft.drop(context)
        await update.effective_message.reply_text(
            _("This activity is no longer your association's; nothing was added.")
        )
    return activity


async def _added(update: Update, context: KapstokContext, activity: Activity) -> None:
    counts = await context.store.evidence.counts(activity.activity_id)
    await update.message.reply_text(
        _("📎 Added to the dossier of {title}: {evidence}. Send more, or press Done.").format(
            title=esc(activity.title), evidence=evidence_text(counts)
        ),
        reply_markup=_done_keyboard(),
    )


async def add_photo(update: Update, context: KapstokContext) -> str | int:
    activity = await _adding_to(update, context)
    if activity is None:
        return ConversationHandler.END
    message = update.message
    photo = message.photo[-1]  # the largest size
    await context.store.evidence.add(
        activity.activity_id,
        activity.association_id,
        EvidenceKind.PHOTO,
        photo.file_id,
        photo.file_unique_id,
        added_by=context.profile.user_id,
        caption=(message.caption or "")[:MAX_CAPTION],
    )
    await _added(update, context, activity)
    return EVIDENCE


async def add_document(update: Update, context: KapstokContext) -> str | int:
    activity = await _adding_to(update, context)
    if activity is None:
        return ConversationHandler.END
    message = update.message
    document = message.document
    if evidence_too_large(document.file_size):
        await message.reply_text(
            _(
                "That file is {size} MB; the dossier takes documents up to {limit} MB. Send a "
                "smaller one, or press Done."
            ).format(
                size=i18n.format_decimal(document.file_size / (1024 * 1024), "#,##0.#"),
                limit=MAX_EVIDENCE_BYTES // (1024 * 1024),
            ),
            reply_markup=_done_keyboard(),
        )
        return EVIDENCE
    await context.store.evidence.add(
        activity.activity_id,
        activity.association_id,
        EvidenceKind.DOCUMENT,
        document.file_id,
        document.file_unique_id,
        added_by=context.profile.user_id,
        file_name=document.file_name,
        caption=(message.caption or "")[:MAX_CAPTION],
    )
    await _added(update, context, activity)
    return EVIDENCE


async def not_a_file(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(
        _("Please send a photo or a document (a PDF, a flyer), or press Done."),
        reply_markup=_done_keyboard(),
    )
    return EVIDENCE


async def done(update: Update, context: KapstokContext) -> int:
    """✅ Done: the dossier as it is now."""
    query = update.callback_query
    draft = DossierDraft.load(context)
    DossierDraft.drop(context)
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    activity = await _own_activity(update, context, draft.activity_id if draft else None)
    if activity is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer(_("Saved."))
    await show(
        query,
        await dossier_text(context, activity),
        await dossier_keyboard(context, activity, as_board=True),
    )
    return ConversationHandler.END


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    adding = ConversationHandler(
        name="dossier",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_adding, pattern=callbacks.DOSSIER_ADD.matches)],
        states={
            EVIDENCE: [
                MessageHandler(private & filters.PHOTO, add_photo),
                MessageHandler(private & filters.Document.ALL, add_document),
                MessageHandler(private & (TEXT | NOT_TEXT), not_a_file),
                CallbackQueryHandler(done, pattern=callbacks.DOSSIER_DONE.matches),
            ]
        },
        fallbacks=fallbacks(DossierDraft.KEY),
    )
    return [
        adding,
        CommandHandler("dossier", dossier_command, filters=where),
        CallbackQueryHandler(view, pattern=callbacks.DOSSIER.matches),
        CallbackQueryHandler(send_files, pattern=callbacks.DOSSIER_FILES.matches),
    ]
