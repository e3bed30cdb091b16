"""The barometer: associations score the five kapstokken from 1 to 5, round after round."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from bot.domain.kapstokken import NUMBERS

SCORES = range(1, 6)
LOW = 2  # a score <= LOW asks for a follow-up
OPEN_DAYS = 14
REMINDER_AFTER = timedelta(days=7)
MAX_OPEN_DAYS = 60
MIN_OPEN_DAYS = 1


@dataclass(frozen=True, slots=True)
class Answer:
    """One association's answer in one round; `scores` maps kapstok number to score."""

    association_id: int
    scores: Mapping[int, int]
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """A round in numbers: per kapstok the average and who scored it low."""

    asked: int
    answered: int
    averages: dict[int, float | None]
    low: dict[int, list[int]]

    @property
    def response_rate(self) -> float | None:
        """The share of asked associations that answered; None when none were asked."""
        return self.answered / self.asked if self.asked else None


def is_valid_score(kapstok: int, score: int) -> bool:
    """Whether a kapstok number exists and the score is 1..5."""
    return kapstok in NUMBERS and score in SCORES


def complete(scores: Mapping[int, int]) -> bool:
    """Whether all five kapstokken, and nothing else, have a valid score."""
    return scores.keys() == NUMBERS and all(is_valid_score(k, s) for k, s in scores.items())


def low_kapstokken(scores: Mapping[int, int]) -> list[int]:
    """The kapstok numbers with a valid score of LOW or less, sorted."""
    return sorted(k for k, s in scores.items() if is_valid_score(k, s) and s <= LOW)


def summarize(asked: int, answers: Iterable[Answer]) -> RoundSummary:
    """Sum up a round; only complete answers count."""
    counted = [answer for answer in answers if complete(answer.scores)]
    numbers = sorted(NUMBERS)
    averages = {
        number: fmean(answer.scores[number] for answer in counted) if counted else None
        for number in numbers
    }
    low = {
        number: sorted(a.association_id for a in counted if a.scores[number] <= LOW)
        for number in numbers
    }
    return RoundSummary(asked=asked, answered=len(counted), averages=averages, low=low)


def change(current: RoundSummary, previous: RoundSummary | None) -> dict[int, float | None]:
    """Per kapstok, how much the average moved since the previous round; None if unknown."""
    changes: dict[int, float | None] = {}
    for number, average in current.averages.items():
        before = previous.averages.get(number) if previous is not None else None
        changes[number] = None if average is None or before is None else average - before
    return changes


def reminder_due(opened_at: datetime, closes_at: datetime, reminded: bool, now: datetime) -> bool:
    """Whether to remind: a week after opening, before closing, and only once."""
    return not reminded and opened_at + REMINDER_AFTER <= now < closes_at


def is_open(closes_at: datetime, closed: bool, now: datetime) -> bool:
    """Whether a round still takes answers."""
    return not closed and now < closes_at
