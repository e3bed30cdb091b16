"""The lending service's catalog, kept by liaison officers: /gear, adding and editing an item
with its wrong inputs, removing it, lowering a stock below what is approved, and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.gear import GearItem
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.stories import approved_member

PICK_UP, RETURN = date(2027, 5, 14), date(2027, 5, 16)


def store(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def liaison_speaking(kapstok: Kapstok, admin: Person, language: str) -> Person:
    """A liaison officer, appointed by the admin, who speaks `language`."""
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/start")
    return liaison


def newest_in_group(kapstok: Kapstok) -> Message:
    return Message(kapstok.telegram.sent_to(LIAISON_CHAT_ID)[-1])


class Answering:
    """Answers the bot's questions: in a private chat as messages, in the group as replies."""

    def __init__(self, kapstok: Kapstok, person: Person, in_group: bool) -> None:
        self.kapstok, self.person, self.in_group = kapstok, person, in_group

    @property
    def last(self) -> Message:
        return newest_in_group(self.kapstok) if self.in_group else self.person.last

    async def send(self, text: str) -> str:
        if self.in_group:
            await self.person.send_in_group(text, reply_to=newest_in_group(self.kapstok))
        else:
            await self.person.send(text)
        return self.last.text

    async def press(self, button: str) -> str:
        if self.in_group:
            await self.person.press_in_group(button)
        else:
            await self.person.press(button)
        return self.last.text

    async def command(self, text: str) -> str:
        if self.in_group:
            await self.person.send_in_group(text)
        else:
            await self.person.send(text)
        return self.last.text


async def add_tent(chat: Answering, language: str, *, deposit: str, wrong_deposit: str) -> None:
    """Add a tent with every field, typing a wrong answer at each step that reads one."""
    await chat.command("/gear")
    assert (
        say(
            language,
            "<b>The lending service's catalog</b>\n\nThe catalog is still empty. Add an item, "
            "or import a CSV file.",
        )
        == chat.last.text
    )
    assert label(language, "📥 Import CSV") in chat.last.buttons, chat.last.text
    await chat.press(label(language, "➕ Add an item"))
    assert say(language, "A new item for the catalog.") in chat.last
    assert say(language, "That is too long.") in await chat.send("T" * 101)
    await chat.send("Tent 6x3")
    await chat.send("Tente 6x3")
    await chat.send("-")
    await chat.send("Tenten")
    for wrong, reason in (
        ("-3", "That cannot be negative."),
        ("abc", "That is not a whole number."),
        ("2,5", "That is not a whole number."),
    ):
        said = await chat.send(wrong)
        assert say(language, reason) in said, (wrong, said)
        assert say(language, "How many are there in stock? Send a whole number, 0 or more.") in said
    await chat.send("4")
    await chat.send("stuks")
    said = await chat.send(wrong_deposit)
    assert say(language, "I could not read that as an amount.") in said
    await chat.send(deposit)
    await chat.send("14")
    said = await chat.send("7")
    assert say(language, "The longest lead time cannot be shorter than the shortest one.") in said
    await chat.send("180")
    assert say(language, "A loan lasts at least 1 day.") in await chat.send("0")
    kinds = await chat.send("4")
    assert (
        say(language, "Which kinds of association may borrow it? With none chosen, every kind may.")
        in kinds
    )
    await chat.press(label(language, "Youth", "kind"))
    await chat.press(label(language, "Sport", "kind"))
    await chat.press("✅ " + label(language, "Sport", "kind"))  # toggled off again
    assert "✅ " + label(language, "Youth", "kind") in chat.last.buttons
    await chat.press(label(language, "Next ▶"))
    await chat.press(label(language, "Yes"))
    await chat.send("Opleiding vereist")
    await chat.send("Magazijn Kerkstraat 1, vrijdag 16u")
    said = await chat.send("geen foto")
    assert say(language, "Send a photo of the item, or {none} for none.", none="-") in said


@pytest.mark.parametrize(
    ("language", "deposit", "wrong", "shown"),
    [("nl", "1.250,50", "1.2.3", "€\xa01.250,50"), ("en", "1,250.50", "1.2.3", "€1,250.50")],
)
async def test_a_liaison_adds_an_item_in_a_private_chat(
    kapstok, admin, language, deposit, wrong, shown
):
    liaison = await liaison_speaking(kapstok, admin, language)
    chat = Answering(kapstok, liaison, in_group=False)
    await add_tent(chat, language, deposit=deposit, wrong_deposit=wrong)
    await liaison.send_photo()
    saved = liaison.last
    assert say(language, "Added to the catalog.") in saved
    assert "Tent 6x3" in saved and "fr: Tente 6x3" in saved and shown in saved
    assert label(language, "🖼 Photo") in saved.buttons
    (item,) = await store(kapstok).gear.catalog()
    assert item == GearItem(
        item.item_id,
        "Tent 6x3",
        "Tenten",
        4,
        name_fr="Tente 6x3",
        unit="stuks",
        photo_file_id=f"photo-{liaison.user_id}",
        deposit_cents=125050,
        min_lead_days=14,
        max_lead_days=180,
        max_loan_days=4,
        kinds=frozenset({"youth"}),
        needs_recognition=True,
        note="Opleiding vereist",
        pick_up_info="Magazijn Kerkstraat 1, vrijdag 16u",
    )
    # The catalog lists it; the photo opens.
    await liaison.send("/gear")
    assert "Tent 6x3" in liaison.last and "Tenten" in liaison.last and shown in liaison.last
    await liaison.press("Tent 6x3")
    await liaison.press(label(language, "🖼 Photo"))
    assert liaison.last.raw["photo"][0]["file_id"] == f"photo-{liaison.user_id}"

    # A second item with the same name (in another case) is refused at its first step.
    await liaison.send("/gear")
    await liaison.press(label(language, "➕ Add an item"))
    said = await chat.send("TENT 6X3")
    assert say(language, "That name is already in the catalog.") in said
    await liaison.send("/cancel")
    assert len(await store(kapstok).gear.catalog()) == 1


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_a_liaison_adds_an_item_in_the_group_by_replying(kapstok, admin, language):
    liaison = await liaison_speaking(kapstok, admin, language)
    chat = Answering(kapstok, liaison, in_group=True)
    await add_tent(chat, language, deposit="50", wrong_deposit="cinquante")
    # A plain message in the group (no reply) is a conversation among liaisons: not an answer.
    before = len(kapstok.telegram.sent_to(LIAISON_CHAT_ID))
    await liaison.send_in_group("-")
    assert len(kapstok.telegram.sent_to(LIAISON_CHAT_ID)) == before
    await chat.send("-")
    assert say(language, "Added to the catalog.") in newest_in_group(kapstok)
    (item,) = await store(kapstok).gear.catalog()
    assert (item.deposit_cents, item.photo_file_id) == (5000, None)


async def test_editing_a_field_shows_what_it_holds_and_refuses_wrong_input(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "en")
    tent = await store(kapstok).gear.add(
        GearItem(0, "Tent", "Tenten", 4, min_lead_days=14, max_lead_days=180)
    )
    await store(kapstok).gear.add(GearItem(0, "Stoel", "Meubilair", 100))
    await liaison.send("/gear")
    await liaison.press("Tent")
    await liaison.press(label("en", "✏️ Edit"))
    await liaison.press(label("en", "Minimum lead time", "button"))
    assert say("en", "Now: {value}", value="14") in liaison.last
    said = (await liaison.send("200"))[-1]
    assert say("en", "The longest lead time cannot be shorter than the shortest one.") in said
    await liaison.send("7")
    assert say("en", "Saved.") in liaison.last
    await liaison.press(label("en", "✏️ Edit"))
    await liaison.press(label("en", "Name (Dutch)"))
    said = (await liaison.send("stoel"))[-1]
    assert say("en", "That name is already in the catalog.") in said
    await liaison.send("Tent 6x3")
    await liaison.press(label("en", "✏️ Edit"))
    await liaison.press(label("en", "Category"))
    await liaison.send("meubilair")  # the catalog's spelling of a known category
    item = await store(kapstok).gear.get(tent.item_id)
    assert (item.name_nl, item.category, item.min_lead_days) == ("Tent 6x3", "Meubilair", 7)


async def approved_request(kapstok, member: Person, item_id: int, quantity: int, days) -> int:
    profile = await store(kapstok).profile(member.user_id)
    request = await store(kapstok).gear_requests.create(
        profile.association_id, member.user_id, days[0], days[1], {item_id: quantity}
    )
    number = request.request.request_id
    await store(kapstok).gear_requests.approve(number, {item_id: quantity}, 1)
    return number


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_lowering_a_stock_tells_which_approved_reservations_no_longer_fit(
    kapstok, admin, language
):
    ksa = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    chiro = await approved_member(kapstok, admin, 102, "Jan", "nl", "Chiro Sint-Pieter")
    tent = await store(kapstok).gear.add(GearItem(0, "Tent", "Tenten", 10))
    first = await approved_request(kapstok, ksa, tent.item_id, 6, (PICK_UP, RETURN))
    second = await approved_request(kapstok, chiro, tent.item_id, 4, (PICK_UP, RETURN))
    later = await approved_request(kapstok, chiro, tent.item_id, 5, (date(2027, 6, 1),) * 2)
    liaison = await liaison_speaking(kapstok, admin, language)
    await liaison.send("/gear")
    await liaison.press("Tent")
    await liaison.press(label(language, "✏️ Edit"))
    await liaison.press(label(language, "Stock"))
    await liaison.send("7")
    told = liaison.last.text
    assert f"#{second}" in told and "Chiro Sint-Pieter" in told
    assert f"#{first}" not in told and f"#{later}" not in told
    with_dates = say(
        language,
        "• Request #{number}, {association}, {pick_up} to {return_on}: {short} of {quantity} "
        "missing",
        number=second,
        association="Chiro Sint-Pieter",
        pick_up=_day(language, PICK_UP),
        return_on=_day(language, RETURN),
        short=3,
        quantity=4,
    )
    assert with_dates in told
    # Nothing was cancelled.
    for number in (first, second, later):
        found = await store(kapstok).gear_requests.get(number)
        assert found.request.status.value == "approved"
    # Raising it again says nothing more.
    sent = len(liaison.inbox)
    await liaison.press(label(language, "✏️ Edit"))
    await liaison.press(label(language, "Stock"))
    await liaison.send("12")
    assert all(f"#{second}" not in message.text for message in liaison.inbox[sent:])


def _day(language: str, day: date) -> str:
    from bot import i18n

    with i18n.use_language(language):
        return i18n.format_day(day)


async def test_removing_an_item_asks_first(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "nl")
    await store(kapstok).gear.add(GearItem(0, "Podium", "Podia", 1))
    await liaison.send("/gear")
    await liaison.press("Podium")
    await liaison.press(label("nl", "🗑 Remove"))
    await liaison.press(label("nl", "Keep it"))
    assert len(await store(kapstok).gear.catalog()) == 1
    await liaison.press(label("nl", "🗑 Remove"))
    await liaison.press(label("nl", "🗑 Yes, remove it"))
    assert await store(kapstok).gear.catalog() == []
    assert say("nl", "<b>{name}</b> is no longer in the catalog.", name="Podium") in liaison.last
    # The old item's buttons say so.
    await liaison.press_data(callbacks.GEAR_ITEM.data(1), on=liaison.last)
    assert liaison.alerts[-1] == say("nl", "This item is no longer in the catalog.")


async def test_a_long_catalog_has_pages(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "en")
    for number in range(30):
        await store(kapstok).gear.add(GearItem(0, f"Stoel {number:02d}", "Meubilair", 10))
    await liaison.send("/gear")
    assert say("en", "Page {page} of {pages}", page=1, pages=3) in liaison.last
    assert "Stoel 00" in liaison.last and "Stoel 12" not in liaison.last
    await liaison.press(label("en", "Next ▶"))
    await liaison.press(label("en", "Next ▶"))
    assert "Stoel 29" in liaison.last and label("en", "Next ▶") not in liaison.last.buttons
    # Another bot's arguments do not matter: /gear with words shows the catalog too.
    await liaison.send("/gear tents")
    assert "Stoel 00" in liaison.last


async def test_only_liaisons_keep_the_catalog(kapstok, admin):
    member = await approved_member(kapstok, admin)
    await member.send("/gear")
    refusal = say("nl", "Only liaison officers of the municipality can do this.")
    assert member.last.text == refusal
    liaison = await liaison_speaking(kapstok, admin, "nl")
    await store(kapstok).gear.add(GearItem(0, "Podium", "Podia", 1))
    await liaison.send("/gear")
    catalog = liaison.last
    # The member forges the liaison's button in their own chat: refused, nothing changes.
    own = member.last
    await member.press_data(callbacks.GEAR_REMOVE_CONFIRM.data(1), on=own)
    assert member.alerts[-1] == refusal
    # A liaison's button in a group that is not the liaison group does not work there.
    elsewhere = Message({**catalog.raw, "chat": kapstok.telegram.chat(-100777)})
    await liaison.press_data(callbacks.GEAR_REMOVE_CONFIRM.data(1), on=elsewhere)
    assert liaison.alerts[-1] == say("nl", "This button does not work here. Nothing was changed.")
    assert len(await store(kapstok).gear.catalog()) == 1
    # A liaison removed halfway saves nothing.
    await liaison.press(label("nl", "➕ Add an item"), on=catalog)
    await admin.send_in_group("/liaison remove 401")
    await liaison.send("Tent")
    assert liaison.last.text == refusal
    assert len(await store(kapstok).gear.catalog()) == 1
