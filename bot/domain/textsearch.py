"""Word matching for the FAQ: tolerant of case, accents and word endings in nl, fr and en; and
an index of stored items' stems, to search many of them at once."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
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
# Texts ranked in memory (`rank`), and words, are stemmed once.
_CACHED_TEXTS = 4096
_CACHED_WORDS = 65536
# A search reads at most this many distinct stems of its text: a 4,000-character question
# costs as little as a line.
MAX_QUERY_TERMS = 60
# Two stems match when one starts the other and both have at least this many letters.
PREFIX = 4
TITLE_WEIGHT, BODY_WEIGHT = 2, 1
# The rules an entry's stored stems were made with; a change of stemming, stop words or weights
# raises it, and the store indexes its entries again.
INDEX_VERSION = 1
# A stem of at most this many items keeps their slots in a tuple; more make a bitmap.
_SPARSE = 32

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


@lru_cache(maxsize=_CACHED_WORDS)
def _stem(word: str, language: str) -> str:
    """The folded stem of a case-folded word in a known language; "" for one that says
    nothing."""
    if not _is_meaningful(fold(word), language):
        return ""
    # Stem before folding: the stemmers know the accented endings ("fermées"). A stem is one
    # word, also where folding spells a ligature as several ("ﷺ").
    return "".join(fold(_stemmer(language)(word)).split())


def _stems(text: str, language: str) -> Iterator[str]:
    """The stems of the meaningful words of a text in a known language, in order, repeated."""
    for word in _WORD.findall(text.casefold()):
        stem = _stem(word, language)
        if stem:
            yield stem


@lru_cache(maxsize=_CACHED_TEXTS)
def _terms(text: str, language: str) -> frozenset[str]:
    """The folded stems of the meaningful words of a text in a known language."""
    return frozenset(_stems(text, language))


def terms(text: str, language: str) -> set[str]:
    """The stems of the meaningful words of a text."""
    return set(_terms(text, _known(language)))


# --- what a search looks for -------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A search: the stems it looks for, how many items it finds at most, and the score an
    item needs (a stem found in an item's title counts 2, in its body 1)."""

    terms: tuple[str, ...]
    limit: int = 5
    minimum: int = 1


def search(text: str | None, language: str, limit: int = 5, minimum: int = 1) -> Query:
    """The search for a text read in `language`: its first MAX_QUERY_TERMS distinct stems.

    A long question costs no more than a short one: the words past those are not read.
    """
    found: dict[str, None] = {}
    for stem in _stems(text or "", _known(language)):
        found[stem] = None
        if len(found) == MAX_QUERY_TERMS:
            break
    return Query(tuple(found), limit, minimum)


def offer(text: str | None, language: str) -> Query:
    """The search for FAQ entries worth offering before a question is sent: at most three,
    each with a title word or two body words of the question."""
    return search(text, language, limit=3, minimum=2)


# --- many stored items: their stems, kept when they are written, and an index of them -----------


def stored_stems(text: str, language: str) -> str:
    """The distinct stems of a text, space-separated, as they are stored with an item (made by
    the rules of INDEX_VERSION) and read back by `Index`."""
    return " ".join(dict.fromkeys(_stems(text, _known(language))))


def _bitmap(slots: Iterable[int]) -> int:
    """The number whose bits are the given slots."""
    slots = list(slots)
    if len(slots) <= _SPARSE:
        return sum(1 << slot for slot in set(slots))
    bits = bytearray(max(slots) // 8 + 1)
    for slot in slots:
        bits[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(bits, "little")


def _compact(slots: list[int]) -> int | tuple[int, ...]:
    """A rare stem's slots as they are; a common stem's as a bitmap (the smaller of the two)."""
    return tuple(slots) if len(slots) <= _SPARSE else _bitmap(slots)


def _bits(postings: int | tuple[int, ...]) -> int:
    return postings if isinstance(postings, int) else _bitmap(postings)


def _add(counters: list[int], items: int, weight: int) -> None:
    """Add `weight` (a power of two) to the counts of the items whose bits are set; the counts
    are bit-sliced: counters[n] holds bit n of every item's count."""
    carry, level = items, weight.bit_length() - 1
    while carry:
        while level >= len(counters):
            counters.append(0)
        counters[level], carry = counters[level] ^ carry, counters[level] & carry
        level += 1


class Index:
    """The stems of many items in memory, to rank them all for a search at once: by the rules
    of `ranked` (which ranks items one by one), to the same order.

    Items are ids, each in a group (a FAQ entry's kapstok); ties go by group, then by id. Each
    item has a slot, a bit, slots in the order of the ids: per stem, the items whose title has
    it, and those whose body alone has it, are a number with their bits set (a tuple of slots
    for a rare stem, to save memory). A search adds up the scores of all items at once, in
    bit-sliced counters, a few operations on big numbers per stem, and reads the best items off
    the counters.
    """

    def __init__(self, items: Iterable[tuple[int, int, str, str]] = ()) -> None:
        """`items`: (id, group, title stems, body stems), stems as `stored_stems` gives them."""
        self._ids: list[int | None] = []  # by slot; None where an item was removed
        self._slots: dict[int, int] = {}
        postings: dict[str, tuple[list[int], list[int]]] = {}
        in_groups: dict[int, list[int]] = {}
        for slot, (item, group, title_stems, body_stems) in enumerate(sorted(items)):
            self._ids.append(item)
            self._slots[item] = slot
            in_groups.setdefault(group, []).append(slot)
            title = set(title_stems.split())
            for stem in title:
                postings.setdefault(stem, ([], []))[0].append(slot)
            for stem in set(body_stems.split()).difference(title):
                postings.setdefault(stem, ([], []))[1].append(slot)
        self._groups = {group: _bitmap(slots) for group, slots in sorted(in_groups.items())}
        self._postings = {
            stem: [_compact(in_title), _compact(in_body)]
            for stem, (in_title, in_body) in postings.items()
        }
        self._stems = sorted(postings)
        self._last = self._ids[-1] if self._ids else 0  # the highest id ever in the index

    def __len__(self) -> int:
        return len(self._slots)

    # --- changes, as the items are written ---------------------------------------------------

    def add(self, item: int, group: int, title_stems: str, body_stems: str) -> None:
        """A new item, with an id above all others (as SQLite gives them); an item already in
        the index gets these stems instead of its own."""
        if item in self._slots:
            self._clear(self._slots[item])
            slot = self._slots[item]
        elif item < self._last:
            raise ValueError(f"item {item} comes before items of the index: index anew")
        else:
            slot = len(self._ids)
            self._ids.append(item)
            self._slots[item] = slot
            self._last = item
        self._groups[group] = self._groups.get(group, 0) | (1 << slot)
        title = set(title_stems.split())
        for stem in title:
            self._post(stem, 0, slot)
        for stem in set(body_stems.split()).difference(title):
            self._post(stem, 1, slot)

    def remove(self, item: int) -> None:
        slot = self._slots.pop(item, None)
        if slot is not None:
            self._clear(slot)
            self._ids[slot] = None

    def _post(self, stem: str, part: int, slot: int) -> None:
        postings = self._postings.get(stem)
        if postings is None:
            postings = self._postings[stem] = [(), ()]
            bisect.insort(self._stems, stem)
        held = postings[part]
        postings[part] = held | (1 << slot) if isinstance(held, int) else _compact([*held, slot])

    def _clear(self, slot: int) -> None:
        """Take a slot out of every stem and group (its stems are not known: all are read)."""
        bit = 1 << slot
        for postings in self._postings.values():
            for part, held in enumerate(postings):
                if isinstance(held, int):
                    postings[part] = held & ~bit
                elif slot in held:
                    postings[part] = tuple(other for other in held if other != slot)
        for group, items in self._groups.items():
            self._groups[group] = items & ~bit

    # --- the search ----------------------------------------------------------------------------

    def _matched(self, term: str) -> Iterator[str]:
        """The indexed stems a wanted one matches (the rule of `_matching`)."""
        if term in self._postings:
            yield term
        if len(term) < PREFIX:
            return
        for length in range(PREFIX, len(term)):
            if term[:length] in self._postings:
                yield term[:length]
        position = bisect.bisect_right(self._stems, term)
        while position < len(self._stems) and self._stems[position].startswith(term):
            yield self._stems[position]
            position += 1

    def search(self, query: Query, group: int | None = None) -> list[int]:
        """The ids of the best items for the query (in one group, if given), best first."""
        counters: list[int] = []
        found = 0
        for term in query.terms:
            title = body = 0
            for stem in self._matched(term):
                in_title, in_body = self._postings[stem]
                title |= _bits(in_title)
                body |= _bits(in_body)
            body &= ~title
            _add(counters, title, TITLE_WEIGHT)
            _add(counters, body, BODY_WEIGHT)
            found |= title | body
        if group is not None:
            found &= self._groups.get(group, 0)
        best: list[int] = []
        while found and len(best) < query.limit:
            # The items of the highest score left: bit by bit from the top, keep those that
            # have it if any do.
            top, score = found, 0
            for level in reversed(range(len(counters))):
                if top & counters[level]:
                    top &= counters[level]
                    score |= 1 << level
            if score < query.minimum:
                break
            for in_group in sorted(self._groups):
                tied = top & self._groups[in_group]
                while tied and len(best) < query.limit:
                    lowest = tied & -tied
                    best.append(self._ids[lowest.bit_length() - 1])
                    tied ^= lowest
            found &= ~top
        return best


# --- ranking items in memory -------------------------------------------------------------------


def _matching(wanted: Iterable[str], available: frozenset[str]) -> set[str]:
    """The wanted terms found among the available ones, a stem that starts the other included.

    Stemmers leave some forms apart ('subsid' and 'subsidi'), and a query stemmed in the
    user's language may meet an entry in another one.
    """
    return {
        term
        for term in wanted
        if term in available
        or (
            len(term) >= PREFIX
            and (
                any(term[:length] in available for length in range(PREFIX, len(term)))
                or any(other.startswith(term) for other in available)
            )
        )
    }


def _score(wanted: frozenset[str], title: str, body: str, language: str) -> int:
    """How well an item's title and body match the wanted terms; title matches weigh double."""
    in_title = _matching(wanted, _terms(title, language))
    in_body = _matching(wanted - in_title, _terms(body, language))
    return TITLE_WEIGHT * len(in_title) + BODY_WEIGHT * len(in_body)


def ranked(
    query: Query, items: Iterable[T], fields: Callable[[T], tuple[str, str, str]]
) -> list[T]:
    """The items that score at least the query's minimum, best first, at most its limit, one by
    one; an `Index` of the same items ranks them exactly so, at once."""
    wanted = frozenset(query.terms)
    if not wanted:
        return []
    scored = []
    for position, item in enumerate(items):
        title, body, item_language = fields(item)
        score = _score(wanted, title, body, _known(item_language))
        if score >= query.minimum:
            scored.append((-score, position, item))
    scored.sort(key=lambda entry: entry[:2])
    return [item for _, _, item in scored[: query.limit]]


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
    return ranked(search(query, language, limit, minimum), items, fields)


def best_matches(
    query: str,
    language: str,
    items: Sequence[T],
    fields: Callable[[T], tuple[str, str, str]],
    limit: int = 3,
) -> list[T]:
    """FAQ entries worth offering before a question is sent: a title word or two body words.

    It stems every item's texts: for a stored FAQ, `offer` and the store's search are faster.
    """
    return ranked(Query(offer(query, language).terms, limit, 2), items, fields)
