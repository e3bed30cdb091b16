"""Housekeeping: handled updates go after 7 days, sent outbox rows after 30."""

from __future__ import annotations

from bot.maintenance import tidy
from tests.stories import register


async def test_handled_updates_and_sent_rows_are_pruned_in_time(kapstok, admin):
    await admin.send("/help")
    store = kapstok.app.bot_data.store
    handled = await store.db.fetchone("SELECT COUNT(*) AS n FROM inbox")
    assert handled["n"] == 1

    kapstok.clock.advance(days=6)
    await kapstok.run_job(tidy)
    assert (await store.db.fetchone("SELECT COUNT(*) AS n FROM inbox"))["n"] == 1

    kapstok.clock.advance(days=2)
    await kapstok.run_job(tidy)
    assert (await store.db.fetchone("SELECT COUNT(*) AS n FROM inbox"))["n"] == 0


async def test_sent_outbox_rows_are_kept_thirty_days(kapstok, admin):
    member = kapstok.person(101, "Sofie", "nl")
    await member.send("/start")
    await register(member, "KSA Sint-Jan")  # the association card goes through the outbox
    store = kapstok.app.bot_data.store
    assert (await store.outbox.backlog())["sent"] >= 1

    kapstok.clock.advance(days=29)
    await kapstok.run_job(tidy)
    assert (await store.outbox.backlog())["sent"] >= 1
    kapstok.clock.advance(days=2)
    await kapstok.run_job(tidy)
    assert (await store.outbox.backlog())["sent"] == 0
