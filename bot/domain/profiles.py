"""An association's public profile for the directory of kapstok 3, and how the directory finds
associations: names compared loosely (rapidfuzz, accents and typos forgiven), descriptions by the
stems of their words (textsearch, per language).

A profile is opt-in: it is shown to other associations only while it is listed, and it can be
listed only with a description and a contact. Its contact is never shown in the directory.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from bot.domain import textsearch

MAX_DESCRIPTION = 500
MAX_EMAIL = 254
PHONE_DIGITS = (9, 15)

T = TypeVar("T")


class Offer(enum.StrEnum):
    """What an association can offer another, or looks for."""

    VOLUNTEERS = "volunteers"
    GEAR = "gear"
    VENUE = "venue"
    KNOW_HOW = "know_how"
    CO_ORGANISING = "co_organising"


class Side(enum.StrEnum):
    """Whether an offer is what an association offers or what it looks for."""

    OFFERS = "offers"
    NEEDS = "needs"


class ContactKind(enum.StrEnum):
    MEMBER = "member"
    PHONE = "phone"
    EMAIL = "email"


# What stands in the way of listing a profile (`listing_problems`).
NO_DESCRIPTION = "description"
NO_CONTACT = "contact"


@dataclass(frozen=True, slots=True)
class AssociationProfile:
    """What an association shows other associations (its contact only when it agrees)."""

    association_id: int
    listed: bool
    description: str
    offers: frozenset[Offer]
    needs: frozenset[Offer]
    contact_kind: ContactKind | None
    contact_user_id: int | None
    contact_text: str | None
    language: str = "nl"  # the language the description was written in (for its stems)

    @classmethod
    def empty(cls, association_id: int) -> AssociationProfile:
        """The profile of an association that never made one: not listed, nothing in it."""
        return cls(association_id, False, "", frozenset(), frozenset(), None, None, None)

    @property
    def has_contact(self) -> bool:
        if self.contact_kind is ContactKind.MEMBER:
            return self.contact_user_id is not None
        return self.contact_kind is not None and bool(self.contact_text)

    def side(self, side: Side) -> frozenset[Offer]:
        return self.offers if side is Side.OFFERS else self.needs


def listing_problems(profile: AssociationProfile) -> list[str]:
    """What the profile lacks to be listed: NO_DESCRIPTION, NO_CONTACT (none: it may be)."""
    problems = []
    if not profile.description.strip():
        problems.append(NO_DESCRIPTION)
    if not profile.has_contact:
        problems.append(NO_CONTACT)
    return problems


# --- a contact typed by a board member ---------------------------------------------------------

_PHONE = re.compile(r"\+?[0-9][0-9 ./\-]*[0-9]")
_LOCAL = r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,24}}")


def phone_number(text: str) -> str | None:
    """A phone number as typed, tidied (single spaces), if it looks like one: digits with an
    optional + in front, spaces, dots, slashes or dashes between them, 9 to 15 digits
    ('0470 12 34 56', '+32 470/12.34.56', '014 21 21 21')."""
    typed = " ".join(text.split())
    if not typed.isascii() or not _PHONE.fullmatch(typed):
        return None
    digits = sum(ch.isdigit() for ch in typed)
    low, high = PHONE_DIGITS
    return typed if low <= digits <= high else None


def email_address(text: str) -> str | None:
    """An e-mail address as typed (without spaces around it), if it has the shape of one:
    ASCII, a name of letters, digits and the usual signs without two dots in a row, an @, and
    a domain of labels with a top level domain of letters ('info@chiro-sint-jan.be')."""
    typed = text.strip()
    if len(typed) > MAX_EMAIL or not typed.isascii() or not _EMAIL.fullmatch(typed):
        return None
    local = typed.rsplit("@", 1)[0]
    return typed if len(local) <= 64 else None


# --- finding associations by words -------------------------------------------------------------

# A name matches the words when their score (0-100) reaches this.
NAME_THRESHOLD = 80
# Typos are forgiven in words of at least this many letters; shorter words must start a word
# of the name (or stand in it) as they are.
FUZZY_FROM = 4
# From this many letters, a word may also stand, loosely, inside a longer word of the name
# ("voetbl" in "voetbalclub").
PARTIAL_FROM = 5
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(textsearch.fold(text))


def _word_score(word: str, tokens: Sequence[str]) -> float:
    """How well one typed word matches the best word of a name (0-100)."""
    best = 0.0
    for token in tokens:
        if token.startswith(word) or (len(word) >= 3 and word in token):
            return 100.0
        if len(word) >= FUZZY_FROM:
            best = max(best, fuzz.ratio(word, token))
            if len(word) >= PARTIAL_FROM and len(token) > len(word):
                best = max(best, fuzz.partial_ratio(word, token))
    return best


def name_score(words: str, name: str) -> float:
    """How well typed words match an association's name, 0-100, without regard to case,
    accents, word endings and small typos ('chirro' → 'Chiro', 'voetbal' → 'Voetbalclub
    Sint-Jan'): the mean of each word's best match with a word of the name (or with the name
    written as one word)."""
    typed = _words(words)
    meaningful = [word for word in typed if len(word) >= 2] or typed
    tokens = _words(name)
    if not meaningful or not tokens:
        return 0.0
    tokens.append("".join(tokens))
    return sum(_word_score(word, tokens) for word in meaningful) / len(meaningful)


def find(
    words: str,
    language: str,
    items: Sequence[T],
    fields: Callable[[T], tuple[str, str, str]],
) -> list[T]:
    """The items the words find, best first: those whose name matches (best match first), then
    those whose description has the words' stems (most found first); ties in the given order.

    `fields(item)` gives (name, description, the description's language); the words are read
    in `language`.
    """
    if not items:
        return []
    query = textsearch.search(words, language, limit=len(items))
    described = textsearch.ranked(query, range(len(items)), lambda i: ("", *fields(items[i])[1:]))
    by_description = {index: rank for rank, index in enumerate(described)}
    found = []
    for index, item in enumerate(items):
        score = name_score(words, fields(item)[0])
        by_name = score if score >= NAME_THRESHOLD else 0.0
        rank = by_description.get(index)
        if by_name or rank is not None:
            found.append((-by_name, rank if rank is not None else len(items), index, item))
    found.sort(key=lambda entry: entry[:3])
    return [item for *_, item in found]
