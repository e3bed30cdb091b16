"""/subsidies: liaison officers add, edit and deactivate the subsidy types, in a private chat
or in the liaison group (where a reply to the bot's question answers it); wrong deadlines and
amounts are refused and asked again."""

from __future__ import annotations

import pytest

from bot.domain.subsidies import Deadline
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Message, label, say
from tests.stories import approved_member
from tests.support.test_subsidy_request import a_type, shown


async def liaison_of(kapstok, admin, language: str):
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/start")
    return liaison


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_a_liaison_adds_a_type_in_a_private_chat(kapstok, admin, language):
    liaison = await liaison_of(kapstok, admin, language)
    listed = (await liaison.send("/subsidies"))[-1]
    assert say(language, "None yet.") in listed
    await liaison.press(label(language, "➕ New type"))
    await liaison.send("x" * 101)  # a name of more than 100 characters
    assert say(language, "A name has 1 to {limit} characters; yours has {count}.", limit=100,
               count=101) in liaison.last.text  # fmt: skip
    await liaison.send("Werkingssubsidie")
    await liaison.press(label(language, "None"))  # no French name
    await liaison.send("Operating grant")
    await liaison.send("Voor de werking van het jaar.")
    await liaison.press(label(language, "None"))
    await liaison.send("For the year's activities.")
    await liaison.send("31/04")  # no such day
    assert "31/03" in liaison.last.text
    await liaison.send("31/03 30-9")
    await liaison.send("1.2.3")
    await liaison.send({"en": "1,250.50", "fr": "1 250,50"}[language])
    await liaison.send("ja")  # the buttons answer this one
    await liaison.press(label(language, "Yes"))
    await liaison.send("Activiteitenverslag\nFacturen")
    summary = liaison.last.text
    assert "Werkingssubsidie" in summary and "31/03, 30/09" in summary
    assert shown(language, "1250.50") in summary
    await liaison.press(label(language, "💾 Save"))
    assert say(language, "Saved: {name}.", name="Werkingssubsidie") in liaison.last.text

    (saved,) = await kapstok.app.bot_data.store.subsidies.types()
    assert saved.name_nl == "Werkingssubsidie" and saved.name_fr is None
    assert saved.name_en == "Operating grant" and saved.description_fr is None
    assert saved.deadlines == (Deadline(3, 31), Deadline(9, 30)) and saved.max_cents == 125050
    assert saved.needs_recognition and saved.attachments == ("Activiteitenverslag", "Facturen")


async def answer(person, text: str) -> None:
    prompt = Message(person.bot.telegram.sent_to(LIAISON_CHAT_ID)[-1])
    await person.send_in_group(text, reply_to=prompt)


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_liaison_edits_and_deactivates_a_type_in_the_group(kapstok, admin, language):
    subsidy_type = await a_type(kapstok)
    liaison = await liaison_of(kapstok, admin, language)
    listed = (await liaison.send_in_group("/subsidies"))[-1]
    await liaison.press_in_group(f"✏️ {subsidy_type.name_nl}", on=listed)
    await liaison.press_in_group(label(language, "✏️ Edit"))
    assert "Werkingssubsidie" in kapstok.group()[-1].text  # what it is now
    await answer(liaison, "Jeugdwerking")
    for _ in range(5):  # both other names and every description as they are
        await liaison.press_in_group(label(language, "Keep as it is"))
    await liaison.send_in_group("15/05")  # not a reply: not an answer
    await answer(liaison, "13/13")
    await answer(liaison, "15/05")
    await answer(liaison, "0")
    await answer(liaison, "500")
    await liaison.press_in_group(label(language, "No"))
    await liaison.press_in_group(label(language, "None"))
    await liaison.press_in_group(label(language, "💾 Save"))

    store = kapstok.app.bot_data.store
    changed = await store.subsidies.get_type(subsidy_type.type_id)
    assert changed.name_nl == "Jeugdwerking" and changed.name_fr == "Subside de fonctionnement"
    assert changed.deadlines == (Deadline(5, 15),) and changed.max_cents == 50000
    assert not changed.needs_recognition and changed.attachments == ()

    await liaison.press_in_group("✏️ Jeugdwerking")
    await liaison.press_in_group(label(language, "⏹ Deactivate"))
    assert await store.subsidies.types() == []
    member = await approved_member(kapstok, admin, language="nl")
    await member.send("/menu")
    await member.press_data(callbacks.SUBSIDY_TYPE.data(subsidy_type.type_id), on=member.last)
    assert member.alerts[-1] == say("nl", "This button is no longer valid.")


async def test_a_board_member_cannot_define_types(kapstok, admin):
    member = await approved_member(kapstok, admin, language="nl")
    await member.send("/subsidies")
    assert member.last.text == say("nl", "Only liaison officers of the municipality can do this.")
    await member.press_data(callbacks.SUBSIDY_TYPE_NEW.data(), on=member.last)
    assert member.alerts[-1] == say("nl", "Only liaison officers of the municipality can do this.")
    assert await kapstok.app.bot_data.store.subsidies.types(active_only=False) == []


async def test_a_type_at_every_limit_is_shown_in_one_message(kapstok, admin):
    liaison = await liaison_of(kapstok, admin, "nl")
    await a_type(
        kapstok,
        description_nl="N" * 1000,
        description_fr="F" * 1000,
        description_en="E" * 1000,
        attachments=[f"{n} " + "b" * 97 for n in range(10)],
    )
    await liaison.send("/subsidies")
    await liaison.press("✏️ Werkingssubsidie")
    shown_type = liaison.last.text
    assert "N" * 1000 in shown_type and "F" * 399 + "…" in shown_type
    assert len(shown_type) < 4096
    assert kapstok.telegram.unexpected == [] and kapstok.errors == []
