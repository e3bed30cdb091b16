"""/directory: the listed associations, by kind, by what they offer or look for, or by words;
eight to a page; never an unlisted association, never a contact, never the asker's own."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.domain.associations import AssociationKind
from bot.domain.profiles import ContactKind, Offer, Side
from handlers import callbacks
from handlers.cooperation import directory
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.steps import newest, page_label
from tests.stories import approved_member, register

KIND_LABELS = {
    AssociationKind.YOUTH: "Youth",
    AssociationKind.SPORT: "Sport",
    AssociationKind.CULTURE: "Culture",
    AssociationKind.NEIGHBOURHOOD: "Neighbourhood",
}
NOTHING_FOUND = (
    "Nothing found. Try other or fewer words, or browse the directory by kind or by what "
    "associations offer."
)
NO_LONGER_VALID = "This button is no longer valid."


class Directory:
    """Associations with profiles, made quickly through the store, and their board members."""

    def __init__(self, kapstok: Kapstok, admin: Person) -> None:
        self.kapstok, self.admin = kapstok, admin
        self.store = kapstok.app.bot_data.store
        self.next_id = 300
        self.ids: dict[str, int] = {}
        self.boards: dict[str, Person] = {}

    async def association(
        self,
        name: str,
        kind: str = "Youth",
        description: str = "",
        offers: tuple[Offer, ...] = (),
        needs: tuple[Offer, ...] = (),
        contact: tuple[ContactKind, str] | None = (ContactKind.PHONE, "0470 99 88 77"),
        listed: bool = True,
        language: str = "nl",
    ) -> Person:
        self.next_id += 1
        person = self.kapstok.person(self.next_id, f"Bestuurder{self.next_id}", language)
        await register(person, name, kind)
        card = newest(self.kapstok, LIAISON_CHAT_ID, name)
        await self.admin.press_in_group(label("nl", "✅ Approve"), on=card)
        association_id = (await self.store.profile(person.user_id)).association_id
        self.ids[name] = association_id
        self.boards[name] = person
        profiles = self.store.profiles
        if description:
            await profiles.set_description(association_id, description, language)
        for side, chosen in ((Side.OFFERS, offers), (Side.NEEDS, needs)):
            for offer in chosen:
                await profiles.toggle(association_id, side, offer)
        if contact is not None:
            kind, text = contact
            await profiles.set_contact_text(association_id, kind, text, person.user_id)
        if listed:
            await profiles.set_listed(association_id, True)
        return person


@pytest.fixture
async def town(kapstok, admin) -> Directory:
    """Four listed associations, one with a profile that is not listed, and one without any."""
    town = Directory(kapstok, admin)
    await town.association(
        "Voetbalclub Sint-Jan",
        "Sport",
        "Wij spelen voetbal met 200 jongeren en hebben een grote kantine.",
        offers=(Offer.VENUE, Offer.VOLUNTEERS),
        contact=(ContactKind.EMAIL, "secretaris@voetbal-sintjan.be"),
    )
    await town.association(
        "Jeugdhuis 't Leeuwke",
        "Youth",
        "Een jeugdhuis met een zaal voor optredens en een bar.",
        offers=(Offer.VENUE,),
        needs=(Offer.VOLUNTEERS,),
        contact=(ContactKind.PHONE, "014 21 21 21"),
    )
    await town.association(
        "Chiro",
        "Youth",
        "Jeugdbeweging: elke zondag spelen, in de zomer op kamp met onze tenten.",
        offers=(Offer.GEAR,),
        needs=(Offer.VENUE,),
        contact=(ContactKind.PHONE, "0471 11 22 33"),
    )
    await town.association(
        "Fanfare De Eendracht",
        "Culture",
        "Nous jouons pour les fêtes du village et prêtons nos pupitres.",
        offers=(Offer.GEAR, Offer.KNOW_HOW),
        needs=(Offer.CO_ORGANISING,),
        contact=(ContactKind.EMAIL, "fanfare@eendracht.be"),
        language="fr",
    )
    await town.association(
        "Buurtcomité Geheim",
        "Neighbourhood",
        "Wij organiseren het buurtfeest en lenen tenten uit aan de Chiro.",
        offers=(Offer.GEAR,),
        contact=(ContactKind.PHONE, "0499 00 00 01"),
        listed=False,
    )
    await town.association("Toneelkring Zonder Profiel", "Culture", listed=False, contact=None)
    return town


SECRETS = (
    "Buurtcomité Geheim",
    "Toneelkring Zonder Profiel",
    "Wij organiseren het buurtfeest",
    "0499 00 00 01",
)
CONTACTS = (
    "secretaris@voetbal-sintjan.be",
    "014 21 21 21",
    "0471 11 22 33",
    "fanfare@eendracht.be",
    "0470 99 88 77",
    "Bestuurder",
)


async def asker(kapstok, admin, language: str = "nl") -> Person:
    return await approved_member(
        kapstok, admin, 101, "Sofie", language, association="KSA Sint-Pieter"
    )


def plural(language: str, singular: str, plural: str, count: int) -> str:
    with i18n.use_language(language):
        return i18n.ngettext(singular, plural, count).format(count=count)


def entries(message: Message) -> list[str]:
    """The associations a list shows, by their buttons (`1. Name`)."""
    return [
        button.split(". ", 1)[1] for button in message.buttons if button.split(". ", 1)[0].isdigit()
    ]


# --- the home page and browsing ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_the_home_page_counts_and_browses_by_kind(kapstok, admin, town, language):
    sofie = await asker(kapstok, admin, language)
    await sofie.send("/menu")
    await sofie.press(page_label(language, 3))
    await sofie.press(label(language, "🔎 Directory"))
    home = sofie.last
    assert home.text.startswith(say(language, "<b>🔎 The directory of associations</b>"))
    assert (
        plural(
            language,
            "{count} other association chose to show itself here.",
            "{count} other associations chose to show themselves here.",
            4,
        )
        in home.text
    )
    assert (
        say(
            language,
            "Your association is not listed: others cannot find it. 🪪 Our profile lists it.",
        )
        in home.text
    )
    youth = f"{label(language, 'Youth', 'kind')} (2)"
    assert youth in home.buttons
    assert f"{label(language, 'Neighbourhood', 'kind')} (0)" in home.buttons
    assert label(language, "📋 All of them ({count})").format(count=4) in home.buttons

    await sofie.press(youth, on=home)
    assert entries(home) == ["Chiro", "Jeugdhuis 't Leeuwke"]
    assert home.text.startswith(
        say(language, "<b>🔎 Directory</b> · {title}", title=label(language, "Youth", "kind"))
    )
    await sofie.press(label(language, "⬅️ Directory"), on=home)
    await sofie.press(f"{label(language, 'Neighbourhood', 'kind')} (0)", on=home)
    assert say(language, "No association of this kind is listed yet.") in home.text
    assert entries(home) == []


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_browse_by_what_they_offer_or_look_for(kapstok, admin, town, language):
    sofie = await asker(kapstok, admin, language)
    home = (await sofie.send("/directory"))[0]
    await sofie.press(label(language, "🎁 By what they offer"), on=home)
    venue, gear = (label(language, name, "offer") for name in ("A venue", "Gear"))
    assert f"{venue} (2)" in home.buttons and f"{gear} (2)" in home.buttons
    await sofie.press(f"{venue} (2)", on=home)
    assert entries(home) == ["Jeugdhuis 't Leeuwke", "Voetbalclub Sint-Jan"]
    await sofie.press(label(language, "⬅️ Directory"), on=home)
    await sofie.press(label(language, "🔍 By what they look for"), on=home)
    await sofie.press(f"{venue} (1)", on=home)
    assert entries(home) == ["Chiro"]
    await sofie.press(label(language, "⬅️ Directory"), on=home)
    await sofie.press(label(language, "🔍 By what they look for"), on=home)
    await sofie.press(f"{label(language, 'Know-how', 'offer')} (0)", on=home)
    assert say(language, "No listed association says so yet.") in home.text


async def test_an_entry_shows_name_kind_description_offers_and_needs_but_no_contact(
    kapstok, admin, town
):
    sofie = await asker(kapstok, admin, "fr")
    listing = (await sofie.send("/directory chiro"))[0]
    assert entries(listing) == ["Chiro"]
    text = listing.text
    assert "Chiro · " + label("fr", "Youth", "kind") in text
    assert "Jeugdbeweging: elke zondag spelen" in text
    assert say("fr", "🎁 They offer: {offers}", offers=label("fr", "Gear", "offer")) in text
    assert say("fr", "🔍 They look for: {offers}", offers=label("fr", "A venue", "offer")) in text
    await sofie.press("1. Chiro", on=listing)
    assert listing.text.startswith("Chiro · ")
    assert "in de zomer op kamp met onze tenten." in listing.text
    assert "0471" not in listing.text
    await sofie.press(label("fr", "⬅️ Back"), on=listing)
    assert entries(listing) == ["Chiro"]


# --- by words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("voetbal", ["Voetbalclub Sint-Jan"]),
        ("jeugdhuis", ["Jeugdhuis 't Leeuwke"]),
        ("chirro", ["Chiro"]),
        ("CHIRÓ", ["Chiro"]),
        ("Jeugdhuys", ["Jeugdhuis 't Leeuwke"]),
        ("fanfáre eendracht", ["Fanfare De Eendracht"]),
        # Descriptions, by their stems, after the names.
        ("kantines", ["Voetbalclub Sint-Jan"]),
        ("tent", ["Chiro"]),  # not the unlisted Buurtcomité, who lends tents too
        ("buurtfeest", []),
        ("geheim", []),
    ],
)
async def test_words_find_names_and_descriptions(kapstok, admin, town, words, found):
    sofie = await asker(kapstok, admin)
    listing = (await sofie.send(f"/directory {words}"))[0]
    assert entries(listing) == found
    if not found:
        assert say("nl", NOTHING_FOUND) in listing.text
    store = kapstok.app.bot_data.store
    context = kapstok.job_context()
    context.profile = await store.profile(sofie.user_id)
    assert [
        (await store.associations.get(p.association_id)).name
        for p in await directory.search(context, words)
    ] == found


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_search_with_the_button(kapstok, admin, town, language):
    sofie = await asker(kapstok, admin, language)
    await sofie.send("/directory")
    await sofie.press(label(language, "🔎 Search by name or words"))
    assert sofie.last.text.startswith(
        say(
            language,
            "Type a name or a few words to look for, like “chiro”, “voetbal” or “a venue for a "
            "party”. Typos do not matter.",
        )
    )
    replies = await sofie.send_photo()
    assert replies[-1].text == say(language, "Please send this as a text message.")
    replies = await sofie.send("chirro")
    assert entries(replies[-1]) == ["Chiro"]
    assert replies[-1].text.startswith(
        say(
            language,
            "<b>🔎 Directory</b> · {title}",
            title=say(language, "“{words}”", words="chirro"),
        )
    )
    # The search is over: another text is not one.
    replies = await sofie.send("voetbal")
    assert entries(replies[-1]) == []


async def test_the_asker_never_finds_their_own_association(kapstok, admin, town):
    chiro_member = town.boards["Chiro"]
    listing = (await chiro_member.send("/directory chiro"))[0]
    assert entries(listing) == []
    home = (await chiro_member.send("/directory"))[0]
    assert say("nl", "Your association is listed too: others find it here.") in home.text
    await chiro_member.press(label("nl", "📋 All of them ({count})").format(count=3), on=home)
    assert "Chiro" not in entries(home)
    await chiro_member.press_data(callbacks.DIRECTORY_ENTRY.data(town.ids["Chiro"]), on=home)
    assert chiro_member.alerts[-1] == say("nl", NO_LONGER_VALID)


# --- eight to a page ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_pages_of_eight_with_previous_and_next(kapstok, admin, language):
    town = Directory(kapstok, admin)
    names = [f"Club {letter}" for letter in "ABCDEFGHIJK"]  # eleven
    for name in names:
        await town.association(name, "Sport", "Wij sporten. " * 60)  # 780 characters
    sofie = await asker(kapstok, admin, language)
    home = (await sofie.send("/directory"))[0]
    await sofie.press(f"{label(language, 'Sport', 'kind')} (11)", on=home)
    assert entries(home) == names[:8]
    assert [button for button in home.buttons if "." not in button] == [
        label(language, "Next ▶"),
        label(language, "⬅️ Directory"),
    ]
    assert say(language, "page {page} of {pages}", page=1, pages=2) in home.text
    assert len(home.text) <= 4096
    await sofie.press(label(language, "Next ▶"), on=home)
    assert entries(home) == names[8:]
    assert home.buttons[:3] == ["9. Club I", "10. Club J", "11. Club K"]
    assert label(language, "Next ▶") not in home.buttons
    await sofie.press(label(language, "◀ Previous"), on=home)
    assert entries(home) == names[:8]

    # A page that no longer exists shows the last one.
    await sofie.press_data(callbacks.DIRECTORY_KIND.data("sport", 7), on=home)
    assert entries(home) == names[8:]
    # The words' pages too.
    listing = (await sofie.send("/directory club"))[0]
    assert entries(listing) == names[:8]
    await sofie.press(label(language, "Next ▶"), on=listing)
    assert entries(listing) == names[8:]
    await sofie.press("10. Club J", on=listing)
    await sofie.press(label(language, "⬅️ Back"), on=listing)
    assert entries(listing) == names[8:]


async def test_long_names_and_descriptions_fit_a_page(kapstok, admin):
    town = Directory(kapstok, admin)
    for number in range(8):
        await town.association(
            f"{number} {'Vereniging met een hele lange naam ' * 3}"[:100],
            "Culture",
            ("é<b>&" * 125)[:500],
            offers=tuple(Offer),
            needs=tuple(Offer),
        )
    sofie = await asker(kapstok, admin)
    replies = await sofie.send("/directory")
    await sofie.press(label("nl", "📋 All of them ({count})").format(count=8), on=replies[0])
    assert len(entries(replies[0])) == 8
    assert "é&lt;b&gt;&amp;" in replies[0].html


# --- a member of a third association never sees what it may not ------------------------------


async def walk(person: Person, start: Message) -> list[str]:
    """Every directory view the person can reach from a message, by pressing every dir:
    button once (and forging the entry of every association); what each showed."""
    kapstok = person.bot
    seen: list[str] = []
    queue = [
        button["callback_data"]
        for row in start.raw["reply_markup"]["inline_keyboard"]
        for button in row
    ]
    pressed: set[str] = set()
    while queue:
        data = queue.pop(0)
        if data in pressed or not data.startswith("dir:") or data == "dir:search":
            continue
        pressed.add(data)
        await person.press_data(data, on=newest(kapstok, person.user_id))
        shown = newest(kapstok, person.user_id)
        seen.append(shown.text)
        seen.extend(shown.buttons)
        queue += [
            button["callback_data"]
            for row in (shown.raw.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        ]
    return seen


async def test_a_third_association_sees_no_unlisted_association_and_no_contact(
    kapstok, admin, town
):
    sofie = await asker(kapstok, admin)
    seen: list[str] = []
    for command in ("/directory", "/directory chiro", "/directory buurtcomité geheim tenten"):
        replies = await sofie.send(command)
        seen += [reply.text for reply in replies] + [b for reply in replies for b in reply.buttons]
        seen += await walk(sofie, replies[-1])
    await sofie.press(
        label("nl", "🔎 Search by name or words"), on=(await sofie.send("/directory"))[0]
    )
    for words in ("geheim", "buurtfeest", "Toneelkring", "zonder profiel", "0499", "tenten"):
        replies = await sofie.send(words)
        seen += [reply.text for reply in replies] + [b for reply in replies for b in reply.buttons]
        seen += await walk(sofie, replies[-1])
        await sofie.press(
            label("nl", "🔎 Search by name or words"), on=(await sofie.send("/directory"))[0]
        )
    for name in ("Buurtcomité Geheim", "Toneelkring Zonder Profiel"):
        await sofie.press_data(
            callbacks.DIRECTORY_ENTRY.data(town.ids[name]), on=newest(kapstok, sofie.user_id)
        )
        assert sofie.alerts[-1] == say("nl", NO_LONGER_VALID)
    seen += sofie.alerts
    everything = "\n".join(seen)
    for listed in ("Voetbalclub Sint-Jan", "Jeugdhuis 't Leeuwke", "Chiro", "Fanfare De Eendracht"):
        assert listed in everything  # the walk did reach them
    for secret in SECRETS + CONTACTS:
        assert secret not in everything, secret
    assert "KSA Sint-Pieter" not in everything.replace("🪪", "")  # not even their own


async def test_an_association_taken_out_or_not_approved_is_gone(kapstok, admin, town):
    sofie = await asker(kapstok, admin)
    listing = (await sofie.send("/directory voetbal"))[0]
    assert entries(listing) == ["Voetbalclub Sint-Jan"]
    await town.store.profiles.set_listed(town.ids["Voetbalclub Sint-Jan"], False)
    await sofie.press("1. Voetbalclub Sint-Jan", on=listing)
    assert sofie.alerts[-1] == say("nl", NO_LONGER_VALID)
    assert entries((await sofie.send("/directory voetbal"))[0]) == []
    # An association still waiting for approval is never listed, whatever its profile says.
    waiting = kapstok.person(400, "Ward", "nl")
    await register(waiting, "Atletiekclub Wachtend", "Sport")
    association_id = (await town.store.profile(waiting.user_id)).association_id
    await town.store.profiles.set_description(association_id, "Wij lopen.", "nl")
    await town.store.profiles.set_contact_text(
        association_id, ContactKind.PHONE, "0470 123456", 400
    )
    await town.store.profiles.set_listed(association_id, True)
    assert entries((await sofie.send("/directory atletiek"))[0]) == []
    assert not await town.store.profiles.is_listed(association_id)


async def test_other_features_add_buttons_under_an_entry(kapstok, admin, town, monkeypatch):
    from telegram import InlineKeyboardButton

    seen = []

    async def hook(context, association_id: int) -> list[InlineKeyboardButton]:
        seen.append((context.profile.user_id, association_id))
        return [InlineKeyboardButton("🧪 Test", callback_data="menu")]

    monkeypatch.setattr(directory, "ENTRY_BUTTONS", (*directory.ENTRY_BUTTONS, hook))
    sofie = await asker(kapstok, admin)
    listing = (await sofie.send("/directory chiro"))[0]
    assert "🧪 Test" not in listing.buttons  # only under an entry on its own
    await sofie.press("1. Chiro", on=listing)
    assert "🧪 Test" in listing.buttons
    assert seen == [(sofie.user_id, town.ids["Chiro"])]
