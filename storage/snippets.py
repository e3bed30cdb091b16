"""Snippets: liaisons' canned replies."""

from __future__ import annotations

from bot.domain.threads import Snippet
from storage.database import Database
from storage.timestamps import to_text


class SnippetRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> list[Snippet]:
        rows = await self._db.fetchall("SELECT name, text FROM snippets ORDER BY name")
        return [Snippet(row["name"], row["text"]) for row in rows]

    async def get(self, name: str) -> Snippet | None:
        row = await self._db.fetchone(
            "SELECT name, text FROM snippets WHERE name = ?", (name.lower(),)
        )
        return Snippet(row["name"], row["text"]) if row else None

    async def save(self, name: str, text: str, created_by: int) -> bool:
        """Add or replace a snippet; True when it is new."""
        async with self._db.transaction():
            existed = await self.get(name) is not None
            await self._db.write(
                "INSERT INTO snippets (name, text, created_by, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET text = excluded.text",
                (name.lower(), text, created_by, to_text(self._db.now())),
            )
        return not existed

    async def remove(self, name: str) -> bool:
        return await self._db.write("DELETE FROM snippets WHERE name = ?", (name.lower(),)) == 1

    async def created_by(self, user_id: int) -> int:
        """How many snippets this liaison officer created."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM snippets WHERE created_by = ?", (user_id,)
        )
        return row["n"]

    async def forget_person(self, user_id: int) -> None:
        """The snippets stay for the other liaison officers, without who created them."""
        await self._db.write(
            "UPDATE snippets SET created_by = NULL WHERE created_by = ?", (user_id,)
        )
