"""The FAQ entries, with the stems they are found by, and the search over them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from bot.domain import textsearch
from bot.domain.faq import FaqEntry
from storage.database import Database, Row
from storage.timestamps import to_text

_COLUMNS = "faq_id, kapstok, language, question, answer"
# Entries given their stems in one transaction, when they have none (yet) or old ones.
_STEM_BATCH = 500


def _entry(row: Row) -> FaqEntry:
    return FaqEntry(row["faq_id"], row["kapstok"], row["language"], row["question"], row["answer"])


def _stems(entries: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The stored stems of (question, answer, language) entries; slow Python, so it runs off
    the event loop."""
    return [
        (textsearch.stored_stems(question, language), textsearch.stored_stems(answer, language))
        for question, answer, language in entries
    ]


def _adding(rows: list[Row]) -> Callable[[textsearch.Index], None]:
    def add(index: textsearch.Index) -> None:
        for row in rows:
            index.add(row["faq_id"], row["kapstok"], row["title_stems"], row["body_stems"])

    return add


class FaqRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Per language, the search index and the generation of the FAQ in that language it
        # shows. Every change counts (a trigger, in the transaction of the change): the changes
        # made here follow in the index; any other makes it be built anew.
        self._indexes: dict[str, tuple[int, textsearch.Index]] = {}

    async def entries(
        self, kapstok: int | None = None, language: str | None = None, limit: int | None = None
    ) -> list[FaqEntry]:
        """The entries by kapstok, then in the order they came in; at most `limit`."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM faq_entries"
            " WHERE (? IS NULL OR kapstok = ?) AND (? IS NULL OR language = ?)"
            " ORDER BY kapstok, faq_id LIMIT ?",
            (kapstok, kapstok, language, language, -1 if limit is None else limit),
        )
        return [_entry(row) for row in rows]

    async def page(self, offset: int, limit: int) -> list[FaqEntry]:
        """Entries `offset` to `offset + limit` in the order of `entries()`."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM faq_entries ORDER BY kapstok, faq_id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_entry(row) for row in rows]

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM faq_entries")
        return row["n"]

    async def has_entries(self, kapstok: int | None = None, language: str | None = None) -> bool:
        row = await self._db.fetchone(
            "SELECT EXISTS (SELECT 1 FROM faq_entries"
            " WHERE (? IS NULL OR kapstok = ?) AND (? IS NULL OR language = ?)) AS found",
            (kapstok, kapstok, language, language),
        )
        return bool(row["found"])

    async def get(self, faq_id: int) -> FaqEntry | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM faq_entries WHERE faq_id = ?", (faq_id,)
        )
        return _entry(row) if row else None

    async def add(self, entries: Iterable[tuple[int, str, str, str]]) -> int:
        """Add (kapstok, language, question, answer) entries at once, with their stems; return
        how many."""
        entries = list(entries)
        stems = await asyncio.to_thread(_stems, [(q, a, lang) for _, lang, q, a in entries])
        now = to_text(self._db.now())
        rows = [
            (*entry, now, now, title, body, textsearch.INDEX_VERSION)
            for entry, (title, body) in zip(entries, stems, strict=True)
        ]
        if not rows:
            return 0
        async with self._db.transaction():
            last = await self._db.fetchone("SELECT COALESCE(MAX(faq_id), 0) AS n FROM faq_entries")
            await self._db.executemany(
                "INSERT INTO faq_entries (kapstok, language, question, answer, created_at,"
                " updated_at, title_stems, body_stems, stems_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            added = await self._db.fetchall(
                "SELECT faq_id, kapstok, language, title_stems, body_stems FROM faq_entries"
                " WHERE faq_id > ? ORDER BY faq_id",
                (last["n"],),
            )
            for language in {row["language"] for row in added}:
                mine = [row for row in added if row["language"] == language]
                await self._follow(language, len(mine), _adding(mine))
        return len(rows)

    async def update(self, faq_id: int, question: str, answer: str) -> bool:
        entry = await self.get(faq_id)
        if entry is None:
            return False
        ((title, body),) = await asyncio.to_thread(_stems, [(question, answer, entry.language)])
        async with self._db.transaction():
            changed = await self._db.write(
                "UPDATE faq_entries SET question = ?, answer = ?, updated_at = ?,"
                " title_stems = ?, body_stems = ?, stems_version = ? WHERE faq_id = ?",
                (
                    question,
                    answer,
                    to_text(self._db.now()),
                    title,
                    body,
                    textsearch.INDEX_VERSION,
                    faq_id,
                ),
            )
            if changed:
                await self._follow(
                    entry.language,
                    1,
                    lambda index: index.add(faq_id, entry.kapstok, title, body),
                )
        return changed == 1

    async def remove(self, faq_id: int) -> bool:
        async with self._db.transaction():
            rows = await self._db.write_returning(
                "DELETE FROM faq_entries WHERE faq_id = ? RETURNING language", (faq_id,)
            )
            for row in rows:
                await self._follow(row["language"], 1, lambda index: index.remove(faq_id))
        return len(rows) == 1

    async def _follow(
        self, language: str, changes: int, change: Callable[[textsearch.Index], None]
    ) -> None:
        """Make the index held for a language follow `changes` entries just written there (in
        this transaction): as long as nothing else changed it since it was built, else let the
        next search build it anew."""
        held = self._indexes.pop(language, None)
        if held is None:
            return
        # Should the transaction be rolled back, the index would show what never was.
        self._db.on_rollback(self._indexes.clear)
        generation, index = held
        now = await self._generation(language)
        if now != generation + changes:
            return
        try:
            change(index)
        except ValueError:
            return
        self._indexes[language] = (now, index)

    async def _generation(self, language: str) -> int:
        row = await self._db.fetchone(
            "SELECT generation FROM faq_generations WHERE language = ?", (language,)
        )
        return row["generation"] if row else 0

    # --- the search ---------------------------------------------------------------------------

    async def search(
        self, query: textsearch.Query, language: str, kapstok: int | None = None
    ) -> list[FaqEntry]:
        """The entries in `language` (of one kapstok, if given) that match the query, best
        first, as `textsearch.ranked` ranks them; from the stems, never from the texts."""
        if not query.terms or query.limit <= 0:
            return []
        index = await self._index(language)
        found = index.search(query, kapstok)
        if not found:
            return []
        marks = ", ".join("?" for _ in found)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM faq_entries WHERE faq_id IN ({marks})", found
        )
        by_id = {row["faq_id"]: _entry(row) for row in rows}
        return [by_id[faq_id] for faq_id in found if faq_id in by_id]

    async def _index(self, language: str) -> textsearch.Index:
        """The search index of the entries in a language, as the FAQ is now."""
        held = self._indexes.get(language)
        if held is not None and held[0] == await self._generation(language):
            return held[1]
        await self.stem_missing()
        # The generation and the stems in one statement: what it reads is one state of the FAQ.
        rows = await self._db.fetchall(
            "SELECT g.generation, e.faq_id, e.kapstok, e.title_stems, e.body_stems"
            " FROM faq_generations AS g LEFT JOIN faq_entries AS e ON e.language = g.language"
            " WHERE g.language = ?",
            (language,),
        )
        items = [
            (r["faq_id"], r["kapstok"], r["title_stems"] or "", r["body_stems"] or "")
            for r in rows
            if r["faq_id"] is not None
        ]
        index = await asyncio.to_thread(textsearch.Index, items)
        self._indexes[language] = (rows[0]["generation"] if rows else 0, index)
        # Built from writes of this transaction that are rolled back, it would not be the FAQ.
        self._db.on_rollback(self._indexes.clear)
        return index

    async def stem_missing(self) -> int:
        """Give the entries without stems of the current rules (those of before the search
        index, or of older rules) their stems; return how many. Run at start, and before a
        search builds its index."""
        total = 0
        while True:
            rows = await self._db.fetchall(
                "SELECT faq_id, language, question, answer FROM faq_entries"
                " WHERE stems_version IS NOT ? ORDER BY faq_id LIMIT ?",
                (textsearch.INDEX_VERSION, _STEM_BATCH),
            )
            if not rows:
                return total
            stems = await asyncio.to_thread(
                _stems, [(row["question"], row["answer"], row["language"]) for row in rows]
            )
            async with self._db.transaction():
                for row, (title, body) in zip(rows, stems, strict=True):
                    # An entry edited meanwhile got its stems with the edit: it keeps them.
                    await self._db.write(
                        "UPDATE faq_entries SET title_stems = ?, body_stems = ?,"
                        " stems_version = ? WHERE faq_id = ? AND stems_version IS NOT ?"
                        " AND question = ? AND answer = ?",
                        (
                            title,
                            body,
                            textsearch.INDEX_VERSION,
                            row["faq_id"],
                            textsearch.INDEX_VERSION,
                            row["question"],
                            row["answer"],
                        ),
                    )
            total += len(rows)
