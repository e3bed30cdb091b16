"""What the profile and the directory both show: the offers by name, and an association's entry."""

from __future__ import annotations

from bot.domain.associations import Association
from bot.domain.profiles import AssociationProfile, Offer
from bot.i18n import _, pgettext
from handlers.ui import esc, kind_label

OFFER_LABELS = {
    Offer.VOLUNTEERS: lambda: pgettext("offer", "Volunteers"),
    Offer.GEAR: lambda: pgettext("offer", "Gear"),
    Offer.VENUE: lambda: pgettext("offer", "A venue"),
    Offer.KNOW_HOW: lambda: pgettext("offer", "Know-how"),
    Offer.CO_ORGANISING: lambda: pgettext("offer", "Co-organising"),
}


def offer_label(offer: Offer) -> str:
    return OFFER_LABELS[offer]()


def offers_text(offers: frozenset[Offer]) -> str:
    """The offers in their fixed order, by name ("" for none)."""
    return ", ".join(offer_label(offer) for offer in Offer if offer in offers)


def shortened(text: str, length: int) -> str:
    """The text, or its beginning up to a word with "…" when it is longer than `length`."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[: cut if cut > length // 2 else length].rstrip(" ,.;:") + "…"


def entry_html(
    association: Association,
    profile: AssociationProfile,
    number: int | None = None,
    description_length: int | None = None,
) -> str:
    """An association as the directory shows it: name, kind, description, offers and needs;
    never its contact. With a number in a list; the description shortened when a length is
    given (0: left out)."""
    name = esc(association.name)
    head = f"<b>{number}. {name}</b>" if number is not None else f"<b>{name}</b>"
    lines = [f"{head} · {esc(kind_label(association.kind))}"]
    description = profile.description
    if description_length is not None:
        description = shortened(description, description_length) if description_length else ""
    if description:
        lines.append(esc(description))
    if profile.offers:
        lines.append(_("🎁 They offer: {offers}").format(offers=esc(offers_text(profile.offers))))
    if profile.needs:
        lines.append(_("🔍 They look for: {offers}").format(offers=esc(offers_text(profile.needs))))
    return "\n".join(lines)
