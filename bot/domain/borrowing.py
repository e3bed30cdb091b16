"""Borrowing gear as a board member chooses it: a day typed in figures or words, the period held
against the whole catalog, a basket of quantities, what no longer fits when it is submitted,
and the nearest period in which what was asked is free.

The per-item rule is gear.refusal; this module only adds what concerns the catalog as a whole
(the dates step, before any item is chosen) and the basket.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.activities import parse_typed_moment
from bot.domain.gear import GearItem, refusal
from bot.domain.lending import Reservation, loan_days, nearest_free_dates

MAX_NOTE = 1000  # characters of the board's note
MAX_TYPED_DAY = 60  # characters: longer is no date


def parse_loan_day(text: str, locale: str, today: date, others: Sequence[str] = ()) -> date | None:
    """A day as typed: '12/03/2027', '2027-03-12', '12 maart 2027', 'sam. 12 mars', '12 maart'
    (the next one); figures in the locale's order (dates.parse_day), month and day names in the
    locale first, then in `others`. None for anything else."""
    text = text.strip()
    if not text or len(text) > MAX_TYPED_DAY or ":" in text:
        return None
    # The activities' reader takes a day and a time: give it a time, so both read days alike.
    typed = parse_typed_moment(f"{text} 12:00", locale, today, others)
    return typed[0] if typed is not None else None


@dataclass(frozen=True)
class Window:
    """What the catalog as a whole allows: the earliest and the latest pick-up of any item, and
    the longest loan of any item (days, both ends included)."""

    first: date
    last: date
    longest: int


def window(items: Iterable[GearItem], today: date) -> Window | None:
    """The catalog's window from `today`; None for an empty catalog."""
    items = list(items)
    if not items:
        return None
    return Window(
        first=today + timedelta(days=min(item.min_lead_days for item in items)),
        last=today + timedelta(days=max(item.max_lead_days for item in items)),
        longest=max(item.max_loan_days for item in items),
    )


# pick_up_problem's and return_problem's reasons
DAY_REASONS = ("past", "too_soon", "too_late", "order", "too_long")


def pick_up_problem(day: date, today: date, catalog: Window) -> str | None:
    """Why no item at all can be picked up on `day`: 'past', 'too_soon', 'too_late'; or None."""
    if day < today:
        return "past"
    if day < catalog.first:
        return "too_soon"
    if day > catalog.last:
        return "too_late"
    return None


def return_problem(pick_up: date, return_on: date, catalog: Window) -> str | None:
    """Why no item at all can be borrowed until `return_on`: 'order' (before the pick-up),
    'too_long' (longer than any item is lent); or None."""
    if return_on < pick_up:
        return "order"
    if loan_days(pick_up, return_on) > catalog.longest:
        return "too_long"
    return None


def change(basket: Mapping[int, int], item_id: int, by: int) -> dict[int, int]:
    """The basket with `by` more (or fewer) of one item; a line that drops to 0 goes."""
    changed = dict(basket)
    quantity = changed.get(item_id, 0) + by
    if quantity > 0:
        changed[item_id] = quantity
    else:
        changed.pop(item_id, None)
    return changed


def misfits(
    basket: Mapping[int, int],
    items: Mapping[int, GearItem],
    free: Mapping[int, int],
    *,
    association_kind: str,
    recognised: bool,
    pick_up: date,
    return_on: date,
    today: date,
) -> dict[int, str]:
    """Per item id of the basket that may not be had as it is now: gear.refusal's reason, or
    'gone' for an item no longer in the catalog. Empty when everything fits."""
    found = {}
    for item_id, wanted in sorted(basket.items()):
        item = items.get(item_id)
        if item is None or not item.active:
            found[item_id] = "gone"
            continue
        reason = refusal(
            item,
            association_kind=association_kind,
            recognised=recognised,
            pick_up=pick_up,
            return_on=return_on,
            today=today,
            wanted=wanted,
            free=free.get(item_id, 0),
        )
        if reason is not None:
            found[item_id] = reason
    return found


def nearest_period(
    item: GearItem,
    reservations: Iterable[Reservation],
    wanted: int,
    length_days: int,
    today: date,
    after: date,
) -> tuple[date, date] | None:
    """The first period of `length_days`, picked up on `after` (the day asked) or later, in
    which `wanted` of the item are free and that the item's lead times allow, as (pick-up,
    return); None when there is none."""
    if length_days > item.max_loan_days:
        return None
    first = max(after, today + timedelta(days=item.min_lead_days))
    horizon = (today + timedelta(days=item.max_lead_days) - first).days
    if horizon < 0:
        return None
    return nearest_free_dates(item.stock, reservations, wanted, length_days, first, horizon)
