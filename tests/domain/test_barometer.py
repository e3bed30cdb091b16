"""The barometer: valid scores, complete answers, round summaries, reminders and closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.barometer import (
    LOW,
    MAX_OPEN_DAYS,
    MIN_OPEN_DAYS,
    OPEN_DAYS,
    REMINDER_AFTER,
    SCORES,
    Answer,
    RoundSummary,
    change,
    complete,
    is_open,
    is_valid_score,
    low_kapstokken,
    reminder_due,
    summarize,
)

ALL_FOURS = {1: 4, 2: 4, 3: 4, 4: 4, 5: 4}
NO_AVERAGES = dict.fromkeys(range(1, 6))
NOBODY_LOW: dict[int, list[int]] = {number: [] for number in range(1, 6)}
OPENED = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
CLOSES = OPENED + timedelta(days=OPEN_DAYS)
SECOND = timedelta(seconds=1)


def scored(**changes: int) -> dict[int, int]:
    """All fours, with some kapstokken (k1..k5) scored otherwise."""
    return ALL_FOURS | {int(name[1:]): score for name, score in changes.items()}


def test_the_constants_fit_together():
    assert list(SCORES) == [1, 2, 3, 4, 5]
    assert LOW in SCORES
    assert MIN_OPEN_DAYS <= OPEN_DAYS <= MAX_OPEN_DAYS
    assert timedelta(days=MIN_OPEN_DAYS) <= REMINDER_AFTER < timedelta(days=OPEN_DAYS)


@pytest.mark.parametrize(("kapstok", "score"), [(1, 1), (5, 5), (3, 2)])
def test_valid_scores(kapstok, score):
    assert is_valid_score(kapstok, score)


@pytest.mark.parametrize(("kapstok", "score"), [(0, 3), (6, 3), (1, 0), (1, 6), (2, -1)])
def test_invalid_scores(kapstok, score):
    assert not is_valid_score(kapstok, score)


def test_complete_needs_all_five_valid_scores():
    assert complete(ALL_FOURS)
    assert complete({1: 1, 2: 2, 3: 3, 4: 4, 5: 5})
    assert not complete({})
    assert not complete({1: 4, 2: 4, 3: 4, 4: 4})
    assert not complete(scored(k3=0))
    assert not complete(scored(k5=6))
    assert not complete(ALL_FOURS | {6: 4})


def test_low_kapstokken_are_the_ones_scored_two_or_less_sorted():
    assert low_kapstokken(ALL_FOURS) == []
    assert low_kapstokken({5: 1, 2: 2, 3: 3}) == [2, 5]
    assert low_kapstokken(scored(k1=1, k4=2, k2=3)) == [1, 4]


def test_low_kapstokken_ignores_invalid_entries():
    assert low_kapstokken({1: 0, 7: 1, 2: 2}) == [2]


def test_an_empty_round():
    summary = summarize(0, [])
    assert summary == RoundSummary(asked=0, answered=0, averages=NO_AVERAGES, low=NOBODY_LOW)
    assert summary.response_rate is None


def test_a_round_nobody_answered():
    summary = summarize(12, [])
    assert summary.answered == 0
    assert summary.averages == NO_AVERAGES
    assert summary.response_rate == 0.0


def test_summarize_averages_per_kapstok_and_lists_low_scorers():
    answers = [
        Answer(10, scored(k1=2, k3=5), comment="We miss a contact person."),
        Answer(11, scored(k1=1)),
        Answer(12, scored(k1=3, k5=2)),
    ]
    summary = summarize(4, answers)
    assert summary.asked == 4
    assert summary.answered == 3
    assert summary.response_rate == 0.75
    assert summary.averages == {
        1: 2.0,
        2: 4.0,
        3: pytest.approx(13 / 3),
        4: 4.0,
        5: pytest.approx(10 / 3),
    }
    assert summary.low == {1: [10, 11], 2: [], 3: [], 4: [], 5: [12]}


def test_incomplete_answers_are_ignored():
    answers = [
        Answer(1, ALL_FOURS),
        Answer(2, {1: 1, 2: 1}),  # a board still filling it in
        Answer(3, scored(k2=9)),
        Answer(4, {}),
    ]
    summary = summarize(4, answers)
    assert summary.answered == 1
    assert summary.averages == dict.fromkeys(range(1, 6), 4.0)
    assert summary.low == NOBODY_LOW


def test_only_incomplete_answers_give_no_averages():
    summary = summarize(3, [Answer(1, {1: 1}), Answer(2, {2: 5})])
    assert summary.answered == 0
    assert summary.averages == NO_AVERAGES
    assert summary.low == NOBODY_LOW


def test_summarize_takes_any_iterable():
    summary = summarize(2, (answer for answer in [Answer(1, ALL_FOURS), Answer(2, ALL_FOURS)]))
    assert summary.answered == 2


@given(
    st.lists(
        st.fixed_dictionaries({number: st.sampled_from(SCORES) for number in range(1, 6)}),
        max_size=30,
    )
)
def test_averages_stay_within_the_scores(scores):
    summary = summarize(len(scores), [Answer(i, s) for i, s in enumerate(scores)])
    assert summary.answered == len(scores)
    for number, average in summary.averages.items():
        if scores:
            assert min(SCORES) <= average <= max(SCORES)
            low_ids = [i for i, s in enumerate(scores) if s[number] <= LOW]
            assert summary.low[number] == low_ids
        else:
            assert average is None


def test_change_is_the_difference_of_the_averages():
    previous = summarize(2, [Answer(1, scored(k1=2)), Answer(2, scored(k1=3))])
    current = summarize(2, [Answer(1, scored(k1=4, k2=3)), Answer(2, scored(k1=4))])
    assert change(current, previous) == {
        1: pytest.approx(1.5),
        2: pytest.approx(-0.5),
        3: 0.0,
        4: 0.0,
        5: 0.0,
    }


def test_change_without_a_previous_round_is_unknown():
    current = summarize(1, [Answer(1, ALL_FOURS)])
    assert change(current, None) == NO_AVERAGES


def test_change_is_unknown_when_either_round_has_no_averages():
    answered = summarize(1, [Answer(1, ALL_FOURS)])
    empty = summarize(1, [])
    assert change(answered, empty) == NO_AVERAGES
    assert change(empty, answered) == NO_AVERAGES
    assert change(empty, empty) == NO_AVERAGES


def test_change_with_a_partial_previous_summary():
    current = summarize(1, [Answer(1, ALL_FOURS)])
    previous = RoundSummary(asked=1, answered=1, averages={1: 3.0, 2: None}, low={})
    assert change(current, previous) == {1: 1.0, 2: None, 3: None, 4: None, 5: None}


def test_no_reminder_in_the_first_week():
    assert not reminder_due(OPENED, CLOSES, False, OPENED)
    assert not reminder_due(OPENED, CLOSES, False, OPENED + REMINDER_AFTER - SECOND)


def test_a_reminder_is_due_from_a_week_after_opening():
    assert reminder_due(OPENED, CLOSES, False, OPENED + REMINDER_AFTER)
    assert reminder_due(OPENED, CLOSES, False, CLOSES - SECOND)


def test_no_second_reminder():
    assert not reminder_due(OPENED, CLOSES, True, OPENED + REMINDER_AFTER)


def test_no_reminder_once_the_round_closes():
    assert not reminder_due(OPENED, CLOSES, False, CLOSES)
    short = OPENED + timedelta(days=MIN_OPEN_DAYS)
    assert not reminder_due(OPENED, short, False, OPENED + REMINDER_AFTER)


def test_a_round_is_open_until_it_closes():
    assert is_open(CLOSES, False, OPENED)
    assert is_open(CLOSES, False, CLOSES - SECOND)
    assert not is_open(CLOSES, False, CLOSES)
    assert not is_open(CLOSES, False, CLOSES + SECOND)


def test_a_round_closed_early_is_not_open():
    assert not is_open(CLOSES, True, OPENED)
