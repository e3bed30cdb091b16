"""Availability of the lending service's gear: the edges of a period, states, and the rules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import lending
from bot.domain.lending import (
    HOLDING,
    REASONS,
    STATES,
    Reservation,
    allowed_pick_ups,
    free,
    free_per_item,
    loan_days,
    nearest_free_dates,
    validate_period,
)

DAY = date(2027, 6, 7)  # a Monday
TENTS, CHAIRS, PODIUM = 1, 2, 3


def day(offset: int) -> date:
    return DAY + timedelta(days=offset)


def loan(first: int, last: int, quantity: int = 1, state: str = "approved", item: int = TENTS):
    """A reservation from DAY+first to DAY+last."""
    return Reservation(item, quantity, day(first), day(last), state)


@contextmanager
def same_day(value: bool) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lending, "RETURN_FREES_SAME_DAY", value)
        yield


@pytest.fixture(params=[True, False], ids=["return-frees-same-day", "whole-days"])
def rule(request: pytest.FixtureRequest) -> Iterator[bool]:
    with same_day(request.param):
        yield request.param


def test_the_default_rule_frees_gear_on_its_return_day() -> None:
    assert lending.RETURN_FREES_SAME_DAY is True


# A return on the day of the next pick-up


def test_a_return_frees_the_gear_for_a_pick_up_the_same_day() -> None:
    assert free(1, [loan(0, 3)], day(3), day(5)) == 1
    assert free(1, [loan(3, 5)], day(0), day(3)) == 1


def test_without_the_rule_a_return_blocks_a_pick_up_the_same_day() -> None:
    with same_day(False):
        assert free(1, [loan(0, 3)], day(3), day(5)) == 0
        assert free(1, [loan(3, 5)], day(0), day(3)) == 0
        assert free(1, [loan(0, 3)], day(4), day(5)) == 1


def test_a_chain_of_loans_handing_the_gear_on_needs_one() -> None:
    chain = [loan(0, 2), loan(2, 4), loan(4, 6)]
    assert free(1, chain, day(-5), day(10)) == 0
    assert free(1, chain, day(6), day(8)) == 1
    assert free(1, chain, day(-3), day(0)) == 1
    with same_day(False):
        assert free(2, chain, day(-5), day(10)) == 0  # two hold on day 2 and on day 4
        assert free(2, chain, day(5), day(5)) == 1


def test_a_period_overlapping_a_loan_by_one_day_is_blocked(rule: bool) -> None:
    assert free(1, [loan(0, 3)], day(2), day(5)) == 0
    assert free(1, [loan(3, 5)], day(0), day(4)) == 0


def test_a_period_between_two_loans_fits_exactly_with_the_rule() -> None:
    around = [loan(0, 3), loan(6, 9)]
    assert free(1, around, day(3), day(6)) == 1
    with same_day(False):
        assert free(1, around, day(3), day(6)) == 0
        assert free(1, around, day(4), day(5)) == 1


# One-day loans


def test_a_one_day_loan_takes_its_day(rule: bool) -> None:
    assert free(2, [loan(4, 4)], day(4), day(4)) == 1
    assert free(2, [loan(4, 4), loan(4, 4)], day(4), day(4)) == 0
    assert free(1, [loan(4, 4)], day(0), day(10)) == 0


def test_a_one_day_loan_leaves_the_days_around_it_free(rule: bool) -> None:
    assert free(1, [loan(4, 4)], day(3), day(3)) == 1
    assert free(1, [loan(4, 4)], day(5), day(5)) == 1
    assert free(1, [loan(3, 3), loan(5, 5)], day(4), day(4)) == 1


def test_a_one_day_loan_after_a_return_that_day() -> None:
    assert free(1, [loan(0, 4)], day(4), day(4)) == 1
    with same_day(False):
        assert free(1, [loan(0, 4)], day(4), day(4)) == 0


def test_a_one_day_loan_blocks_a_pick_up_the_same_day(rule: bool) -> None:
    """It is picked up that day too: only a loan returned that day hands the gear on."""
    assert free(1, [loan(4, 4)], day(4), day(6)) == 0
    assert free(1, [loan(4, 6)], day(4), day(4)) == 0


def test_a_one_day_loan_before_a_pick_up_the_next_day(rule: bool) -> None:
    assert free(1, [loan(4, 4)], day(5), day(5)) == 1
    assert free(1, [loan(5, 8)], day(4), day(4)) == 1


# States, partial approvals and cancellations


@pytest.mark.parametrize("state", STATES)
def test_only_approved_and_picked_up_reservations_hold_stock(state: str) -> None:
    holds = state in {"approved", "partly_approved", "picked_up"}
    assert free(5, [loan(0, 3, quantity=2, state=state)], day(1), day(2)) == (3 if holds else 5)
    assert loan(0, 3, state=state).holds_stock is holds
    assert (state in HOLDING) is holds


def test_a_partial_approval_holds_the_approved_part_only() -> None:
    requested = loan(0, 3, quantity=10, state="requested")
    partly = loan(0, 3, quantity=4, state="partly_approved")
    assert free(10, [partly], day(1), day(1)) == 6
    assert free(10, [requested], day(1), day(1)) == 10


def test_a_cancellation_frees_what_was_approved() -> None:
    approved = loan(0, 3, quantity=3)
    cancelled = Reservation(
        approved.item_id, approved.quantity, approved.pick_up, approved.return_on, "cancelled"
    )
    assert free(3, [approved], day(2), day(4)) == 0
    assert free(3, [cancelled], day(2), day(4)) == 3


def test_a_rejection_and_an_early_return_free_the_gear() -> None:
    assert free(2, [loan(0, 9, quantity=2, state="rejected")], day(1), day(1)) == 2
    assert free(2, [loan(0, 9, quantity=2, state="returned")], day(1), day(1)) == 2


def test_an_overdue_loan_still_picked_up_holds_its_return_day_and_before() -> None:
    assert free(1, [loan(0, 3, state="picked_up")], day(1), day(1)) == 0


# The whole period: the peak, not the sum


def test_loans_one_after_the_other_in_the_period_count_once() -> None:
    one_after_the_other = [loan(0, 1, 3), loan(3, 4, 2), loan(6, 7, 3)]
    assert free(5, one_after_the_other, day(0), day(7)) == 2


def test_loans_that_meet_in_the_period_add_up() -> None:
    meeting = [loan(0, 4, 3), loan(3, 8, 2), loan(7, 9, 4)]
    assert free(10, meeting, day(0), day(9)) == 4  # 2 + 4 on days 7 and 8
    assert free(10, meeting, day(0), day(5)) == 5  # 3 + 2 on days 3 and 4
    assert free(10, meeting, day(9), day(9)) == 10  # the last one is returned that morning
    with same_day(False):
        assert free(10, meeting, day(0), day(9)) == 4
        assert free(10, meeting, day(9), day(9)) == 6


def test_loans_outside_the_period_do_not_count(rule: bool) -> None:
    assert free(2, [loan(-10, -2, 2), loan(12, 20, 2)], day(0), day(10)) == 2


def test_a_loan_covering_the_whole_period_counts(rule: bool) -> None:
    assert free(4, [loan(-30, 30, 3)], day(0), day(2)) == 1


def test_free_is_negative_when_the_stock_was_lowered_below_what_is_promised() -> None:
    assert free(2, [loan(0, 3, 3)], day(1), day(2)) == -1


def test_no_reservations_leave_the_whole_stock() -> None:
    assert free(7, [], day(0), day(0)) == 7
    assert free_per_item({}, [loan(0, 1)], day(0), day(1)) == {}


def test_a_period_returned_before_it_is_picked_up_is_refused() -> None:
    with pytest.raises(ValueError):
        free(1, [], day(2), day(1))
    with pytest.raises(ValueError):
        free_per_item({TENTS: 1}, [], day(2), day(1))


@pytest.mark.parametrize(
    ("item_id", "quantity", "pick_up", "return_on", "state"),
    [
        (TENTS, 1, day(1), day(0), "approved"),
        (TENTS, -1, day(0), day(0), "approved"),
        (TENTS, 1, day(0), day(0), "lost"),
    ],
)
def test_an_impossible_reservation_is_refused(
    item_id: int, quantity: int, pick_up: date, return_on: date, state: str
) -> None:
    with pytest.raises(ValueError):
        Reservation(item_id, quantity, pick_up, return_on, state)


def test_a_reservation_is_frozen() -> None:
    with pytest.raises(AttributeError):
        loan(0, 1).quantity = 2  # type: ignore[misc]


# The whole catalog


def test_free_per_item_keeps_the_items_apart() -> None:
    reservations = [
        loan(0, 3, 2, item=TENTS),
        loan(2, 5, 30, item=CHAIRS),
        loan(2, 5, 40, item=CHAIRS, state="cancelled"),
        loan(1, 1, 1, item=99),  # not in the catalog (any more)
    ]
    stock = {TENTS: 4, CHAIRS: 100, PODIUM: 1}
    assert free_per_item(stock, reservations, day(1), day(3)) == {TENTS: 2, CHAIRS: 70, PODIUM: 1}
    assert free_per_item(stock, reservations, day(4), day(6)) == {
        TENTS: 4,
        CHAIRS: 70,
        PODIUM: 1,
    }


def test_free_per_item_reads_the_reservations_once() -> None:
    once = iter([loan(0, 3, 2, item=TENTS), loan(0, 3, 5, item=CHAIRS)])
    assert free_per_item({TENTS: 2, CHAIRS: 5}, once, day(0), day(0)) == {TENTS: 0, CHAIRS: 0}


# The nearest dates with enough free


def test_the_nearest_dates_are_the_asked_ones_when_enough_is_free() -> None:
    assert nearest_free_dates(3, [loan(0, 3, 1)], 2, 3, day(0)) == (day(0), day(2))


def test_the_nearest_dates_start_on_the_return_day_of_what_blocks() -> None:
    assert nearest_free_dates(3, [loan(0, 3, 2)], 2, 3, day(0)) == (day(3), day(5))
    with same_day(False):
        assert nearest_free_dates(3, [loan(0, 3, 2)], 2, 3, day(0)) == (day(4), day(6))


def test_the_nearest_dates_fit_a_gap_between_loans() -> None:
    reservations = [loan(0, 3, 1), loan(5, 9, 1), loan(14, 20, 1)]
    assert nearest_free_dates(1, reservations, 1, 2, day(0)) == (day(3), day(4))
    assert nearest_free_dates(1, reservations, 1, 4, day(0)) == (day(9), day(12))
    assert nearest_free_dates(1, reservations, 1, 1, day(0)) == (day(3), day(3))
    with same_day(False):
        assert nearest_free_dates(1, reservations, 1, 2, day(0)) == (day(10), day(11))
        assert nearest_free_dates(1, reservations, 1, 1, day(0)) == (day(4), day(4))


def test_the_nearest_dates_ignore_what_holds_no_stock() -> None:
    reservations = [loan(0, 9, 1, state="cancelled"), loan(0, 9, 1, state="requested")]
    assert nearest_free_dates(1, reservations, 1, 3, day(0)) == (day(0), day(2))


def test_no_nearest_dates_when_more_is_wanted_than_in_stock() -> None:
    assert nearest_free_dates(2, [], 3, 1, day(0)) is None


def test_no_nearest_dates_within_the_horizon() -> None:
    blocked = [loan(0, 40, 1)]
    assert nearest_free_dates(1, blocked, 1, 1, day(0), horizon_days=30) is None
    assert nearest_free_dates(1, blocked, 1, 1, day(0), horizon_days=40) == (day(40), day(40))
    assert nearest_free_dates(1, blocked, 1, 1, day(0), horizon_days=0) is None


def test_the_nearest_dates_need_a_loan_of_a_day_at_least() -> None:
    with pytest.raises(ValueError):
        nearest_free_dates(1, [], 1, 0, day(0))


# The rules of a period


@pytest.mark.parametrize(
    ("pick_up", "return_on", "reason"),
    [
        (day(20), day(19), "order"),
        (day(-1), day(2), "past"),
        (day(-5), day(-6), "order"),  # the order goes first
        (day(0), day(0), "too_soon"),
        (day(13), day(14), "too_soon"),
        (day(14), day(14), None),  # exactly the minimum lead time
        (day(180), day(186), None),  # exactly the maximum lead time and length
        (day(181), day(181), "too_late"),
        (day(14), day(21), "too_long"),
        (day(14), day(20), None),
    ],
)
def test_validate_period(pick_up: date, return_on: date, reason: str | None) -> None:
    assert validate_period(pick_up, return_on, DAY, 14, 180, 7) == reason
    assert reason is None or reason in REASONS


def test_validate_period_without_lead_time_allows_today() -> None:
    assert validate_period(DAY, DAY, DAY, 0, 30, 1) is None
    assert validate_period(DAY, day(1), DAY, 0, 30, 1) == "too_long"


def test_loan_days_and_allowed_pick_ups() -> None:
    assert loan_days(day(0), day(0)) == 1
    assert loan_days(day(4), day(7)) == 4
    assert allowed_pick_ups(DAY, 14, 180) == (day(14), day(180))


# Against a brute force, day by day


def brute_force_free(
    stock: int, reservations: list[Reservation], pick_up: date, return_on: date, rule: bool
) -> int:
    """Day by day: with the rule, each day has a morning (returns) and the rest of the day
    (pick-ups); without it, whole days."""

    def parts(first: date, last: date, when: date) -> set[str]:
        if not rule:
            return {"morning", "rest"} if first <= when <= last else set()
        held = set()
        if first < when <= last:
            held.add("morning")  # picked up before, not returned yet this morning
        if first <= when < last or first == when == last:
            held.add("rest")
        return held

    lowest = stock
    when = pick_up
    while when <= return_on:
        for part in parts(pick_up, return_on, when):
            taken = sum(
                r.quantity
                for r in reservations
                if r.state in ("approved", "partly_approved", "picked_up")
                and part in parts(r.pick_up, r.return_on, when)
            )
            lowest = min(lowest, stock - taken)
        when += timedelta(days=1)
    return lowest


@st.composite
def reservations(draw: st.DrawFn) -> Reservation:
    first = draw(st.integers(min_value=-3, max_value=20))
    length = draw(st.integers(min_value=0, max_value=8))
    return Reservation(
        draw(st.integers(min_value=1, max_value=4)),
        draw(st.integers(min_value=0, max_value=5)),
        day(first),
        day(first + length),
        draw(st.sampled_from(STATES)),
    )


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.integers(min_value=1, max_value=3), st.integers(min_value=0, max_value=12)),
    st.lists(reservations(), max_size=25),
    st.integers(min_value=0, max_value=18),
    st.integers(min_value=0, max_value=6),
    st.booleans(),
)
def test_free_per_item_agrees_with_a_brute_force(
    stock: dict[int, int], made: list[Reservation], first: int, length: int, rule: bool
) -> None:
    pick_up, return_on = day(first), day(first + length)
    with same_day(rule):
        computed = free_per_item(stock, made, pick_up, return_on)
        for item, quantity in stock.items():
            mine = [r for r in made if r.item_id == item]
            expected = brute_force_free(quantity, mine, pick_up, return_on, rule)
            assert computed[item] == expected
            assert free(quantity, mine, pick_up, return_on) == expected
    assert computed.keys() == stock.keys()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=6),
    st.lists(reservations(), max_size=15),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=25),
    st.booleans(),
)
def test_nearest_free_dates_agree_with_trying_every_start(
    stock: int, made: list[Reservation], wanted: int, length: int, horizon: int, rule: bool
) -> None:
    with same_day(rule):
        expected = next(
            (
                (day(offset), day(offset + length - 1))
                for offset in range(horizon + 1)
                if free(stock, made, day(offset), day(offset + length - 1)) >= wanted
            ),
            None,
        )
        assert nearest_free_dates(stock, made, wanted, length, day(0), horizon) == expected


def test_a_late_loan_holds_until_the_end_of_the_period_asked_and_others_are_as_they_are():
    from bot.domain.lending import held_while_late

    today, until = date(2027, 3, 3), date(2027, 3, 12)
    late = Reservation(1, 2, date(2027, 2, 26), date(2027, 2, 28), "picked_up")
    assert held_while_late(late, today, until).return_on == until
    on_time = Reservation(1, 2, date(2027, 3, 1), date(2027, 3, 5), "picked_up")
    assert held_while_late(on_time, today, until) == on_time
    approved = Reservation(1, 2, date(2027, 2, 26), date(2027, 2, 28), "approved")
    assert held_while_late(approved, today, until) == approved
    assert free(2, [held_while_late(late, today, until)], date(2027, 3, 10), until) == 0
