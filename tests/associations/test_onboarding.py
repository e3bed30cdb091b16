"""A board member registers a new association: the stories, and every way to get it wrong."""

from __future__ import annotations

from tests.client import label, say


async def register(person, name, kind="Youth", description="Wij spelen elke zondag.", lang="nl"):
    await person.send("/start")
    await person.press(label(lang, "Register my association"))
    await person.send(name)
    await person.press(label(lang, kind, "kind"))
    return await person.send(description)


async def test_a_dutch_board_member_registers_and_is_approved(kapstok, admin):
    jan = kapstok.person(100, "Jan", "nl")
    greeting = await jan.send("/start")
    assert greeting[-1].buttons == [
        "Mijn vereniging registreren",
        label("nl", "I have an invite code"),
    ]

    await jan.press("Mijn vereniging registreren")
    assert "100" in jan.last.text  # the name's limit is named
    await jan.send("KSA Sint-Jan")
    assert jan.last.buttons == [
        label("nl", kind, "kind")
        for kind in (
            "Youth",
            "Sport",
            "Culture",
            "Social and welfare",
            "Neighbourhood",
            "Education and parents",
            "Other",
        )
    ]
    assert "Jeugd" in jan.last.buttons
    await jan.press("Jeugd")
    await jan.send("Jeugdbeweging voor 6 tot 18 jaar, elke zondag in de Kerkstraat.")
    assert jan.last.text == say(
        "nl",
        "Thank you! <b>{association}</b> is registered. A liaison officer of the municipality "
        "will confirm it, and I will let you know as soon as that happens.\n\n"
        "Meanwhile you can use /language, /help and /mydata.",
        association="KSA Sint-Jan",
    )

    card = kapstok.group()[-1]
    assert "KSA Sint-Jan" in card and "Jeugd" in card and "Jan" in card
    assert "elke zondag in de Kerkstraat" in card
    assert (
        card.buttons
        == ["✅ Goedkeuren", "❌ Afwijzen"]
        == [
            label("nl", "✅ Approve"),
            label("nl", "❌ Reject"),
        ]
    )

    await admin.press_in_group("✅ Goedkeuren")
    assert kapstok.group()[-1].buttons == []
    assert "Annelies Peeters" in kapstok.group()[-1]
    assert "KSA Sint-Jan" in jan.last
    assert "Goede verstandhouding" in " ".join(jan.last.buttons)

    menu = await jan.send("/menu")
    assert [button.split(" ", 1)[1] for button in menu[-1].buttons[:5]] == [
        "Goede verstandhouding",
        "Goede begeleiding",
        "Samenwerking tussen verenigingen",
        "Samenwerking rond activiteiten",
        "Financiële en materiële ondersteuning",
    ]


async def test_a_french_board_member_registers_and_is_approved(kapstok, admin):
    marie = kapstok.person(101, "Marie", "fr")
    await register(marie, "Chorale La Lyre", "Culture", "Nous chantons le jeudi.", lang="fr")
    assert "Chorale La Lyre" in marie.last
    assert marie.last.text.startswith("Merci")
    card = kapstok.group()[-1]
    assert "Cultuur" in card  # the liaison group reads the card in the default language

    await admin.press_in_group(label("nl", "✅ Approve"))
    assert "Bonne entente" in " ".join(marie.last.buttons)
    page = await marie.press(marie.last.buttons[0])
    assert page == []  # the page replaces the menu in the same message
    assert "Bonne entente" in marie.last
    await marie.press(label("fr", "⬅️ Menu"))
    assert "Soutien financier et matériel" in " ".join(marie.last.buttons)


async def test_a_pending_association_can_use_only_what_commits_nothing(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await register(jan, "Chiro Elan")
    start = await jan.send("/start")
    assert start[-1].buttons == []
    assert "Chiro Elan" in start[-1]
    await jan.send("/invite")
    assert jan.last.text == say(
        "nl",
        "Your association is still waiting for a liaison officer's confirmation. "
        "As soon as it is confirmed, you can use this.",
    )
    await jan.send("/mydata")
    assert "Chiro Elan" in jan.last
    await jan.send("/help")
    assert "/invite" not in jan.last.text
    await jan.press_data("k:1", on=start[-1])
    assert jan.alerts[-1] == say(
        "nl", "The kapstokken open once your association is confirmed by the municipality."
    )


async def test_a_registered_name_is_recognised_loosely(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await register(jan, "KSA Sint-Jan")
    piet = kapstok.person(102, "Piet", "nl")
    await piet.send("/start")
    await piet.press(label("nl", "Register my association"))
    answer = await piet.send("ksa   sint jan")
    assert "KSA Sint-Jan" in answer[-1]
    assert "/invite" in answer[-1].text
    assert answer[-1].buttons == [label("nl", "I have an invite code")]

    await piet.send("KSA Sint-Pieter")  # another name goes on
    assert label("nl", "Youth", "kind") in piet.last.buttons


async def test_too_long_name_and_bad_descriptions_are_refused_and_can_be_retried(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send("K" * 300)
    assert jan.last.text == say(
        "nl",
        "That name is {length} characters long; the limit is {limit}. Please send a shorter name.",
        length=300,
        limit=100,
    )
    await jan.send("Korfbal Kattenberg")
    await jan.press(label("nl", "Sport", "kind"))

    await jan.send("   ")
    assert jan.last.text == say(
        "nl", "The description cannot be empty. Please tell in a few sentences what you do."
    )
    await jan.send("x" * 1001)
    assert "1001" in jan.last.text and "1000" in jan.last.text
    await jan.send("We spelen korfbal.")
    assert "Korfbal Kattenberg" in kapstok.group()[-1]


async def test_the_kind_is_a_button_and_text_is_asked_as_text(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send_photo()
    assert jan.last.text == say("nl", "Please send this as a text message.")
    await jan.send("Buurtcomité De Linde")
    await jan.send("buurt")
    assert jan.last.text == say(
        "nl", "Please choose the kind of your association with one of these buttons:"
    )
    await jan.press(label("nl", "Neighbourhood", "kind"))
    await jan.send("Wij organiseren het buurtfeest.")
    assert "Buurtcomité De Linde" in kapstok.group()[-1]
    assert "Buurt" in kapstok.group()[-1]


async def test_a_restart_mid_conversation_continues_where_it_was(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send("Toneelkring Thalia")
    await kapstok.restart()

    await jan.press(label("nl", "Culture", "kind"))
    await kapstok.restart()
    await jan.send("Wij spelen twee stukken per jaar.")
    assert "Toneelkring Thalia" in jan.last
    assert "Toneelkring Thalia" in kapstok.group()[-1]


async def test_cancel_leaves_the_registration_and_loses_no_later_input(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send("Fanfare Sint-Cecilia")
    await jan.send("/cancel")
    assert jan.last.text == say("nl", "Stopped. Nothing was saved.")
    await jan.send("Sport")  # no longer an answer to the registration
    assert jan.last.text.startswith(
        say("nl", "I did not expect that message. Choose from the menu, or send /help.")
    )
    assert jan.last.buttons == [
        label("nl", "Register my association"),
        label("nl", "I have an invite code"),
    ]
    assert kapstok.group() == []


async def test_help_keeps_the_registration_and_menu_leaves_it(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send("/help")
    assert "/mydata" in jan.last.text
    await jan.send("Scouts De Wolf")
    assert label("nl", "Youth", "kind") in jan.last.buttons

    await jan.send("/menu")
    assert jan.last.buttons == [
        label("nl", "Register my association"),
        label("nl", "I have an invite code"),
    ]
    await jan.send("Jeugd")
    assert jan.last.text.startswith(
        say("nl", "I did not expect that message. Choose from the menu, or send /help.")
    )


async def test_a_board_member_cannot_register_a_second_association(kapstok, admin):
    jan = kapstok.person(100, "Jan", "nl")
    old_greeting = (await jan.send("/start"))[-1]
    await register(jan, "Chiro Elan")
    await jan.press(label("nl", "Register my association"), on=old_greeting)
    assert jan.alerts[-1] == say(
        "nl",
        "You are already a board member of {association}. To start or join another "
        "association, leave this one first with /leave.",
        association="Chiro Elan",
    )


async def test_user_text_is_escaped_everywhere(kapstok, admin):
    jan = kapstok.person(100, "Jan <&>", "nl")
    await register(jan, "Café <De Kroon> & Co", description="Biljart & <kaarten> op vrijdag")
    assert "Café <De Kroon> & Co" in jan.last
    card = kapstok.group()[-1]
    assert "Biljart & <kaarten> op vrijdag" in card and "Jan <&>" in card
    await admin.press_in_group(label("nl", "✅ Approve"))
    assert "Café <De Kroon> & Co" in jan.last


async def test_an_edited_answer_is_not_taken_as_a_new_one(kapstok):
    jan = kapstok.person(100, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "Register my association"))
    await jan.send("Voetbalclub Rapid")
    answer = await jan.edit_last("Voetbalclub Rapide")
    assert answer[-1].text == say(
        "nl",
        "I saw that you edited a message. An edit does not change what you sent me before: "
        "please send the correction as a new message.",
    )
    await jan.press(label("nl", "Sport", "kind"))
    await jan.send("Wij voetballen.")
    assert "Voetbalclub Rapid" in kapstok.group()[-1]


async def test_names_in_any_script_are_told_apart_and_punctuation_alone_is_no_name(kapstok):
    """After 'Спорт', other names in other scripts are free; '!!!' is asked again."""
    for user_id, name in enumerate(["Спорт", "Футбол", "東京クラブ", "جمعية الأمل", "Chiro 🎉"]):
        person = kapstok.person(600 + user_id, "Olena", "nl")
        await register(person, name)
        assert "KSA" not in person.last.text
        assert (await kapstok.app.bot_data.store.associations.find_by_name(name)).name == name
    late = kapstok.person(700, "Ivo", "nl")
    await late.send("/start")
    await late.press(label("nl", "Register my association"))
    replies = await late.send("!!! ...")
    assert replies[-1].text == say("nl", "Please send the name of your association.")
    replies = await late.send("Chiro 😀")
    assert replies[-1].text == say(
        "nl", "What kind of association is <b>{association}</b>?", association="Chiro 😀"
    )
