"""An activity's evidence: the photos, flyers and documents its board added to the dossier."""

from __future__ import annotations

from bot.domain.request_summaries import Evidence, EvidenceKind
from storage.database import Database, Row
from storage.timestamps import from_text, to_text

_COLUMNS = """
evidence_id, activity_id, association_id, kind, file_id, file_unique_id, file_name, caption,
added_by, added_at
"""


def _evidence(row: Row) -> Evidence:
    return Evidence(
        evidence_id=row["evidence_id"],
        activity_id=row["activity_id"],
        association_id=row["association_id"],
        kind=EvidenceKind(row["kind"]),
        file_id=row["file_id"],
        file_unique_id=row["file_unique_id"],
        added_at=from_text(row["added_at"]),
        file_name=row["file_name"],
        caption=row["caption"],
        added_by=row["added_by"],
    )


class EvidenceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        activity_id: int,
        association_id: int,
        kind: EvidenceKind,
        file_id: str,
        file_unique_id: str,
        *,
        added_by: int | None,
        file_name: str | None = None,
        caption: str = "",
    ) -> int:
        return await self._db.insert(
            "INSERT INTO activity_evidence (activity_id, association_id, kind, file_id,"
            " file_unique_id, file_name, caption, added_by, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                activity_id,
                association_id,
                kind.value,
                file_id,
                file_unique_id,
                file_name,
                caption,
                added_by,
                to_text(self._db.now()),
            ),
        )

    async def counts(self, activity_id: int) -> dict[EvidenceKind, int]:
        """How many of each kind the activity's dossier holds (kinds it has none of: absent)."""
        rows = await self._db.fetchall(
            "SELECT kind, COUNT(*) AS n FROM activity_evidence WHERE activity_id = ? GROUP BY kind",
            (activity_id,),
        )
        return {EvidenceKind(row["kind"]): row["n"] for row in rows}

    async def of_activity(self, activity_id: int) -> list[Evidence]:
        """The dossier's files, in the order they were added."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM activity_evidence WHERE activity_id = ? ORDER BY evidence_id",
            (activity_id,),
        )
        return [_evidence(row) for row in rows]
