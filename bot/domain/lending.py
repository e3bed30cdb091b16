"""The lending service's availability: computed from the reservations, never stored.

Dates are whole days; a loan runs from its pick-up day to its return day, both included. With
RETURN_FREES_SAME_DAY, gear returned on day D can go out again on day D: each day has a morning,
when returns come in, and the rest of the day, when gear is picked up. A loan then holds the
gear from the rest of its pick-up day to the morning of its return day, and a one-day loan
(picked up and returned the same day) holds the rest of that day, so two one-day loans on the
same day do need two. Without it, a loan holds every day from pick-up to return, both whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

RETURN_FREES_SAME_DAY = True  # a loan returned on day D does not block a pick-up on day D

STATES = (
    "requested",
    "approved",
    "partly_approved",  # the quantity is the approved part
    "picked_up",
    "returned",
    "cancelled",
    "rejected",
)
HOLDING = frozenset({"approved", "partly_approved", "picked_up"})  # these hold stock

# validate_period's reasons, in the order it checks them
REASONS = ("order", "past", "too_soon", "too_late", "too_long")


@dataclass(frozen=True, slots=True)
class Reservation:
    """A quantity of one item for a period; only HOLDING states take it from the stock."""

    item_id: int
    quantity: int
    pick_up: date
    return_on: date
    state: str

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown reservation state {self.state!r}")
        if self.quantity < 0:
            raise ValueError("a reservation's quantity cannot be negative")
        if self.return_on < self.pick_up:
            raise ValueError("a reservation cannot be returned before it is picked up")

    @property
    def holds_stock(self) -> bool:
        """Whether the reservation takes its quantity from the stock."""
        return self.state in HOLDING


def held_while_late(reservation: Reservation, today: date, until: date) -> Reservation:
    """A picked-up loan whose return day has passed holds its gear until it is back: for
    availability it runs to `until` (the end of the period asked), or its own return day when
    that is later. Any other reservation as it is."""
    if reservation.state == "picked_up" and reservation.return_on < today:
        return replace(reservation, return_on=max(reservation.return_on, until))
    return reservation


def loan_days(pick_up: date, return_on: date) -> int:
    """How many days a loan lasts, both ends included: a one-day loan lasts 1."""
    return (return_on - pick_up).days + 1


def _span(pick_up: date, return_on: date, same_day: bool) -> tuple[int, int]:
    """The half-days a loan holds the gear, first and last included (2d morning, 2d+1 rest)."""
    first, last = pick_up.toordinal() * 2, return_on.toordinal() * 2
    if same_day:
        return first + 1, max(last, first + 1)
    return first, last + 1


def _peak(spans: list[tuple[int, int, int]]) -> int:
    """The largest total quantity held at one moment; spans are (first, last, quantity)."""
    events: list[tuple[int, int]] = []
    for first, last, quantity in spans:
        events.append((first, quantity))
        events.append((last + 1, -quantity))
    events.sort()  # at the same moment, what ends (negative) goes before what starts
    held = peak = 0
    for _, change in events:
        held += change
        if held > peak:
            peak = held
    return peak


def _check(pick_up: date, return_on: date) -> None:
    if return_on < pick_up:
        raise ValueError("the return date comes before the pick-up date")


def free_per_item(
    stock_by_item: Mapping[int, int],
    reservations: Iterable[Reservation],
    pick_up: date,
    return_on: date,
) -> dict[int, int]:
    """Per catalog item, how many are free for the whole period: the stock minus the most
    that approved or picked-up reservations hold at any moment of it. Negative when the stock
    was lowered below what is promised. One pass over the reservations; reservations of items
    not in the catalog are ignored."""
    _check(pick_up, return_on)
    same_day = RETURN_FREES_SAME_DAY
    first, last = _span(pick_up, return_on, same_day)
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for reservation in reservations:
        # Whole days first (cheap, and never misses an overlap), then the exact half-days.
        if (
            reservation.pick_up > return_on
            or reservation.return_on < pick_up
            or reservation.state not in HOLDING
            or reservation.item_id not in stock_by_item
        ):
            continue
        start, end = _span(reservation.pick_up, reservation.return_on, same_day)
        if start > last or end < first:
            continue
        spans.setdefault(reservation.item_id, []).append(
            (max(start, first), min(end, last), reservation.quantity)
        )
    return {
        item: stock - (_peak(spans[item]) if item in spans else 0)
        for item, stock in stock_by_item.items()
    }


def free(stock: int, reservations: Iterable[Reservation], pick_up: date, return_on: date) -> int:
    """How many of one item (`reservations` are that item's) are free for the whole period."""
    _check(pick_up, return_on)
    same_day = RETURN_FREES_SAME_DAY
    first, last = _span(pick_up, return_on, same_day)
    spans = []
    for reservation in reservations:
        if (
            reservation.pick_up > return_on
            or reservation.return_on < pick_up
            or reservation.state not in HOLDING
        ):
            continue
        start, end = _span(reservation.pick_up, reservation.return_on, same_day)
        if start <= last and end >= first:
            spans.append((max(start, first), min(end, last), reservation.quantity))
    return stock - _peak(spans)


def nearest_free_dates(
    stock: int,
    reservations: Iterable[Reservation],
    wanted: int,
    length_days: int,
    after: date,
    horizon_days: int = 180,
) -> tuple[date, date] | None:
    """The first period of `length_days` days (a one-day loan is 1) starting on `after` or at
    most `horizon_days` later in which `wanted` of one item are free, as (pick-up, return);
    None when there is none."""
    if length_days < 1:
        raise ValueError("a loan lasts at least one day")
    if wanted > stock:
        return None
    same_day = RETURN_FREES_SAME_DAY
    end = after + timedelta(days=horizon_days + length_days - 1)
    base, top = after.toordinal() * 2, end.toordinal() * 2 + 1
    changes = [0] * (top - base + 2)
    for reservation in reservations:
        if (
            reservation.state not in HOLDING
            or reservation.pick_up > end
            or reservation.return_on < after
        ):
            continue
        start, stop = _span(reservation.pick_up, reservation.return_on, same_day)
        changes[max(start, base) - base] += reservation.quantity
        changes[min(stop, top) + 1 - base] -= reservation.quantity
    held, running = [], 0
    for change in changes[:-1]:
        running += change
        held.append(running)
    for offset in range(horizon_days + 1):
        start_day = after + timedelta(days=offset)
        return_day = start_day + timedelta(days=length_days - 1)
        first, last = _span(start_day, return_day, same_day)
        if stock - max(held[first - base : last - base + 1]) >= wanted:
            return start_day, return_day
    return None


def allowed_pick_ups(today: date, min_lead_days: int, max_lead_days: int) -> tuple[date, date]:
    """The first and the last day gear with these lead times can be picked up."""
    return today + timedelta(days=min_lead_days), today + timedelta(days=max_lead_days)


def validate_period(
    pick_up: date,
    return_on: date,
    today: date,
    min_lead_days: int,
    max_lead_days: int,
    max_length_days: int,
) -> str | None:
    """Why an item cannot be borrowed for this period, as one of REASONS, or None when it can:
    'order' (returned before picked up), 'past', 'too_soon' (less than `min_lead_days` ahead),
    'too_late' (more than `max_lead_days` ahead), 'too_long' (over `max_length_days` days, both
    ends included)."""
    lead = (pick_up - today).days
    if return_on < pick_up:
        return "order"
    if lead < 0:
        return "past"
    if lead < min_lead_days:
        return "too_soon"
    if lead > max_lead_days:
        return "too_late"
    if loan_days(pick_up, return_on) > max_length_days:
        return "too_long"
    return None
