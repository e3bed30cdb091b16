"""The typed async store over one SQLite file; the only place with SQL."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import migrate
from storage.models import (
    Association,
    AssociationKind,
    AssociationStatus,
    BoardMember,
    Decision,
    InviteCode,
    LiaisonOfficer,
    PersonalData,
    Profile,
    Redemption,
    RedemptionOutcome,
)
from storage.names import name_key
from storage.threads import ThreadQueries
from storage.timestamps import from_text, to_text

Clock = Callable[[], datetime]

INVITE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INVITE_CODE_LENGTH = 8
INVITE_CODE_VALIDITY = timedelta(days=7)
WRONG_CODE_LIMIT = 5
WRONG_CODE_WINDOW = timedelta(hours=24)


class StoreError(Exception):
    """A store operation could not be carried out."""


class DuplicateAssociationName(StoreError):
    def __init__(self, existing: Association) -> None:
        super().__init__(existing.name)
        self.existing = existing


class AlreadyBoardMember(StoreError):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


_to_text = to_text
_to_datetime = from_text


def normalize_invite_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


_PROFILE_SQL = """
SELECT u.user_id, u.first_name, u.last_name, u.username, u.language,
       a.association_id, a.name, a.status,
       EXISTS (SELECT 1 FROM liaisons l WHERE l.user_id = u.user_id)
FROM users u
LEFT JOIN board_members m ON m.user_id = u.user_id
LEFT JOIN associations a ON a.association_id = m.association_id
WHERE u.user_id = ?
"""

_ASSOCIATION_COLUMNS = """
association_id, name, kind, description, status, registered_by, registered_name, registered_at,
decided_by_name, decided_at, rejection_reason, card_chat_id, card_message_id
"""

_MEMBER_SQL = """
SELECT u.user_id, u.first_name, u.last_name, u.username, u.language, m.joined_at
FROM board_members m JOIN users u ON u.user_id = m.user_id
WHERE m.association_id = ?
ORDER BY m.joined_at, u.user_id
"""


def _association(row: aiosqlite.Row | tuple) -> Association:
    return Association(
        association_id=row[0],
        name=row[1],
        kind=AssociationKind(row[2]),
        description=row[3],
        status=AssociationStatus(row[4]),
        registered_by=row[5],
        registered_name=row[6],
        registered_at=_to_datetime(row[7]),
        decided_by_name=row[8],
        decided_at=_to_datetime(row[9]),
        rejection_reason=row[10],
        card_chat_id=row[11],
        card_message_id=row[12],
    )


def _member(row: tuple) -> BoardMember:
    return BoardMember(row[0], row[1], row[2], row[3], row[4], _to_datetime(row[5]))


def _invite_code(row: tuple) -> InviteCode:
    return InviteCode(
        code=row[0],
        association_id=row[1],
        created_at=_to_datetime(row[2]),
        expires_at=_to_datetime(row[3]),
        used_at=_to_datetime(row[4]),
    )


class Store(ThreadQueries):
    """All of Kapstok's data; profiles read on every update are cached and kept true here."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock = utc_now) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()
        self._profiles: dict[int, Profile] = {}

    @classmethod
    async def open(cls, path: Path | str, clock: Clock = utc_now) -> Store:
        """Open (creating if needed) the database and bring its schema up to date."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await migrate(conn)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, clock)

    async def close(self) -> None:
        await self._conn.close()

    def now(self) -> datetime:
        return self._clock()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One writer at a time on the shared connection, all or nothing."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()

    async def _write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement on its own (atomic by itself); return the rows it changed."""
        async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    async def _fetchone(self, sql: str, params: Iterable[Any] = ()) -> tuple | None:
        async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
            return await cursor.fetchone()

    async def _fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    # --- users and profiles -------------------------------------------------------------

    def _forget_cached(self, user_ids: Iterable[int]) -> None:
        for user_id in user_ids:
            self._profiles.pop(user_id, None)

    async def get_profile(self, user_id: int) -> Profile | None:
        """The sender's profile: from the cache, else one query."""
        cached = self._profiles.get(user_id)
        if cached is not None:
            return cached
        row = await self._fetchone(_PROFILE_SQL, (user_id,))
        if row is None:
            return None
        profile = Profile(
            user_id=row[0],
            first_name=row[1],
            last_name=row[2],
            username=row[3],
            language=row[4],
            association_id=row[5],
            association_name=row[6],
            association_status=AssociationStatus(row[7]) if row[7] else None,
            is_liaison=bool(row[8]),
        )
        self._profiles[user_id] = profile
        return profile

    async def ensure_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language: str,
    ) -> Profile:
        """The user's profile, created at first contact and kept up to date with their names.

        Costs nothing when the profile is cached and two statements when it is not.
        """
        profile = self._profiles.get(user_id)
        if profile is None:
            await self._write(
                "INSERT INTO users (user_id, first_name, last_name, username, language, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
                (user_id, first_name, last_name, username, language, _to_text(self.now())),
            )
            profile = await self.get_profile(user_id)
        if (profile.first_name, profile.last_name, profile.username) != (
            first_name,
            last_name,
            username,
        ):
            await self._write(
                "UPDATE users SET first_name = ?, last_name = ?, username = ? WHERE user_id = ?",
                (first_name, last_name, username, user_id),
            )
            self._forget_cached([user_id])
            profile = await self.get_profile(user_id)
        return profile

    async def set_language(self, user_id: int, language: str) -> None:
        await self._write("UPDATE users SET language = ? WHERE user_id = ?", (language, user_id))
        self._forget_cached([user_id])

    async def user_language(self, user_id: int) -> str | None:
        profile = await self.get_profile(user_id)
        return profile.language if profile else None

    async def personal_data(self, user_id: int) -> PersonalData | None:
        """Everything stored about one user."""
        user = await self._fetchone(
            "SELECT user_id, first_name, last_name, username, language, created_at"
            " FROM users WHERE user_id = ?",
            (user_id,),
        )
        if user is None:
            return None
        membership = await self._fetchone(
            "SELECT association_id, joined_at FROM board_members WHERE user_id = ?", (user_id,)
        )
        association = await self.get_association(membership[0]) if membership else None
        registered = await self._fetchall(
            "SELECT name FROM associations WHERE registered_by = ? ORDER BY registered_at",
            (user_id,),
        )
        codes = await self._fetchall(
            "SELECT code, association_id, created_at, expires_at, used_at FROM invite_codes"
            " WHERE created_by = ? ORDER BY created_at",
            (user_id,),
        )
        attempts = await self._fetchone(
            "SELECT COUNT(*) FROM wrong_code_attempts WHERE user_id = ?", (user_id,)
        )
        liaison = await self._fetchone(
            "SELECT appointed_at FROM liaisons WHERE user_id = ?", (user_id,)
        )
        written = await self._fetchone(
            "SELECT COUNT(*), COUNT(DISTINCT thread_id) FROM thread_messages WHERE author_id = ?",
            (user_id,),
        )
        return PersonalData(
            user_id=user[0],
            first_name=user[1],
            last_name=user[2],
            username=user[3],
            language=user[4],
            first_contact=_to_datetime(user[5]),
            association=association,
            joined_at=_to_datetime(membership[1]) if membership else None,
            registered_associations=tuple(row[0] for row in registered),
            invite_codes=tuple(_invite_code(row) for row in codes),
            wrong_code_attempts=attempts[0],
            liaison_since=_to_datetime(liaison[0]) if liaison else None,
            thread_messages=written[0],
            threads=written[1],
        )

    async def forget_user(self, user_id: int) -> None:
        """Erase the user's personal data and membership; what they registered stays, unnamed."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE associations SET registered_name = NULL WHERE registered_by = ?",
                (user_id,),
            )
            await conn.execute(
                "UPDATE thread_messages SET author_id = NULL, author_name = NULL"
                " WHERE author_id = ?",
                (user_id,),
            )
            await conn.execute(
                "UPDATE threads SET owner_id = NULL, owner_name = NULL WHERE owner_id = ?",
                (user_id,),
            )
            await conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            await conn.execute("DELETE FROM liaisons WHERE user_id = ?", (user_id,))
            await conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))
        self._forget_cached([user_id])

    # --- associations -------------------------------------------------------------------

    async def get_association(self, association_id: int) -> Association | None:
        row = await self._fetchone(
            f"SELECT {_ASSOCIATION_COLUMNS} FROM associations WHERE association_id = ?",
            (association_id,),
        )
        return _association(row) if row else None

    async def find_association_by_name(self, name: str) -> Association | None:
        """The live (pending or approved) association whose name equals this one, loosely."""
        row = await self._fetchone(
            f"SELECT {_ASSOCIATION_COLUMNS} FROM associations"
            " WHERE name_key = ? AND status <> 'rejected'",
            (name_key(name),),
        )
        return _association(row) if row else None

    async def register_association(
        self, user_id: int, name: str, kind: AssociationKind, description: str
    ) -> Association:
        """Create a pending association with this user as its first board member."""
        key = name_key(name)
        now = _to_text(self.now())
        async with self._transaction() as conn:
            async with conn.execute(
                f"SELECT {_ASSOCIATION_COLUMNS} FROM associations"
                " WHERE name_key = ? AND status <> 'rejected'",
                (key,),
            ) as cursor:
                existing = await cursor.fetchone()
            if existing:
                raise DuplicateAssociationName(_association(existing))
            async with conn.execute(
                "SELECT 1 FROM board_members WHERE user_id = ?", (user_id,)
            ) as cursor:
                if await cursor.fetchone():
                    raise AlreadyBoardMember(str(user_id))
            async with conn.execute(
                "INSERT INTO associations (name, name_key, kind, description, registered_by,"
                " registered_name, registered_at)"
                " SELECT ?, ?, ?, ?, user_id, trim(first_name || ' ' || coalesce(last_name, '')), ?"
                " FROM users WHERE user_id = ?",
                (name, key, kind.value, description, now, user_id),
            ) as cursor:
                association_id = cursor.lastrowid
            await conn.execute(
                "INSERT INTO board_members (user_id, association_id, joined_at) VALUES (?, ?, ?)",
                (user_id, association_id, now),
            )
        self._forget_cached([user_id])
        return await self.get_association(association_id)

    async def set_association_card(
        self, association_id: int, chat_id: int, message_id: int
    ) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE associations SET card_chat_id = ?, card_message_id = ?"
                " WHERE association_id = ?",
                (chat_id, message_id, association_id),
            )

    async def pending_associations(self) -> list[Association]:
        rows = await self._fetchall(
            f"SELECT {_ASSOCIATION_COLUMNS} FROM associations WHERE status = 'pending'"
            " ORDER BY registered_at, association_id"
        )
        return [_association(row) for row in rows]

    async def decide_association(
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
        now = _to_text(self.now())
        status = AssociationStatus.APPROVED if approve else AssociationStatus.REJECTED
        async with self._transaction() as conn:
            async with conn.execute(_MEMBER_SQL, (association_id,)) as cursor:
                members = tuple(_member(row) for row in await cursor.fetchall())
            async with conn.execute(
                "UPDATE associations SET status = ?, decided_by = ?, decided_by_name = ?,"
                " decided_at = ?, rejection_reason = ?"
                " WHERE association_id = ? AND status = 'pending'",
                (status.value, liaison_id, liaison_name, now, reason, association_id),
            ) as cursor:
                changed = cursor.rowcount == 1
            if changed and not approve:
                await conn.execute(
                    "DELETE FROM board_members WHERE association_id = ?", (association_id,)
                )
        association = await self.get_association(association_id)
        if association is None:
            return None
        self._forget_cached(member.user_id for member in members)
        return Decision(association=association, changed=changed, members=members)

    async def board_members(self, association_id: int) -> list[BoardMember]:
        return [_member(row) for row in await self._fetchall(_MEMBER_SQL, (association_id,))]

    async def leave_association(self, user_id: int) -> Association | None:
        """End the user's membership; return the association they left, if any."""
        row = await self._fetchone(
            "SELECT association_id FROM board_members WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return None
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM board_members WHERE user_id = ?", (user_id,))
        self._forget_cached([user_id])
        return await self.get_association(row[0])

    # --- invite codes -------------------------------------------------------------------

    async def create_invite_code(self, association_id: int, created_by: int) -> InviteCode:
        now = self.now()
        expires = now + INVITE_CODE_VALIDITY
        async with self._transaction() as conn:
            while True:
                code = "".join(
                    secrets.choice(INVITE_CODE_ALPHABET) for _ in range(INVITE_CODE_LENGTH)
                )
                async with conn.execute(
                    "INSERT INTO invite_codes (code, association_id, created_by, created_at,"
                    " expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                    (code, association_id, created_by, _to_text(now), _to_text(expires)),
                ) as cursor:
                    if cursor.rowcount == 1:
                        break
        return InviteCode(code, association_id, now, expires, None)

    async def redeem_invite_code(self, user_id: int, text: str) -> Redemption:
        """Make the user a board member with this code, or say why not; wrong codes are counted."""
        code = normalize_invite_code(text)
        now = self.now()
        window_start = _to_text(now - WRONG_CODE_WINDOW)
        async with self._transaction() as conn:
            async with conn.execute(
                "SELECT COUNT(*), MIN(attempted_at) FROM wrong_code_attempts"
                " WHERE user_id = ? AND attempted_at > ?",
                (user_id, window_start),
            ) as cursor:
                wrong_count, oldest = await cursor.fetchone()
            if wrong_count >= WRONG_CODE_LIMIT:
                return Redemption(
                    RedemptionOutcome.LOCKED,
                    locked_until=_to_datetime(oldest) + WRONG_CODE_WINDOW,
                )
            async with conn.execute(
                "SELECT 1 FROM board_members WHERE user_id = ?", (user_id,)
            ) as cursor:
                if await cursor.fetchone():
                    return Redemption(RedemptionOutcome.ALREADY_MEMBER)
            async with conn.execute(
                "SELECT c.association_id, c.expires_at, c.used_at, a.status"
                " FROM invite_codes c JOIN associations a USING (association_id)"
                " WHERE c.code = ?",
                (code,),
            ) as cursor:
                found = await cursor.fetchone()
            if found is None:
                await conn.execute(
                    "INSERT INTO wrong_code_attempts (user_id, attempted_at) VALUES (?, ?)",
                    (user_id, _to_text(now)),
                )
                tries_left = WRONG_CODE_LIMIT - wrong_count - 1
                if tries_left == 0:
                    return Redemption(
                        RedemptionOutcome.LOCKED,
                        locked_until=_to_datetime(oldest or _to_text(now)) + WRONG_CODE_WINDOW,
                    )
                return Redemption(RedemptionOutcome.UNKNOWN, tries_left=tries_left)
            association_id, expires_at, used_at, status = found
            if used_at is not None:
                return Redemption(RedemptionOutcome.USED)
            if _to_datetime(expires_at) <= now:
                return Redemption(RedemptionOutcome.EXPIRED, expired_at=_to_datetime(expires_at))
            if status != AssociationStatus.APPROVED.value:
                return Redemption(RedemptionOutcome.ASSOCIATION_CLOSED)
            await conn.execute(
                "UPDATE invite_codes SET used_by = ?, used_at = ? WHERE code = ?",
                (user_id, _to_text(now), code),
            )
            await conn.execute(
                "INSERT INTO board_members (user_id, association_id, joined_at) VALUES (?, ?, ?)",
                (user_id, association_id, _to_text(now)),
            )
        self._forget_cached([user_id])
        return Redemption(
            RedemptionOutcome.JOINED, association=await self.get_association(association_id)
        )

    # --- liaison officers ---------------------------------------------------------------

    async def add_liaison(self, user_id: int, appointed_by: int) -> bool:
        """Appoint a liaison officer; False when they already were one."""
        added = (
            await self._write(
                "INSERT INTO liaisons (user_id, appointed_by, appointed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO NOTHING",
                (user_id, appointed_by, _to_text(self.now())),
            )
            == 1
        )
        self._forget_cached([user_id])
        return added

    async def remove_liaison(self, user_id: int) -> bool:
        removed = await self._write("DELETE FROM liaisons WHERE user_id = ?", (user_id,)) == 1
        self._forget_cached([user_id])
        return removed

    async def liaisons(self) -> list[LiaisonOfficer]:
        rows = await self._fetchall(
            "SELECT l.user_id, u.first_name, u.last_name, u.username, l.appointed_at"
            " FROM liaisons l LEFT JOIN users u USING (user_id) ORDER BY l.appointed_at"
        )
        return [
            LiaisonOfficer(row[0], row[1], row[2], row[3], _to_datetime(row[4])) for row in rows
        ]

    async def known_user(self, user_id: int) -> LiaisonOfficer | None:
        """Name a user the bot has met, as a (possible) liaison officer."""
        row = await self._fetchone(
            "SELECT u.user_id, u.first_name, u.last_name, u.username, l.appointed_at"
            " FROM users u LEFT JOIN liaisons l USING (user_id) WHERE u.user_id = ?",
            (user_id,),
        )
        return LiaisonOfficer(row[0], row[1], row[2], row[3], _to_datetime(row[4])) if row else None

    # --- persisted conversations and drafts ----------------------------------------------

    async def load_user_data(self) -> dict[int, dict]:
        rows = await self._fetchall("SELECT user_id, data FROM user_data")
        return {row[0]: json.loads(row[1]) for row in rows}

    async def save_user_data(self, user_id: int, data: dict) -> None:
        async with self._transaction() as conn:
            if data:
                await conn.execute(
                    "INSERT INTO user_data (user_id, data) VALUES (?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                    (user_id, json.dumps(data)),
                )
            else:
                await conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))

    async def drop_user_data(self, user_id: int) -> None:
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))

    async def load_conversations(self, name: str) -> dict[tuple, object]:
        rows = await self._fetchall(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows}

    async def save_conversation(self, name: str, key: tuple, state: object | None) -> None:
        async with self._transaction() as conn:
            if state is None:
                await conn.execute(
                    "DELETE FROM conversation_states WHERE name = ? AND key = ?",
                    (name, json.dumps(list(key))),
                )
            else:
                await conn.execute(
                    "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
                    " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                    (name, json.dumps(list(key)), json.dumps(state)),
                )

    # --- maintenance --------------------------------------------------------------------

    async def backup(self, destination: Path | str) -> None:
        """Copy the whole database, consistently, while the bot may be writing."""
        async with self._lock:
            target = await aiosqlite.connect(destination)
            try:
                await self._conn.backup(target)
            finally:
                await target.close()
