"""Numbered .sql migrations, applied in order, each in its own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILENAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """The database cannot be brought to the schema this code expects."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations on disk, checked to be numbered 1, 2, 3, … without gaps."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILENAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file {path.name} is not named NNN_name.sql")
        migrations.append(Migration(int(match.group(1)), path))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise MigrationError(
                f"migration {expected:03d} is missing before {migration.path.name}"
            )
    return migrations


async def migrate(conn: aiosqlite.Connection, directory: Path = MIGRATIONS_DIR) -> int:
    """Apply every migration newer than the database; return the resulting version."""
    migrations = available_migrations(directory)
    latest = migrations[-1].version if migrations else 0
    async with conn.execute("PRAGMA user_version") as cursor:
        (current,) = await cursor.fetchone()
    if current > latest:
        raise MigrationError(
            f"the database is at schema version {current}, newer than this Kapstok "
            f"(which knows up to {latest}); run a newer Kapstok or restore a backup"
        )
    for migration in migrations[current:]:
        script = f"BEGIN;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except Exception as error:
            await conn.rollback()
            raise MigrationError(f"migration {migration.path.name} failed: {error}") from error
    return latest
