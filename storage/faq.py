"""The FAQ entries."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.faq import FaqEntry
from storage.database import Database, Row
from storage.timestamps import to_text

_COLUMNS = "faq_id, kapstok, language, question, answer"


def _entry(row: Row) -> FaqEntry:
    return FaqEntry(row["faq_id"], row["kapstok"], row["language"], row["question"], row["answer"])


class FaqRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def entries(self, kapstok: int | None = None, language: str | None = None):
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM faq_entries"
            " WHERE (? IS NULL OR kapstok = ?) AND (? IS NULL OR language = ?)"
            " ORDER BY kapstok, faq_id",
            (kapstok, kapstok, language, language),
        )
        return [_entry(row) for row in rows]

    async def get(self, faq_id: int) -> FaqEntry | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM faq_entries WHERE faq_id = ?", (faq_id,)
        )
        return _entry(row) if row else None

    async def add(self, entries: Iterable[tuple[int, str, str, str]]) -> int:
        """Add (kapstok, language, question, answer) entries at once; return how many."""
        now = to_text(self._db.now())
        rows = [(*entry, now, now) for entry in entries]
        async with self._db.transaction():
            await self._db.executemany(
                "INSERT INTO faq_entries (kapstok, language, question, answer, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    async def update(self, faq_id: int, question: str, answer: str) -> bool:
        return (
            await self._db.write(
                "UPDATE faq_entries SET question = ?, answer = ?, updated_at = ? WHERE faq_id = ?",
                (question, answer, to_text(self._db.now()), faq_id),
            )
            == 1
        )

    async def remove(self, faq_id: int) -> bool:
        return await self._db.write("DELETE FROM faq_entries WHERE faq_id = ?", (faq_id,)) == 1
