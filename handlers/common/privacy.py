"""The user's own data: /mydata shows everything stored about them, /forgetme erases it.

Forgetting erases the person from the database (Store.forget_person) and then draws again, in
the liaison group, what Kapstok showed of them and can still edit: the thread cards and the
passed-on messages (drawn from the database, where the name is gone), the association cards
(the ASSOCIATION_CARD_REDRAW outbox kind) and the notices it sent (with their name replaced).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import MESSAGE, edit_row, queue
from bot.domain.associations import Association, AssociationStatus
from bot.domain.preferences import Kind
from bot.domain.privacy import Forgotten, PersonalData
from bot.i18n import _, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.bulk import kind_name
from handlers.threads import rows
from handlers.threads.relay import propagate_edit, refresh_card
from handlers.ui import esc, kind_label, show
from storage.outbox import NewRow, OutboxRow

# The user_data key of a registration in progress, which /mydata shows.
REGISTRATION_DRAFT = "registration"


def _status_label(status: AssociationStatus) -> str:
    return {
        AssociationStatus.PENDING: pgettext("status", "waiting for confirmation"),
        AssociationStatus.APPROVED: pgettext("status", "confirmed"),
        AssociationStatus.REJECTED: pgettext("status", "not confirmed"),
    }[status]


def personal_data_text(data: PersonalData, draft: dict | None) -> str:
    """Everything Kapstok stores about this user, in words."""
    lines = [
        _("<b>What Kapstok stores about you</b>"),
        "",
        _("Telegram user id: {id}").format(id=data.user_id),
        _("Name: {name}").format(name=esc(data.full_name)),
    ]
    if data.username:
        lines.append(_("Username: @{username}").format(username=esc(data.username)))
    lines += [
        _("Language: {language}").format(language=i18n.LANGUAGE_NAMES[data.language]),
        _("First contact: {date}").format(date=i18n.format_datetime(data.first_contact)),
    ]
    if data.association is not None:
        lines.append(
            _("Board member of {association} ({kind}, {status}) since {date}").format(
                association=esc(data.association.name),
                kind=kind_label(data.association.kind),
                status=_status_label(data.association.status),
                date=i18n.format_date(data.joined_at),
            )
        )
    else:
        lines.append(_("Board member of: no association"))
    if data.registered_associations:
        lines.append(
            _("Associations you registered: {names}").format(
                names=esc(", ".join(data.registered_associations))
            )
        )
    if data.invite_codes:
        used = sum(1 for code in data.invite_codes if code.used_at is not None)
        lines.append(
            i18n.ngettext(
                "Invite codes you created: {count} ({used} used)",
                "Invite codes you created: {count} ({used} used)",
                len(data.invite_codes),
            ).format(count=len(data.invite_codes), used=used)
        )
    if data.wrong_code_attempts:
        lines.append(
            _("Wrong invite codes you entered: {count}").format(count=data.wrong_code_attempts)
        )
    if data.thread_messages:
        lines.append(
            _(
                "Messages you wrote in questions to the municipality: {count} (in {threads} "
                "questions)"
            ).format(count=data.thread_messages, threads=data.threads)
        )
    if data.threads_closed:
        lines.append(_("Questions you closed: {count}").format(count=data.threads_closed))
    if data.liaison_since is not None:
        lines.append(
            _("Liaison officer since {date}").format(date=i18n.format_date(data.liaison_since))
        )
    if data.threads_owned:
        lines.append(
            _("Questions you own as a liaison officer: {count}").format(count=data.threads_owned)
        )
    if data.decided_associations:
        lines.append(
            _("Associations you approved or rejected: {names}").format(
                names=esc(", ".join(data.decided_associations))
            )
        )
    if data.snippets:
        lines.append(_("Snippets you created: {count}").format(count=data.snippets))
    if data.liaisons_appointed:
        lines.append(
            _("Liaison officers you appointed: {count}").format(count=data.liaisons_appointed)
        )
    if data.messages_off:
        lines.append(
            _("Messages you turned off: {kinds}").format(
                kinds=", ".join(kind_name(Kind(kind)) for kind in data.messages_off)
            )
        )
    if data.paused_until is not None:
        lines.append(
            _("Optional messages paused until {date}").format(
                date=i18n.format_day(data.paused_until)
            )
        )
    if data.barometer_answers:
        lines.append(
            _("Barometer answers you sent for your association: {count}").format(
                count=data.barometer_answers
            )
        )
    if data.broadcasts:
        lines.append(_("Broadcasts you wrote: {count}").format(count=data.broadcasts))
    if data.schedules:
        lines.append(_("Schedules you made: {count}").format(count=data.schedules))
    if data.contact_typed:
        lines.append(
            _("The contact you gave in your association's profile: {contact}").format(
                contact=esc(data.contact_typed)
            )
        )
    if data.for_the_association:
        lines.append(
            _(
                "For your association: {introductions} introduction(s) asked, {calls} call(s) "
                "published, {answers} call(s) answered, {activities} activity(ies) planned, "
                "{partnering} partner answer(s) given"
            ).format(
                introductions=data.introductions,
                calls=data.calls,
                answers=data.call_answers,
                activities=data.activities,
                partnering=data.activity_answers,
            )
        )
    if draft:
        lines.append(
            _("An unfinished registration: {name}").format(name=esc(draft.get("name", "…")))
        )
    lines += ["", *what_stays(data)]
    return "\n".join(lines)


def what_stays(data: PersonalData) -> list[str]:
    """What /forgetme erases, and what stays by design (without the name): said beforehand."""
    erased = _("(erased)")
    if not data.something_stays:
        lines = [_("/forgetme erases all of this.")]
    else:
        lines = [_("/forgetme erases all of this, except what stays without your name or user id:")]
    if data.thread_messages:
        lines.append(
            _(
                "• the messages you wrote in questions ({count}): they stay with the questions "
                "of the association, shown as written by {erased}"
            ).format(count=data.thread_messages, erased=erased)
        )
    if data.registered_associations:
        lines.append(
            _("• the associations you registered: {names}").format(
                names=esc(", ".join(data.registered_associations))
            )
        )
    if data.decided_associations:
        lines.append(
            _(
                "• your decisions on associations ({names}): approved or rejected, when and why, "
                "as the municipality's record"
            ).format(names=esc(", ".join(data.decided_associations)))
        )
    if data.snippets:
        lines.append(
            _("• the snippets you created ({count}), for the other liaison officers").format(
                count=data.snippets
            )
        )
    if data.barometer_answers:
        lines.append(
            _("• the barometer answers you sent ({count}): they are your association's").format(
                count=data.barometer_answers
            )
        )
    if data.for_the_association:
        lines.append(
            _(
                "• the introductions, calls, answers and activities you made for your "
                "association: they are your association's"
            )
        )
    if data.broadcasts or data.schedules:
        lines.append(
            _(
                "• the broadcasts ({broadcasts}) and schedules ({schedules}) you made, as the "
                "municipality's record"
            ).format(broadcasts=data.broadcasts, schedules=data.schedules)
        )
    lines.append(
        _(
            "Kapstok's own messages in the liaison group that name you (cards, passed-on "
            "messages, notices) then show {erased} instead. What you sent yourself stays in "
            "Telegram, where you can delete it."
        ).format(erased=erased)
    )
    return lines


async def mydata(update: Update, context: KapstokContext) -> None:
    """/mydata: what is stored about the user."""
    data = await context.store.personal_data(context.profile.user_id)
    text = personal_data_text(data, context.user_data.get(REGISTRATION_DRAFT))
    await update.effective_message.reply_text(text)


async def forgetme(update: Update, context: KapstokContext) -> None:
    """/forgetme: ask for confirmation first."""
    await update.effective_message.reply_text(
        _(
            "This erases everything Kapstok stores about you: your name, username and user id, "
            "your language, your membership of your association and your invite codes. What you "
            "wrote in questions, the associations you registered and the decisions you took "
            "stay, without your name (/mydata lists them). Are you sure?"
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "Yes, erase my data"),
                        callback_data=callbacks.FORGET_CONFIRM.data(),
                    )
                ],
                [
                    InlineKeyboardButton(
                        pgettext("button", "No, keep it"),
                        callback_data=callbacks.FORGET_KEEP.data(),
                    )
                ],
            ]
        ),
    )


async def confirm_forget(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    user_id = query.from_user.id
    with i18n.use_language(context.config.default_language):
        erased = _("(erased)")
    forgotten = await context.store.forget_person(user_id, erased=erased, handling=update.update_id)
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(user_id)  # their private chat
    # Conversations they were in (in any chat) take no more of their answers; their states in
    # the database are gone already.
    context.bot_data.conversations_ended.add(user_id)
    await draw_again(context, forgotten)
    await query.answer()
    await show(
        query,
        _(
            "Done: everything Kapstok stored about you is erased. If you write to me again, "
            "we start anew."
        ),
    )


async def draw_again(context: KapstokContext, forgotten: Forgotten) -> None:
    """Queue the edits that take the person's name out of what Kapstok showed in the liaison
    group: every copy of what they wrote, the cards of their threads and associations, and the
    notices that named them. Each is drawn when sent, from the database as it is then."""
    store = context.store
    for message_id in forgotten.messages:
        message = await store.threads.message(message_id)
        if message is not None:
            await propagate_edit(context, message)
    for thread_id in forgotten.threads:
        thread = await store.threads.thread(thread_id)
        if thread is not None and thread.card_message_id is not None:
            await refresh_card(context, thread)
    group = context.config.liaison_chat_id
    queued: list[NewRow] = []
    for association_id in forgotten.associations:
        association = await store.associations.get(association_id)
        if association is not None and association.card_chat_id is not None:
            queued.append(association_card_redraw(association.card_chat_id, association_id))
    for sent in forgotten.sent_texts:
        if sent.chat_id == group and sent.kind in (MESSAGE, rows.TOPIC_NOTICE):
            keyboard = (
                InlineKeyboardMarkup.de_json(sent.keyboard, context.bot) if sent.keyboard else None
            )
            queued.append(edit_row(sent.chat_id, sent.message_id, sent.text, keyboard))
    await queue(context.application, queued)


# --- the association card, drawn again ---------------------------------------------------------

ASSOCIATION_CARD_REDRAW = "association_card_redraw"

CardText = Callable[[Association], str]
CardKeyboard = Callable[[Association], InlineKeyboardMarkup | None]


def association_card_redraw(chat_id: int, association_id: int) -> NewRow:
    return NewRow(
        chat_id,
        ASSOCIATION_CARD_REDRAW,
        {"association_id": association_id},
        coalesce_key=f"association_card:{association_id}",
        ordered=False,
    )


def register_deliveries(
    outbox: Outbox, application: Application, card_text: CardText, card_keyboard: CardKeyboard
) -> None:
    """The association card drawn again as it is now (a forgotten person's name erased), with
    the card's own text and keyboard (handlers/associations/approval.py)."""

    async def render(row: OutboxRow) -> Delivery | None:
        store = application.bot_data.store
        association = await store.associations.get(row.payload["association_id"])
        if association is None or association.card_message_id is None:
            return None

        async def send():
            current = await store.associations.get(association.association_id)
            with i18n.use_language(application.bot_data.config.default_language):
                shown = replace(current, decided_by_name=current.decided_by_name or _("(erased)"))
                text, keyboard = card_text(shown), card_keyboard(shown)
            try:
                return await application.bot.edit_message_text(
                    text,
                    chat_id=current.card_chat_id,
                    message_id=current.card_message_id,
                    reply_markup=keyboard,
                )
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    return None
                raise

        return Delivery(send, message=False)

    outbox.register(ASSOCIATION_CARD_REDRAW, render)


async def keep_data(update: Update, context: KapstokContext) -> None:
    await update.callback_query.answer()
    await show(update.callback_query, _("Good, nothing was erased."))


async def erase_and_end(update: Update, context: KapstokContext) -> int:
    """ "Yes, erase my data" pressed during a conversation: erase, and the conversation ends."""
    await confirm_forget(update, context)
    return ConversationHandler.END


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("mydata", mydata, filters=private),
        CommandHandler("forgetme", forgetme, filters=private),
        CallbackQueryHandler(confirm_forget, pattern=callbacks.FORGET_CONFIRM.matches),
        CallbackQueryHandler(keep_data, pattern=callbacks.FORGET_KEEP.matches),
    ]
