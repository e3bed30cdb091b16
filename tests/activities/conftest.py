"""What the tests of activities share: listed associations, and planning an activity."""

from __future__ import annotations

import pytest

from tests.client import Kapstok, Person, label
from tests.stories import approved_member


async def listed(kapstok: Kapstok, person: Person) -> int:
    """The person's association, listed in the directory; its id."""
    store = kapstok.app.bot_data.store
    association_id = (await store.profile(person.user_id)).association_id
    await store.profiles.set_listed(association_id, True)
    return association_id


async def plan(
    person: Person,
    title: str = "Sint-Maartenstoet",
    start: str = "12/03/2027 14:00",
    end: str = "17:00",
    place: str = "Zaal De Kroon",
    description: str | None = "Een stoet met lampions door het dorp.",
    public: bool = True,
    partners: tuple[str, ...] = (),
    save: bool = True,
) -> None:
    lang = person.language
    await person.send("/activity")
    await person.send(title)
    await person.send(start)
    await person.send(end)
    await person.send(place)
    if description is None:
        await person.press(label(lang, "No description"))
    else:
        await person.send(description)
    await person.press(label(lang, "🌍 Public" if public else "🔒 Not public"))
    for partner in partners:
        await person.send(partner)
    await person.press(label(lang, "✅ Done") if partners else label(lang, "No partners"))
    if save:
        await person.press(label(lang, "✅ Save"))


@pytest.fixture
async def boards(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    await listed(kapstok, sofie)
    await listed(kapstok, pierre)
    return sofie, pierre
