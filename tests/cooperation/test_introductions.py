"""Introductions: asked from a directory entry with a note, answered by the other board (the
first answer decides), contacts shared only on *Accept*, expired after 14 days; and every limit."""

from __future__ import annotations

from bot.domain.introductions import MAX_NOTE
from handlers import callbacks
from handlers.cooperation.introductions import expire_introductions
from tests.client import label, say
from tests.steps import ask_introduction, invite, list_association
from tests.stories import approved_member

NOTE = "Wij zijn de KSA en zoeken een partner voor onze spaghettiavond."
A_PHONE, B_PHONE = "0470 11 11 11", "0470 22 22 22"


async def _two_boards(kapstok, admin, asker_language="nl", asked_language="fr"):
    """Association A (Sofie, and Wout) asks; B (Pierre, and Margot) is in the directory."""
    sofie = await approved_member(
        kapstok, admin, 101, "Sofie", asker_language, association="KSA Sint-Jan"
    )
    wout = kapstok.person(102, "Wout", asker_language)
    await invite(sofie, wout)
    pierre = await approved_member(
        kapstok, admin, 201, "Pierre", asked_language, association="Chiro Sint-Pieter"
    )
    margot = kapstok.person(202, "Margot", asked_language)
    await invite(pierre, margot)
    a = await list_association(kapstok, sofie, A_PHONE, listed=False)
    b = await list_association(kapstok, pierre, B_PHONE)
    return sofie, wout, pierre, margot, a, b


def _request(person):
    """The person's copy of the newest request."""
    return next(m for m in reversed(person.inbox) if "🤝" in m.text and m.buttons)


async def _ask(sofie, b, note=NOTE):
    await ask_introduction(sofie, b)
    return await sofie.send(note)


async def test_an_accepted_introduction_shares_both_contacts(kapstok, admin):
    sofie, wout, pierre, margot, _a, b = await _two_boards(kapstok, admin, "nl", "fr")
    answer = await _ask(sofie, b)
    assert (
        say(
            "nl",
            "Your request is on its way to the board of {association}. I will let you know when "
            "they answer; a request without an answer expires after {days} days.",
            association="Chiro Sint-Pieter",
            days=14,
        )
        in answer[-1].text
    )
    for member in (pierre, margot):
        request = _request(member)
        assert NOTE in request.text and "KSA Sint-Jan" in request.text
        assert request.buttons == [label("fr", "✅ Accept"), label("fr", "❌ Decline")]
        # Nothing of A's contact before an answer.
        assert A_PHONE not in "".join(m.text for m in member.inbox)
    assert B_PHONE not in "".join(m.text for m in sofie.inbox)
    await pierre.press(label("fr", "✅ Accept"), on=_request(pierre))
    # The first answer decides; the other copy says who decided, without buttons.
    copy = next(m for m in reversed(margot.inbox) if NOTE in m.text)
    assert copy.buttons == []
    assert "Pierre" in copy.text
    assert _request_text_has_no_buttons(pierre)
    for member in (sofie, wout):
        assert B_PHONE in member.last.text and "Chiro Sint-Pieter" in member.last.text
    for member in (pierre, margot):
        assert A_PHONE in member.last.text and "KSA Sint-Jan" in member.last.text


def _request_text_has_no_buttons(person) -> bool:
    copy = next(m for m in reversed(person.inbox) if NOTE in m.text)
    return copy.buttons == []


async def test_the_first_answer_decides_and_a_second_is_told(kapstok, admin):
    sofie, _wout, pierre, margot, _a, b = await _two_boards(kapstok, admin, "fr", "nl")
    await _ask(sofie, b)
    margot_copy = _request(margot)
    await pierre.press(label("nl", "❌ Decline"), on=_request(pierre))
    await margot.press_data(callbacks.INTRO_ACCEPT.data(1), on=margot_copy)
    assert margot.alerts[-1] == say(
        "nl", "This request was already declined by a fellow board member."
    )
    assert B_PHONE not in "".join(m.text for m in sofie.inbox)
    assert A_PHONE not in "".join(m.text for m in margot.inbox + pierre.inbox)


async def test_a_declined_introduction_is_told_kindly_and_shares_nothing(kapstok, admin):
    sofie, wout, pierre, _margot, _a, b = await _two_boards(kapstok, admin, "en", "nl")
    await _ask(sofie, b)
    await pierre.press(label("nl", "❌ Decline"), on=_request(pierre))
    told = say(
        "en",
        "{association} cannot take up your association's introduction request at the moment. "
        "Thank you for reaching out: the directory has other associations that may be glad to "
        "hear from you.",
        association="Chiro Sint-Pieter",
    )
    for member in (sofie, wout):
        assert told in member.last.text
        assert B_PHONE not in "".join(m.text for m in member.inbox)
    assert A_PHONE not in "".join(m.text for m in pierre.inbox)
    # Asking again within 30 days is refused, with the day it may be.
    await ask_introduction(sofie, b)
    assert "Chiro Sint-Pieter" in sofie.last.text and "2026" in sofie.last.text
    await kapstok.pass_time(days=30)
    await ask_introduction(sofie, b)
    assert "Chiro Sint-Pieter" in sofie.last.text and str(MAX_NOTE) in sofie.last.text


async def test_a_note_too_long_or_empty_or_not_text_is_asked_again(kapstok, admin):
    sofie, *_rest, b = await _two_boards(kapstok, admin, "fr", "nl")
    await ask_introduction(sofie, b)
    answer = await sofie.send("x" * (MAX_NOTE + 1))
    assert (
        say(
            "fr",
            "That note is {length} characters long; the limit is {limit}. Please send a shorter "
            "one.",
            length=MAX_NOTE + 1,
            limit=MAX_NOTE,
        )
        in answer[-1].text
    )
    answer = await sofie.send_photo()
    assert say("fr", "Please write your note as a text message, or /cancel.") in answer[-1].text
    answer = await sofie.send("x" * MAX_NOTE)
    assert "Chiro Sint-Pieter" in answer[-1].text
    store = kapstok.app.bot_data.store
    assert (await store.introductions.get(1)).note == "x" * MAX_NOTE


async def test_no_introduction_to_oneself_nor_twice_while_one_is_open(kapstok, admin):
    sofie, wout, pierre, _margot, a, b = await _two_boards(kapstok, admin, "nl", "fr")
    await list_association(kapstok, sofie, A_PHONE)
    # One's own association: the directory offers no button, a forged one is refused.
    await sofie.send("/menu")
    await sofie.press_data(callbacks.DIRECTORY_ENTRY.data(a), on=sofie.last)
    assert label("nl", "🤝 Ask for an introduction") not in sofie.last.buttons
    await sofie.press_data(callbacks.INTRO_ASK.data(a), on=sofie.last)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")
    await _ask(sofie, b)
    # Twice, by a fellow board member; and the other way round.
    await ask_introduction(wout, b)
    assert "Chiro Sint-Pieter" in wout.last.text and str(MAX_NOTE) not in wout.last.text
    await ask_introduction(pierre, a)
    assert "KSA Sint-Jan" in pierre.last.text and str(MAX_NOTE) not in pierre.last.text
    store = kapstok.app.bot_data.store
    assert await store.introductions.get(2) is None


async def test_at_most_five_open_requests(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "fr", association="KSA")
    await list_association(kapstok, sofie, listed=False)
    targets = []
    for number in range(6):
        board = await approved_member(
            kapstok, admin, 300 + number, f"Bestuur{number}", "nl", association=f"Club {number}"
        )
        targets.append(await list_association(kapstok, board))
    for target in targets[:5]:
        await _ask(sofie, target)
    await ask_introduction(sofie, targets[5])
    assert (
        say(
            "fr",
            "Your association has {count} introduction requests waiting for an answer, the most "
            "there can be at once. Ask again once one of them is answered or has expired.",
            count=5,
        )
        in sofie.last.text
    )


async def test_a_forged_accept_from_another_association_is_refused(kapstok, admin):
    sofie, wout, pierre, _margot, _a, b = await _two_boards(kapstok, admin, "nl", "fr")
    third = await approved_member(kapstok, admin, 301, "Jana", "nl", association="Fanfare")
    await _ask(sofie, b)
    for forger in (third, wout):
        await forger.send("/menu")
        await forger.press_data(callbacks.INTRO_ACCEPT.data(1), on=forger.last)
        assert forger.alerts[-1] == say("nl", "This button is no longer valid.")
    # A board member of B, but on another message than their own copy.
    await pierre.send("/menu")
    await pierre.press_data(callbacks.INTRO_ACCEPT.data(1), on=pierre.last)
    assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    store = kapstok.app.bot_data.store
    assert (await store.introductions.get(1)).state == "open"
    assert B_PHONE not in "".join(m.text for m in third.inbox + sofie.inbox)


async def test_only_listed_associations_and_only_with_a_contact(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", association="KSA")
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", association="Chiro")
    b = await list_association(kapstok, pierre, listed=False)
    await sofie.send("/menu")
    await sofie.press_data(callbacks.INTRO_ASK.data(b), on=sofie.last)
    assert sofie.last.text == say(
        "nl", "That association is not in the directory (any more), so I cannot ask it."
    )
    await list_association(kapstok, pierre)
    await sofie.press_data(callbacks.INTRO_ASK.data(b), on=sofie.last)
    assert "/profile" in sofie.last.text
    # A member of an association still waiting cannot ask.
    newcomer = kapstok.person(401, "Nieuw", "nl")
    from tests.stories import register

    await register(newcomer, "Nieuwe vereniging")
    await newcomer.press_data(callbacks.INTRO_ASK.data(b), on=newcomer.last)
    assert newcomer.alerts[-1] == say(
        "nl",
        "Your association is still waiting for a liaison officer's confirmation. As soon as it "
        "is confirmed, you can use this.",
    )


async def test_an_unanswered_request_expires_after_14_days(kapstok, admin):
    sofie, wout, pierre, margot, _a, b = await _two_boards(kapstok, admin, "nl", "fr")
    await _ask(sofie, b)
    copy = _request(pierre)
    kapstok.clock.advance(days=13, hours=23)
    assert await kapstok.run_job(expire_introductions) == 0
    kapstok.clock.advance(hours=1)
    # Before the job marks it, a press finds it expired all the same.
    await pierre.press_data(callbacks.INTRO_ACCEPT.data(1), on=copy)
    assert pierre.alerts[-1] == say("fr", "This request has expired.")
    assert await kapstok.run_job(expire_introductions) == 1
    told = say(
        "nl",
        "⌛ Your association's introduction request to {association} got no answer within "
        "{days} days and has expired. You can ask again from the directory.",
        association="Chiro Sint-Pieter",
        days=14,
    )
    assert told in sofie.last.text and told in wout.last.text
    margot_copy = next(m for m in reversed(margot.inbox) if NOTE in m.text)
    assert margot_copy.buttons == []
    assert B_PHONE not in "".join(m.text for m in sofie.inbox)
    # It no longer counts as open: asking again is possible.
    await ask_introduction(sofie, b)
    assert str(MAX_NOTE) in sofie.last.text
