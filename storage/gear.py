"""The lending service's catalog: the items liaison officers keep."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from bot.domain.gear import GearItem
from bot.domain.gear_catalog import Held, ImportPlan
from bot.domain.lending import HOLDING, Reservation
from storage.database import Database, Row
from storage.timestamps import to_text

_FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "category",
    "stock",
    "unit",
    "photo_file_id",
    "deposit_cents",
    "min_lead_days",
    "max_lead_days",
    "max_loan_days",
    "kinds",
    "needs_recognition",
    "note",
    "pick_up_info",
)
_COLUMNS = ", ".join(("item_id", *_FIELDS, "active"))
_HOLDING = ", ".join(f"'{state}'" for state in sorted(HOLDING))


def _item(row: Row) -> GearItem:
    return GearItem(
        item_id=row["item_id"],
        name_nl=row["name_nl"],
        name_fr=row["name_fr"],
        name_en=row["name_en"],
        category=row["category"],
        stock=row["stock"],
        unit=row["unit"],
        photo_file_id=row["photo_file_id"],
        deposit_cents=row["deposit_cents"],
        min_lead_days=row["min_lead_days"],
        max_lead_days=row["max_lead_days"],
        max_loan_days=row["max_loan_days"],
        kinds=frozenset(kind for kind in row["kinds"].split(",") if kind),
        needs_recognition=bool(row["needs_recognition"]),
        note=row["note"],
        pick_up_info=row["pick_up_info"],
        active=bool(row["active"]),
    )


def _values(item: GearItem) -> tuple:
    return (
        item.name_nl,
        item.name_fr,
        item.name_en,
        item.category,
        item.stock,
        item.unit,
        item.photo_file_id,
        item.deposit_cents,
        item.min_lead_days,
        item.max_lead_days,
        item.max_loan_days,
        ",".join(sorted(item.kinds)),
        int(item.needs_recognition),
        item.note,
        item.pick_up_info,
    )


class GearRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, item: GearItem) -> GearItem:
        """A new item with `item`'s fields (its item_id is ignored); returns it."""
        now = to_text(self._db.now())
        item_id = await self._db.insert(
            f"INSERT INTO gear_items ({', '.join(_FIELDS)}, created_at, updated_at)"
            f" VALUES ({', '.join('?' * len(_FIELDS))}, ?, ?)",
            (*_values(item), now, now),
        )
        return await self.get(item_id)

    async def update(self, item: GearItem) -> GearItem | None:
        """Write every field of `item` over the active item with its id; None when there is
        no such item."""
        changed = await self._db.write(
            f"UPDATE gear_items SET {', '.join(f'{field} = ?' for field in _FIELDS)},"
            " updated_at = ? WHERE item_id = ? AND active = 1",
            (*_values(item), to_text(self._db.now()), item.item_id),
        )
        return await self.get(item.item_id) if changed else None

    async def remove(self, item_id: int) -> bool:
        """Take the item out of the catalog (requests naming it keep it)."""
        changed = await self._db.write(
            "UPDATE gear_items SET active = 0, updated_at = ? WHERE item_id = ? AND active = 1",
            (to_text(self._db.now()), item_id),
        )
        return changed == 1

    async def get(self, item_id: int) -> GearItem | None:
        """The item, also when it was removed from the catalog."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM gear_items WHERE item_id = ?", (item_id,)
        )
        return _item(row) if row else None

    async def named(self, name_nl: str) -> GearItem | None:
        """The active item with this Dutch name, in any case."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM gear_items WHERE lower(name_nl) = lower(?) AND active = 1",
            (name_nl,),
        )
        return _item(row) if row else None

    async def catalog(self) -> list[GearItem]:
        """Every active item, by category and name."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM gear_items WHERE active = 1"
            " ORDER BY category COLLATE NOCASE, name_nl COLLATE NOCASE, item_id"
        )
        return [_item(row) for row in rows]

    async def many(self, item_ids: Iterable[int]) -> dict[int, GearItem]:
        """The items with these ids (also removed ones), by id."""
        ids = sorted(set(item_ids))
        if not ids:
            return {}
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM gear_items WHERE item_id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        return {row["item_id"]: _item(row) for row in rows}

    # --- kept by liaison officers --------------------------------------------------------------

    async def categories(self) -> list[str]:
        """The categories of the active items, in order."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT category FROM gear_items WHERE active = 1"
            " ORDER BY category COLLATE NOCASE"
        )
        return [row["category"] for row in rows]

    async def set_photo(self, item_id: int, photo_file_id: str | None) -> bool:
        changed = await self._db.write(
            "UPDATE gear_items SET photo_file_id = ?, updated_at = ? WHERE item_id = ?"
            " AND active = 1",
            (photo_file_id, to_text(self._db.now()), item_id),
        )
        return changed == 1

    async def apply_import(self, plan: ImportPlan) -> bool:
        """Add and update the plan's items in one transaction: all or nothing. False (nothing
        written) when an item to update is gone, or a name to add was taken meanwhile."""
        now = to_text(self._db.now())
        try:
            async with self._db.transaction(savepoint=True):
                for item in plan.updated:
                    changed = await self._db.write(
                        f"UPDATE gear_items SET {', '.join(f'{f} = ?' for f in _FIELDS)},"
                        " updated_at = ? WHERE item_id = ? AND active = 1",
                        (*_values(item), now, item.item_id),
                    )
                    if changed != 1:
                        raise _Gone
                for item in plan.added:
                    await self._db.insert(
                        f"INSERT INTO gear_items ({', '.join(_FIELDS)}, created_at, updated_at)"
                        f" VALUES ({', '.join('?' * len(_FIELDS))}, ?, ?)",
                        (*_values(item), now, now),
                    )
        except (_Gone, sqlite3.IntegrityError):
            return False
        return True

    async def holding(self, item_id: int, first: date) -> list[Held]:
        """The approved, partly approved and picked-up requests' quantities of one item whose
        return day is `first` or later, with their association's name."""
        rows = await self._db.fetchall(
            "SELECT r.request_id, a.name, COALESCE(l.approved, l.quantity) AS quantity,"
            " g.pick_up, g.return_on, r.status FROM gear_request_lines l"
            " JOIN gear_requests g USING (request_id) JOIN support_requests r USING (request_id)"
            " JOIN associations a ON a.association_id = r.association_id"
            f" WHERE l.item_id = ? AND r.status IN ({_HOLDING}) AND g.return_on >= ?"
            " ORDER BY r.request_id",
            (item_id, first.isoformat()),
        )
        return [
            Held(
                request_id=row["request_id"],
                association=row["name"],
                reservation=Reservation(
                    item_id=item_id,
                    quantity=row["quantity"],
                    pick_up=date.fromisoformat(row["pick_up"]),
                    return_on=date.fromisoformat(row["return_on"]),
                    state=row["status"],
                ),
            )
            for row in rows
        ]


class _Gone(Exception):
    """An item to update is no longer in the catalog."""
