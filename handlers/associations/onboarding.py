"""Joining Kapstok: register a new association, or join one with an invite code."""

from __future__ import annotations

import logging
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
from bot.deliveries import message_row, queue
from bot.domain.associations import AssociationKind, Redemption, RedemptionOutcome, name_key
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.associations import approval
from handlers.common.privacy import REGISTRATION_DRAFT
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.ui import esc, kind_label, refuse, send_menu, show
from storage import AlreadyBoardMember, DuplicateAssociationName

log = logging.getLogger(__name__)

NAME, KIND, DESCRIPTION, CODE = (
    "onboarding.name",
    "onboarding.kind",
    "onboarding.description",
    "onboarding.code",
)
MAX_NAME = 100
MAX_DESCRIPTION = 1000
TIMEOUT = timedelta(hours=24)

_SPACES = re.compile(r"\s+")


@dataclass
class Registration(Draft):
    """An association being registered: its name, then its kind."""

    KEY = REGISTRATION_DRAFT
    name: str | None = None
    kind: str | None = None


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _kind_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(kind_label(kind), callback_data=callbacks.KIND.data(kind.value))]
            for kind in AssociationKind
        ]
    )


async def _refuse_if_member(update: Update, context: KapstokContext) -> bool:
    profile = context.profile
    if profile.association_id is None:
        return False
    await refuse(
        update,
        _(
            "You are already a board member of {association}. To start or join another "
            "association, leave this one first with /leave."
        ).format(association=esc(profile.association_name)),
    )
    return True


# --- registering a new association -------------------------------------------------------


async def start_registration(update: Update, context: KapstokContext) -> str | int:
    """Ask for the association's name."""
    if await _refuse_if_member(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    Registration().save(context)
    await show(
        update.callback_query,
        _(
            "Let's register your association. What is its name? "
            "Send it as a message (at most {limit} characters)."
        ).format(limit=MAX_NAME)
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return NAME


async def receive_name(update: Update, context: KapstokContext) -> str:
    """Check the name (length, not yet registered), then ask for the kind."""
    name = _one_line(update.message.text)
    if not name_key(name):
        # Only spaces, punctuation or invisible characters: nothing to recognise it by.
        await update.message.reply_text(_("Please send the name of your association."))
        return NAME
    if len(name) > MAX_NAME:
        await update.message.reply_text(
            _(
                "That name is {length} characters long; the limit is {limit}. "
                "Please send a shorter name."
            ).format(length=len(name), limit=MAX_NAME)
        )
        return NAME
    existing = await context.store.associations.find_by_name(name)
    if existing is not None:
        await update.message.reply_text(
            _(
                "<b>{association}</b> is already registered with Kapstok. If you are on its "
                "board, ask one of its board members for an invite code (they send /invite) "
                "and enter it here. Is yours another association? Then send its name."
            ).format(association=esc(existing.name)),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            pgettext("button", "I have an invite code"),
                            callback_data=callbacks.ENTER_CODE.data(),
                        )
                    ]
                ]
            ),
        )
        return NAME
    draft = Registration.load(context) or Registration()
    draft.name = name
    draft.save(context)
    await update.message.reply_text(
        _("What kind of association is <b>{association}</b>?").format(association=esc(name)),
        reply_markup=_kind_keyboard(),
    )
    return KIND


async def receive_kind(update: Update, context: KapstokContext) -> str:
    """Remember the kind chosen with a button, then ask for a description."""
    query = update.callback_query
    draft = Registration.load(context)
    if draft is None or draft.name is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return KIND
    await query.answer()
    kind = AssociationKind(callbacks.KIND.value(query.data))
    draft.kind = kind.value
    draft.save(context)
    await show(
        query,
        _("Kind: {kind}").format(kind=esc(kind_label(kind)))
        + "\n\n"
        + _(
            "Finally, describe your association in one paragraph: what you do, for whom, "
            "and where (at most {limit} characters)."
        ).format(limit=MAX_DESCRIPTION),
    )
    return DESCRIPTION


async def kind_as_text(update: Update, context: KapstokContext) -> str:
    """The kind is chosen with a button; typed text gets the buttons again."""
    await update.message.reply_text(
        _("Please choose the kind of your association with one of these buttons:"),
        reply_markup=_kind_keyboard(),
    )
    return KIND


async def receive_description(update: Update, context: KapstokContext) -> str | int:
    """Register the association as pending and put it before the liaison officers."""
    description = update.message.text.strip()
    if not description:
        await update.message.reply_text(
            _("The description cannot be empty. Please tell in a few sentences what you do.")
        )
        return DESCRIPTION
    if len(description) > MAX_DESCRIPTION:
        await update.message.reply_text(
            _(
                "That description is {length} characters long; the limit is {limit}. "
                "Please send a shorter one."
            ).format(length=len(description), limit=MAX_DESCRIPTION)
        )
        return DESCRIPTION
    draft = Registration.load(context)
    if draft is None or draft.name is None or draft.kind is None:
        Registration.drop(context)
        await update.message.reply_text(
            _("Something of your registration got lost. Let's start again.")
        )
        await send_menu(update, context)
        return ConversationHandler.END
    try:
        association = await context.store.associations.register(
            context.profile.user_id, draft.name, AssociationKind(draft.kind), description
        )
    except DuplicateAssociationName as duplicate:
        await update.message.reply_text(
            _(
                "<b>{association}</b> was registered by someone else a moment ago. Ask its board "
                "for an invite code, or send another name."
            ).format(association=esc(duplicate.existing.name)),
        )
        draft.name = None
        draft.save(context)
        return NAME
    except AlreadyBoardMember:
        Registration.drop(context)
        await _refuse_if_member(update, context)
        return ConversationHandler.END
    Registration.drop(context)
    await context.refresh_profile()
    await approval.post_association_card(context, association)
    thanks = _(
        "Thank you! <b>{association}</b> is registered. A liaison officer of the municipality "
        "will confirm it, and I will let you know as soon as that happens.\n\n"
        "Meanwhile you can use /language, /help and /mydata."
    ).format(association=esc(association.name))
    # Once it is stored: the database is not held while Telegram answers.
    await context.store.db.after_commit(lambda: update.message.reply_text(thanks))
    return ConversationHandler.END


# --- joining with an invite code ----------------------------------------------------------


async def ask_code(update: Update, context: KapstokContext) -> str | int:
    """Ask for the invite code a fellow board member passed on."""
    if await _refuse_if_member(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    await show(
        update.callback_query,
        _(
            "Send me the invite code a board member of your association gave you "
            "(8 letters and digits)."
        )
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return CODE


async def start_with_code(update: Update, context: KapstokContext) -> str | int:
    """/start CODE from an invite link: join, or stay ready for a corrected code."""
    joined = await redeem(update, context, context.args[0])
    return CODE if joined is None else ConversationHandler.END


async def receive_code(update: Update, context: KapstokContext) -> str | int:
    """Try the code; on a typo the user may try again (a limited number of times)."""
    joined = await redeem(update, context, update.message.text)
    if joined is None:
        return CODE
    return ConversationHandler.END


async def redeem(update: Update, context: KapstokContext, code: str) -> bool | None:
    """Join with the code and say how it went: True joined, False refused, None try again."""
    result = await context.store.associations.redeem(context.profile.user_id, code)
    if result.outcome is RedemptionOutcome.JOINED:
        await context.refresh_profile()
        await send_menu(
            update,
            context,
            prefix=_("Welcome! You are now a board member of <b>{association}</b>.").format(
                association=esc(result.association.name)
            ),
        )
        await _tell_fellow_members(context, result)
        return True
    await update.effective_message.reply_text(_refusal(result, context))
    return None if result.may_try_again else False


def _refusal(result: Redemption, context: KapstokContext) -> str:
    match result.outcome:
        case RedemptionOutcome.UNKNOWN:
            return ngettext(
                "I don't know that code. Check it for typos and send it again "
                "({count} try left), or /cancel.",
                "I don't know that code. Check it for typos and send it again "
                "({count} tries left), or /cancel.",
                result.tries_left,
            ).format(count=result.tries_left)
        case RedemptionOutcome.USED:
            return _(
                "That code has already been used: a code works only once. Ask a board member "
                "for a new one (they send /invite), then send it here, or /cancel."
            )
        case RedemptionOutcome.EXPIRED:
            return _(
                "That code expired on {date}: a code is valid for 7 days. Ask a board member "
                "for a new one (they send /invite), then send it here, or /cancel."
            ).format(date=i18n.format_datetime(result.expired_at))
        case RedemptionOutcome.LOCKED:
            return _(
                "Too many wrong codes. To keep the codes safe, you can try again from {time}."
            ).format(time=i18n.format_datetime(result.locked_until))
        case RedemptionOutcome.ALREADY_MEMBER:
            return _(
                "You are already a board member of {association}. To join another association, "
                "leave this one first with /leave."
            ).format(association=esc(context.profile.association_name))
        case _:
            return _(
                "That code belongs to an association that is not active. "
                "Ask its board what is going on."
            )


async def _tell_fellow_members(context: KapstokContext, result: Redemption) -> None:
    newcomer = context.profile
    association = result.association
    queued = []
    for member in await context.store.associations.board_members(association.association_id):
        if member.user_id == newcomer.user_id:
            continue
        with i18n.use_language(member.language):
            text = _("{name} joined <b>{association}</b> as a board member.").format(
                name=esc(newcomer.full_name), association=esc(association.name)
            )
        queued.append(message_row(member.user_id, text))
    await queue(context.application, queued)


async def not_text(update: Update, context: KapstokContext) -> None:
    """Photos, stickers and the like where text is expected: ask for text, keep the state."""
    await update.message.reply_text(_("Please send this as a text message."))


def build_handlers() -> list:
    text, other = TEXT, NOT_TEXT
    registering = ConversationHandler(
        name="onboarding",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(start_registration, pattern=callbacks.REGISTER.matches),
            CallbackQueryHandler(ask_code, pattern=callbacks.ENTER_CODE.matches),
            CommandHandler("start", start_with_code, filters.ChatType.PRIVATE, has_args=True),
        ],
        states={
            NAME: [MessageHandler(text, receive_name), MessageHandler(other, not_text)],
            KIND: [
                CallbackQueryHandler(receive_kind, pattern=callbacks.KIND.matches),
                MessageHandler(text | other, kind_as_text),
            ],
            DESCRIPTION: [
                MessageHandler(text, receive_description),
                MessageHandler(other, not_text),
            ],
            CODE: [MessageHandler(text, receive_code), MessageHandler(other, not_text)],
        },
        fallbacks=fallbacks(Registration.KEY),
    )
    return [registering]
