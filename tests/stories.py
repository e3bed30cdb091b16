"""The steps many stories start with: registering an association and getting it approved."""

from __future__ import annotations

from tests.client import Kapstok, Person, label

DESCRIPTION = "We organise activities for the children of the village every Sunday."


async def register(
    person: Person, association: str, kind: str = "Youth", description: str = DESCRIPTION
) -> None:
    """A newcomer registers an association (it then waits for a liaison officer)."""
    lang = person.language if person.language in ("nl", "fr", "en") else "nl"
    await person.send("/start")
    await person.press(label(lang, "Register my association"))
    await person.send(association)
    await person.press(label(lang, kind, "kind"))
    await person.send(description)


async def approved_member(
    kapstok: Kapstok,
    admin: Person,
    user_id: int = 101,
    name: str = "Sofie",
    language: str = "nl",
    association: str = "KSA Sint-Jan",
    **more,
) -> Person:
    """A board member of an association a liaison officer (the admin) has approved."""
    person = kapstok.person(user_id, name, language, **more)
    await register(person, association)
    await admin.press_in_group(label("nl", "✅ Approve"))
    return person
