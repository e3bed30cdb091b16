"""Introductions: a board member asks, from a directory entry, to be introduced to another
association, with a short note. Every board member of the other association gets it with
*Accept* and *Decline*; the first answer decides, and the others' copies say who decided. Only on
*Accept* do both boards get each other's contact, as each set it in its profile. An open request
expires after 14 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as telegram_filters

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import edit_row, message_row, queue
from bot.domain.associations import Association, AssociationStatus
from bot.domain.introductions import (
    MAX_NOTE,
    MAX_OPEN,
    OPEN_FOR,
    Introduction,
    IntroductionState,
    Refusal,
    Situation,
    is_open,
    may_answer,
    may_ask_again_on,
    note_refusal,
    refusal,
    state_at,
)
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.cooperation.contact import contact_html
from handlers.ui import esc, kind_label, no_longer_valid, require_approved_member, show
from storage.outbox import NewRow, OutboxRow

NOTE = "introduction.note"
TIMEOUT = timedelta(hours=24)
REQUEST = "introduction_request"  # the outbox kind: one board member's copy of a request
EXPIRE_EVERY_SECONDS = 3600


@dataclass
class IntroductionDraft(Draft):
    KEY = "introduction"
    association: int | None = None  # the association to be introduced to


# --- what the rules need, and what they answer -------------------------------------------------


async def _situation(context: KapstokContext, target: int) -> Situation:
    store, profile = context.store, context.profile
    asker = profile.association_id if profile is not None else None
    now = store.now()
    association = await store.associations.get(target)
    listed = (
        association is not None
        and association.status is AssociationStatus.APPROVED
        and await store.profiles.is_listed(target)
    )
    return Situation(
        asker_approved=profile is not None and profile.is_approved_member,
        asker=asker,
        target=target,
        target_listed=listed,
        open_asked=await store.introductions.open_asked(asker, now) if asker else 0,
        open_between=bool(asker) and await store.introductions.open_between(asker, target, now),
        last_declined_at=await store.introductions.last_declined(asker, target) if asker else None,
    )


async def _refusal_text(context: KapstokContext, situation: Situation, why: Refusal) -> str:
    """Why not, in words; an association that is not listed is not named."""
    if why is Refusal.NOT_LISTED:
        return _("That association is not in the directory (any more), so I cannot ask it.")
    target = await context.store.associations.get(situation.target)
    name = target.name if target is not None else "?"
    if why is Refusal.ALREADY_OPEN:
        return _(
            "There is already an open introduction request between {association} and your "
            "association. Its answer comes first; an unanswered request expires after {days} "
            "days."
        ).format(association=name, days=OPEN_FOR.days)
    if why is Refusal.TOO_MANY_OPEN:
        return _(
            "Your association has {count} introduction requests waiting for an answer, the most "
            "there can be at once. Ask again once one of them is answered or has expired."
        ).format(count=MAX_OPEN)
    if why is Refusal.DECLINED_RECENTLY:
        return _(
            "{association} declined your association's last request. You can ask them again "
            "from {date}."
        ).format(
            association=name,
            date=i18n.format_date(may_ask_again_on(situation.last_declined_at)),
        )
    return _("This button is no longer valid.")


# --- asking ------------------------------------------------------------------------------------


async def _tell(update: Update, context: KapstokContext, text: str) -> None:
    """Why not, as a message of its own: more room than an alert has, and it stays."""
    await update.callback_query.answer()
    await context.bot.send_message(context.profile.user_id, text)


async def start(update: Update, context: KapstokContext) -> str | int:
    """🤝 Ask for an introduction: if the rules allow it, ask for the note."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    target = callbacks.INTRO_ASK.value(query.data)
    situation = await _situation(context, target)
    why = refusal(situation, context.store.now())
    if why is Refusal.ITSELF or why is Refusal.NOT_A_MEMBER:
        await no_longer_valid(update)
        return ConversationHandler.END
    if why is not None:
        await _tell(update, context, esc(await _refusal_text(context, situation, why)))
        return ConversationHandler.END
    if await contact_html(context, context.profile.association_id) is None:
        await _tell(
            update,
            context,
            _(
                "Before you ask, set in your association's profile how other associations can "
                "reach you (/profile): that is what they get when they accept."
            ),
        )
        return ConversationHandler.END
    association = await context.store.associations.get(target)
    await query.answer()
    IntroductionDraft(target).save(context)
    await context.bot.send_message(
        context.profile.user_id,
        _(
            "🤝 You ask to be introduced to <b>{association}</b>. Write a short note for their "
            "board (at most {limit} characters): who you are, and what you would like to do "
            "together.\n\nThey get it with <i>Accept</i> and <i>Decline</i>. Only when they "
            "accept do both associations get each other's contact."
        ).format(association=esc(association.name), limit=MAX_NOTE)
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return NOTE


async def receive_note(update: Update, context: KapstokContext) -> str | int:
    """The note: checked, then the request goes to every board member of the other association."""
    if not await require_approved_member(update, context):
        IntroductionDraft.drop(context)
        return ConversationHandler.END
    draft = IntroductionDraft.load(context)
    if draft is None or draft.association is None:
        await update.message.reply_text(_("Stopped. Nothing was saved."))
        return ConversationHandler.END
    note = update.message.text
    problem = note_refusal(note)
    if problem is Refusal.NOTE_TOO_LONG:
        await update.message.reply_text(
            _(
                "That note is {length} characters long; the limit is {limit}. Please send a "
                "shorter one."
            ).format(length=len(note.strip()), limit=MAX_NOTE)
        )
        return NOTE
    if problem is not None:
        await update.message.reply_text(_note_again())
        return NOTE
    situation = await _situation(context, draft.association)
    why = refusal(situation, context.store.now())
    IntroductionDraft.drop(context)
    if why is not None:
        await update.message.reply_text(esc(await _refusal_text(context, situation, why)))
        return ConversationHandler.END
    store, profile = context.store, context.profile
    introduction = await store.introductions.create(
        profile.association_id, draft.association, note.strip(), profile.user_id
    )
    target = await store.associations.get(draft.association)
    await queue(
        context.application,
        [
            request_row(member.user_id, introduction.introduction_id)
            for member in await store.associations.board_members(draft.association)
        ],
    )
    await update.message.reply_text(
        _(
            "Your request is on its way to the board of {association}. I will let you know "
            "when they answer; a request without an answer expires after {days} days."
        ).format(association=esc(target.name), days=OPEN_FOR.days)
    )
    return ConversationHandler.END


def _note_again() -> str:
    return _("Please write your note as a text message, or /cancel.")


async def note_not_text(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(_note_again())
    return NOTE


# --- the request, as the other board gets it ---------------------------------------------------


def request_row(user_id: int, introduction_id: int) -> NewRow:
    return NewRow(user_id, REQUEST, {"introduction_id": introduction_id})


def request_text(introduction: Introduction, asker: Association) -> str:
    return _(
        "🤝 <b>{association}</b> ({kind}) would like to get to know your association.\n\n"
        "Their note:\n<i>{note}</i>\n\n"
        "If you accept, both associations get each other's contact, as each set it in its "
        "profile. If you decline, nothing is shared. The request expires on {date}."
    ).format(
        association=esc(asker.name),
        kind=esc(kind_label(asker.kind)),
        note=esc(introduction.note),
        date=i18n.format_date(introduction.expires_at),
    )


def request_keyboard(introduction_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Accept"),
                    callback_data=callbacks.INTRO_ACCEPT.data(introduction_id),
                ),
                InlineKeyboardButton(
                    pgettext("button", "❌ Decline"),
                    callback_data=callbacks.INTRO_DECLINE.data(introduction_id),
                ),
            ]
        ]
    )


async def _decision_line(context: KapstokContext, introduction: Introduction) -> str:
    """The last line of a copy once the request is no longer open."""
    state = state_at(introduction, context.store.now())
    if state is IntroductionState.EXPIRED:
        return _("⌛ This request expired on {date} without an answer.").format(
            date=i18n.format_date(introduction.expires_at)
        )
    user = (
        await context.store.users.get(introduction.decided_by) if introduction.decided_by else None
    )
    name = user.full_name if user is not None else _("(erased)")
    when = i18n.format_datetime(introduction.decided_at)
    if state is IntroductionState.ACCEPTED:
        return _("✅ Accepted by {name} on {date}.").format(name=esc(name), date=when)
    return _("❌ Declined by {name} on {date}.").format(name=esc(name), date=when)


async def copy_text(context: KapstokContext, introduction: Introduction) -> str:
    """A board member's copy of the request as it reads now, in the current language."""
    asker = await context.store.associations.get(introduction.from_association)
    text = request_text(introduction, asker)
    if is_open(introduction, context.store.now()):
        return text
    return f"{text}\n\n{await _decision_line(context, introduction)}"


def register_deliveries(outbox: Outbox, application: Application) -> None:
    async def render(row: OutboxRow) -> Delivery | None:
        context = KapstokContext(application)
        store = context.store
        introduction = await store.introductions.get(row.payload["introduction_id"])
        if introduction is None or not is_open(introduction, store.now()):
            return None  # decided or expired before this copy went: nothing to ask any more
        asker = await store.associations.get(introduction.from_association)
        language = await store.users.language_of(row.chat_id) or i18n.default_language()
        with i18n.use_language(language):
            text = request_text(introduction, asker)
            keyboard = request_keyboard(introduction.introduction_id)

        async def send():
            return await application.bot.send_message(row.chat_id, text, reply_markup=keyboard)

        async def sent(message) -> None:
            await store.introductions.add_message(
                introduction.introduction_id, row.chat_id, message.message_id
            )

        return Delivery(send, sent)

    outbox.register(REQUEST, render)


# --- answering ---------------------------------------------------------------------------------


async def _on_own_copy(update: Update, context: KapstokContext, introduction: Introduction) -> bool:
    """A request's buttons act only on the presser's own copy of that request."""
    message = update.callback_query.message
    if message is None or message.chat.id != context.profile.user_id:
        return False
    shown = await context.store.introductions.message_of(
        introduction.introduction_id, context.profile.user_id
    )
    return shown is not None and shown == message.message_id


async def answer(update: Update, context: KapstokContext) -> None:
    """*Accept* or *Decline*: the first answer of the board decides."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    accepted = callbacks.INTRO_ACCEPT.matches(query.data)
    button = callbacks.INTRO_ACCEPT if accepted else callbacks.INTRO_DECLINE
    store, profile = context.store, context.profile
    introduction = await store.introductions.get(button.value(query.data))
    if (
        introduction is None
        or not may_answer(introduction, profile.association_id)
        or not await _on_own_copy(update, context, introduction)
    ):
        await no_longer_valid(update)
        return
    if not is_open(introduction, store.now()) or not await store.introductions.decide(
        introduction.introduction_id, accepted, profile.user_id
    ):
        current = await store.introductions.get(introduction.introduction_id)
        await query.answer(_already_answered(current, store.now()), show_alert=True)
        await show(query, await copy_text(context, current))
        return
    decided = await store.introductions.get(introduction.introduction_id)
    await query.answer(_("Thank you, noted.") if accepted else _("Noted. Nothing is shared."))
    await show(query, await copy_text(context, decided))
    await _redraw_other_copies(context, decided)
    if accepted:
        await _introduce(context, decided)
    else:
        await _tell_declined(context, decided)


def _already_answered(introduction: Introduction, now) -> str:
    state = state_at(introduction, now)
    if state is IntroductionState.EXPIRED:
        return _("This request has expired.")
    if state is IntroductionState.ACCEPTED:
        return _("This request was already accepted by a fellow board member.")
    return _("This request was already declined by a fellow board member.")


async def _redraw_other_copies(context: KapstokContext, introduction: Introduction) -> None:
    """The other board members' copies lose their buttons and say who decided."""
    me = context.profile.user_id if context.profile is not None else None
    rows = []
    for user_id, message_id in await context.store.introductions.messages(
        introduction.introduction_id
    ):
        if user_id == me:
            continue
        language = await context.store.users.language_of(user_id) or i18n.default_language()
        with i18n.use_language(language):
            rows.append(edit_row(user_id, message_id, await copy_text(context, introduction)))
    await queue(context.application, rows)


async def _contact_line(context: KapstokContext, association: Association) -> str:
    contact = await contact_html(context, association.association_id)
    if contact is None:
        return _("{association} has not set a contact in its profile (any more).").format(
            association=esc(association.name)
        )
    return contact


async def _introduce(context: KapstokContext, introduction: Introduction) -> None:
    """Both boards get the other's contact, each in their own language."""
    store = context.store
    asker = await store.associations.get(introduction.from_association)
    asked = await store.associations.get(introduction.to_association)
    rows = []
    for member in await store.associations.board_members(asker.association_id):
        with i18n.use_language(member.language):
            text = _(
                "🤝 Good news: <b>{association}</b> accepted your association's introduction "
                "request. This is how to reach them:"
            ).format(association=esc(asked.name))
            rows.append(
                message_row(member.user_id, f"{text}\n\n{await _contact_line(context, asked)}")
            )
    for member in await store.associations.board_members(asked.association_id):
        with i18n.use_language(member.language):
            text = _(
                "🤝 Your association and <b>{association}</b> are introduced. This is how to "
                "reach them:"
            ).format(association=esc(asker.name))
            rows.append(
                message_row(member.user_id, f"{text}\n\n{await _contact_line(context, asker)}")
            )
    await queue(context.application, rows)


async def _tell_declined(context: KapstokContext, introduction: Introduction) -> None:
    """The asker's board hears it kindly; nothing of the other is shared."""
    store = context.store
    asked = await store.associations.get(introduction.to_association)
    rows = []
    for member in await store.associations.board_members(introduction.from_association):
        with i18n.use_language(member.language):
            rows.append(
                message_row(
                    member.user_id,
                    _(
                        "{association} cannot take up your association's introduction request "
                        "at the moment. Thank you for reaching out: the directory has other "
                        "associations that may be glad to hear from you."
                    ).format(association=esc(asked.name)),
                )
            )
    await queue(context.application, rows)


# --- expiry ------------------------------------------------------------------------------------


async def expire_introductions(context: KapstokContext) -> int:
    """Requests open for 14 days without an answer expire: the asker's board is told, and the
    copies lose their buttons. Returns how many expired."""
    store = context.store
    async with store.transaction():
        expired = await store.introductions.expire_due()
        for introduction in expired:
            await _redraw_other_copies(context, introduction)
            asked = await store.associations.get(introduction.to_association)
            rows = []
            for member in await store.associations.board_members(introduction.from_association):
                with i18n.use_language(member.language):
                    rows.append(
                        message_row(
                            member.user_id,
                            _(
                                "⌛ Your association's introduction request to {association} "
                                "got no answer within {days} days and has expired. You can ask "
                                "again from the directory."
                            ).format(association=esc(asked.name), days=OPEN_FOR.days),
                        )
                    )
            await queue(context.application, rows)
    return len(expired)


async def expire_job(context: KapstokContext) -> None:
    await expire_introductions(context)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(
        expire_job, EXPIRE_EVERY_SECONDS, first=60, name="introductions-expiry"
    )


# --- the handlers ------------------------------------------------------------------------------


def build_handlers() -> list:
    private = telegram_filters.ChatType.PRIVATE
    asking = ConversationHandler(
        name="introduction",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start, pattern=callbacks.INTRO_ASK.matches)],
        states={
            NOTE: [
                MessageHandler(private & TEXT, receive_note),
                MessageHandler(private & NOT_TEXT, note_not_text),
            ]
        },
        fallbacks=fallbacks(IntroductionDraft.KEY),
    )
    return [
        asking,
        CallbackQueryHandler(
            answer,
            pattern=lambda data: (
                callbacks.INTRO_ACCEPT.matches(data) or callbacks.INTRO_DECLINE.matches(data)
            ),
        ),
    ]
