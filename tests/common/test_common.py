"""What everyone has: /start, /language, /help, /mydata, /forgetme, /cancel, the kapstok pages,
the answers to the unexpected, the command menus, the error handler and the profile cache."""

from __future__ import annotations

import json
import re

from bot import i18n
from bot.errors import _flush as _flush_error_notices
from tests.client import LIAISON_CHAT_ID, label, say
from tests.fake_telegram import html_to_text
from tests.stories import approved_member, register

FIVE_KAPSTOKKEN = {
    "nl": (
        "Goede verstandhouding",
        "Goede begeleiding",
        "Samenwerking tussen verenigingen",
        "Samenwerking rond activiteiten",
        "Financiële en materiële ondersteuning",
    ),
    "fr": (
        "Bonne entente",
        "Bon accompagnement",
        "Collaboration entre associations",
        "Collaboration autour des activités",
        "Soutien financier et matériel",
    ),
}

NEWCOMER_MENU = (
    "Hello {name}! I am Kapstok, the municipality's assistant for associations: a direct line "
    "to the municipality, help with questions, and cooperation between associations.\n\n"
    "Is your association new here? Register it. Did a fellow board member give you an "
    "invite code? Enter it to join them."
)
MEMBER_MENU = (
    "<b>{association}</b>\n"
    "Hello {name}! Together with the municipality, we work on five kapstokken of good "
    "cooperation. Choose one:"
)
HELP_INTRO = (
    "I am Kapstok, the link between the municipality and its associations. I am built "
    "around five kapstokken of good cooperation: a good relationship, good guidance, "
    "cooperation between associations, cooperation around activities, and financial "
    "and material support."
)
UNEXPECTED = "I did not expect that message. Choose from the menu, or send /help."
KAPSTOKKEN_CLOSED = "The kapstokken open once your association is confirmed by the municipality."
ASK_NAME = (
    "Let's register your association. What is its name? "
    "Send it as a message (at most {limit} characters)."
)
ASK_KIND = "What kind of association is <b>{association}</b>?"
APOLOGY = (
    "Sorry, something went wrong on my side. Nothing you sent is lost; "
    "please try again in a moment. The municipality has been notified."
)
ERROR_NOTICE = (
    "⚠️ Kapstok hit {count} error ({error}) while handling update {update}. "
    "The details are in the bot's log.",
    "⚠️ Kapstok hit {count} errors since the last notice, the last one ({error}) "
    "while handling update {update}. The details are in the bot's log.",
)


def error_notice(language: str, count: int, error: str, update: str) -> str:
    """The liaison group's notice of `count` errors, as the bot words it."""
    with i18n.use_language(language):
        text = i18n.ngettext(*ERROR_NOTICE, count)
    return html_to_text(text.format(count=count, error=error, update=update))


EVERYONES_COMMANDS = {"start", "language", "help", "mydata", "forgetme", "cancel"}
MEMBER_COMMANDS = {
    "invite",
    "members",
    "leave",
    "settings",
    "menu",
    "threads",
    "faq",
    "profile",
    "directory",
    "call",
    "calls",
    "activity",
    "requests",
}
LIAISON_COMMANDS = {
    "pending",
    "liaisons",
    "open",
    "mine",
    "close",
    "reopen",
    "s",
    "snippet",
    "faqlist",
    "faqadd",
    "faqedit",
    "faqremove",
    "faqimport",
    "faqexport",
    "subjects",
    "broadcast",
    "broadcasts",
    "barometer",
    "schedules",
    "activities",
    "association",
    "gear",
    "dossier",
    "subsidies",
}
ADMIN_COMMANDS = {"liaison", "subject"}


# --- helpers -------------------------------------------------------------------------------


def newcomer_buttons(language: str) -> list[str]:
    return [label(language, "Register my association"), label(language, "I have an invite code")]


def commands_in(help_text: str) -> set[str]:
    return set(re.findall(r"^/(\w+) — ", help_text, flags=re.MULTILINE))


def formatted(language: str, function, *args) -> str:
    with i18n.use_language(language):
        return function(*args)


# --- /start and the language -----------------------------------------------------------------


async def test_start_greets_a_newcomer_in_their_telegram_language(kapstok):
    for user_id, telegram_language, spoken in (
        (201, "nl", "nl"),
        (202, "fr", "fr"),
        (203, "en", "en"),
        (204, "de", "nl"),
        (205, None, "nl"),
        (206, "fr-BE", "fr"),
    ):
        person = kapstok.person(user_id, "Robin", telegram_language)
        replies = await person.send("/start")
        assert len(replies) == 1, telegram_language
        assert replies[0].text == say(spoken, NEWCOMER_MENU, name="Robin"), telegram_language
        assert replies[0].buttons == newcomer_buttons(spoken), telegram_language


async def test_language_is_chosen_with_buttons_and_survives_a_restart(kapstok):
    lies = kapstok.person(207, "Lies", "nl")
    replies = await lies.send("/language")
    assert replies[0].text == say("nl", "Which language shall I speak with you?")
    assert replies[0].buttons == ["✓ Nederlands", "Français", "English"]
    question = replies[0]

    replies = await lies.press("Français", on=question)
    assert question.text == say("fr", "From now on I speak English with you.")
    assert question.text != say("nl", "From now on I speak English with you.")
    assert [m.text for m in replies] == [say("fr", NEWCOMER_MENU, name="Lies")]
    assert replies[0].buttons == newcomer_buttons("fr")

    await kapstok.restart()
    replies = await lies.send("/help")
    assert replies[0].text.startswith(say("fr", HELP_INTRO))
    replies = await lies.send("/language")
    assert replies[0].buttons == ["Nederlands", "✓ Français", "English"]


async def test_the_language_button_of_the_menu(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    menu = (await sofie.send("/menu"))[0]
    await sofie.press(label("nl", "🌐 Language"), on=menu)
    assert menu.text == say("nl", "Which language shall I speak with you?")
    replies = await sofie.press("English", on=menu)
    assert menu.text == say("en", "From now on I speak English with you.")
    assert replies[-1].text == say("en", MEMBER_MENU, association="KSA Sint-Jan", name="Sofie")


async def test_a_forged_language_is_refused(kapstok):
    lies = kapstok.person(207, "Lies", "nl")
    question = (await lies.send("/language"))[0]
    await lies.press_data("lang:de", on=question)
    assert lies.alerts == [say("nl", "This button is no longer valid. Here is the menu.")]
    replies = await lies.send("/help")
    assert replies[0].text.startswith(say("nl", HELP_INTRO))


# --- /help -----------------------------------------------------------------------------------


async def test_help_lists_the_commands_each_user_may_use(kapstok, admin):
    newcomer = kapstok.person(208, "Nora", "en")
    text = (await newcomer.send("/help"))[0].text
    assert text.startswith(say("en", HELP_INTRO))
    assert commands_in(text) == EVERYONES_COMMANDS
    assert f"/help — {say('en', 'What I can do for you')}" in text

    member = await approved_member(kapstok, admin, language="fr")
    text = (await member.send("/help"))[0].text
    assert text.startswith(say("fr", HELP_INTRO))
    assert commands_in(text) == EVERYONES_COMMANDS | MEMBER_COMMANDS
    assert f"/invite — {say('fr', 'Invite a fellow board member')}" in text

    text = (await admin.send("/help"))[0].text
    assert commands_in(text) == EVERYONES_COMMANDS | LIAISON_COMMANDS | ADMIN_COMMANDS
    text = (await admin.send_in_group("/help"))[-1].text
    assert commands_in(text) >= LIAISON_COMMANDS | ADMIN_COMMANDS


async def test_a_pending_member_gets_no_member_commands(kapstok):
    ward = kapstok.person(209, "Ward", "nl")
    await register(ward, "Chiro Spelewei")
    text = (await ward.send("/help"))[0].text
    assert commands_in(text) == EVERYONES_COMMANDS


# --- /mydata and /forgetme ---------------------------------------------------------------------


async def test_mydata_and_forgetme(kapstok, admin):
    sofie = await approved_member(
        kapstok, admin, name="Sofie", last_name="Janssens", username="sofie_j"
    )
    joined = kapstok.clock.now
    code_message = (await sofie.send("/invite"))[0]
    code = re.search(r"<code>(\w+)</code>", code_message.html).group(1)
    jan = kapstok.person(210, "Jan", "nl")
    await jan.send(f"/start {code}")

    text = (await sofie.send("/mydata"))[0].text
    assert say("nl", "Telegram user id: {id}", id=101) in text
    assert say("nl", "Name: {name}", name="Sofie Janssens") in text
    assert say("nl", "Username: @{username}", username="sofie_j") in text
    assert say("nl", "Language: {language}").format(language="Nederlands") in text
    membership = say(
        "nl",
        "Board member of {association} ({kind}, {status}) since {date}",
        association="KSA Sint-Jan",
        kind=label("nl", "Youth", "kind"),
        status=label("nl", "confirmed", "status"),
        date=formatted("nl", i18n.format_date, joined),
    )
    assert membership in text
    assert say("nl", "Associations you registered: {names}", names="KSA Sint-Jan") in text
    with i18n.use_language("nl"):
        codes = i18n.ngettext(
            "Invite codes you created: {count} ({used} used)",
            "Invite codes you created: {count} ({used} used)",
            1,
        ).format(count=1, used=1)
    assert codes in text

    question = (await sofie.send("/forgetme"))[0]
    assert question.buttons == [label("nl", "Yes, erase my data"), label("nl", "No, keep it")]
    await sofie.press(label("nl", "No, keep it"), on=question)
    assert question.text == say("nl", "Good, nothing was erased.")
    assert membership in (await sofie.send("/mydata"))[0].text

    question = (await sofie.send("/forgetme"))[0]
    await sofie.press(label("nl", "Yes, erase my data"), on=question)
    assert question.text == say(
        "nl",
        "Done: everything Kapstok stored about you is erased. If you write to me again, "
        "we start anew.",
    )

    kapstok.clock.advance(days=1)
    text = (await sofie.send("/mydata"))[0].text
    assert say("nl", "Board member of: no association") in text
    assert "KSA Sint-Jan" not in text
    first_contact = formatted("nl", i18n.format_datetime, kapstok.clock.now)
    assert say("nl", "First contact: {date}", date=first_contact) in text
    replies = await sofie.send("/start")
    assert replies[0].buttons == newcomer_buttons("nl")

    # The association goes on with Jan; its card keeps no name of Sofie.
    replies = await jan.send("/members")
    assert "KSA Sint-Jan" in replies[0].text
    assert "Jan" in replies[0].text
    assert "Sofie" not in replies[0].text
    replies = await jan.send("/start")
    assert replies[0].text == say("nl", MEMBER_MENU, association="KSA Sint-Jan", name="Jan")


async def test_forgetme_of_an_unfinished_registration_erases_the_draft(kapstok):
    lies = kapstok.person(211, "Lies", "nl")
    await lies.send("/start")
    await lies.press(label("nl", "Register my association"))
    await lies.send("Chiro Spelewei")
    text = (await lies.send("/mydata"))[0].text
    assert say("nl", "An unfinished registration: {name}", name="Chiro Spelewei") in text

    question = (await lies.send("/forgetme"))[0]
    await lies.press(label("nl", "Yes, erase my data"), on=question)
    text = (await lies.send("/mydata"))[0].text
    assert "Chiro Spelewei" not in text


async def test_keeping_the_data_keeps_an_unfinished_registration(kapstok):
    """The answer to "No, keep it" is "nothing was erased": a registration under way survives."""
    lies = kapstok.person(211, "Lies", "nl")
    await lies.send("/start")
    await lies.press(label("nl", "Register my association"))
    await lies.send("Chiro Spelewei")

    question = (await lies.send("/forgetme"))[0]
    await lies.press(label("nl", "No, keep it"), on=question)
    assert question.text == say("nl", "Good, nothing was erased.")

    text = (await lies.send("/mydata"))[0].text
    assert say("nl", "An unfinished registration: {name}", name="Chiro Spelewei") in text
    await lies.press(label("nl", "Youth", "kind"))
    assert lies.alerts == []
    kind_chosen = say("nl", "Kind: {kind}", kind=label("nl", "Youth", "kind"))
    assert any(message.text.startswith(kind_chosen) for message in lies.inbox)


# --- the unexpected ----------------------------------------------------------------------------


async def test_unexpected_input_gets_a_polite_answer_and_the_menu(kapstok):
    tom = kapstok.person(212, "Tom", "en")
    menu = say("en", NEWCOMER_MENU, name="Tom")

    replies = await tom.send("hello there")
    assert [m.text for m in replies] == [f"{say('en', UNEXPECTED)}\n\n{menu}"]
    assert replies[0].buttons == newcomer_buttons("en")

    replies = await tom.send_photo(caption="our logo")
    assert [m.text for m in replies] == [f"{say('en', UNEXPECTED)}\n\n{menu}"]

    replies = await tom.send("/foo")
    assert [m.text for m in replies] == [
        say(
            "en",
            "I don't know the command /{command}. /help lists the commands you can use.",
            command="foo",
        )
    ]

    replies = await tom.send("/cancel")
    assert [m.text for m in replies] == [
        f"{say('en', 'There is nothing to stop right now.')}\n\n{menu}"
    ]

    calls = len(kapstok.telegram.calls)
    await tom.press_data("nonsense", on=tom.last)
    assert tom.alerts == [say("en", "This button is no longer valid. Here is the menu.")]
    assert tom.last.text == menu
    assert any(call.method == "sendMessage" for call in kapstok.telegram.calls[calls:])


async def test_a_member_command_of_a_newcomer_is_refused_not_ignored(kapstok):
    tom = kapstok.person(212, "Tom", "nl")
    replies = await tom.send("/leave")
    assert [m.text for m in replies] == [
        say("nl", "You are not a board member of any association.")
    ]


# --- the kapstok pages -------------------------------------------------------------------------


async def test_each_kapstok_opens_its_page_with_its_full_name(kapstok, admin):
    for user_id, language in ((101, "nl"), (102, "fr")):
        member = await approved_member(
            kapstok, admin, user_id, "Sofie", language, association=f"Club {language}"
        )
        menu = (await member.send("/menu"))[0]
        assert menu.text == say(language, MEMBER_MENU, association=f"Club {language}", name="Sofie")
        for number, full_name in enumerate(FIVE_KAPSTOKKEN[language], start=1):
            button = menu.buttons[number - 1]
            await member.press(button, on=menu)
            assert menu.text.startswith(f"{number}. {full_name}\n\n"), menu.text
            assert menu.buttons[-1] == label(language, "⬅️ Menu")
            await member.press(label(language, "⬅️ Menu"), on=menu)
            assert menu.text == say(
                language, MEMBER_MENU, association=f"Club {language}", name="Sofie"
            )
            assert menu.buttons[number - 1] == button


async def test_the_kapstokken_stay_closed_before_confirmation(kapstok, admin):
    newcomer = kapstok.person(213, "Nele", "fr")
    await newcomer.send("/start")
    await newcomer.press_data("k:1", on=newcomer.last)
    assert newcomer.alerts == [say("fr", KAPSTOKKEN_CLOSED)]

    pending = kapstok.person(214, "Ward", "nl")
    await register(pending, "Chiro Spelewei")
    await pending.press_data("k:1", on=pending.last)
    assert pending.alerts == [say("nl", KAPSTOKKEN_CLOSED)]

    member = await approved_member(kapstok, admin)
    menu = (await member.send("/menu"))[0]
    await member.press_data("k:9", on=menu)
    assert member.alerts == [say("nl", "This button is no longer valid.")]


async def test_a_liaison_sees_the_kapstokken_too(kapstok, admin):
    menu = (await admin.send("/start"))[0]
    for name in FIVE_KAPSTOKKEN["nl"]:
        assert any(name in button for button in menu.buttons)
    assert label("nl", "👥 Our association") not in menu.buttons
    await admin.press(menu.buttons[0], on=menu)
    assert menu.text.startswith(f"1. {FIVE_KAPSTOKKEN['nl'][0]}")


# --- commands in the middle of a conversation -------------------------------------------------


async def test_help_during_a_registration_lets_it_go_on(kapstok):
    lies = kapstok.person(215, "Lies", "nl")
    await lies.send("/start")
    await lies.press(label("nl", "Register my association"))
    assert lies.last.text.startswith(say("nl", ASK_NAME, limit=100))

    replies = await lies.send("/help")
    assert replies[0].text.startswith(say("nl", HELP_INTRO))

    replies = await lies.send("Chiro Spelewei")
    assert replies[0].text == say("nl", ASK_KIND, association="Chiro Spelewei")
    assert replies[0].buttons[0] == label("nl", "Youth", "kind")


async def test_menu_during_a_registration_ends_it(kapstok):
    lies = kapstok.person(215, "Lies", "nl")
    await lies.send("/start")
    await lies.press(label("nl", "Register my association"))

    replies = await lies.send("/menu")
    assert replies[0].text == say("nl", NEWCOMER_MENU, name="Lies")

    replies = await lies.send("Chiro Spelewei")
    assert replies[0].text.startswith(say("nl", UNEXPECTED))
    text = (await lies.send("/mydata"))[0].text
    assert "Chiro Spelewei" not in text


async def test_cancel_during_a_registration_stops_it(kapstok):
    lies = kapstok.person(215, "Lies", "fr")
    await lies.send("/start")
    await lies.press(label("fr", "Register my association"))
    await lies.send("Chorale Sainte-Cécile")

    replies = await lies.send("/cancel")
    assert [m.text for m in replies] == [say("fr", "Stopped. Nothing was saved.")]
    replies = await lies.press(label("fr", "Youth", "kind"))
    assert lies.alerts, "an old kind button after /cancel must be answered"
    replies = await lies.send("Chorale Sainte-Cécile")
    assert replies[0].text.startswith(say("fr", UNEXPECTED))


async def test_a_registration_survives_a_restart(kapstok):
    lies = kapstok.person(215, "Lies", "nl")
    await lies.send("/start")
    await lies.press(label("nl", "Register my association"))
    await lies.send("Chiro Spelewei")
    await kapstok.restart()
    replies = await lies.press(label("nl", "Youth", "kind"))
    kind_chosen = say("nl", "Kind: {kind}", kind=label("nl", "Youth", "kind"))
    assert any(message.text.startswith(kind_chosen) for message in lies.inbox)
    assert replies == []


# --- the command menus --------------------------------------------------------------------------


async def test_startup_registers_the_command_menus_in_every_language(kapstok):
    calls = kapstok.telegram.calls_of("setMyCommands")
    menus: dict[tuple[str, str | None], dict[str, str]] = {}
    for call in calls:
        scope = call.params["scope"]
        if isinstance(scope, str):
            scope = json.loads(scope)
        if scope["type"] == "chat":
            assert int(scope["chat_id"]) == LIAISON_CHAT_ID
        commands = call.params["commands"]
        if isinstance(commands, str):
            commands = json.loads(commands)
        key = (scope["type"], call.params.get("language_code"))
        menus[key] = {command["command"]: command["description"] for command in commands}

    assert set(menus) == {
        (scope, language)
        for scope in ("all_private_chats", "chat")
        for language in (None, "nl", "fr", "en")
    }
    for language in ("nl", "fr", "en"):
        private = menus[("all_private_chats", language)]
        assert set(private) == EVERYONES_COMMANDS | MEMBER_COMMANDS
        assert private["help"] == say(language, "What I can do for you")
        group = menus[("chat", language)]
        in_group = {"help", "members", "calls", "requests"}
        assert set(group) == in_group | LIAISON_COMMANDS | ADMIN_COMMANDS
    assert menus[("all_private_chats", None)] == menus[("all_private_chats", "nl")]
    assert menus[("chat", None)] == menus[("chat", "nl")]
    descriptions = {
        menus[("all_private_chats", language)]["help"] for language in ("nl", "fr", "en")
    }
    assert len(descriptions) == 3
    assert menus[("all_private_chats", "nl")]["help"] != menus[("all_private_chats", "en")]["help"]


# --- the error handler ------------------------------------------------------------------------


async def test_an_error_gets_an_apology_and_a_notice_without_personal_data(kapstok):
    camille = kapstok.person(4242, "Camille", "fr", last_name="Dubois", username="cam_d")
    await camille.send("/start")

    telegram = kapstok.telegram
    real_do_request = telegram.do_request
    failures = []

    async def failing_once(url, method, request_data=None, **timeouts):
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if not failures and api_method == "sendMessage" and int(params.get("chat_id", 0)) == 4242:
            failures.append(api_method)
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            return 500, json.dumps(body).encode()
        return await real_do_request(url, method, request_data, **timeouts)

    telegram.do_request = failing_once
    try:
        replies = await camille.send("/help")
    finally:
        del telegram.do_request

    assert failures == ["sendMessage"]
    assert [m.text for m in replies] == [say("fr", APOLOGY)]
    notices = [m for m in kapstok.group() if m.text.startswith("⚠️")]
    assert len(notices) == 1
    notice = notices[0].text
    assert re.fullmatch(
        re.escape(error_notice("nl", 1, "NetworkError", "UPDATE")).replace("UPDATE", r"\d+"),
        notice,
    ), notice
    for personal in ("4242", "Camille", "Dubois", "cam_d", "/help"):
        assert personal not in notice
    assert [type(error).__name__ for error in kapstok.errors] == ["NetworkError"]
    kapstok.errors.clear()

    replies = await camille.send("/help")
    assert replies[0].text.startswith(say("fr", HELP_INTRO))


async def test_an_error_in_the_liaison_group_is_noticed_there(kapstok, admin):
    telegram = kapstok.telegram
    real = telegram.api_sendMessage
    failed = []

    def failing_once(params):
        if not failed:
            failed.append(params["chat_id"])
            raise RuntimeError("the fake fails once")
        return real(params)

    telegram.api_sendMessage = failing_once
    try:
        await admin.send_in_group("/liaisons")
    finally:
        del telegram.api_sendMessage

    assert [int(chat) for chat in failed] == [LIAISON_CHAT_ID]
    notice = kapstok.group()[-1].text
    assert notice.startswith("⚠️")
    assert "NetworkError" in notice
    assert "Annelies" not in notice
    assert admin.inbox == []  # no apology in a private chat for a group update
    kapstok.errors.clear()


# --- the profile cache ------------------------------------------------------------------------


def identifying(statements: list[str]) -> list[str]:
    """The statements that read or write a user's row: what identifying the sender costs."""
    return [sql for sql in statements if re.search(r"\b(FROM|INTO|UPDATE)\s+users\b", sql, re.I)]


async def test_a_known_user_costs_no_sql_to_identify(kapstok):
    store = kapstok.app.bot_data.store
    statements: list[str] = []
    await store.db.trace(statements.append)
    try:
        nora = kapstok.person(216, "Nora", "en")
        # First contact: at most two statements (insert the user, read the profile).
        await nora.send("/start")
        assert 1 <= len(identifying(statements)) <= 2, statements

        statements.clear()
        replies = await nora.send("/help")
        assert replies[0].text.startswith(say("en", HELP_INTRO))
        assert identifying(statements) == [], statements

        # A changed name in Telegram is written once, then cached again.
        statements.clear()
        renamed = kapstok.person(216, "Nora B.", "en")
        replies = await renamed.send("/start")
        assert replies[0].text == say("en", NEWCOMER_MENU, name="Nora B.")
        assert 1 <= len(identifying(statements)) <= 2, statements
        statements.clear()
        await renamed.send("/help")
        assert identifying(statements) == [], statements
    finally:
        await store.db.trace(None)


async def test_error_notices_come_at_most_once_a_minute_with_a_count(kapstok, admin):
    telegram = kapstok.telegram
    real = telegram.api_sendMessage

    def failing_for_members(params):
        if int(params["chat_id"]) > 100:
            raise RuntimeError("the fake fails for members")
        return real(params)

    strangers = [kapstok.person(500 + n, f"Stranger {n}", "nl") for n in range(4)]
    telegram.api_sendMessage = failing_for_members
    try:
        for stranger in strangers[:3]:
            await stranger.send("/help")
        notices = [m.text for m in kapstok.group() if m.text.startswith("⚠️")]
        assert len(notices) == 1  # the first error is told at once; the next two wait
        await kapstok.pass_time(seconds=61)
        await kapstok.run_job(_flush_error_notices)
        notices = [m.text for m in kapstok.group() if m.text.startswith("⚠️")]
        assert len(notices) == 2
        assert re.fullmatch(
            re.escape(error_notice("nl", 2, "NetworkError", "UPDATE")).replace("UPDATE", r"\d+"),
            notices[-1],
        ), notices[-1]
    finally:
        del telegram.api_sendMessage
    kapstok.errors.clear()
