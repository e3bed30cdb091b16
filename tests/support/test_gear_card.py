"""A gear request's card in its association's topic: drawn from the database when it is sent,
new the first time and edited afterwards, with the liaisons' buttons for its status."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.domain.gear import GearItem
from handlers.support.gear_card import queue_card
from tests.client import LIAISON_CHAT_ID, FakeTelegram, Kapstok, Person, label, say
from tests.stories import approved_member, register

PICK_UP = date(2026, 12, 18)
RETURN_ON = date(2026, 12, 21)
ASSOCIATION = "KSA Sint-Jan"


def store_of(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def add_item(kapstok: Kapstok, name: str = "Tent", stock: int = 4, **more) -> GearItem:
    fields = dict(
        item_id=0,
        name_nl=name,
        category="Tenten",
        stock=stock,
        deposit_cents=2500,
        max_loan_days=14,
        pick_up_info="Magazijn, Kerkstraat 1, 9-12 u",
    )
    fields.update(more)
    return await store_of(kapstok).gear.add(GearItem(**fields))


async def association_of(kapstok: Kapstok, person: Person) -> int:
    return (await store_of(kapstok).profile(person.user_id)).association_id


async def gear_request(
    kapstok: Kapstok,
    member: Person,
    quantities: dict[int, int],
    pick_up: date = PICK_UP,
    return_on: date = RETURN_ON,
    **more,
) -> int:
    """A request as the borrowing screens make one, with its card queued and sent."""
    store = store_of(kapstok)
    request = await store.gear_requests.create(
        await association_of(kapstok, member),
        member.user_id,
        pick_up,
        return_on,
        quantities,
        **more,
    )
    await queue_card(kapstok.app, request.request_id)
    await kapstok.drain_outbox()
    return request.request_id


async def liaison_officer(
    kapstok: Kapstok, admin: Person, user_id=401, name="Liesbeth", language="nl"
) -> Person:
    officer = kapstok.person(user_id, name, language)
    await admin.send_in_group(f"/liaison add {user_id}")
    return officer


async def photo_in_group(person: Person, reply_to) -> None:
    """A photo sent in the liaison group, as a reply in the prompt's topic."""
    kapstok = person.bot
    message = person._message(kapstok.telegram.chat(LIAISON_CHAT_ID))
    message["photo"] = [{"file_id": "damage-1", "file_unique_id": "d1", "width": 90, "height": 90}]
    message["reply_to_message"] = FakeTelegram.public(reply_to.raw)
    if reply_to.raw.get("message_thread_id"):
        message["message_thread_id"] = reply_to.raw["message_thread_id"]
        message["is_topic_message"] = True
    person._remember(message)
    await kapstok.process({"message": message})


def card_in_topic(kapstok: Kapstok, number: int, association: str = ASSOCIATION):
    topic = kapstok.topic_of(association)
    number_shown = re.compile(rf"(#|n° ){number}\b")  # "#2", or "n° 2" in French
    cards = [m for m in kapstok.in_topic(topic) if number_shown.search(m.text) and "🧰" in m.text]
    assert cards, f"no card of request #{number} in the topic of {association}"
    return cards[-1]


async def test_the_card_arrives_in_the_topic_once_and_is_edited_afterwards(kapstok, admin):
    member = await approved_member(kapstok, admin)
    tent = await add_item(kapstok, "Tent", 4)
    chair = await add_item(kapstok, "Stoel", 100, deposit_cents=0, unit="stuks")
    number = await gear_request(
        kapstok, member, {tent.item_id: 3, chair.item_id: 40}, note="Voor <ons> kamp"
    )
    card = card_in_topic(kapstok, number)
    assert (
        "Tent: 3 asked" in card.text
        or say("nl", "• {name}: {count}{unit} asked", name="Tent", count=3, unit="") in card.text
    )
    assert "Voor <ons> kamp" in card.text
    assert "75,00" in card.text  # 3 × € 25
    assert label("nl", "✅ Approve") in card.buttons
    assert label("nl", "❓ Ask the board") in card.buttons
    stored = await store_of(kapstok).requests.get(number)
    assert stored.card_message_id == card.raw["message_id"]

    await queue_card(kapstok.app, number)
    await kapstok.drain_outbox()
    topic = kapstok.topic_of(ASSOCIATION)
    assert sum(f"#{number}" in m.text for m in kapstok.in_topic(topic)) == 1


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_the_card_shows_what_is_free_now_the_activity_and_speaks_the_groups_language(
    tmp_path, language
):
    from datetime import UTC, datetime, timedelta

    from tests.client import ADMIN_ID

    kapstok = await Kapstok(tmp_path, default_language=language).start()
    try:
        admin = kapstok.person(ADMIN_ID, "Annelies", language)
        member = kapstok.person(101, "Sofie", language)
        await register(member, ASSOCIATION)
        await admin.press_in_group(label(language, "✅ Approve"))
        tent = await add_item(kapstok, "Tent", 5, name_fr="Tente")
        store = store_of(kapstok)
        association = await association_of(kapstok, member)
        start = datetime(2026, 12, 19, 13, 0, tzinfo=UTC)
        activity = await store.activities.create(
            association,
            member.user_id,
            "Kamp <winter>",
            start,
            start + timedelta(hours=3),
            "Wei",
            "",
            False,
            [],
        )
        earlier = await gear_request(kapstok, member, {tent.item_id: 2})
        await store.gear_requests.approve(earlier, {tent.item_id: 2}, ADMIN_ID)
        number = await gear_request(
            kapstok, member, {tent.item_id: 4}, activity_id=activity.activity_id
        )

        card = card_in_topic(kapstok, number)
        name = "Tente" if language == "fr" else "Tent"
        assert say(language, "{count} free now", count=3) in card.text
        assert name in card.text
        assert "Kamp <winter>" in card.text
        assert say(language, "⏳ waiting for a decision") in card.text
        assert label(language, "✅ Approve") in card.buttons
        assert kapstok.telegram.unexpected == [] and kapstok.errors == []
    finally:
        await kapstok.stop()
