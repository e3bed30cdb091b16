"""Associations, their board members and invite codes. The associations and who is on which
board are cached here, where they are written: every update's profile needs them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.domain.associations import (
    INVITE_CODE_ALPHABET,
    INVITE_CODE_LENGTH,
    Association,
    AssociationKind,
    AssociationStatus,
    BoardMember,
    Decision,
    InviteCode,
    Redemption,
    RedemptionOutcome,
    name_key,
    normalize_invite_code,
)
from bot.domain.people import Membership
from storage.database import Database, Row
from storage.errors import AlreadyBoardMember, DuplicateAssociationName
from storage.timestamps import from_text, to_text

INVITE_CODE_VALIDITY = timedelta(days=7)
WRONG_CODE_LIMIT = 5
WRONG_CODE_WINDOW = timedelta(hours=24)

_COLUMNS = """
a.association_id, a.name, a.kind, a.description, a.status, a.registered_by, a.registered_name,
a.registered_at, a.decided_by_name, a.decided_at, a.rejection_reason, a.card_chat_id,
a.card_message_id
"""

_MEMBERS_SQL = """
SELECT u.user_id, u.first_name, u.last_name, u.username, u.language, m.joined_at,
       u.unreachable_at IS NOT NULL AS unreachable
FROM board_members m JOIN users u ON u.user_id = m.user_id
WHERE m.association_id = ?
ORDER BY m.joined_at, u.user_id
"""


def _association(row: Row) -> Association:
    return Association(
        association_id=row["association_id"],
        name=row["name"],
        kind=AssociationKind(row["kind"]),
        description=row["description"],
        status=AssociationStatus(row["status"]),
        registered_by=row["registered_by"],
        registered_name=row["registered_name"],
        registered_at=from_text(row["registered_at"]),
        decided_by_name=row["decided_by_name"],
        decided_at=from_text(row["decided_at"]),
        rejection_reason=row["rejection_reason"],
        card_chat_id=row["card_chat_id"],
        card_message_id=row["card_message_id"],
    )


def _member(row: Row) -> BoardMember:
    return BoardMember(
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        language=row["language"],
        joined_at=from_text(row["joined_at"]),
        unreachable=bool(row["unreachable"]),
    )


def _invite_code(row: Row) -> InviteCode:
    return InviteCode(
        code=row["code"],
        association_id=row["association_id"],
        created_at=from_text(row["created_at"]),
        expires_at=from_text(row["expires_at"]),
        used_at=from_text(row["used_at"]),
    )


class AssociationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._associations: dict[int, Association] = {}
        self._board_of: dict[int, int | None] = {}  # user id -> association id (None: no board)

    # --- the caches -------------------------------------------------------------------------

    def _forget_all(self) -> None:
        """Forget what is cached: after a rollback, memory must not keep what was undone."""
        self._associations.clear()
        self._board_of.clear()

    def _written(self) -> None:
        self._db.on_rollback(self._forget_all)

    def _remember(self, association: Association) -> Association:
        self._associations[association.association_id] = association
        return association

    async def _reload(self, association_id: int) -> Association | None:
        self._associations.pop(association_id, None)
        return await self.get(association_id)

    async def get(self, association_id: int) -> Association | None:
        cached = self._associations.get(association_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM associations a WHERE a.association_id = ?", (association_id,)
        )
        return self._remember(_association(row)) if row else None

    async def membership(self, user_id: int) -> Membership | None:
        """The association the user is on the board of: from memory, else one query."""
        if user_id in self._board_of:
            association_id = self._board_of[user_id]
            association = await self.get(association_id) if association_id is not None else None
        else:
            row = await self._db.fetchone(
                f"SELECT {_COLUMNS} FROM board_members m"
                " JOIN associations a USING (association_id) WHERE m.user_id = ?",
                (user_id,),
            )
            association = self._remember(_association(row)) if row else None
            self._board_of[user_id] = association.association_id if association else None
        if association is None:
            return None
        return Membership(association.association_id, association.name, association.status)

    # --- associations -----------------------------------------------------------------------

    async def rekey_names(self) -> int:
        """Compare names the way this version does: recompute the stored keys that differ
        (once after an upgrade; nothing to do on a later start). A name that would now equal
        another live one keeps its old key."""
        rows = await self._db.fetchall("SELECT association_id, name, name_key FROM associations")
        changed = [
            (name_key(row["name"]), row["association_id"])
            for row in rows
            if name_key(row["name"]) != row["name_key"]
        ]
        if changed:
            await self._db.executemany(
                "UPDATE OR IGNORE associations SET name_key = ? WHERE association_id = ?", changed
            )
        return len(changed)

    async def find_by_name(self, name: str) -> Association | None:
        """The live (pending or approved) association whose name equals this one, loosely."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM associations a"
            " WHERE a.name_key = ? AND a.status <> 'rejected'",
            (name_key(name),),
        )
        return _association(row) if row else None

    async def register(
        self, user_id: int, name: str, kind: AssociationKind, description: str
    ) -> Association:
        """Create a pending association with this user as its first board member."""
        key = name_key(name)
        now = to_text(self._db.now())
        async with self._db.transaction():
            existing = await self.find_by_name(name)
            if existing is not None:
                raise DuplicateAssociationName(existing)
            if await self._db.fetchone("SELECT 1 FROM board_members WHERE user_id = ?", (user_id,)):
                raise AlreadyBoardMember(str(user_id))
            association_id = await self._db.insert(
                "INSERT INTO associations (name, name_key, kind, description, registered_by,"
                " registered_name, registered_at)"
                " SELECT ?, ?, ?, ?, user_id, trim(first_name || ' ' || coalesce(last_name, '')), ?"
                " FROM users WHERE user_id = ?",
                (name, key, kind.value, description, now, user_id),
            )
            await self._db.write(
                "INSERT INTO board_members (user_id, association_id, joined_at) VALUES (?, ?, ?)",
                (user_id, association_id, now),
            )
        self._written()
        self._board_of[user_id] = association_id
        return await self._reload(association_id)

    async def set_card(self, association_id: int, chat_id: int, message_id: int) -> None:
        await self._db.write(
            "UPDATE associations SET card_chat_id = ?, card_message_id = ?"
            " WHERE association_id = ?",
            (chat_id, message_id, association_id),
        )
        self._associations.pop(association_id, None)
        self._written()

    async def pending(self) -> list[Association]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM associations a WHERE a.status = 'pending'"
            " ORDER BY a.registered_at, a.association_id"
        )
        return [_association(row) for row in rows]

    async def decide(
        self,
        association_id: int,
        approve: bool,
        liaison_id: int,
        liaison_name: str,
        reason: str | None = None,
    ) -> Decision | None:
        """Approve or reject a pending association, once: a second decision changes nothing.

        A rejected association lets go of its board members, so they can register anew.
        """
        status = AssociationStatus.APPROVED if approve else AssociationStatus.REJECTED
        async with self._db.transaction():
            members = tuple(
                _member(row) for row in await self._db.fetchall(_MEMBERS_SQL, (association_id,))
            )
            changed = (
                await self._db.write(
                    "UPDATE associations SET status = ?, decided_by = ?, decided_by_name = ?,"
                    " decided_at = ?, rejection_reason = ?"
                    " WHERE association_id = ? AND status = 'pending'",
                    (
                        status.value,
                        liaison_id,
                        liaison_name,
                        to_text(self._db.now()),
                        reason,
                        association_id,
                    ),
                )
                == 1
            )
            if changed and not approve:
                await self._db.write(
                    "DELETE FROM board_members WHERE association_id = ?", (association_id,)
                )
        self._written()
        for member in members:
            self._board_of.pop(member.user_id, None)
        association = await self._reload(association_id)
        if association is None:
            return None
        return Decision(association=association, changed=changed, members=members)

    async def board_members(self, association_id: int) -> list[BoardMember]:
        return [_member(row) for row in await self._db.fetchall(_MEMBERS_SQL, (association_id,))]

    async def leave(self, user_id: int) -> Association | None:
        """End the user's membership; return the association they left, if any."""
        membership = await self.membership(user_id)
        if membership is None:
            return None
        await self._db.write("DELETE FROM board_members WHERE user_id = ?", (user_id,))
        self._written()
        self._board_of[user_id] = None
        return await self.get(membership.association_id)

    async def registered_by(self, user_id: int) -> list[str]:
        rows = await self._db.fetchall(
            "SELECT name FROM associations WHERE registered_by = ? ORDER BY registered_at",
            (user_id,),
        )
        return [row["name"] for row in rows]

    async def joined_at(self, user_id: int):
        row = await self._db.fetchone(
            "SELECT joined_at FROM board_members WHERE user_id = ?", (user_id,)
        )
        return from_text(row["joined_at"]) if row else None

    async def decided_by(self, user_id: int) -> list[str]:
        """The associations this liaison officer approved or rejected."""
        rows = await self._db.fetchall(
            "SELECT name FROM associations WHERE decided_by = ? ORDER BY decided_at",
            (user_id,),
        )
        return [row["name"] for row in rows]

    async def forget_person(self, user_id: int) -> list[int]:
        """The person is erased: what they registered or decided stays, without their id or
        name; their membership, invite codes' authorship and wrong codes go. Return the
        associations whose card named them."""
        rows = await self._db.fetchall(
            "SELECT association_id FROM associations WHERE registered_by = ? OR decided_by = ?"
            " ORDER BY association_id",
            (user_id, user_id),
        )
        await self._db.write(
            "UPDATE associations SET registered_by = NULL, registered_name = NULL"
            " WHERE registered_by = ?",
            (user_id,),
        )
        await self._db.write(
            "UPDATE associations SET decided_by = NULL, decided_by_name = NULL"
            " WHERE decided_by = ?",
            (user_id,),
        )
        await self._db.write(
            "UPDATE invite_codes SET created_by = NULL WHERE created_by = ?", (user_id,)
        )
        await self._db.write("UPDATE invite_codes SET used_by = NULL WHERE used_by = ?", (user_id,))
        await self._db.write("DELETE FROM wrong_code_attempts WHERE user_id = ?", (user_id,))
        await self._db.write("DELETE FROM board_members WHERE user_id = ?", (user_id,))
        # Cached associations may show the name; whose board they were on changes.
        self._forget_all()
        self._written()
        return [row["association_id"] for row in rows]

    # --- invite codes -----------------------------------------------------------------------

    async def create_invite_code(self, association_id: int, created_by: int) -> InviteCode:
        now = self._db.now()
        expires = now + INVITE_CODE_VALIDITY
        while True:
            code = "".join(secrets.choice(INVITE_CODE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))
            inserted = await self._db.write(
                "INSERT INTO invite_codes (code, association_id, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                (code, association_id, created_by, to_text(now), to_text(expires)),
            )
            if inserted == 1:
                return InviteCode(code, association_id, now, expires, None)

    async def invite_codes_by(self, user_id: int) -> list[InviteCode]:
        rows = await self._db.fetchall(
            "SELECT code, association_id, created_at, expires_at, used_at FROM invite_codes"
            " WHERE created_by = ? ORDER BY created_at",
            (user_id,),
        )
        return [_invite_code(row) for row in rows]

    async def wrong_code_attempts(self, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS count FROM wrong_code_attempts WHERE user_id = ?", (user_id,)
        )
        return row["count"]

    async def redeem(self, user_id: int, text: str) -> Redemption:
        """Make the user a board member with this code, or say why not; wrong codes are counted."""
        code = normalize_invite_code(text)
        now = self._db.now()
        async with self._db.transaction():
            outcome = await self._redeem(user_id, code, now)
        self._written()
        if outcome.outcome is RedemptionOutcome.JOINED:
            self._board_of[user_id] = outcome.association.association_id
        return outcome

    async def _redeem(self, user_id: int, code: str, now) -> Redemption:
        attempts = await self._db.fetchone(
            "SELECT COUNT(*) AS count, MIN(attempted_at) AS oldest FROM wrong_code_attempts"
            " WHERE user_id = ? AND attempted_at > ?",
            (user_id, to_text(now - WRONG_CODE_WINDOW)),
        )
        wrong_count, oldest = attempts["count"], attempts["oldest"]
        if wrong_count >= WRONG_CODE_LIMIT:
            return Redemption(
                RedemptionOutcome.LOCKED, locked_until=from_text(oldest) + WRONG_CODE_WINDOW
            )
        if await self._db.fetchone("SELECT 1 FROM board_members WHERE user_id = ?", (user_id,)):
            return Redemption(RedemptionOutcome.ALREADY_MEMBER)
        found = await self._db.fetchone(
            "SELECT c.association_id, c.expires_at, c.used_at, a.status"
            " FROM invite_codes c JOIN associations a USING (association_id) WHERE c.code = ?",
            (code,),
        )
        if found is None:
            await self._db.write(
                "INSERT INTO wrong_code_attempts (user_id, attempted_at) VALUES (?, ?)",
                (user_id, to_text(now)),
            )
            tries_left = WRONG_CODE_LIMIT - wrong_count - 1
            if tries_left == 0:
                first = from_text(oldest) if oldest else now
                return Redemption(RedemptionOutcome.LOCKED, locked_until=first + WRONG_CODE_WINDOW)
            return Redemption(RedemptionOutcome.UNKNOWN, tries_left=tries_left)
        if found["used_at"] is not None:
            return Redemption(RedemptionOutcome.USED)
        expires_at = from_text(found["expires_at"])
        if expires_at <= now:
            return Redemption(RedemptionOutcome.EXPIRED, expired_at=expires_at)
        if found["status"] != AssociationStatus.APPROVED.value:
            return Redemption(RedemptionOutcome.ASSOCIATION_CLOSED)
        await self._db.write(
            "UPDATE invite_codes SET used_by = ?, used_at = ? WHERE code = ?",
            (user_id, to_text(now), code),
        )
        await self._db.write(
            "INSERT INTO board_members (user_id, association_id, joined_at) VALUES (?, ?, ?)",
            (user_id, found["association_id"], to_text(now)),
        )
        return Redemption(
            RedemptionOutcome.JOINED, association=await self.get(found["association_id"])
        )
