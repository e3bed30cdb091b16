"""Word matching for the FAQ: tolerant of case, accents and common word endings in nl, fr, en."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

_WORD = re.compile(r"[a-z0-9]+")
# Longest first, so "ingen" is stripped before "en".
_SUFFIXES = sorted(
    {
        # nl
        "ingen",
        "heden",
        "heid",
        "ing",
        "en",
        "er",
        "te",
        "de",
        "je",
        "s",
        "e",
        # fr
        "ements",
        "ement",
        "ations",
        "ation",
        "euses",
        "euse",
        "eux",
        "ees",
        "es",
        "ee",
        "x",
        # en
        "ings",
        "ies",
        "ed",
        "ly",
    },
    key=len,
    reverse=True,
)
_STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "in",
        "op",
        "aan",
        "van",
        "voor",
        "met",
        "bij",
        "naar",
        "om",
        "te",
        "is",
        "zijn",
        "ik",
        "je",
        "jij",
        "we",
        "wij",
        "ons",
        "onze",
        "mijn",
        "hoe",
        "wat",
        "wie",
        "waar",
        "wanneer",
        "kan",
        "kunnen",
        "mag",
        "moet",
        "moeten",
        "er",
        "dat",
        "die",
        "dit",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "et",
        "ou",
        "en",
        "au",
        "aux",
        "pour",
        "par",
        "avec",
        "sur",
        "dans",
        "est",
        "sont",
        "je",
        "vous",
        "nous",
        "notre",
        "mon",
        "ma",
        "mes",
        "comment",
        "quoi",
        "qui",
        "quand",
        "peut",
        "pouvons",
        "doit",
        "que",
        "qu",
        "ce",
        "cette",
        "il",
        "elle",
        "the",
        "a",
        "an",
        "and",
        "or",
        "in",
        "on",
        "at",
        "of",
        "for",
        "with",
        "to",
        "is",
        "are",
        "i",
        "you",
        "we",
        "our",
        "my",
        "how",
        "what",
        "who",
        "where",
        "when",
        "can",
        "may",
        "must",
        "do",
        "does",
        "it",
        "this",
        "that",
        "there",
    ]
)

T = TypeVar("T")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    """The stems of the meaningful words of a text."""
    return {
        stem(word)
        for word in _WORD.findall(fold(text))
        if word not in _STOPWORDS and (len(word) > 2 or word.isdigit())
    }


def _matching(wanted: set[str], available: set[str]) -> set[str]:
    """The wanted terms found among the available ones; a stem may be the start of another
    ('subsid' and 'subsidi'), so that what suffix stripping misses still matches."""
    found = set()
    for term in wanted:
        if term in available or any(
            min(len(term), len(other)) >= 4 and (other.startswith(term) or term.startswith(other))
            for other in available
        ):
            found.add(term)
    return found


def rank(
    query: str,
    items: Iterable[T],
    fields: callable,
    limit: int = 5,
    minimum: int = 1,
) -> list[T]:
    """The items whose words overlap most with the query's; title matches weigh double.

    `fields(item)` gives (title, body) of an item.
    """
    wanted = terms(query)
    if not wanted:
        return []
    scored = []
    for position, item in enumerate(items):
        title, body = fields(item)
        in_title = _matching(wanted, terms(title))
        in_body = _matching(wanted - in_title, terms(body))
        score = 2 * len(in_title) + len(in_body)
        if score >= minimum:
            scored.append((-score, position, item))
    scored.sort(key=lambda entry: entry[:2])
    return [item for _, _, item in scored[:limit]]


def best_matches(query: str, items: Sequence[T], fields: callable, limit: int = 3) -> list[T]:
    """FAQ entries worth offering before a question is sent: at least one shared title word."""
    return rank(query, items, fields, limit=limit, minimum=2)
