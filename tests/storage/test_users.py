"""The user repository: created at first contact, names kept up to date, read from memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.people import User
from storage import Store

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    yield store
    await store.close()


async def _statements(store: Store) -> list[str]:
    statements: list[str] = []
    await store.db.trace(statements.append)
    return statements


async def _rows(store: Store) -> list[tuple]:
    rows = await store.db.fetchall("SELECT user_id, first_name, language, created_at FROM users")
    return [tuple(row) for row in rows]


async def test_a_user_is_created_at_first_contact_with_telegrams_language(store):
    user = await store.users.ensure(10, "Jan", "Janssens", "jan", "fr")
    assert user == User(10, "Jan", "Janssens", "jan", "fr")
    assert await store.users.get(10) == user
    assert await store.users.language_of(10) == "fr"
    assert await store.users.first_contact(10) == T0


async def test_a_user_is_created_once_and_keeps_the_moment_of_first_contact(store, clock):
    await store.users.ensure(10, "Jan", None, None, "nl")
    clock.now += timedelta(days=3)
    await store.users.ensure(10, "Jan", "Janssens", None, "nl")
    assert await _rows(store) == [(10, "Jan", "nl", T0.isoformat())]
    assert await store.users.first_contact(10) == T0


async def test_a_language_chosen_later_is_kept_when_telegram_sends_another(store):
    await store.users.ensure(10, "Jan", None, None, "nl")
    await store.users.set_language(10, "en")
    assert (await store.users.get(10)).language == "en"
    again = await store.users.ensure(10, "Jan", None, None, "nl")
    assert again.language == "en"
    renamed = await store.users.ensure(10, "Johan", None, None, "fr")
    assert renamed.language == "en"
    assert await store.users.language_of(10) == "en"


async def test_a_changed_name_is_written(store):
    await store.users.ensure(10, "Jan", None, "jan", "nl")
    changed = await store.users.ensure(10, "Johan", "Janssens", None, "nl")
    assert changed == User(10, "Johan", "Janssens", None, "nl")
    row = await store.db.fetchone(
        "SELECT first_name, last_name, username FROM users WHERE user_id = 10"
    )
    assert tuple(row) == ("Johan", "Janssens", None)
    assert changed.full_name == "Johan Janssens"


async def test_after_ensure_reading_the_user_costs_no_query(store):
    await store.users.ensure(10, "Jan", None, None, "nl")
    statements = await _statements(store)
    assert await store.users.get(10) == User(10, "Jan", None, None, "nl")
    assert await store.users.language_of(10) == "nl"
    await store.users.ensure(10, "Jan", None, None, "nl")
    assert statements == []


async def test_a_changed_name_costs_one_statement(store):
    await store.users.ensure(10, "Jan", None, None, "nl")
    statements = await _statements(store)
    await store.users.ensure(10, "Jan", "Janssens", None, "nl")
    assert len(statements) == 1
    await store.users.get(10)
    assert len(statements) == 1


async def test_a_user_read_once_is_read_from_memory_afterwards(store, tmp_path, clock):
    await store.users.ensure(10, "Jan", None, None, "nl")
    reopened = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    try:
        statements = await _statements(reopened)
        assert await reopened.users.get(10) == User(10, "Jan", None, None, "nl")
        assert len(statements) == 1
        assert await reopened.users.get(10) == User(10, "Jan", None, None, "nl")
        assert len(statements) == 1
    finally:
        await reopened.close()


async def test_an_unknown_user_is_none_until_they_write(store):
    assert await store.users.get(10) is None
    assert await store.users.language_of(10) is None
    assert await store.users.first_contact(10) is None
    await store.users.ensure(10, "Jan", None, None, "nl")
    assert await store.users.get(10) is not None


async def test_forgetting_a_user_removes_them_from_the_database_and_from_memory(store):
    await store.users.ensure(10, "Jan", None, None, "nl")
    await store.users.ensure(11, "Piet", None, None, "nl")
    await store.users.forget(10)
    assert await store.users.get(10) is None
    assert await store.users.first_contact(10) is None
    assert [row[0] for row in await _rows(store)] == [11]
    again = await store.users.ensure(10, "Jan", None, None, "fr")
    assert again.language == "fr"
