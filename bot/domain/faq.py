"""The frequently asked questions: an entry, and what a question and an answer may be."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# A question is a button's label and a message's title; question and answer shown together
# may need two messages (4,096 characters each).
MAX_QUESTION = 300
MAX_ANSWER = 4000
# One CSV import adds at most this many entries; a larger FAQ comes in several files.
MAX_IMPORT = 1000
# What Telegram shows as nothing: spaces, line breaks, control and invisible format characters.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


@dataclass(frozen=True, slots=True)
class FaqEntry:
    faq_id: int
    kapstok: int
    language: str
    question: str
    answer: str


def is_blank(text: str | None) -> bool:
    """Whether a text shows nothing: empty after trimming, or only invisible characters."""
    return not text or all(unicodedata.category(ch) in _INVISIBLE for ch in text)


def label(entry: FaqEntry, length: int = 64) -> str:
    """The entry's question as a button shows it; its number if the question shows nothing
    (an entry stored before empty questions were refused)."""
    question = entry.question.strip()
    return question[:length] if not is_blank(question[:length]) else f"#{entry.faq_id}"
