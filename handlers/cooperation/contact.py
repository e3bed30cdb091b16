"""An association's contact as its profile says: what an accepted introduction or an answer to a
call passes on, and what the association's own profile page shows. Never shown in the directory."""

from __future__ import annotations

from bot.context import KapstokContext
from bot.domain.profiles import AssociationProfile, ContactKind
from bot.i18n import _
from handlers.ui import esc, mention


async def contact_html(context: KapstokContext, association_id: int) -> str | None:
    """The association's contact, as HTML in the current language: a board member's name
    (with their Telegram @username when they have one), a phone number or an e-mail address;
    None when its profile names none."""
    profile = await context.store.profiles.get(association_id)
    return await profile_contact_html(context, profile) if profile is not None else None


async def profile_contact_html(context: KapstokContext, profile: AssociationProfile) -> str | None:
    """The contact a profile names, as `contact_html` writes it."""
    if profile.contact_kind is ContactKind.MEMBER and profile.contact_user_id is not None:
        user = await context.store.users.get(profile.contact_user_id)
        if user is None:
            return None
        name = mention(user.user_id, user.full_name)
        if user.username:
            return _("{name} (@{username} on Telegram)").format(
                name=name, username=esc(user.username)
            )
        return name
    if profile.contact_kind is ContactKind.PHONE and profile.contact_text:
        return _("phone: {number}").format(number=esc(profile.contact_text))
    if profile.contact_kind is ContactKind.EMAIL and profile.contact_text:
        return _("e-mail: {address}").format(address=esc(profile.contact_text))
    return None
