"""Word matching for the FAQ: tolerant of case, accents and word endings in nl, fr and en."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

import snowballstemmer

LANGUAGES = ("nl", "fr", "en")
_FALLBACK_LANGUAGE = "nl"
_ALGORITHMS = {"nl": "dutch", "fr": "french", "en": "english"}
# Letters and digits of any script; runs on case-folded text that still has its accents.
_WORD = re.compile(r"[^\W_]+")
_STOPWORDS_BY_LANGUAGE = {
    "nl": """de het een en of in op aan van voor met bij naar om te is zijn ik je jij we wij ons
        onze mijn hoe wat wie waar wanneer kan kunnen mag moet moeten er dat die dit""",
    "fr": """de le la les un une des du et ou en au aux pour par avec sur dans est sont je vous
        nous notre mon ma mes comment quoi qui quand peut pouvons doit que qu ce cette il elle""",
    "en": """the a an and or in on at of for with to is are i you we our my how what who where
        when can may must do does it this that there""",
}
_STOPWORDS = {
    language: frozenset(text.split()) for language, text in _STOPWORDS_BY_LANGUAGE.items()
}
# Each FAQ entry is ranked for every search; its texts rarely change.
_CACHED_TEXTS = 4096

T = TypeVar("T")


def fold(text: str) -> str:
    """The text in lower case and without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _known(language: str) -> str:
    """The language itself if the search knows it, Dutch otherwise."""
    return language if language in _ALGORITHMS else _FALLBACK_LANGUAGE


@lru_cache(maxsize=len(_ALGORITHMS))
def _stemmer(language: str) -> Callable[[str], str]:
    """The Snowball stemming of a word in a known language."""
    return snowballstemmer.stemmer(_ALGORITHMS[language]).stemWord


def _is_meaningful(word: str, language: str) -> bool:
    """Whether a folded word says something: no stop word, and longer than two letters."""
    return word not in _STOPWORDS[language] and (len(word) > 2 or word.isdigit())


@lru_cache(maxsize=_CACHED_TEXTS)
def _terms(text: str, language: str) -> frozenset[str]:
    """The folded stems of the meaningful words of a text in a known language."""
    stem = _stemmer(language)
    found = set()
    for word in _WORD.findall(text.casefold()):
        if _is_meaningful(fold(word), language):
            # Stem before folding: the stemmers know the accented endings ("fermées").
            found.add(fold(stem(word)))
    return frozenset(found)


def terms(text: str, language: str) -> set[str]:
    """The stems of the meaningful words of a text."""
    return set(_terms(text, _known(language)))


def _matching(wanted: Iterable[str], available: frozenset[str]) -> set[str]:
    """The wanted terms found among the available ones, a stem that starts the other included.

    Stemmers leave some forms apart ('subsid' and 'subsidi'), and a query stemmed in the
    user's language may meet an entry in another one.
    """
    return {
        term
        for term in wanted
        if term in available
        or any(
            min(len(term), len(other)) >= 4 and (other.startswith(term) or term.startswith(other))
            for other in available
        )
    }


def _score(wanted: frozenset[str], title: str, body: str, language: str) -> int:
    """How well an item's title and body match the wanted terms; title matches weigh double."""
    in_title = _matching(wanted, _terms(title, language))
    in_body = _matching(wanted - in_title, _terms(body, language))
    return 2 * len(in_title) + len(in_body)


def rank(
    query: str,
    language: str,
    items: Iterable[T],
    fields: Callable[[T], tuple[str, str, str]],
    limit: int = 5,
    minimum: int = 1,
) -> list[T]:
    """The items whose words overlap most with the query's, best first.

    The query is read in `language`; `fields(item)` gives (title, body, language) of an item,
    whose texts are read in the item's own language.
    """
    wanted = _terms(query, _known(language))
    if not wanted:
        return []
    scored = []
    for position, item in enumerate(items):
        title, body, item_language = fields(item)
        score = _score(wanted, title, body, _known(item_language))
        if score >= minimum:
            scored.append((-score, position, item))
    scored.sort(key=lambda entry: entry[:2])
    return [item for _, _, item in scored[:limit]]


def best_matches(
    query: str,
    language: str,
    items: Sequence[T],
    fields: Callable[[T], tuple[str, str, str]],
    limit: int = 3,
) -> list[T]:
    """FAQ entries worth offering before a question is sent: a title word or two body words."""
    return rank(query, language, items, fields, limit=limit, minimum=2)
