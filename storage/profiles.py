"""Associations' public profiles for the directory: what each shows other associations, whether
it is listed, and its contact.

A board member chosen as the contact counts only while they are on the association's board; a
phone number or e-mail address goes when the board member who typed it is forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.associations import AssociationKind
from bot.domain.profiles import AssociationProfile, ContactKind, Offer, Side
from storage.database import Database, Row
from storage.timestamps import to_text

# The contact as it counts now: a board member only while on the association's board.
_COLUMNS = """
p.association_id, p.listed, p.description, p.language, p.contact_kind, p.contact_text,
CASE WHEN p.contact_kind = 'member' AND EXISTS (
    SELECT 1 FROM board_members m
    WHERE m.user_id = p.contact_user_id AND m.association_id = p.association_id
) THEN p.contact_user_id END AS contact_user_id
"""


def _profile(row: Row, offers: Iterable[Row]) -> AssociationProfile:
    kind = ContactKind(row["contact_kind"]) if row["contact_kind"] else None
    user_id = row["contact_user_id"] if kind is ContactKind.MEMBER else None
    text = row["contact_text"] if kind in (ContactKind.PHONE, ContactKind.EMAIL) else None
    if (kind is ContactKind.MEMBER and user_id is None) or (
        kind in (ContactKind.PHONE, ContactKind.EMAIL) and not text
    ):
        kind = None
    sides: dict[str, set[Offer]] = {Side.OFFERS: set(), Side.NEEDS: set()}
    for offer in offers:
        sides[offer["side"]].add(Offer(offer["offer"]))
    return AssociationProfile(
        association_id=row["association_id"],
        listed=bool(row["listed"]),
        description=row["description"],
        offers=frozenset(sides[Side.OFFERS]),
        needs=frozenset(sides[Side.NEEDS]),
        contact_kind=kind,
        contact_user_id=user_id,
        contact_text=text,
        language=row["language"],
    )


def _in(values: Iterable[str]) -> tuple[str, list[str]]:
    """`IN (?, ?, …)` and its parameters (`IN ()` for none: nothing matches)."""
    found = sorted(set(values))
    return f"IN ({', '.join('?' for _ in found)})", found


class ProfileRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ----------------------------------------------------------------------------

    async def get(self, association_id: int) -> AssociationProfile | None:
        """The association's profile; None if it never made one."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM association_profiles p WHERE p.association_id = ?",
            (association_id,),
        )
        if row is None:
            return None
        offers = await self._db.fetchall(
            "SELECT side, offer FROM association_offers WHERE association_id = ?",
            (association_id,),
        )
        return _profile(row, offers)

    async def is_listed(self, association_id: int) -> bool:
        """Whether other associations may see the association: listed, and approved."""
        row = await self._db.fetchone(
            "SELECT 1 FROM association_profiles p JOIN associations a USING (association_id)"
            " WHERE p.association_id = ? AND p.listed = 1 AND a.status = 'approved'",
            (association_id,),
        )
        return row is not None

    async def listed(
        self,
        kinds: Iterable[AssociationKind] | None = None,
        offers: Iterable[Offer] | None = None,
        needs: Iterable[Offer] | None = None,
    ) -> list[AssociationProfile]:
        """The listed profiles of approved associations, by name; of these kinds only, and
        offering (or looking for) at least one of these, when given."""
        where = ["p.listed = 1", "a.status = 'approved'"]
        params: list[str] = []
        if kinds is not None:
            among, values = _in(kind.value for kind in kinds)
            where.append(f"a.kind {among}")
            params += values
        for side, wanted in ((Side.OFFERS, offers), (Side.NEEDS, needs)):
            if wanted is None:
                continue
            among, values = _in(offer.value for offer in wanted)
            where.append(
                "EXISTS (SELECT 1 FROM association_offers o WHERE o.association_id ="
                f" p.association_id AND o.side = ? AND o.offer {among})"
            )
            params += [side.value, *values]
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM association_profiles p JOIN associations a"
            f" USING (association_id) WHERE {' AND '.join(where)}"
            " ORDER BY a.name_key, a.association_id",
            params,
        )
        if not rows:
            return []
        offered: dict[int, list[Row]] = {}
        for offer in await self._db.fetchall(
            "SELECT o.association_id, o.side, o.offer FROM association_offers o"
            " JOIN association_profiles p USING (association_id) WHERE p.listed = 1"
        ):
            offered.setdefault(offer["association_id"], []).append(offer)
        return [_profile(row, offered.get(row["association_id"], ())) for row in rows]

    # --- writing ----------------------------------------------------------------------------

    async def _ensure(self, association_id: int) -> None:
        await self._db.write(
            "INSERT INTO association_profiles (association_id, updated_at) VALUES (?, ?)"
            " ON CONFLICT (association_id) DO NOTHING",
            (association_id, self._now()),
        )

    def _now(self) -> str:
        return to_text(self._db.now())

    async def set_description(self, association_id: int, description: str, language: str) -> None:
        await self._ensure(association_id)
        await self._db.write(
            "UPDATE association_profiles SET description = ?, language = ?, updated_at = ?"
            " WHERE association_id = ?",
            (description, language, self._now(), association_id),
        )

    async def toggle(self, association_id: int, side: Side, offer: Offer) -> bool:
        """Turn an offer (or a need) on or off; whether it is on now."""
        await self._ensure(association_id)
        removed = await self._db.write(
            "DELETE FROM association_offers WHERE association_id = ? AND side = ? AND offer = ?",
            (association_id, side.value, offer.value),
        )
        if not removed:
            await self._db.write(
                "INSERT INTO association_offers (association_id, side, offer) VALUES (?, ?, ?)",
                (association_id, side.value, offer.value),
            )
        await self._touch(association_id)
        return not removed

    async def set_contact_member(self, association_id: int, user_id: int, chosen_by: int) -> None:
        """A board member is the contact (shown by name and @username)."""
        await self._set_contact(association_id, ContactKind.MEMBER, user_id, None, chosen_by)

    async def set_contact_text(
        self, association_id: int, kind: ContactKind, text: str, typed_by: int
    ) -> None:
        """A phone number or an e-mail address, checked by the caller, is the contact."""
        if kind not in (ContactKind.PHONE, ContactKind.EMAIL):
            raise ValueError(f"{kind} is not typed")
        await self._set_contact(association_id, kind, None, text, typed_by)

    async def _set_contact(
        self,
        association_id: int,
        kind: ContactKind,
        user_id: int | None,
        text: str | None,
        by: int,
    ) -> None:
        await self._ensure(association_id)
        await self._db.write(
            "UPDATE association_profiles SET contact_kind = ?, contact_user_id = ?,"
            " contact_text = ?, contact_set_by = ?, updated_at = ? WHERE association_id = ?",
            (kind.value, user_id, text, by, self._now(), association_id),
        )

    async def set_listed(self, association_id: int, listed: bool) -> None:
        await self._ensure(association_id)
        await self._db.write(
            "UPDATE association_profiles SET listed = ?, updated_at = ? WHERE association_id = ?",
            (int(listed), self._now(), association_id),
        )

    async def _touch(self, association_id: int) -> None:
        await self._db.write(
            "UPDATE association_profiles SET updated_at = ? WHERE association_id = ?",
            (self._now(), association_id),
        )

    async def forget_person(self, user_id: int) -> None:
        """The person is erased: a phone number or e-mail address they typed goes (the profile
        has no contact then); as the contact themselves, their user id goes with their row."""
        await self._db.write(
            "UPDATE association_profiles SET contact_kind = NULL, contact_text = NULL,"
            " contact_set_by = NULL"
            " WHERE contact_set_by = ? AND contact_kind IN ('phone', 'email')",
            (user_id,),
        )
        await self._db.write(
            "UPDATE association_profiles SET contact_set_by = NULL WHERE contact_set_by = ?",
            (user_id,),
        )
        await self._db.write(
            "UPDATE association_profiles SET contact_kind = NULL, contact_user_id = NULL"
            " WHERE contact_user_id = ?",
            (user_id,),
        )
