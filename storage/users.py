"""The people who wrote to the bot: names and language. Cached: every update reads them."""

from __future__ import annotations

from bot.domain.people import User
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = (
    "user_id, first_name, last_name, username, language, unreachable_at IS NOT NULL AS unreachable"
)


def _user(row: Row) -> User:
    return User(
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        language=row["language"],
        unreachable=bool(row["unreachable"]),
    )


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, User] = {}

    async def get(self, user_id: int) -> User | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return self._cache.setdefault(user_id, _user(row))

    async def ensure(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language: str,
    ) -> User:
        """The user, created at first contact with this language and kept up to date with
        their names: nothing to do when cached and unchanged, one statement otherwise."""
        cached = self._cache.get(user_id)
        names = (first_name, last_name, username)
        if cached is not None and (cached.first_name, cached.last_name, cached.username) == names:
            return cached
        (row,) = await self._db.write_returning(
            "INSERT INTO users (user_id, first_name, last_name, username, language, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " first_name = excluded.first_name, last_name = excluded.last_name,"
            f" username = excluded.username RETURNING {_COLUMNS}",
            (user_id, first_name, last_name, username, language, to_text(self._db.now())),
        )
        user = _user(row)
        self._cache[user_id] = user
        self._db.on_rollback(lambda: self._cache.pop(user_id, None))
        return user

    async def set_language(self, user_id: int, language: str) -> None:
        await self._db.write("UPDATE users SET language = ? WHERE user_id = ?", (language, user_id))
        self._cache.pop(user_id, None)

    async def mark_unreachable(self, user_id: int) -> bool:
        """They blocked the bot; return whether that is news."""
        changed = await self._db.write(
            "UPDATE users SET unreachable_at = ? WHERE user_id = ? AND unreachable_at IS NULL",
            (to_text(self._db.now()), user_id),
        )
        self._cache.pop(user_id, None)
        return changed == 1

    async def mark_reachable(self, user_id: int) -> bool:
        """They wrote to the bot again; return whether they were unreachable."""
        changed = await self._db.write(
            "UPDATE users SET unreachable_at = NULL"
            " WHERE user_id = ? AND unreachable_at IS NOT NULL",
            (user_id,),
        )
        self._cache.pop(user_id, None)
        return changed == 1

    async def language_of(self, user_id: int) -> str | None:
        user = await self.get(user_id)
        return user.language if user else None

    async def forget(self, user_id: int) -> None:
        """Erase the user's row (their board membership goes with it)."""
        await self._db.write("DELETE FROM users WHERE user_id = ?", (user_id,))
        self._cache.pop(user_id, None)

    async def first_contact(self, user_id: int):
        row = await self._db.fetchone("SELECT created_at FROM users WHERE user_id = ?", (user_id,))
        return from_text(row["created_at"]) if row else None
