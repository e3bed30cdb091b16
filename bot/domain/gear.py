"""The lending service's catalog items, and why an association may not choose one.

`refusal` is the whole rule a board member meets while choosing gear, checked in a fixed order
so the first obstacle is the one told: the kind of association, recognition, the period (lending
`validate_period`), then the quantity against what is free for the whole period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.lending import validate_period

# refusal's reasons, in the order it checks them (the period's reasons are lending.REASONS)
REASONS = ("kind", "recognition", "order", "past", "too_soon", "too_late", "too_long", "quantity")


@dataclass(frozen=True)
class GearItem:
    item_id: int
    name_nl: str
    category: str
    stock: int
    name_fr: str | None = None
    name_en: str | None = None
    unit: str = ""
    photo_file_id: str | None = None
    deposit_cents: int = 0
    min_lead_days: int = 0
    max_lead_days: int = 365
    max_loan_days: int = 14
    kinds: frozenset[str] = frozenset()  # empty: every kind may borrow it
    needs_recognition: bool = False
    note: str = ""
    pick_up_info: str = ""
    active: bool = True

    def name(self, language: str) -> str:
        """The item's name in `language` when it has one, else its Dutch name."""
        return {"fr": self.name_fr, "en": self.name_en}.get(language) or self.name_nl

    def lends_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


def refusal(
    item: GearItem,
    *,
    association_kind: str,
    recognised: bool,
    pick_up: date,
    return_on: date,
    today: date,
    wanted: int = 0,
    free: int | None = None,
) -> str | None:
    """Why this association may not have `wanted` of the item for the period, as one of
    REASONS, or None when it may. `free` is how many are free for the whole period (lending
    free); the quantity is checked only when it is given and something is wanted."""
    if not item.lends_to(association_kind):
        return "kind"
    if item.needs_recognition and not recognised:
        return "recognition"
    period = validate_period(
        pick_up, return_on, today, item.min_lead_days, item.max_lead_days, item.max_loan_days
    )
    if period is not None:
        return period
    if free is not None and wanted > free:
        return "quantity"
    return None


def deposit_total(lines: dict[int, int], items: dict[int, GearItem]) -> int:
    """The deposit for these quantities per item id, in cents."""
    return sum(items[item_id].deposit_cents * quantity for item_id, quantity in lines.items())
