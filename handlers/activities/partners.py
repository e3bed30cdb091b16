"""Partners of an activity: found by name among the listed associations, asked through the
outbox, and their board's answer (*We take part* / *Decline*), which the organiser's board hears."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.activities import MAX_PARTNERS, Activity, PartnerStatus, match_names
from bot.domain.associations import AssociationStatus
from bot.domain.audience import Audience
from bot.domain.preferences import Kind
from bot.i18n import _
from handlers import callbacks
from handlers.activities.views import answer_buttons, card, short_when, view_button, zone_of
from handlers.bulk import today
from handlers.ui import esc, no_longer_valid, require_approved_member, show
from storage.activities import Named

SUGGESTED = 5


# --- finding a partner by name ---------------------------------------------------------------


async def listed(context: KapstokContext, association_id: int) -> bool:
    """Whether the association is in the directory (kapstok 3): only those can be partners."""
    return bool(await context.store.profiles.is_listed(association_id))


async def may_partner(context: KapstokContext, association_id: int, organiser: int) -> bool:
    """A partner is another association, approved and listed in the directory."""
    if association_id == organiser:
        return False
    association = await context.store.associations.get(association_id)
    return (
        association is not None
        and association.status is AssociationStatus.APPROVED
        and await listed(context, association_id)
    )


@dataclass(frozen=True)
class Lookup:
    """What a typed name found: the partner, or suggestions, or that it is the organiser."""

    found: Named | None = None
    suggestions: tuple[Named, ...] = ()
    own: bool = False


async def look_up(context: KapstokContext, typed: str, organiser: int, chosen: list[int]):
    """The listed association with this name (loosely), or the listed ones most like it. An
    association that is not listed is never named: it is as if it did not exist."""
    exact = await context.store.associations.find_by_name(typed)
    if exact is not None and exact.association_id == organiser:
        return Lookup(own=True)
    if exact is not None and await may_partner(context, exact.association_id, organiser):
        return Lookup(found=Named(exact.association_id, exact.name))
    candidates = [
        named
        for named in await context.store.activities.approved_associations()
        if named.association_id != organiser and named.association_id not in chosen
    ]
    by_id = {named.association_id: named for named in candidates}
    ranked = match_names(typed, [(n.association_id, n.name) for n in candidates], limit=20)
    suggestions = []
    for number in ranked:
        if await listed(context, number):
            suggestions.append(by_id[number])
        if len(suggestions) == SUGGESTED:
            break
    return Lookup(suggestions=tuple(suggestions))


def too_many() -> str:
    return _("An activity has at most {limit} partners.").format(limit=MAX_PARTNERS)


# --- asking them -----------------------------------------------------------------------------


async def invite(context: KapstokContext, activity: Activity) -> None:
    """Every partner's board gets the activity with *We take part* and *Decline*."""
    rows = []
    zone = zone_of(context)
    for partner in activity.partners:
        for recipient in await _board(context, partner.association_id):
            with i18n.use_language(recipient.language):
                text = (
                    _(
                        "🤝 <b>{organiser}</b> asks {partner} to organise an activity together."
                    ).format(organiser=esc(activity.association_name), partner=esc(partner.name))
                    + "\n\n"
                    + card(activity, zone, partner.association_id)
                    + "\n\n"
                    + _("Do you take part? The first answer of your board counts.")
                )
                keyboard = InlineKeyboardMarkup(
                    [answer_buttons(activity.activity_id), [view_button(activity.activity_id)]]
                )
            rows.append(message_row(recipient.user_id, text, keyboard))
    await queue(context.application, rows)


async def _board(context: KapstokContext, association_id: int):
    """The board members of an association, for a message about their own activities."""
    return await context.store.audience.recipients(
        Audience(),
        Kind.ESSENTIAL,
        today(context.store, context.config),
        only_associations={association_id},
    )


async def tell_board(context: KapstokContext, association_id: int, render, keyboard=None) -> None:
    """A message to every board member of an association, each in their own language;
    `render` and `keyboard` are called in that language."""
    rows = []
    for recipient in await _board(context, association_id):
        with i18n.use_language(recipient.language):
            rows.append(message_row(recipient.user_id, render(), keyboard() if keyboard else None))
    await queue(context.application, rows)


# --- their answer ----------------------------------------------------------------------------


async def answer(update: Update, context: KapstokContext) -> None:
    """*We take part* or *Decline* by a board member of an invited partner: the first answer of
    the board decides; the organiser's board hears it."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    confirmed = callbacks.ACTIVITY_CONFIRM.matches(query.data)
    button = callbacks.ACTIVITY_CONFIRM if confirmed else callbacks.ACTIVITY_DECLINE
    profile = context.profile
    activity = await context.store.activities.get(button.value(query.data))
    partner = activity.partner(profile.association_id) if activity else None
    if activity is None or partner is None:
        await no_longer_valid(update)
        return
    zone = zone_of(context)
    if activity.cancelled:
        await query.answer(_("This activity was cancelled."), show_alert=True)
        await show(query, card(activity, zone, profile.association_id))
        return
    if not await context.store.activities.answer(
        activity.activity_id, partner.association_id, confirmed, profile.user_id
    ):
        await query.answer(
            _("Your board already answered: {answer}.").format(
                answer=_("we take part")
                if partner.status is PartnerStatus.CONFIRMED
                else _("we decline")
            ),
            show_alert=True,
        )
        await show(query, card(activity, zone, profile.association_id))
        return
    activity = await context.store.activities.get(activity.activity_id)
    await query.answer()
    said = (
        _("✅ {name} answered for {association}: we take part.")
        if confirmed
        else _("❌ {name} answered for {association}: we decline.")
    ).format(name=esc(profile.full_name), association=esc(partner.name))
    await show(
        query,
        card(activity, zone, profile.association_id) + "\n\n" + said,
        InlineKeyboardMarkup([[view_button(activity.activity_id)]]),
    )

    def render() -> str:
        text = (
            _("✅ {partner} takes part in {title} ({when}).")
            if confirmed
            else _("❌ {partner} declined to take part in {title} ({when}).")
        )
        return text.format(
            partner=esc(partner.name),
            title=esc(activity.title),
            when=short_when(activity.starts_at, zone),
        )

    await tell_board(
        context,
        activity.association_id,
        render,
        lambda: InlineKeyboardMarkup([[view_button(activity.activity_id)]]),
    )


def build_handlers() -> list:
    return [
        CallbackQueryHandler(answer, pattern=callbacks.ACTIVITY_CONFIRM.matches),
        CallbackQueryHandler(answer, pattern=callbacks.ACTIVITY_DECLINE.matches),
    ]
