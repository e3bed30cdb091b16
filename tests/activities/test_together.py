"""*Plan an activity together* under a directory entry: a new activity, that association its
partner already."""

from __future__ import annotations

from handlers import callbacks
from tests.activities.conftest import boards  # noqa: F401  (the fixture)
from tests.client import label, say


async def test_planning_together_from_the_directory_invites_that_partner(kapstok, boards):  # noqa: F811
    sofie, pierre = boards
    await sofie.send("/directory chiro")
    await sofie.press("1. Chiro Sint-Pieter")
    await sofie.press(label("nl", "📅 Plan an activity together"))
    assert "Chiro Sint-Pieter" in sofie.last.text
    await sofie.send("Samen kamperen")
    await sofie.send("12/03/2027 14:00")
    await sofie.send("17:00")
    await sofie.send("Het kampterrein")
    await sofie.press(label("nl", "No description"))
    await sofie.press(label("nl", "🌍 Public"))
    await sofie.press(label("nl", "✅ Done"))
    await sofie.press(label("nl", "✅ Save"))
    invitation = [m for m in pierre.inbox if "Samen kamperen" in m.text]
    assert len(invitation) == 1
    activity = (await kapstok.app.bot_data.store.activities.of_association(1))[0]
    assert [p.association_id for p in activity.partners] == [2]


async def test_planning_together_with_ones_own_association_is_refused(kapstok, boards):  # noqa: F811
    sofie, pierre = boards
    await pierre.send("/directory ksa")
    entry = pierre.last
    await pierre.press_data(callbacks.ACTIVITY_WITH.data(2), on=entry)
    assert pierre.alerts[-1] == say("fr", "Your own association cannot be its own partner.")
    await sofie.send("/start")
    await sofie.press_data(callbacks.ACTIVITY_WITH.data(99), on=sofie.last)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")
