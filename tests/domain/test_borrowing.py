"""Borrowing's rules: typed days, the catalog's window, the basket, what no longer fits, and the
nearest period in which a quantity is free."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.borrowing import (
    Window,
    change,
    misfits,
    nearest_period,
    parse_loan_day,
    pick_up_problem,
    return_problem,
    window,
)
from bot.domain.gear import GearItem
from bot.domain.lending import Reservation

TODAY = date(2026, 12, 1)
OTHERS = ("fr_BE", "en_IE")
TENT = GearItem(1, "Tent", "Tenten", 4, min_lead_days=2, max_lead_days=60, max_loan_days=7)
TABLE = GearItem(2, "Tafel", "Meubilair", 20, min_lead_days=0, max_lead_days=200, max_loan_days=3)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("12/03/2027", "nl_BE", date(2027, 3, 12)),
        ("12-3-27", "nl_BE", date(2027, 3, 12)),
        ("2027-03-12", "en", date(2027, 3, 12)),
        ("3/12/2027", "en", date(2027, 3, 12)),
        ("12 maart 2027", "nl_BE", date(2027, 3, 12)),
        ("zaterdag 19 december", "nl_BE", date(2026, 12, 19)),
        ("12 mars", "nl_BE", date(2027, 3, 12)),  # another language's month, the next one
        ("1er avril 2027", "fr_BE", date(2027, 4, 1)),
        ("  18/12/2026 ", "fr_BE", date(2026, 12, 18)),
    ],
)
def test_days_are_read_as_people_type_them(text, locale, expected):
    assert parse_loan_day(text, locale, TODAY, OTHERS) == expected


@pytest.mark.parametrize(
    "text", ["", "morgen", "31/02/2027", "12/03/2027 14:00", "12:00", "1" * 200, "12 13 2027"]
)
def test_what_is_no_day_is_none(text):
    assert parse_loan_day(text, "nl_BE", TODAY, OTHERS) is None


def test_the_window_spans_every_item():
    assert window([TENT, TABLE], TODAY) == Window(
        first=TODAY, last=TODAY + timedelta(days=200), longest=7
    )
    assert window([], TODAY) is None


def test_a_pick_up_no_item_allows_is_refused():
    catalog = Window(first=TODAY + timedelta(days=2), last=TODAY + timedelta(days=60), longest=7)
    assert pick_up_problem(TODAY - timedelta(days=1), TODAY, catalog) == "past"
    assert pick_up_problem(TODAY + timedelta(days=1), TODAY, catalog) == "too_soon"
    assert pick_up_problem(TODAY + timedelta(days=61), TODAY, catalog) == "too_late"
    assert pick_up_problem(TODAY + timedelta(days=2), TODAY, catalog) is None
    assert pick_up_problem(TODAY + timedelta(days=60), TODAY, catalog) is None


def test_a_return_no_item_allows_is_refused():
    catalog = Window(first=TODAY, last=TODAY + timedelta(days=60), longest=3)
    pick_up = TODAY + timedelta(days=5)
    assert return_problem(pick_up, pick_up - timedelta(days=1), catalog) == "order"
    assert return_problem(pick_up, pick_up, catalog) is None  # a one-day loan
    assert return_problem(pick_up, pick_up + timedelta(days=2), catalog) is None  # 3 days
    assert return_problem(pick_up, pick_up + timedelta(days=3), catalog) == "too_long"


def test_the_basket_changes_by_one_and_drops_empty_lines():
    basket = change({}, 1, 1)
    assert basket == {1: 1}
    assert change(basket, 1, 1) == {1: 2}
    assert change(basket, 1, -1) == {}
    assert change({}, 1, -1) == {}
    assert basket == {1: 1}  # the basket given is left alone


def test_misfits_name_every_line_that_no_longer_fits():
    pick_up, return_on = TODAY + timedelta(days=5), TODAY + timedelta(days=6)
    sport_only = GearItem(3, "Doelen", "Sport", 2, kinds=frozenset({"sport"}))
    found = misfits(
        {1: 3, 2: 5, 3: 1, 9: 1},
        {1: TENT, 2: TABLE, 3: sport_only},
        {1: 2, 2: 20, 3: 2},
        association_kind="youth",
        recognised=False,
        pick_up=pick_up,
        return_on=return_on,
        today=TODAY,
    )
    assert found == {1: "quantity", 3: "kind", 9: "gone"}


def test_the_nearest_period_starts_on_the_day_asked_or_later_within_the_lead_times():
    held = [Reservation(1, 3, TODAY + timedelta(days=5), TODAY + timedelta(days=10), "approved")]
    asked = TODAY + timedelta(days=6)
    # 2 of 4: one is free while the reservation lasts; two again from its return day on.
    assert nearest_period(TENT, held, 2, 3, TODAY, asked) == (
        TODAY + timedelta(days=10),
        TODAY + timedelta(days=12),
    )
    assert nearest_period(TENT, held, 1, 3, TODAY, asked) == (asked, asked + timedelta(days=2))
    assert nearest_period(TENT, held, 5, 3, TODAY, asked) is None  # more than the stock
    assert nearest_period(TENT, held, 1, 8, TODAY, asked) is None  # longer than it is lent
    assert nearest_period(TENT, held, 1, 3, TODAY, TODAY + timedelta(days=90)) is None  # too late
    # Asked too soon: the first day the lead time allows.
    assert nearest_period(TENT, [], 1, 1, TODAY, TODAY) == (
        TODAY + timedelta(days=2),
        TODAY + timedelta(days=2),
    )
