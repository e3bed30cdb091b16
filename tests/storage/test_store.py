"""The store: migrations, the schema's promises, and one decision per association."""

from __future__ import annotations

import asyncio
import sqlite3

import aiosqlite
import pytest

from bot.domain.associations import AssociationKind, AssociationStatus, name_key
from storage import Store
from storage.migrations import MigrationError, available_migrations, migrate


async def _store(tmp_path) -> Store:
    return await Store.open(tmp_path / "sub" / "kapstok.sqlite3")


async def test_open_creates_the_folder_and_applies_every_migration(tmp_path):
    store = await _store(tmp_path)
    await store.close()
    conn = sqlite3.connect(tmp_path / "sub" / "kapstok.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(available_migrations())
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


async def test_refuses_a_database_newer_than_the_code(tmp_path):
    path = tmp_path / "kapstok.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(MigrationError, match="newer than this Kapstok"):
        await Store.open(path)


async def test_reopening_applies_nothing_twice(tmp_path):
    store = await _store(tmp_path)
    await store.ensure_profile(1, "An", None, None, "nl")
    await store.close()
    store = await _store(tmp_path)
    assert (await store.profile(1)).first_name == "An"
    await store.close()


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_first.sql").write_text("-- 001: a table\nCREATE TABLE a (x INTEGER);")
    (folder / "002_broken.sql").write_text("-- 002: broken\nCREATE TABLE b (y INTEGER);\nNONSENSE;")
    async with aiosqlite.connect(tmp_path / "db.sqlite3", isolation_level=None) as conn:
        with pytest.raises(MigrationError, match=r"002_broken\.sql"):
            await migrate(conn, folder)
        async with conn.execute("PRAGMA user_version") as cursor:
            assert (await cursor.fetchone())[0] == 1
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 'b'") as cursor:
            assert await cursor.fetchone() is None


def test_migrations_are_numbered_without_gaps(tmp_path):
    (tmp_path / "001_first.sql").write_text("SELECT 1;")
    (tmp_path / "003_third.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="002"):
        available_migrations(tmp_path)
    assert [m.version for m in available_migrations()] == list(
        range(1, len(available_migrations()) + 1)
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("KSA Sint-Jan", "ksa sint jan"),
        ("Chiro Élan", "chiro elan"),
        ("VC  De Ster!", "vc de ster"),
    ],
)
def test_names_compare_without_case_accents_or_punctuation(one, other):
    assert name_key(one) == name_key(other)


async def test_foreign_keys_are_enforced(tmp_path):
    store = await _store(tmp_path)
    with pytest.raises(sqlite3.IntegrityError):
        await store.db.write(
            "INSERT INTO board_members (user_id, association_id, joined_at) VALUES (5, 77, 'x')"
        )
    await store.close()


async def test_two_liaisons_deciding_at_once_decide_once(tmp_path):
    store = await _store(tmp_path)
    await store.ensure_profile(10, "Jan", None, None, "nl")
    association = await store.associations.register(
        10, "Chiro Sint-Jan", AssociationKind.YOUTH, "Jeugdbeweging"
    )
    approve, reject = await asyncio.gather(
        store.associations.decide(association.association_id, True, 1, "An"),
        store.associations.decide(association.association_id, False, 2, "Bert", "dubbel"),
    )
    assert [approve.changed, reject.changed].count(True) == 1
    final = await store.associations.get(association.association_id)
    assert final.status in (AssociationStatus.APPROVED, AssociationStatus.REJECTED)
    assert final.decided_by_name == ("An" if approve.changed else "Bert")
    await store.close()


async def test_backup_copies_the_live_database(tmp_path):
    store = await _store(tmp_path)
    await store.ensure_profile(10, "Jan", None, None, "nl")
    await store.backup(tmp_path / "backup.sqlite3")
    await store.close()
    copy = sqlite3.connect(tmp_path / "backup.sqlite3")
    assert copy.execute("SELECT first_name FROM users").fetchall() == [("Jan",)]
    copy.close()
