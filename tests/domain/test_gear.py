"""Gear items: names in a language, who may borrow them, and why one may not be chosen."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.gear import REASONS, GearItem, deposit_total, refusal

TODAY = date(2027, 3, 1)
TENT = GearItem(
    1,
    "Tent",
    "Tenten",
    4,
    name_fr="Tente",
    deposit_cents=5000,
    min_lead_days=14,
    max_lead_days=180,
    max_loan_days=3,
    kinds=frozenset({"youth"}),
    needs_recognition=True,
)


def ask(item=TENT, *, kind="youth", recognised=True, start=20, days=2, wanted=0, free=None):
    pick_up = TODAY + timedelta(days=start)
    return refusal(
        item,
        association_kind=kind,
        recognised=recognised,
        pick_up=pick_up,
        return_on=pick_up + timedelta(days=days - 1),
        today=TODAY,
        wanted=wanted,
        free=free,
    )


def test_names_fall_back_to_dutch():
    assert (TENT.name("fr"), TENT.name("en"), TENT.name("nl")) == ("Tente", "Tent", "Tent")


def test_an_item_for_everyone_lends_to_every_kind():
    everyone = GearItem(2, "Stoel", "Meubilair", 100)
    assert everyone.lends_to("sport") and everyone.lends_to("youth")
    assert TENT.lends_to("youth") and not TENT.lends_to("sport")


def test_a_good_choice_is_not_refused():
    assert ask(wanted=4, free=4) is None


def test_the_first_obstacle_is_the_one_told():
    assert ask(kind="sport", recognised=False, start=-1) == "kind"
    assert ask(recognised=False, start=-1) == "recognition"
    assert ask(start=-1) == "past"
    assert ask(start=3) == "too_soon"
    assert ask(start=181) == "too_late"
    assert ask(days=4) == "too_long"
    assert ask(wanted=5, free=4) == "quantity"
    assert set(REASONS) >= {"kind", "recognition", "quantity"}


def test_recognition_is_asked_only_by_items_that_need_it():
    chairs = GearItem(2, "Stoel", "Meubilair", 100)
    assert ask(chairs, kind="sport", recognised=False) is None


def test_the_quantity_is_checked_only_when_something_is_wanted_and_free_is_known():
    assert ask(wanted=9) is None
    assert ask(wanted=0, free=0) is None


def test_the_deposit_total_counts_every_piece():
    chairs = GearItem(2, "Stoel", "Meubilair", 100, deposit_cents=150)
    assert deposit_total({1: 2, 2: 10}, {1: TENT, 2: chairs}) == 2 * 5000 + 10 * 150
