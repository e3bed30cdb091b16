"""/profile: a board member edits what other associations may see of the association in the
directory (a description, what it offers and looks for), how they can reach it (a board member,
a phone number or an e-mail address), and whether it is listed at all.

Listing is off until a board member turns it on, and needs a description and a contact. The
contact is never shown in the directory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

from bot.context import KapstokContext
from bot.domain.faq import is_blank
from bot.domain.profiles import (
    MAX_DESCRIPTION,
    NO_CONTACT,
    NO_DESCRIPTION,
    AssociationProfile,
    ContactKind,
    Offer,
    Side,
    email_address,
    listing_problems,
    phone_number,
)
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.cooperation.contact import profile_contact_html
from handlers.cooperation.labels import offer_label, offers_text
from handlers.ui import esc, menu_button, no_longer_valid, require_approved_member, show
from handlers.ui import reply as _reply

DESCRIPTION, PHONE, EMAIL = "profiles.description", "profiles.phone", "profiles.email"
TIMEOUT = timedelta(hours=6)


@dataclass
class ProfileEditing(Draft):
    """A board member typing a description, a phone number or an e-mail address."""

    KEY = "profile_editing"


def _button(label: str, button: callbacks.Button, *values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.data(*values))


def _back(button: callbacks.Button = callbacks.PROFILE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(pgettext("button", "⬅️ Back"), button)]])


async def _profile(context: KapstokContext) -> AssociationProfile:
    association_id = context.profile.association_id
    found = await context.store.profiles.get(association_id)
    return found or AssociationProfile.empty(association_id)


# --- the page ----------------------------------------------------------------------------------


async def page_text(context: KapstokContext, profile: AssociationProfile) -> str:
    none = _("<i>none yet</i>")
    contact = await profile_contact_html(context, profile)
    lines = [
        _("<b>🪪 The profile of {association}</b>").format(
            association=esc(context.profile.association_name)
        ),
        _("What other associations see of you in the directory, once you list it."),
        "",
        _("<b>In the directory:</b> ✅ listed")
        if profile.listed
        else _("<b>In the directory:</b> not listed"),
        _("<b>About us:</b> {description}").format(
            description=esc(profile.description) if profile.description else none
        ),
        _("<b>We offer:</b> {offers}").format(offers=esc(offers_text(profile.offers)) or none),
        _("<b>We look for:</b> {offers}").format(offers=esc(offers_text(profile.needs)) or none),
        _("<b>Contact:</b> {contact}").format(contact=contact or none),
        "",
    ]
    if profile.listed and contact is None:
        lines.append(
            _("⚠️ Your profile names no contact any more: choose one, so that others can reach you.")
        )
    elif not profile.listed and listing_problems(profile):
        lines.append(
            _(
                "Nobody else sees any of this until you list it. To list it, add a description "
                "and a contact."
            )
        )
    elif not profile.listed:
        lines.append(_("Nobody else sees any of this until you list it with the button below."))
    lines.append(await _no_username_note(context, profile))
    lines.append(
        _(
            "Your contact is never shown in the directory: another association gets it only "
            "when your association agrees."
        )
    )
    return "\n".join(line for line in lines if line is not None)


async def _no_username_note(context: KapstokContext, profile: AssociationProfile) -> str | None:
    """A board member without a Telegram username can be named, not found: say so."""
    if profile.contact_kind is not ContactKind.MEMBER or profile.contact_user_id is None:
        return None
    user = await context.store.users.get(profile.contact_user_id)
    if user is None or user.username:
        return None
    return _(
        "ℹ️ {name} has no Telegram username: others see only the name. Choose a phone number "
        "or an e-mail address instead, or ask them to choose a username in Telegram."
    ).format(name=esc(user.full_name))


def page_keyboard(profile: AssociationProfile) -> InlineKeyboardMarkup:
    if profile.listed:
        listing = _button(
            pgettext("button", "🚫 Take us out of the directory"), callbacks.PROFILE_LIST, "no"
        )
    else:
        listing = _button(
            pgettext("button", "✅ List us in the directory"), callbacks.PROFILE_LIST, "yes"
        )
    return InlineKeyboardMarkup(
        [
            [_button(pgettext("button", "✏️ Description"), callbacks.PROFILE_DESCRIPTION)],
            [
                _button(pgettext("button", "🎁 What we offer"), callbacks.PROFILE_OFFERS, "offers"),
                _button(
                    pgettext("button", "🔍 What we look for"), callbacks.PROFILE_OFFERS, "needs"
                ),
            ],
            [_button(pgettext("button", "📇 Contact"), callbacks.PROFILE_CONTACT)],
            [listing],
            [_button(pgettext("button", "🔎 Directory"), callbacks.DIRECTORY)],
            [menu_button()],
        ]
    )


async def _page(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    profile = await _profile(context)
    return await page_text(context, profile), page_keyboard(profile)


async def page(update: Update, context: KapstokContext) -> None:
    """/profile, or its button: the profile page (in place of a button's message)."""
    if not await require_approved_member(update, context):
        return
    await _reply(update, *await _page(context))


async def set_listed(update: Update, context: KapstokContext) -> None:
    """List the association in the directory (if its profile may be), or take it out."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    listed = callbacks.PROFILE_LIST.value(query.data) == "yes"
    profile = await _profile(context)
    if listed:
        problems = listing_problems(profile)
        if problems:
            await query.answer(_missing(problems), show_alert=True)
            return
    await context.store.profiles.set_listed(profile.association_id, listed)
    await query.answer(
        _("Listed: other associations can find you in the directory now.")
        if listed
        else _("Taken out of the directory: other associations no longer see your profile.")
    )
    await show(query, *await _page(context))


def _missing(problems: list[str]) -> str:
    if NO_DESCRIPTION in problems and NO_CONTACT in problems:
        return _("Before listing your association, add a description and a contact.")
    if NO_DESCRIPTION in problems:
        return _("Before listing your association, add a description.")
    return _("Before listing your association, add a contact.")


# --- what it offers, what it looks for --------------------------------------------------------


def _offers_page(
    context: KapstokContext, profile: AssociationProfile, side: Side
) -> tuple[str, InlineKeyboardMarkup]:
    association = esc(context.profile.association_name)
    if side is Side.OFFERS:
        title = _("<b>🎁 What {association} can offer other associations</b>")
    else:
        title = _("<b>🔍 What {association} looks for in other associations</b>")
    text = (
        title.format(association=association)
        + "\n"
        + _("Tap to choose or drop one; several are allowed.")
    )
    chosen = profile.side(side)
    rows = [
        [
            _button(
                f"{'✅' if offer in chosen else '▫️'} {offer_label(offer)}",
                callbacks.PROFILE_TOGGLE,
                side.value,
                offer.value,
            )
        ]
        for offer in Offer
    ]
    rows.append([_button(pgettext("button", "⬅️ Back"), callbacks.PROFILE)])
    return text, InlineKeyboardMarkup(rows)


async def offers(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    side = Side(callbacks.PROFILE_OFFERS.value(update.callback_query.data))
    await update.callback_query.answer()
    await show(update.callback_query, *_offers_page(context, await _profile(context), side))


async def toggle(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    side, offer = callbacks.PROFILE_TOGGLE.parse(query.data)
    side = Side(side)
    await context.store.profiles.toggle(context.profile.association_id, side, Offer(offer))
    await query.answer()
    await show(query, *_offers_page(context, await _profile(context), side))


# --- the contact -------------------------------------------------------------------------------


async def _contact_page(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    profile = await _profile(context)
    contact = await profile_contact_html(context, profile)
    text = "\n".join(
        [
            _("<b>📇 How other associations reach {association}</b>").format(
                association=esc(context.profile.association_name)
            ),
            _(
                "Choose one of your board members (others see their name, and their Telegram "
                "@username if they have one), or type a phone number or an e-mail address."
            ),
            "",
            _("<b>Contact:</b> {contact}").format(contact=contact or _("<i>none yet</i>")),
            "",
            _(
                "Your contact is never shown in the directory: another association gets it only "
                "when your association agrees."
            ),
        ]
    )
    members = await context.store.associations.board_members(context.profile.association_id)
    rows = []
    for member in members:
        chosen = (
            profile.contact_kind is ContactKind.MEMBER and profile.contact_user_id == member.user_id
        )
        rows.append(
            [
                _button(
                    f"{'✅' if chosen else '👤'} {member.full_name}",
                    callbacks.PROFILE_CONTACT_MEMBER,
                    member.user_id,
                )
            ]
        )
    rows.append(
        [
            _button(pgettext("button", "📞 A phone number"), callbacks.PROFILE_PHONE),
            _button(pgettext("button", "✉️ An e-mail address"), callbacks.PROFILE_EMAIL),
        ]
    )
    rows.append([_button(pgettext("button", "⬅️ Back"), callbacks.PROFILE)])
    return text, InlineKeyboardMarkup(rows)


async def contact(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    await update.callback_query.answer()
    await show(update.callback_query, *await _contact_page(context))


async def contact_member(update: Update, context: KapstokContext) -> None:
    """A board member of the association is its contact."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    user_id = callbacks.PROFILE_CONTACT_MEMBER.value(query.data)
    association_id = context.profile.association_id
    members = await context.store.associations.board_members(association_id)
    if user_id not in {member.user_id for member in members}:
        await no_longer_valid(update)
        return
    await context.store.profiles.set_contact_member(
        association_id, user_id, context.profile.user_id
    )
    await query.answer(_("Saved."))
    await show(query, *await _page(context))


# --- typing: a description, a phone number, an e-mail address -------------------------------


async def _start_typing(
    update: Update,
    context: KapstokContext,
    question: Callable[[], str],
    state: str,
    back: callbacks.Button,
) -> str | int:
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    ProfileEditing().save(context)
    await show(
        update.callback_query,
        question() + "\n\n" + _("You can stop at any time with /cancel."),
        _back(back),
    )
    return state


async def ask_description(update: Update, context: KapstokContext) -> str | int:
    """✏️ Description: ask for it."""

    def question() -> str:
        return _(
            "Send a short description of {association} for other associations: what you do, "
            "for whom, where. At most {limit} characters."
        ).format(association=esc(context.profile.association_name), limit=MAX_DESCRIPTION)

    return await _start_typing(update, context, question, DESCRIPTION, callbacks.PROFILE)


async def ask_phone(update: Update, context: KapstokContext) -> str | int:
    def question() -> str:
        return _(
            "Type the phone number other associations may call, like 0470 12 34 56 or "
            "+32 470 12 34 56."
        )

    return await _start_typing(update, context, question, PHONE, callbacks.PROFILE_CONTACT)


async def ask_email(update: Update, context: KapstokContext) -> str | int:
    def question() -> str:
        return _("Type the e-mail address other associations may write to, like info@our-club.be.")

    return await _start_typing(update, context, question, EMAIL, callbacks.PROFILE_CONTACT)


async def _still_member(update: Update, context: KapstokContext) -> bool:
    if await require_approved_member(update, context):
        return True
    ProfileEditing.drop(context)
    return False


async def _saved(update: Update, context: KapstokContext) -> int:
    ProfileEditing.drop(context)
    text, keyboard = await _page(context)
    await update.message.reply_text(_("✅ Saved.") + "\n\n" + text, reply_markup=keyboard)
    return ConversationHandler.END


async def receive_description(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    description = update.message.text.strip()
    if is_blank(description):
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
    await context.store.profiles.set_description(
        context.profile.association_id, description, current_language()
    )
    return await _saved(update, context)


async def receive_phone(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    number = phone_number(update.message.text)
    if number is None:
        await update.message.reply_text(
            _(
                "That does not look like a phone number. Type its 9 to 15 digits, with + in "
                "front if you like, like 0470 12 34 56 or +32 470 12 34 56."
            )
        )
        return PHONE
    await context.store.profiles.set_contact_text(
        context.profile.association_id, ContactKind.PHONE, number, context.profile.user_id
    )
    return await _saved(update, context)


async def receive_email(update: Update, context: KapstokContext) -> str | int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    address = email_address(update.message.text)
    if address is None:
        await update.message.reply_text(
            _("That does not look like an e-mail address. Type one like info@our-club.be.")
        )
        return EMAIL
    await context.store.profiles.set_contact_text(
        context.profile.association_id, ContactKind.EMAIL, address, context.profile.user_id
    )
    return await _saved(update, context)


async def not_text(update: Update, context: KapstokContext) -> None:
    """A photo or a sticker where a text is asked for: the step goes on."""
    await update.message.reply_text(_("Please send this as a text message."))


# --- the handlers ------------------------------------------------------------------------------

Callback = Callable[[Update, KapstokContext], Awaitable[None]]
# The buttons that act on their own; pressed while something is being typed, they end that.
BUTTONS: tuple[tuple[callbacks.Button, Callback], ...] = (
    (callbacks.PROFILE, page),
    (callbacks.PROFILE_LIST, set_listed),
    (callbacks.PROFILE_OFFERS, offers),
    (callbacks.PROFILE_TOGGLE, toggle),
    (callbacks.PROFILE_CONTACT, contact),
    (callbacks.PROFILE_CONTACT_MEMBER, contact_member),
)


def _ending(callback: Callback):
    async def end(update: Update, context: KapstokContext) -> int:
        ProfileEditing.drop(context)
        await callback(update, context)
        return ConversationHandler.END

    return end


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    leaving = [
        CallbackQueryHandler(_ending(callback), pattern=button.matches)
        for button, callback in BUTTONS
    ]

    def typing(receive) -> list:
        return [
            MessageHandler(private & TEXT, receive),
            MessageHandler(private & NOT_TEXT, not_text),
            *leaving,
        ]

    editing = ConversationHandler(
        name="profiles",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(ask_description, pattern=callbacks.PROFILE_DESCRIPTION.matches),
            CallbackQueryHandler(ask_phone, pattern=callbacks.PROFILE_PHONE.matches),
            CallbackQueryHandler(ask_email, pattern=callbacks.PROFILE_EMAIL.matches),
        ],
        states={
            DESCRIPTION: typing(receive_description),
            PHONE: typing(receive_phone),
            EMAIL: typing(receive_email),
        },
        fallbacks=fallbacks(ProfileEditing.KEY),
    )
    return [
        editing,
        CommandHandler("profile", page, filters=private),
        *(CallbackQueryHandler(callback, pattern=button.matches) for button, callback in BUTTONS),
    ]
