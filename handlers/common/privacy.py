"""The user's own data: /mydata shows everything stored about them, /forgetme erases it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.associations import AssociationStatus
from bot.domain.privacy import PersonalData
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.ui import esc, kind_label, show

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
            i18n.ngettext(
                "Messages you wrote in questions to the municipality: {count} (in {threads} "
                "threads; they stay with your association, without your name, if you erase "
                "your data)",
                "Messages you wrote in questions to the municipality: {count} (in {threads} "
                "threads; they stay with your association, without your name, if you erase "
                "your data)",
                data.thread_messages,
            ).format(count=data.thread_messages, threads=data.threads)
        )
    if data.liaison_since is not None:
        lines.append(
            _("Liaison officer since {date}").format(date=i18n.format_date(data.liaison_since))
        )
    if draft:
        lines.append(
            _("An unfinished registration: {name}").format(name=esc(draft.get("name", "…")))
        )
    lines += ["", _("/forgetme erases all of this.")]
    return "\n".join(lines)


async def mydata(update: Update, context: KapstokContext) -> None:
    """/mydata: what is stored about the user."""
    data = await context.store.personal_data(context.profile.user_id)
    text = personal_data_text(data, context.user_data.get(REGISTRATION_DRAFT))
    await update.effective_message.reply_text(text)


async def forgetme(update: Update, context: KapstokContext) -> None:
    """/forgetme: ask for confirmation first."""
    await update.effective_message.reply_text(
        _(
            "This erases everything Kapstok stores about you: your name, your language, your "
            "membership of your association and your invite codes. Associations you registered "
            "stay, without your name. Are you sure?"
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
    await context.store.forget_person(user_id)
    context.application.drop_user_data(user_id)
    await query.answer()
    await show(
        query,
        _(
            "Done: everything Kapstok stored about you is erased. If you write to me again, "
            "we start anew."
        ),
    )


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
