"""Invite codes and the board: /invite, joining with a code or a link, /members and /leave."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from bot import i18n
from bot.domain.associations import INVITE_CODE_ALPHABET
from tests.client import Message, Person, label, say
from tests.fake_telegram import BOT_USERNAME, html_to_text
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

UNKNOWN_CODE = (
    "I don't know that code. Check it for typos and send it again ({count} try left), or /cancel.",
    "I don't know that code. Check it for typos and send it again "
    "({count} tries left), or /cancel.",
)
USED_CODE = (
    "That code has already been used: a code works only once. Ask a board member "
    "for a new one (they send /invite), then send it here, or /cancel."
)
EXPIRED_CODE = (
    "That code expired on {date}: a code is valid for 7 days. Ask a board member "
    "for a new one (they send /invite), then send it here, or /cancel."
)
LOCKED = "Too many wrong codes. To keep the codes safe, you can try again from {time}."
WELCOME = "Welcome! You are now a board member of <b>{association}</b>."
JOINED_NOTICE = "{name} joined <b>{association}</b> as a board member."
NEWCOMER_MENU = (
    "Hello {name}! I am Kapstok, the municipality's assistant for associations: a direct line "
    "to the municipality, help with questions, and cooperation between associations.\n\n"
    "Is your association new here? Register it. Did a fellow board member give you an "
    "invite code? Enter it to join them."
)
NOT_A_MEMBER = (
    "This is for board members of an association. Register your association or "
    "enter an invite code first: send /start."
)
STILL_PENDING = (
    "Your association is still waiting for a liaison officer's confirmation. "
    "As soon as it is confirmed, you can use this."
)


# --- helpers -------------------------------------------------------------------------------


def say_n(language: str, forms: tuple[str, str], count: int, **values) -> str:
    """Like `say`, for a text with a singular and a plural form."""
    with i18n.use_language(language):
        text = i18n.ngettext(forms[0], forms[1], count)
    escaped = {key: html.escape(str(value), quote=False) for key, value in values.items()}
    return html_to_text(text.format(count=count, **escaped))


def when(language: str, moment: datetime) -> str:
    """A date and time as the bot writes it in this language."""
    with i18n.use_language(language):
        return i18n.format_datetime(moment)


def code_of(message: Message) -> str:
    match = re.search(r"<code>([A-Z0-9]{8})</code>", message.html)
    assert match, f"no invite code in {message.html!r}"
    return match.group(1)


async def new_code(member: Person) -> str:
    replies = await member.send("/invite")
    assert len(replies) == 1
    return code_of(replies[0])


def assert_kapstok_buttons(message: Message, language: str) -> None:
    """The message shows the five kapstokken, by their glossary names."""
    for name in FIVE_KAPSTOKKEN[language]:
        assert any(name in button for button in message.buttons), (name, message.buttons)


# --- /invite and joining -------------------------------------------------------------------


async def test_an_invite_code_lets_a_french_newcomer_join(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    replies = await sofie.send("/invite")
    assert len(replies) == 1
    code = code_of(replies[0])
    assert len(code) == 8
    assert set(code) <= set(INVITE_CODE_ALPHABET)
    assert f"https://t.me/{BOT_USERNAME}?start={code}" in replies[0].text
    assert "KSA Sint-Jan" in replies[0].text
    expiry = when("nl", kapstok.clock.now.replace(microsecond=0) + timedelta(days=7))
    assert expiry in replies[0].text

    camille = kapstok.person(202, "Camille", "fr", last_name="Dubois")
    await camille.send("/start")
    await camille.press(label("fr", "I have an invite code"))
    replies = await camille.send(code)

    assert len(replies) == 1
    welcome = replies[0]
    assert welcome.text.startswith(say("fr", WELCOME, association="KSA Sint-Jan"))
    assert_kapstok_buttons(welcome, "fr")
    assert label("fr", "👥 Our association") in welcome.buttons
    assert sofie.last.text == say(
        "nl", JOINED_NOTICE, name="Camille Dubois", association="KSA Sint-Jan"
    )


async def test_the_code_may_be_typed_in_lowercase_with_a_dash_and_spaces(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    code = await new_code(sofie)
    typed = f"  {code[:4].lower()}-{code[4:].lower()} "

    jan = kapstok.person(203, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "I have an invite code"))
    replies = await jan.send(typed)

    assert replies[0].text.startswith(say("nl", WELCOME, association="KSA Sint-Jan"))
    assert_kapstok_buttons(replies[0], "nl")


async def test_the_code_with_spaces_between_its_letters_works(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    code = await new_code(sofie)

    jan = kapstok.person(203, "Jan", "nl")
    await jan.send("/start")
    await jan.press(label("nl", "I have an invite code"))
    replies = await jan.send(" ".join(code.lower()))

    assert replies[0].text.startswith(say("nl", WELCOME, association="KSA Sint-Jan"))


async def test_the_invite_link_joins_at_once(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    code = await new_code(sofie)

    pieter = kapstok.person(204, "Pieter", "nl")
    replies = await pieter.send(f"/start {code}")

    assert len(replies) == 1
    assert replies[0].text.startswith(say("nl", WELCOME, association="KSA Sint-Jan"))
    assert_kapstok_buttons(replies[0], "nl")
    assert sofie.last.text == say("en", JOINED_NOTICE, name="Pieter", association="KSA Sint-Jan")
    members = await pieter.send("/members")
    assert "Sofie" in members[0].text
    assert "Pieter" in members[0].text


async def test_wrong_used_and_expired_codes_are_refused_and_may_be_tried_again(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    used = await new_code(sofie)
    await kapstok.person(205, "Eerste", "nl").send(f"/start {used}")

    tom = kapstok.person(206, "Tom", "en")
    await tom.send("/start")
    await tom.press(label("en", "I have an invite code"))

    replies = await tom.send("00000000")
    assert [m.text for m in replies] == [say_n("en", UNKNOWN_CODE, 4)]

    replies = await tom.send(used)
    assert [m.text for m in replies] == [say("en", USED_CODE)]

    created = kapstok.clock.now
    expired = await new_code(sofie)
    kapstok.clock.advance(days=7, minutes=1)
    replies = await tom.send(expired)
    assert [m.text for m in replies] == [
        say("en", EXPIRED_CODE, date=when("en", created + timedelta(days=7)))
    ]

    fresh = await new_code(sofie)
    replies = await tom.send(fresh)
    assert replies[0].text.startswith(say("en", WELCOME, association="KSA Sint-Jan"))


async def test_a_code_works_only_once_also_as_a_link(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    code = await new_code(sofie)
    await kapstok.person(205, "Eerste", "nl").send(f"/start {code}")

    tweede = kapstok.person(206, "Tweede", "nl")
    replies = await tweede.send(f"/start {code}")

    assert [m.text for m in replies] == [say("nl", USED_CODE)]
    replies = await tweede.send("/start")
    assert replies[0].text == say("nl", NEWCOMER_MENU, name="Tweede")


async def test_after_a_refused_invite_link_the_next_text_is_taken_as_a_code(kapstok, admin):
    """The refusal says "send it here": after a link with a spent code, the next code works."""
    sofie = await approved_member(kapstok, admin)
    used = await new_code(sofie)
    await kapstok.person(205, "Eerste", "nl").send(f"/start {used}")

    tweede = kapstok.person(206, "Tweede", "en")
    replies = await tweede.send(f"/start {used}")
    assert [m.text for m in replies] == [say("en", USED_CODE)]

    fresh = await new_code(sofie)
    replies = await tweede.send(fresh)
    assert replies[0].text.startswith(say("en", WELCOME, association="KSA Sint-Jan"))


async def test_cancel_while_asked_for_a_code(kapstok):
    tom = kapstok.person(206, "Tom", "en")
    await tom.send("/start")
    await tom.press(label("en", "I have an invite code"))
    replies = await tom.send("/cancel")
    assert [m.text for m in replies] == [say("en", "Stopped. Nothing was saved.")]
    replies = await tom.send("ABCDEFGH")
    assert replies[0].text.startswith(
        say("en", "I did not expect that message. Choose from the menu, or send /help.")
    )


async def test_a_member_who_blocked_the_bot_does_not_stop_a_newcomer(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    code = await new_code(sofie)
    kapstok.telegram.blocked.add(sofie.user_id)

    replies = await kapstok.person(207, "Lena", "nl").send(f"/start {code}")

    assert replies[0].text.startswith(say("nl", WELCOME, association="KSA Sint-Jan"))


async def test_five_wrong_codes_lock_the_user_out_for_a_day(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    code = await new_code(sofie)
    first_try = kapstok.clock.now

    lena = kapstok.person(207, "Lena", "nl")
    await lena.send("/start")
    await lena.press(label("nl", "I have an invite code"))
    for tries_left in (4, 3, 2, 1):
        replies = await lena.send(f"{tries_left}0000000")
        assert [m.text for m in replies] == [say_n("nl", UNKNOWN_CODE, tries_left)]
        kapstok.clock.advance(minutes=1)
    replies = await lena.send("90000000")
    locked = say("nl", LOCKED, time=when("nl", first_try + timedelta(hours=24)))
    assert [m.text for m in replies] == [locked]

    # Even the right code is refused now, in a new attempt and through the link.
    await lena.send("/start")
    await lena.press(label("nl", "I have an invite code"))
    replies = await lena.send(code)
    assert [m.text for m in replies] == [locked]
    replies = await lena.send(f"/start {code}")
    assert [m.text for m in replies] == [locked]

    kapstok.clock.advance(hours=24)
    await lena.send("/start")
    await lena.press(label("nl", "I have an invite code"))
    replies = await lena.send(code)
    assert replies[0].text.startswith(say("nl", WELCOME, association="KSA Sint-Jan"))


# --- who may not -----------------------------------------------------------------------------


async def test_a_board_member_cannot_use_a_code(kapstok, admin):
    sofie = kapstok.person(101, "Sofie", "nl")
    await sofie.send("/start")  # an older menu, whose buttons stay
    await register(sofie, "KSA Sint-Jan")
    await admin.press_in_group(label("nl", "✅ Approve"))
    other = await approved_member(kapstok, admin, 102, "Omar", association="Voetbalclub Eendracht")
    code = await new_code(other)

    await sofie.press(label("nl", "I have an invite code"))
    refusal = say(
        "nl",
        "You are already a board member of {association}. To start or join another "
        "association, leave this one first with /leave.",
        association="KSA Sint-Jan",
    )
    assert sofie.alerts == [refusal]

    replies = await sofie.send(f"/start {code}")
    assert [m.text for m in replies] == [
        say(
            "nl",
            "You are already a board member of {association}. To join another association, "
            "leave this one first with /leave.",
            association="KSA Sint-Jan",
        )
    ]
    # The code was not spent on her.
    replies = await kapstok.person(208, "Nina", "nl").send(f"/start {code}")
    assert replies[0].text.startswith(say("nl", WELCOME, association="Voetbalclub Eendracht"))


async def test_a_pending_member_and_a_newcomer_cannot_invite(kapstok, admin):
    pending = kapstok.person(103, "Ward", "fr")
    await register(pending, "Chorale Sainte-Cécile", kind="Culture")
    replies = await pending.send("/invite")
    assert [m.text for m in replies] == [say("fr", STILL_PENDING)]

    newcomer = kapstok.person(104, "Nele", "nl")
    replies = await newcomer.send("/invite")
    assert [m.text for m in replies] == [say("nl", NOT_A_MEMBER)]
    replies = await newcomer.send("/members")
    assert [m.text for m in replies] == [say("nl", NOT_A_MEMBER)]


# --- /members and /leave ---------------------------------------------------------------------


async def test_members_lists_the_board_with_names_that_need_escaping(kapstok, admin):
    ann = await approved_member(
        kapstok, admin, 105, "Ann & <Co>", association="Buurtcomité <De Linde> & Co"
    )
    code = await new_code(ann)
    await kapstok.person(106, "Bert", "nl", username="bert_b").send(f"/start {code}")

    replies = await ann.send("/members")

    assert len(replies) == 1
    text = replies[0].text
    assert "Buurtcomité <De Linde> & Co" in text
    assert "Ann & <Co>" in text
    assert "Bert (@bert_b)" in text
    assert text.index("Ann & <Co>") < text.index("Bert")
    with i18n.use_language("nl"):
        heading = i18n.ngettext(
            "<b>{association}</b> has {count} board member on Kapstok:",
            "<b>{association}</b> has {count} board members on Kapstok:",
            2,
        )
    assert text.startswith(
        html_to_text(
            heading.format(association=html.escape("Buurtcomité <De Linde> & Co"), count=2)
        )
    )
    assert replies[0].buttons == [label("nl", "⬅️ Menu")]


async def test_leave_asks_first_and_then_ends_the_membership(kapstok, admin):
    sofie = await approved_member(kapstok, admin)

    replies = await sofie.send("/leave")
    assert replies[0].buttons == [label("nl", "Yes, leave"), label("nl", "No, stay")]
    assert "KSA Sint-Jan" in replies[0].text
    question = replies[0]

    replies = await sofie.press(label("nl", "No, stay"), on=question)
    assert question.text == say("nl", "Good, you stay on board.")
    assert_kapstok_buttons(replies[-1], "nl")
    assert len(await new_code(sofie)) == 8

    question = (await sofie.send("/leave"))[0]
    replies = await sofie.press(label("nl", "Yes, leave"), on=question)
    assert question.text == say("nl", "You left <b>{association}</b>.", association="KSA Sint-Jan")
    assert replies[-1].text == say("nl", NEWCOMER_MENU, name="Sofie")

    assert [m.text for m in await sofie.send("/invite")] == [say("nl", NOT_A_MEMBER)]
    replies = await sofie.send("/start")
    assert replies[0].buttons == [
        label("nl", "Register my association"),
        label("nl", "I have an invite code"),
    ]
    replies = await sofie.send("/leave")
    assert [m.text for m in replies] == [
        say("nl", "You are not a board member of any association.")
    ]


async def test_an_old_leave_button_after_leaving_is_refused_politely(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    question = (await sofie.send("/leave"))[0]
    await sofie.press(label("nl", "Yes, leave"), on=question)
    old = (await sofie.send("/leave"))[0]  # says she is no member: no buttons
    assert old.buttons == []

    await sofie.press_data("assn:leave:yes", on=question)
    assert sofie.alerts == [say("nl", "You are not a board member of any association.")]


# --- the association page --------------------------------------------------------------------


async def test_the_association_page_invites_lists_and_leaves(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="fr")
    menu = (await sofie.send("/menu"))[0]

    await sofie.press(label("fr", "👥 Our association"), on=menu)
    assert menu.text == say(
        "fr",
        "<b>{association}</b>\n\nInvite fellow board members, so that they too can use "
        "Kapstok for your association, or see who is on board.",
        association="KSA Sint-Jan",
    )
    assert menu.buttons == [
        label("fr", "✉️ Invite a board member"),
        label("fr", "👥 Board members"),
        label("fr", "🚪 Leave the association"),
        label("fr", "⬅️ Menu"),
    ]

    await sofie.press(label("fr", "✉️ Invite a board member"), on=menu)
    code = code_of(menu)
    assert f"https://t.me/{BOT_USERNAME}?start={code}" in menu.text
    assert menu.buttons == [label("fr", "⬅️ Menu")]
    await kapstok.person(209, "Lucas", "fr").send(f"/start {code}")

    await sofie.press(label("fr", "⬅️ Menu"), on=menu)
    assert_kapstok_buttons(menu, "fr")
    await sofie.press(label("fr", "👥 Our association"), on=menu)
    await sofie.press(label("fr", "👥 Board members"), on=menu)
    assert "Sofie" in menu.text
    assert "Lucas" in menu.text

    await sofie.press(label("fr", "⬅️ Menu"), on=menu)
    await sofie.press(label("fr", "👥 Our association"), on=menu)
    await sofie.press(label("fr", "🚪 Leave the association"), on=menu)
    assert menu.buttons == [label("fr", "Yes, leave"), label("fr", "No, stay")]
    replies = await sofie.press(label("fr", "Yes, leave"), on=menu)
    assert menu.text == say("fr", "You left <b>{association}</b>.", association="KSA Sint-Jan")
    assert replies[-1].text == say("fr", NEWCOMER_MENU, name="Sofie")

    # The association goes on with Lucas.
    board = (await kapstok.person(209, "Lucas", "fr").send("/members"))[0]
    assert "Lucas" in board.text
    assert "Sofie" not in board.text


async def test_the_association_page_is_refused_to_a_pending_member(kapstok, admin):
    ward = kapstok.person(103, "Ward", "nl")
    await register(ward, "Chiro Spelewei")
    await ward.press_data("assn:page", on=ward.last)
    assert ward.alerts == [say("nl", STILL_PENDING)]
