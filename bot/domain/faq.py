"""The frequently asked questions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FaqEntry:
    faq_id: int
    kapstok: int
    language: str
    question: str
    answer: str
