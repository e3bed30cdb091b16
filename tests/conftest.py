from __future__ import annotations

import pytest

from tests.client import ADMIN_ID, Kapstok


@pytest.fixture
async def kapstok(tmp_path):
    """A running Kapstok on a fresh database; fails the test on any error or unknown API call."""
    bot = Kapstok(tmp_path)
    await bot.start()
    yield bot
    await bot.stop()
    assert not bot.telegram.unexpected, f"unexpected Bot API calls: {bot.telegram.unexpected}"
    assert not bot.errors, f"errors while handling updates: {bot.errors!r}"


@pytest.fixture
def admin(kapstok):
    return kapstok.person(ADMIN_ID, "Annelies", "nl", last_name="Peeters")
