"""/call: a board member publishes a call (oproep) to other associations: what for, a text with
an optional photo, the kinds of association it is for, until when; a preview, then it goes
through the outbox to the boards of listed, approved associations of those kinds that did not
turn calls off, and into the association's topic in the liaison group."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel import dates as babel_dates
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
from bot.deliveries import queue
from bot.domain.associations import AssociationKind
from bot.domain.audience import Audience
from bot.domain.calls import (
    ALL_KINDS,
    DAY_CHOICES,
    DEFAULT_DAYS,
    MAX_DAYS,
    MAX_OPEN,
    MAX_TEXT,
    Purpose,
    UntilRefusal,
    kinds_from_text,
    kinds_to_text,
    may_publish,
    parse_until,
    toggled,
    until_after,
)
from bot.domain.preferences import Kind
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.cooperation import call_deliveries
from handlers.cooperation.call_text import (
    call_body,
    call_header,
    kinds_text,
    purpose_label,
    send_with_photo,
    text_and_photo,
)
from handlers.ui import (
    esc,
    kind_label,
    no_longer_valid,
    refuse,
    reply,
    require_approved_member,
    show,
)
from storage.audience import Recipient

PURPOSE, TEXT_STEP, KINDS, UNTIL, PREVIEW = (
    "call.purpose",
    "call.text",
    "call.kinds",
    "call.until",
    "call.preview",
)
TIMEOUT = timedelta(hours=24)


@dataclass
class CallDraft(Draft):
    KEY = "call"
    purpose: str | None = None
    text: str = ""
    file_id: str | None = None
    kinds: str = field(default_factory=lambda: kinds_to_text(ALL_KINDS))
    until: str | None = None  # its last day, YYYY-MM-DD


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


async def _still_member(update: Update, context: KapstokContext) -> bool:
    if context.profile is not None and context.profile.is_approved_member:
        return True
    CallDraft.drop(context)
    await require_approved_member(update, context)
    return False


async def _draft_of(update: Update, context: KapstokContext) -> CallDraft | None:
    """The call being written, if its writer is still a board member and it still exists (a
    button of a finished one says it is no longer valid)."""
    if not await _still_member(update, context):
        return None
    draft = CallDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
    return draft


def _too_many() -> str:
    return _(
        "Your association has {count} open calls, the most there can be at once. Close one "
        "with /calls first."
    ).format(count=MAX_OPEN)


async def _may_publish(context: KapstokContext) -> bool:
    store = context.store
    open_calls = await store.calls.open_count(
        context.profile.association_id, today(store, context.config)
    )
    return may_publish(open_calls)


async def recipients(
    context: KapstokContext, association_id: int, kinds: frozenset[AssociationKind]
) -> list[Recipient]:
    """The board members a call of this association for these kinds goes to now: of listed,
    approved associations of those kinds (not its own), who did not turn calls off."""
    store = context.store
    listed = {profile.association_id for profile in await store.profiles.listed(kinds=kinds)}
    listed.discard(association_id)
    if not listed:
        return []
    return await store.audience.recipients(
        Audience(kinds=kinds), Kind.CALLS, today(store, context.config), only_associations=listed
    )


# --- what for ----------------------------------------------------------------------------------


def _purpose_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(purpose_label(purpose), callbacks.CALL_PURPOSE.data(purpose.value))]
            for purpose in Purpose
        ]
    )


async def start(update: Update, context: KapstokContext) -> str | int:
    """/call, or 📢 on kapstok 3's page: what is the call for?"""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    if not await _may_publish(context):
        await refuse(update, _too_many())
        return ConversationHandler.END
    CallDraft().save(context)
    text = (
        _(
            "📢 A call to other associations: for partners, volunteers, gear or a venue. It "
            "goes to the boards of the associations in the directory that want calls. What is "
            "your call for?"
        )
        + "\n\n"
        + _("You can stop at any time with /cancel.")
    )
    await reply(update, text, _purpose_keyboard())
    return PURPOSE


async def choose_purpose(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    draft.purpose = callbacks.CALL_PURPOSE.value(query.data)
    draft.save(context)
    await query.answer()
    await show(
        query,
        f"<b>{esc(purpose_label(Purpose(draft.purpose)))}</b>" + "\n\n" + _ask_text(),
    )
    return TEXT_STEP


def _ask_text() -> str:
    return _(
        "Write your call (at most {limit} characters): what you look for, when, and what you "
        "offer in return. You may send a photo with the text as its caption."
    ).format(limit=MAX_TEXT)


# --- the text ----------------------------------------------------------------------------------


async def receive_text(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    draft = CallDraft.load(context)
    if draft is None or draft.purpose is None:
        await update.message.reply_text(_("Stopped. Nothing was saved."))
        return ConversationHandler.END
    written = await text_and_photo(update.message, MAX_TEXT, _text_again())
    if written is None:
        return TEXT_STEP
    draft.text, draft.file_id = written
    draft.save(context)
    await context.bot.send_message(
        context.profile.user_id,
        _kinds_text(draft),
        reply_markup=_kinds_keyboard(kinds_from_text(draft.kinds)),
    )
    return KINDS


def _text_again() -> str:
    return _(
        "Please send your call as a text, or as a photo with the text as its caption; or /cancel."
    )


async def not_a_text(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(_text_again())
    return TEXT_STEP


# --- for which kinds of association ------------------------------------------------------------


def _mark(on: bool) -> str:
    return "✅ " if on else "▫️ "


def _kinds_text(draft: CallDraft) -> str:
    kinds = kinds_from_text(draft.kinds)
    now = kinds_text(kinds) if kinds else _("no kind chosen yet")
    return (
        _(
            "Which kinds of association is your call for? Tap a kind to take it out or put it "
            "back; then press Next."
        )
        + "\n\n"
        + _("For now: {kinds}.").format(kinds=now)
    )


def _kinds_keyboard(kinds: frozenset[AssociationKind]) -> InlineKeyboardMarkup:
    buttons = [
        _button(_mark(kind in kinds) + kind_label(kind), callbacks.CALL_KIND.data(kind.value))
        for kind in AssociationKind
    ]
    return InlineKeyboardMarkup(
        [
            [_button(pgettext("button", "Every kind"), callbacks.CALL_ALL_KINDS.data())],
            *[buttons[i : i + 2] for i in range(0, len(buttons), 2)],
            [_button(pgettext("button", "Next ▶"), callbacks.CALL_KINDS_DONE.data())],
        ]
    )


async def toggle_kind(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    if callbacks.CALL_ALL_KINDS.matches(query.data):
        kinds = ALL_KINDS
    else:
        kind = AssociationKind(callbacks.CALL_KIND.value(query.data))
        kinds = toggled(kinds_from_text(draft.kinds), kind)
    draft.kinds = kinds_to_text(kinds)
    draft.save(context)
    await query.answer()
    await show(query, _kinds_text(draft), _kinds_keyboard(kinds))
    return KINDS


async def kinds_done(update: Update, context: KapstokContext) -> str | int:
    """Next: at least one kind, and someone of those kinds to get it; then until when?"""
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    kinds = kinds_from_text(draft.kinds)
    if not kinds:
        await query.answer(
            _("Choose at least one kind of association for your call."), show_alert=True
        )
        return KINDS
    if not await recipients(context, context.profile.association_id, kinds):
        await query.answer(
            _(
                "No association of these kinds in the directory can get a call now. Choose "
                "other kinds, or try again later."
            ),
            show_alert=True,
        )
        return KINDS
    await query.answer()
    await show(query, _("For: {kinds}.").format(kinds=kinds_text(kinds)))
    await context.bot.send_message(
        context.profile.user_id, _until_question(context), reply_markup=_until_keyboard()
    )
    return UNTIL


# --- until when ---------------------------------------------------------------------------------


def _day(context: KapstokContext) -> date:
    return today(context.store, context.config)


def _until_question(context: KapstokContext) -> str:
    day = _day(context)
    return _(
        "Until when is your call open? Choose, or type its last day, like {example} (at most "
        "{days} days from today). Without a choice it is open for {default} days."
    ).format(
        example=_example(day),
        days=MAX_DAYS,
        default=DEFAULT_DAYS,
    )


def _example(day: date) -> str:
    """A date 14 days ahead, written the way the user's locale writes dates in figures."""
    locale = i18n.babel_locale()
    pattern = re.sub("y+", "y", babel_dates.get_date_format("short", locale=locale).pattern)
    return babel_dates.format_date(day + timedelta(days=14), pattern, locale=locale)


def _until_keyboard() -> InlineKeyboardMarkup:
    labels = {
        7: lambda: pgettext("button", "7 days"),
        30: lambda: pgettext("button", "30 days"),
        90: lambda: pgettext("button", "90 days"),
    }
    return InlineKeyboardMarkup(
        [[_button(labels[days](), callbacks.CALL_DAYS.data(days)) for days in DAY_CHOICES]]
    )


async def choose_days(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    draft = await _draft_of(update, context)
    if draft is None:
        return ConversationHandler.END
    until = until_after(_day(context), int(callbacks.CALL_DAYS.value(query.data)))
    draft.until = until.isoformat()
    draft.save(context)
    await query.answer()
    await show(query, _("Open until {date}.").format(date=i18n.format_day(until)))
    return await _preview(update, context, draft)


async def receive_until(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    draft = CallDraft.load(context)
    if draft is None:
        await update.message.reply_text(_("Stopped. Nothing was saved."))
        return ConversationHandler.END
    day = _day(context)
    until = parse_until(update.message.text, day, i18n.babel_locale())
    if isinstance(until, UntilRefusal):
        answer = {
            UntilRefusal.PAST: lambda: _(
                "That day has already passed. Type a date from today on, like {example}."
            ),
            UntilRefusal.TOO_FAR: lambda: _(
                "A call is open for at most {days} days: until {last} at the latest. Type an "
                "earlier date, like {example}."
            ),
            UntilRefusal.UNREADABLE: lambda: _(
                "I cannot use that as a date. Type a date like {example}, or choose below."
            ),
        }[until]()
        await update.message.reply_text(
            answer.format(
                example=_example(day),
                days=MAX_DAYS,
                last=i18n.format_day(day + timedelta(days=MAX_DAYS)),
            ),
            reply_markup=_until_keyboard(),
        )
        return UNTIL
    draft.until = until.isoformat()
    draft.save(context)
    return await _preview(update, context, draft)


async def until_not_text(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(
        _("Please type the date as a text message, like {example}, or choose below.").format(
            example=_example(_day(context))
        ),
        reply_markup=_until_keyboard(),
    )
    return UNTIL


# --- the preview, and publishing ---------------------------------------------------------------


async def _preview(update: Update, context: KapstokContext, draft: CallDraft) -> str:
    """The call exactly as the boards will see it, how many it reaches, and *Publish*."""
    store, profile = context.store, context.profile
    chat = profile.user_id
    association = await store.associations.get(profile.association_id)
    until = date.fromisoformat(draft.until)
    kinds = kinds_from_text(draft.kinds)
    found = await recipients(context, profile.association_id, kinds)
    await context.bot.send_message(chat, _("This is how the boards will see your call:"))
    await send_with_photo(
        context.bot,
        chat,
        call_header(association, Purpose(draft.purpose), until),
        call_body(draft.text),
        draft.file_id,
        None,
    )
    associations = len({r.association_id for r in found})
    summary = ngettext(
        "It goes to {members} board member of {associations} association(s) ({kinds}).",
        "It goes to {members} board members of {associations} association(s) ({kinds}).",
        len(found),
    ).format(members=len(found), associations=associations, kinds=kinds_text(kinds))
    summary += "\n" + _(
        "Their answers reach your board. The call also appears in the municipality's liaison group."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [_button(pgettext("button", "📢 Publish"), callbacks.CALL_PUBLISH.data())],
            [_button(pgettext("button", "Cancel"), callbacks.CALL_DISCARD.data())],
        ]
    )
    await context.bot.send_message(chat, summary, reply_markup=keyboard)
    return PREVIEW


async def publish(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    draft = CallDraft.load(context)
    if draft is None or draft.purpose is None or draft.until is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    if not await _may_publish(context):
        await query.answer(_too_many(), show_alert=True)
        return PREVIEW
    store, profile = context.store, context.profile
    kinds = kinds_from_text(draft.kinds)
    found = await recipients(context, profile.association_id, kinds)
    if not found:
        await query.answer(
            _("No association of these kinds in the directory can get a call now."),
            show_alert=True,
        )
        return PREVIEW
    await query.answer()
    call = await store.calls.create(
        association_id=profile.association_id,
        purpose=Purpose(draft.purpose),
        text=draft.text,
        file_id=draft.file_id,
        kinds=kinds,
        until=date.fromisoformat(draft.until),
        created_by=profile.user_id,
    )
    await store.calls.set_recipients(call.call_id, len(found))
    await queue(
        context.application,
        [
            *(call_deliveries.call_row(r.user_id, call) for r in found),
            call_deliveries.topic_row(context.config.liaison_chat_id, call.call_id),
        ],
    )
    CallDraft.drop(context)
    await show(
        query,
        ngettext(
            "📢 Your call #{number} is on its way to {count} board member. Their answers "
            "reach your board; /calls shows them, and closes the call.",
            "📢 Your call #{number} is on its way to {count} board members. Their answers "
            "reach your board; /calls shows them, and closes the call.",
            len(found),
        ).format(number=call.call_id, count=len(found)),
    )
    return ConversationHandler.END


async def discard(update: Update, context: KapstokContext) -> int:
    CallDraft.drop(context)
    query = update.callback_query
    await query.answer()
    await show(query, _("Stopped. Nothing was saved."))
    return ConversationHandler.END


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    photo = filters.UpdateType.MESSAGE & filters.PHOTO & private
    composing = ConversationHandler(
        name="call",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CommandHandler("call", start, filters=private),
            CallbackQueryHandler(start, pattern=callbacks.CALL_NEW.matches),
        ],
        states={
            PURPOSE: [CallbackQueryHandler(choose_purpose, pattern=callbacks.CALL_PURPOSE.matches)],
            TEXT_STEP: [
                MessageHandler(private & TEXT, receive_text),
                MessageHandler(photo, receive_text),
                MessageHandler(private & NOT_TEXT, not_a_text),
            ],
            KINDS: [
                CallbackQueryHandler(
                    toggle_kind,
                    pattern=lambda data: (
                        callbacks.CALL_KIND.matches(data) or callbacks.CALL_ALL_KINDS.matches(data)
                    ),
                ),
                CallbackQueryHandler(kinds_done, pattern=callbacks.CALL_KINDS_DONE.matches),
            ],
            UNTIL: [
                MessageHandler(private & TEXT, receive_until),
                MessageHandler(private & NOT_TEXT, until_not_text),
                CallbackQueryHandler(choose_days, pattern=callbacks.CALL_DAYS.matches),
            ],
            PREVIEW: [
                CallbackQueryHandler(publish, pattern=callbacks.CALL_PUBLISH.matches),
                CallbackQueryHandler(discard, pattern=callbacks.CALL_DISCARD.matches),
            ],
        },
        fallbacks=fallbacks(CallDraft.KEY),
    )
    return [composing]
