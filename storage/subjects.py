"""The subjects a board member chooses from when asking the municipality something."""

from __future__ import annotations

from bot.domain.threads import Subject
from storage.database import Database, Row

_COLUMNS = "subject_id, kapstok, name_nl, name_fr, name_en"


def _subject(row: Row) -> Subject:
    return Subject(
        row["subject_id"],
        row["kapstok"],
        {"nl": row["name_nl"], "fr": row["name_fr"], "en": row["name_en"]},
    )


class SubjectRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def active(self, kapstok: int | None = None) -> list[Subject]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM subjects WHERE active = 1 AND (? IS NULL OR kapstok = ?)"
            " ORDER BY kapstok, subject_id",
            (kapstok, kapstok),
        )
        return [_subject(row) for row in rows]

    async def get(self, subject_id: int) -> Subject | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM subjects WHERE subject_id = ? AND active = 1", (subject_id,)
        )
        return _subject(row) if row else None

    async def for_purpose(self, kapstok: int, purpose: str) -> Subject | None:
        """A subject Kapstok uses itself (a low barometer score's thread), never offered."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM subjects WHERE kapstok = ? AND purpose = ?",
            (kapstok, purpose),
        )
        return _subject(row) if row else None

    async def add(self, kapstok: int, nl: str, fr: str, en: str) -> Subject:
        subject_id = await self._db.insert(
            "INSERT INTO subjects (kapstok, name_nl, name_fr, name_en) VALUES (?, ?, ?, ?)",
            (kapstok, nl, fr, en),
        )
        return Subject(subject_id, kapstok, {"nl": nl, "fr": fr, "en": en})

    async def retire(self, subject_id: int) -> bool:
        """No longer offered; threads keep its name."""
        return (
            await self._db.write(
                "UPDATE subjects SET active = 0 WHERE subject_id = ? AND active = 1", (subject_id,)
            )
            == 1
        )
