"""The lending service's catalog: the items liaison officers keep."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.gear import GearItem
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
