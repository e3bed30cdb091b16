"""Kapstok 1 and 2, member side: questions become threads a liaison answers in the group."""

from __future__ import annotations

import json
import re

import pytest

from bot import i18n
from bot.domain import kapstokken
from tests import stories
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say

ADMIN_NAME = "Annelies Peeters"
GUIDANCE = "Good guidance"
RELATIONSHIP = "Good relationship"

CHOOSE_SUBJECT = "What is it about? Choose a subject."
SUBJECT_CHOSEN = "Subject: {subject}"
WRITE_QUESTION = (
    "Now write your question. You can send text, a photo, a document or a voice "
    "message; a liaison officer of the municipality will answer you here."
)
SENT = (
    "✅ Your question is sent to the municipality as <b>#{number}</b>. A liaison officer "
    "will answer you here.\n\nTo add something, reply to this message. /threads shows "
    "all your association's questions."
)
CARD_HEADING = "🧵 <b>Question #{number}</b> · {kapstok}"
CARD_STATUS = "<b>Status:</b> {status} · <b>Owner:</b> {owner}"
GROUP_HEADER = "💬 <b>#{number}</b> · {member}:"
MEMBER_HEADER = "💬 <b>#{number}</b> · {liaison} (municipality):"
CLOSED_ASK = "🔒 {liaison} of the municipality closed your question #{number}. Is it solved?"
SOLVED_NOTICE = "👍 {member}: #{number} is solved."
NOT_SOLVED_NOTICE = "↩️ {member}: #{number} is not solved and open again."
REOPENED_FOR_MEMBER = (
    "I reopened #{number}. Reply to this message to tell the municipality what is still missing."
)
WROTE_AGAIN = "↩️ {member} wrote again: #{number} is open again."
OPEN_AGAIN = "Question #{number} is open again; the municipality has your message."
MEMBER_CLOSED = "🔒 {member} closed #{number}."
NO_CONTACT = (
    "You have no contact person at the municipality yet: the liaison officer who "
    "answers your first question becomes it."
)
CONTACT = "Your contact person at the municipality: <b>{name}</b>"
THREADS_HEADING = (
    "<b>{association}</b>: your questions to the municipality. 🟠 waits for the "
    "municipality, 🟢 answered, ⚪ closed."
)
NO_THREADS = (
    "Your association has not asked the municipality anything yet. Ask a question "
    "from the kapstok “Good guidance” in the /menu."
)
HISTORY_HEADING = "🧵 <b>#{number}</b> · {subject} · {status}"
WRITE_MESSAGE = "Write your message for #{number}: text, a photo, a document or a voice message."
NOT_YOURS = "This question is not (or no longer) one of your association's."
NOT_A_MEMBER = (
    "This is for board members of an association. Register your association or "
    "enter an invite code first: send /start."
)
STILL_PENDING = (
    "Your association is still waiting for a liaison officer's confirmation. "
    "As soon as it is confirmed, you can use this."
)


# --- people and associations -------------------------------------------------------------------


async def approved_member(
    kapstok: Kapstok,
    admin: Person,
    user_id: int,
    first_name: str,
    language: str,
    association: str,
    last_name: str | None = None,
) -> Person:
    """A board member who registered an association that the admin then approved."""
    return await stories.approved_member(
        kapstok, admin, user_id, first_name, language, association, last_name=last_name
    )


async def joined_member(
    kapstok: Kapstok, inviter: Person, user_id: int, first_name: str, language: str
) -> Person:
    """A fellow board member who joins with an invite link from `inviter`."""
    invite = (await inviter.send("/invite"))[0]
    code = re.search(r"<code>([A-Z0-9]{8})</code>", invite.html).group(1)
    person = kapstok.person(user_id, first_name, language)
    await person.send(f"/start {code}")
    return person


def full_name(person: Person) -> str:
    return " ".join(filter(None, (person.first_name, person.last_name)))


def store(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def subject_names(kapstok: Kapstok, number: int, language: str) -> list[str]:
    return [subject.name(language) for subject in await store(kapstok).subjects.active(number)]


# --- asking ------------------------------------------------------------------------------------


def page_label(language: str, number: int) -> str:
    """A kapstok's button in the menu: its emoji and its name."""
    page = kapstokken.by_number(number)
    return f"{page.emoji} {say(language, page.title)}"


def ask_label(language: str, number: int) -> str:
    return label(language, "❓ Ask a question" if number == 2 else "💬 Contact the liaison")


async def open_page(member: Person, number: int) -> Message:
    """The member opens a kapstok's page from the menu; return the page."""
    menu = (await member.send("/menu"))[0]
    await member.press(page_label(member.language, number), on=menu)
    return member.inbox[-1]


async def choose_subject(member: Person, kapstok: Kapstok, number: int = 2, subject: int = 0):
    """From the menu to the question prompt: the page, its ask button, a subject."""
    lang = member.language
    page = await open_page(member, number)
    await member.press(ask_label(lang, number), on=page)
    name = (await subject_names(kapstok, number, lang))[subject]
    await member.press(name, on=page)
    assert say(lang, WRITE_QUESTION) in member.inbox[-1].text
    return name


def number_in(message: Message) -> int:
    match = re.search(r"#(\d+)", message.text)
    assert match, f"no thread number in {message.text!r}"
    return int(match.group(1))


async def ask(
    member: Person, kapstok: Kapstok, question: str, number: int = 2, subject: int = 0
) -> tuple[int, Message]:
    """A member asks a question; return the thread's number and the confirmation."""
    await choose_subject(member, kapstok, number, subject)
    replies = await member.send(question)
    assert len(replies) == 1, [m.text for m in replies]
    confirmation = replies[0]
    thread = number_in(confirmation)
    assert confirmation.text == say(member.language, SENT, number=thread)
    return thread, confirmation


# --- the liaison group -------------------------------------------------------------------------


def shown(message: Message) -> str:
    """What a message shows: its text, or a media message's caption."""
    return message.raw.get("text") or message.raw.get("caption") or ""


def topic(kapstok: Kapstok, association: str) -> list[Message]:
    return kapstok.in_topic(kapstok.topic_of(association))


def card(kapstok: Kapstok, thread: int) -> Message:
    """The card of a thread in the liaison group, as it looks now."""
    for message in kapstok.group():
        for row in (message.raw.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if data.startswith("th:") and data.endswith(f":{thread}"):
                    return message
    raise AssertionError(f"no card of #{thread} in the liaison group")


def card_heading(thread: int, number: int = 2) -> str:
    title = kapstokken.by_number(number).title
    return say("nl", CARD_HEADING, number=thread, kapstok=say("nl", title))


def status(language: str, name: str) -> str:
    return label(language, name, "thread status")


async def answer(admin: Person, kapstok: Kapstok, thread: int, text: str) -> None:
    """A liaison answers by replying to the thread's card in its topic."""
    reactions = len(kapstok.telegram.calls_of("setMessageReaction"))
    replies = await admin.send_in_group(text, reply_to=card(kapstok, thread))
    assert replies == []
    assert len(kapstok.telegram.calls_of("setMessageReaction")) == reactions + 1


def reacted_to(kapstok: Kapstok, person: Person) -> bool:
    """The bot put a reaction on the last message this person sent."""
    last = person.sent[-1]
    return any(
        int(call.params["chat_id"]) == last["chat"]["id"]
        and int(call.params["message_id"]) == last["message_id"]
        for call in kapstok.telegram.calls_of("setMessageReaction")
    )


def age(language: str, delta) -> str:
    with i18n.use_language(language):
        return i18n.format_age(delta)


def thread_buttons(message: Message) -> list[str]:
    return [b for b in message.buttons if b.startswith(("🟠", "🟢", "⚪"))]


def button_of(message: Message, thread: int) -> str:
    for button in message.buttons:
        if message.callback_data(button) == f"mt:view:{thread}":
            return button
    raise AssertionError(f"no button for #{thread} in {message.buttons}")


# --- 1. the main story in nl and fr ------------------------------------------------------------

MEMBERS = [
    pytest.param("nl", "Sofie", "Janssens", "KSA Sint-Jan", id="nl"),
    pytest.param("fr", "Camille", "Dubois", "Chorale La Lyre", id="fr"),
]


@pytest.mark.parametrize(("lang", "first", "last", "association"), MEMBERS)
async def test_a_question_is_answered_closed_and_solved(
    kapstok, admin, lang, first, last, association
):
    member = await approved_member(kapstok, admin, 101, first, lang, association, last)

    page = await open_page(member, 2)
    assert f"2. {say(lang, GUIDANCE)}" in page.text
    assert label(lang, "❓ Ask a question") in page.buttons
    assert label(lang, "🗂 Our questions") in page.buttons
    assert label(lang, "📚 Frequently asked questions") not in page.buttons

    await member.press(label(lang, "❓ Ask a question"), on=page)
    subjects = await subject_names(kapstok, 2, lang)
    assert len(subjects) >= 2
    assert member.inbox[-1].text.startswith(say(lang, CHOOSE_SUBJECT))
    assert member.inbox[-1].buttons == subjects
    await member.press(subjects[0], on=member.inbox[-1])
    assert say(lang, SUBJECT_CHOSEN, subject=subjects[0]) in member.inbox[-1].text

    question = "Mogen we op 14 juni een fuif houden in de parochiezaal? Tot 2 uur 's nachts."
    replies = await member.send(question)
    assert [m.text for m in replies] == [say(lang, SENT, number=1)]

    # A card in the association's own topic, in the group's language.
    messages = topic(kapstok, association)
    assert len(messages) == 1
    first_card = messages[0]
    assert first_card.text.startswith(card_heading(1))
    for fragment in (association, full_name(member), question):
        assert fragment in first_card.text
    subject_nl = (await subject_names(kapstok, 2, "nl"))[0]
    assert say("nl", "<b>Subject:</b> {subject}", subject=subject_nl) in first_card.text
    assert say("nl", CARD_STATUS, status=status("nl", "open"), owner=say("nl", "nobody yet")) in (
        first_card.text
    )
    assert first_card.buttons == [label("nl", "🙋 Take it"), label("nl", "✅ Close")]

    # The liaison answers with a reply to the card; it reaches the member in their language.
    await answer(admin, kapstok, 1, "Ja, dat mag. Vraag wel een vergunning aan.")
    assert member.last.text == (
        say(lang, MEMBER_HEADER, number=1, liaison=ADMIN_NAME)
        + "\nJa, dat mag. Vraag wel een vergunning aan."
    )
    assert say("nl", CARD_STATUS, status=status("nl", "answered"), owner=ADMIN_NAME) in (
        card(kapstok, 1).text
    )

    # The liaison closes it: the member is asked whether it is solved.
    await admin.press_in_group(label("nl", "✅ Close"), on=card(kapstok, 1))
    assert admin.alerts[-1] == say("nl", "Closed; the board is asked whether it is solved.")
    assert card(kapstok, 1).buttons == [label("nl", "↩️ Reopen")]
    assert say("nl", CARD_STATUS, status=status("nl", "closed"), owner=ADMIN_NAME) in (
        card(kapstok, 1).text
    )
    closed = member.last
    assert closed.text == say(lang, CLOSED_ASK, liaison=ADMIN_NAME, number=1)
    assert closed.buttons == [label(lang, "👍 Thanks, solved"), label(lang, "👎 Not solved")]

    replies = await member.press(label(lang, "👍 Thanks, solved"), on=closed)
    assert [m.text for m in replies] == [say(lang, "Thank you for letting us know!")]
    assert member.inbox[-2].buttons == []  # the question can not be answered twice
    assert topic(kapstok, association)[-1].text == say(
        "nl", SOLVED_NOTICE, member=full_name(member), number=1
    )
    assert card(kapstok, 1).buttons == [label("nl", "↩️ Reopen")]


@pytest.mark.parametrize("button", ["👍 Thanks, solved", "👎 Not solved"])
async def test_a_double_press_of_solved_or_not_solved_changes_nothing(kapstok, admin, button):
    member = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    thread, _confirmation = await ask(member, kapstok, "Waar vinden we het reglement?")
    await answer(admin, kapstok, thread, "Op de website.")
    await admin.press_in_group(label("nl", "✅ Close"), on=card(kapstok, thread))
    closed = member.last
    data = closed.callback_data(label("nl", button))

    await member.press_data(data, on=closed)
    inbox, group = len(member.inbox), len(kapstok.group())
    await member.press_data(data, on=closed)  # a second tap on the same, old message

    assert len(member.inbox) == inbox
    assert len(kapstok.group()) == group
    assert kapstok.errors == []


@pytest.mark.parametrize(("lang", "first", "last", "association"), MEMBERS)
async def test_not_solved_or_a_new_message_reopens_a_closed_question(
    kapstok, admin, lang, first, last, association
):
    member = await approved_member(kapstok, admin, 101, first, lang, association, last)
    thread, confirmation = await ask(member, kapstok, "Waar vinden we het reglement voor zalen?")
    await answer(admin, kapstok, thread, "Op de website van de gemeente.")
    await admin.press_in_group(label("nl", "✅ Close"), on=card(kapstok, thread))

    replies = await member.press(label(lang, "👎 Not solved"), on=member.last)
    assert [m.text for m in replies] == [say(lang, REOPENED_FOR_MEMBER, number=thread)]
    assert member.inbox[-2].buttons == []
    assert topic(kapstok, association)[-1].text == say(
        "nl", NOT_SOLVED_NOTICE, member=full_name(member), number=thread
    )
    assert card(kapstok, thread).buttons == [label("nl", "🙋 Take it"), label("nl", "✅ Close")]
    assert say("nl", CARD_STATUS, status=status("nl", "open"), owner=ADMIN_NAME) in (
        card(kapstok, thread).text
    )

    # What is still missing: a reply to the bot's message.
    replies = await member.send("De link op de website werkt niet.", reply_to=replies[0])
    assert replies == []
    assert reacted_to(kapstok, member)
    assert topic(kapstok, association)[-1].text == (
        say("nl", GROUP_HEADER, number=thread, member=full_name(member))
        + "\nDe link op de website werkt niet."
    )

    # Closed again; a new message (a reply to the old confirmation) reopens it too.
    await admin.press_in_group(label("nl", "✅ Close"), on=card(kapstok, thread))
    assert member.last.text == say(lang, CLOSED_ASK, liaison=ADMIN_NAME, number=thread)
    replies = await member.send("Nog één vraag: hoeveel kost de zaal?", reply_to=confirmation)
    assert [m.text for m in replies] == [say(lang, OPEN_AGAIN, number=thread)]
    texts = [m.text for m in topic(kapstok, association)[-2:]]
    assert (
        say("nl", GROUP_HEADER, number=thread, member=full_name(member))
        + "\nNog één vraag: hoeveel kost de zaal?"
    ) in texts
    assert say("nl", WROTE_AGAIN, member=full_name(member), number=thread) in texts
    assert card(kapstok, thread).buttons == [label("nl", "🙋 Take it"), label("nl", "✅ Close")]


@pytest.mark.parametrize(("lang", "first", "last", "association"), MEMBERS)
async def test_kapstok_1_contacts_the_liaison_and_names_the_contact_person(
    kapstok, admin, lang, first, last, association
):
    member = await approved_member(kapstok, admin, 101, first, lang, association, last)

    page = await open_page(member, 1)
    assert f"1. {say(lang, RELATIONSHIP)}" in page.text
    assert say(lang, NO_CONTACT) in page.text
    assert label(lang, "💬 Contact the liaison") in page.buttons
    assert label(lang, "🗂 Our questions") in page.buttons

    await member.press(label(lang, "💬 Contact the liaison"), on=page)
    subjects = await subject_names(kapstok, 1, lang)
    assert member.inbox[-1].buttons == subjects
    await member.press(subjects[1], on=member.inbox[-1])
    replies = await member.send("Kunnen we eens samenzitten over de nieuwe subsidieregeling?")
    thread = number_in(replies[0])
    assert replies[0].text == say(lang, SENT, number=thread)
    assert card(kapstok, thread).text.startswith(card_heading(thread, 1))
    subject_nl = (await subject_names(kapstok, 1, "nl"))[1]
    assert say("nl", "<b>Subject:</b> {subject}", subject=subject_nl) in card(kapstok, thread).text

    await answer(admin, kapstok, thread, "Graag! Past dinsdag om 19 uur?")
    page = await open_page(member, 1)
    assert say(lang, CONTACT, name=ADMIN_NAME) in page.text
    assert say(lang, NO_CONTACT) not in page.text


# --- 2. the whole board, /threads and a thread's history ---------------------------------------


async def test_every_board_member_sees_the_threads_and_gets_the_answers(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan", "Janssens")
    camille = await joined_member(kapstok, sofie, 102, "Camille", "fr")
    thread, _confirmation = await ask(sofie, kapstok, "Wanneer is de volgende infoavond?")

    await answer(admin, kapstok, thread, "Op 3 maart om 20 uur.")
    for member in (sofie, camille):
        assert member.last.text == (
            say(member.language, MEMBER_HEADER, number=thread, liaison=ADMIN_NAME)
            + "\nOp 3 maart om 20 uur."
        )

    # Camille, who did not ask, finds the question in /threads and reads its history.
    listing = (await camille.send("/threads"))[0]
    assert listing.text == say("fr", THREADS_HEADING, association="KSA Sint-Jan")
    subject_fr = (await subject_names(kapstok, 2, "fr"))[0]
    button = button_of(listing, thread)
    assert button.startswith(f"🟢 #{thread} · {subject_fr} · ")
    history = await camille.press(button, on=listing)
    text = "\n\n".join(m.text for m in history)
    assert text.startswith(
        say(
            "fr",
            HISTORY_HEADING,
            number=thread,
            subject=f"🧭 {subject_fr}",
            status=status("fr", "answered"),
        )
    )
    question_at = text.index("Wanneer is de volgende infoavond?")
    answer_at = text.index("Op 3 maart om 20 uur.")
    assert text.index("Sofie Janssens") < question_at < answer_at
    assert text.index(say("fr", "{liaison} (municipality)", liaison=ADMIN_NAME)) < answer_at
    assert history[-1].buttons == [
        label("fr", "✍️ Add a message"),
        label("fr", "✅ Close this question"),
        label("fr", "⬅️ All questions"),
    ]

    # Camille adds a message to the thread.
    replies = await camille.press(label("fr", "✍️ Add a message"), on=history[-1])
    assert replies[0].text.startswith(say("fr", WRITE_MESSAGE, number=thread))
    replies = await camille.send("Merci ! Faut-il s'inscrire ?")
    assert replies == []
    assert reacted_to(kapstok, camille)
    assert topic(kapstok, "KSA Sint-Jan")[-1].text == (
        say("nl", GROUP_HEADER, number=thread, member="Camille") + "\nMerci ! Faut-il s'inscrire ?"
    )
    # Her next message is no longer part of the thread: writing ended.
    before = len(topic(kapstok, "KSA Sint-Jan"))
    await camille.send("Bonjour")
    assert len(topic(kapstok, "KSA Sint-Jan")) == before

    # Both are asked whether it is solved when the liaison closes it.
    await admin.press_in_group(label("nl", "✅ Close"), on=card(kapstok, thread))
    for member in (sofie, camille):
        assert member.last.text == say(
            member.language, CLOSED_ASK, liaison=ADMIN_NAME, number=thread
        )
        assert member.last.buttons == [
            label(member.language, "👍 Thanks, solved"),
            label(member.language, "👎 Not solved"),
        ]


@pytest.mark.parametrize("lang", ["nl", "fr"])
async def test_threads_lists_open_questions_first_and_a_member_can_close_one(kapstok, admin, lang):
    member = await approved_member(kapstok, admin, 101, "Noor", lang, "Chiro Noord")
    assert [m.text for m in await member.send("/threads")] == [say(lang, NO_THREADS)]

    start = kapstok.clock.now
    first, _ = await ask(member, kapstok, "Eerste vraag over de zaal", subject=1)
    kapstok.clock.advance(hours=2)
    second, _ = await ask(member, kapstok, "Tweede vraag over de erkenning", subject=2)
    kapstok.clock.advance(hours=1)
    third, _ = await ask(member, kapstok, "Derde vraag over een affiche", subject=3)
    await answer(admin, kapstok, second, "Dat is in orde.")
    kapstok.clock.advance(hours=3)

    # From the kapstok page as well as with /threads.
    page = await open_page(member, 2)
    listing = (await member.press(label(lang, "🗂 Our questions"), on=page))[-1]
    assert listing.text == say(lang, THREADS_HEADING, association="Chiro Noord")
    subjects = await subject_names(kapstok, 2, lang)
    # Status, subject and how long ago it last changed (the answer changed the second).
    hours = kapstok.clock.now - start
    assert thread_buttons(listing) == [
        f"🟠 #{first} · {subjects[1]} · {age(lang, hours)}"[:64],
        f"🟢 #{second} · {subjects[2]} · {age(lang, hours / 2)}"[:64],
        f"🟠 #{third} · {subjects[3]} · {age(lang, hours / 2)}"[:64],
    ]
    assert listing.buttons[-1] == label(lang, "⬅️ Menu")

    # The member closes the first question from its history.
    history = await member.press(button_of(listing, first), on=listing)
    replies = await member.press(label(lang, "✅ Close this question"), on=history[-1])
    assert member.alerts[-1] == say(lang, "Closed.")
    assert replies[0].text.startswith(
        say(
            lang,
            HISTORY_HEADING,
            number=first,
            subject=f"🧭 {subjects[1]}",
            status=status(lang, "closed"),
        )
    )
    assert replies[-1].buttons == [label(lang, "✍️ Add a message"), label(lang, "⬅️ All questions")]
    assert topic(kapstok, "Chiro Noord")[-1].text == say(
        "nl", MEMBER_CLOSED, member="Noor", number=first
    )
    assert card(kapstok, first).buttons == [label("nl", "↩️ Reopen")]

    # Open ones first, the closed one last.
    listing = (await member.send("/threads"))[0]
    assert [listing.callback_data(b) for b in thread_buttons(listing)] == [
        f"mt:view:{second}",
        f"mt:view:{third}",
        f"mt:view:{first}",
    ]
    assert [b[0] for b in thread_buttons(listing)] == ["🟢", "🟠", "⚪"]

    # Pressing an old close button again is answered, not ignored.
    await member.press_data(f"mt:close:{first}", on=history[-1])
    assert member.alerts[-1] == say(lang, "This question was already closed.")


# --- 3. what a question may be -----------------------------------------------------------------


async def test_an_album_is_one_question_with_one_confirmation(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    await choose_subject(member, kapstok, 2, 1)

    replies = await member.send_photo("Zo ziet de zaal eruit na de storm.", album="storm")
    replies += await member.send_photo(album="storm")
    replies += await member.send_photo(album="storm")

    assert [m.text for m in replies] == [say("nl", SENT, number=1)]
    assert len(await store(kapstok).threads.of_association(1)) == 1
    messages = topic(kapstok, "KSA Sint-Jan")
    assert messages[0].text.startswith(card_heading(1))
    assert "Zo ziet de zaal eruit na de storm." in messages[0].text
    photos = [m for m in messages if "photo" in m.raw]
    assert len(photos) == 3
    assert "Zo ziet de zaal eruit na de storm." in shown(photos[0])

    # A later album, as a reply to the confirmation, joins the thread as well.
    replies = await member.send_photo("En de keuken.", album="keuken", reply_to=replies[0])
    replies += await member.send_photo(album="keuken")
    assert replies == []
    assert len([m for m in topic(kapstok, "KSA Sint-Jan") if "photo" in m.raw]) == 5
    assert len(await store(kapstok).threads.messages(1)) == 5


async def test_a_document_and_a_voice_message_are_passed_on(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Camille", "fr", "Chorale La Lyre")
    await choose_subject(member, kapstok, 2, 2)
    replies = await member.send_document("statuten.pdf", b"%PDF-1.4 statuten", "Nos statuts")
    assert [m.text for m in replies] == [say("fr", SENT, number=1)]
    confirmation = replies[0]
    documents = [m for m in topic(kapstok, "Chorale La Lyre") if "document" in m.raw]
    assert len(documents) == 1
    assert "Nos statuts" in shown(documents[0])
    assert say("nl", "[document]") in card(kapstok, 1).text

    replies = await member.send_voice(reply_to=confirmation)
    assert replies == []
    assert reacted_to(kapstok, member)
    voices = [m for m in topic(kapstok, "Chorale La Lyre") if "voice" in m.raw]
    assert len(voices) == 1
    assert shown(voices[0]) == say("nl", GROUP_HEADER, number=1, member="Camille")

    # A reply to the liaison's relayed answer goes into the thread too.
    await answer(admin, kapstok, 1, "Goed ontvangen, dank u.")
    relayed = member.last
    assert relayed.text.endswith("Goed ontvangen, dank u.")
    await member.send_photo("La signature manquante", reply_to=relayed)
    photos = [m for m in topic(kapstok, "Chorale La Lyre") if "photo" in m.raw]
    assert len(photos) == 1
    assert "La signature manquante" in shown(photos[0])
    kinds = [message.kind for message in await store(kapstok).threads.messages(1)]
    assert kinds == ["document", "voice", "text", "photo"]


async def test_typing_instead_of_choosing_a_subject_and_cancel(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    page = await open_page(member, 2)
    await member.press(label("nl", "❓ Ask a question"), on=page)
    replies = await member.send("Vergunningen")
    assert [m.text for m in replies] == [
        say("nl", "Please choose a subject with one of the buttons above.")
    ]
    await member.press((await subject_names(kapstok, 2, "nl"))[0])
    replies = await member.send("/cancel")
    assert [m.text for m in replies] == [say("nl", "Stopped. Nothing was saved.")]
    replies = await member.send("Toch nog een vraag")
    assert replies[0].text.startswith(
        say("nl", "I did not expect that message. Choose from the menu, or send /help.")
    )
    assert await store(kapstok).threads.of_association(1) == []
    assert kapstok.telegram.topics == {}


# --- 4. a board sees only its own threads ------------------------------------------------------


async def test_forged_buttons_never_open_another_associations_thread(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    secret = "Ons rekeningnummer is BE71 0961 2345 6769"
    thread, _ = await ask(sofie, kapstok, secret)
    await answer(admin, kapstok, thread, "Dank u, genoteerd.")
    own, _ = await ask(camille, kapstok, "Une question à nous")
    topic_before = [m.raw.get("text") for m in topic(kapstok, "KSA Sint-Jan")]
    stored_before = await store(kapstok).threads.messages(thread)
    inbox_before = len(camille.inbox)

    menu = (await camille.send("/menu"))[0]
    for data in (
        f"mt:view:{thread}",
        f"mt:add:{thread}",
        f"mt:close:{thread}",
        f"mt:solved:{thread}",
        f"mt:unsolved:{thread}",
    ):
        alerts = len(camille.alerts)
        await camille.press_data(data, on=menu)
        assert camille.alerts[alerts:] == [say("fr", NOT_YOURS)], data

    # After the refused "add", her next message does not go into Sofie's thread.
    await camille.send("Ceci ne doit pas arriver chez KSA")
    for message in camille.inbox[inbox_before:]:
        assert secret not in message.text and "Dank u, genoteerd." not in message.text
    assert [m.raw.get("text") for m in topic(kapstok, "KSA Sint-Jan")] == topic_before
    assert await store(kapstok).threads.messages(thread) == stored_before
    assert (await store(kapstok).threads.thread(thread)).status.value == "answered"

    # Her own list holds only her own question.
    listing = (await camille.send("/threads"))[0]
    assert [listing.callback_data(b) for b in thread_buttons(listing)] == [f"mt:view:{own}"]

    # Nor does a thread that does not exist, or data that is no number, break anything.
    for data in ("mt:view:999", "mt:view:abc", "mt:add:", "mt:close:-1"):
        alerts = len(camille.alerts)
        await camille.press_data(data, on=menu)
        assert camille.alerts[alerts:] == [say("fr", NOT_YOURS)], data


async def test_a_member_who_left_can_no_longer_read_or_write_the_threads(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    jan = await joined_member(kapstok, sofie, 102, "Jan", "nl")
    thread, confirmation = await ask(jan, kapstok, "Hoe huren we de tent van de gemeente?")
    await answer(admin, kapstok, thread, "Via de uitleendienst.")
    relayed = jan.last
    listing = (await jan.send("/threads"))[0]

    leave = (await jan.send("/leave"))[0]
    await jan.press(label("nl", "Yes, leave"), on=leave)
    topic_before = len(topic(kapstok, "KSA Sint-Jan"))

    assert [m.text for m in await jan.send("/threads")] == [say("nl", NOT_A_MEMBER)]
    for old in (confirmation, relayed):
        replies = await jan.send("Nog een vraag over de tent", reply_to=old)
        assert [m.text for m in replies] == [say("nl", NOT_YOURS)]
    await jan.press(button_of(listing, thread), on=listing)
    assert jan.alerts[-1] == say("nl", NOT_YOURS)
    assert len(topic(kapstok, "KSA Sint-Jan")) == topic_before
    assert len(await store(kapstok).threads.messages(thread)) == 2

    # He no longer gets the liaison's answers; Sofie does.
    jan_inbox = len(jan.inbox)
    await answer(admin, kapstok, thread, "De tent is vrij op 12 juli.")
    assert len(jan.inbox) == jan_inbox
    assert sofie.last.text.endswith("De tent is vrij op 12 juli.")

    # Also after joining another association he cannot reach the old thread.
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    invite = (await camille.send("/invite"))[0]
    code = re.search(r"<code>([A-Z0-9]{8})</code>", invite.html).group(1)
    await jan.send(f"/start {code}")
    for data in (f"mt:view:{thread}", f"mt:add:{thread}", f"mt:solved:{thread}"):
        await jan.press_data(data, on=listing)
        assert jan.alerts[-1] == say("nl", NOT_YOURS)
    replies = await jan.send("Hallo?", reply_to=confirmation)
    assert [m.text for m in replies] == [say("nl", NOT_YOURS)]
    assert len(await store(kapstok).threads.messages(thread)) == 3


async def test_a_pending_association_cannot_ask(kapstok, admin):
    member = kapstok.person(101, "Sofie", "nl")
    await member.send("/start")
    await member.press(label("nl", "Register my association"))
    await member.send("KSA Sint-Jan")
    await member.press(label("nl", "Youth", "kind"))
    await member.send("We play outside every Sunday with the children of the village.")

    await member.press_data("ask:2", on=member.last)
    assert member.alerts[-1] == say("nl", STILL_PENDING)
    assert [m.text for m in await member.send("/threads")] == [say("nl", STILL_PENDING)]


# --- 5. long texts, two boards at once, restarts, and an unreachable group ---------------------


def words(count: int, prefix: str) -> str:
    """A long text of numbered words: every word must arrive, in order."""
    return " ".join(f"{prefix}{index:04d}" for index in range(count))


def arrived_whole(text: str, messages: list[Message]) -> None:
    received = "\n".join(shown(m) for m in messages)
    expected = text.split()
    found = [word for word in re.findall(r"\S+", received) if word in set(expected)]
    assert found == expected, f"{len(expected) - len(set(found))} words missing"


async def test_a_question_of_9000_characters_arrives_whole(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    question = words(1500, "w")
    assert len(question) > 8990
    thread, _ = await ask(member, kapstok, question)

    messages = topic(kapstok, "KSA Sint-Jan")
    assert len(messages) >= 3
    assert all(len(m.text) <= 4096 for m in messages)
    arrived_whole(question, messages)

    # Her own view of the thread has it whole too.
    listing = (await member.send("/threads"))[0]
    history = await member.press(button_of(listing, thread), on=listing)
    arrived_whole(question, history)


async def test_a_long_answer_reaches_the_member_whole(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Camille", "fr", "Chorale La Lyre")
    thread, _ = await ask(member, kapstok, "Pouvez-vous tout nous expliquer ?")
    inbox = len(member.inbox)
    long_answer = words(680, "a")  # 4 079 characters: with the header, more than one message
    assert len(long_answer) <= 4096
    await answer(admin, kapstok, thread, long_answer)
    received = member.inbox[inbox:]
    assert len(received) == 2
    assert received[0].text.startswith(say("fr", MEMBER_HEADER, number=thread, liaison=ADMIN_NAME))
    arrived_whole(long_answer, received)

    # A member's long follow-up reaches the topic whole as well.
    follow_up = words(680, "f")
    before = len(topic(kapstok, "Chorale La Lyre"))
    await member.send(follow_up, reply_to=received[-1])
    arrived_whole(follow_up, topic(kapstok, "Chorale La Lyre")[before:])


async def test_two_associations_asking_at_once_get_their_own_threads_and_topics(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")

    # Both are halfway at the same time.
    await choose_subject(sofie, kapstok, 2, 0)
    await choose_subject(camille, kapstok, 1, 0)
    camille_replies = await camille.send("Pouvons-nous faire connaissance ?")
    sofie_replies = await sofie.send("Mogen we een fuif houden?")

    camille_thread = number_in(camille_replies[0])
    sofie_thread = number_in(sofie_replies[0])
    assert camille_thread != sofie_thread
    assert camille_replies[0].text == say("fr", SENT, number=camille_thread)
    assert sofie_replies[0].text == say("nl", SENT, number=sofie_thread)

    ksa, lyre = kapstok.topic_of("KSA Sint-Jan"), kapstok.topic_of("Chorale La Lyre")
    assert ksa != lyre
    ksa_texts = [m.text for m in kapstok.in_topic(ksa)]
    lyre_texts = [m.text for m in kapstok.in_topic(lyre)]
    assert len(ksa_texts) == len(lyre_texts) == 1
    assert "Mogen we een fuif houden?" in ksa_texts[0]
    assert "Pouvons-nous faire connaissance ?" in lyre_texts[0]
    assert card(kapstok, camille_thread).text.startswith(card_heading(camille_thread, 1))
    assert card(kapstok, sofie_thread).raw["message_thread_id"] == ksa

    # An answer goes only to the board that asked.
    camille_inbox = len(camille.inbox)
    await answer(admin, kapstok, sofie_thread, "Ja, dat mag.")
    assert sofie.last.text.endswith("Ja, dat mag.")
    assert len(camille.inbox) == camille_inbox
    await answer(admin, kapstok, camille_thread, "Avec plaisir.")
    assert camille.last.text.endswith("Avec plaisir.")
    assert sofie.last.text.endswith("Ja, dat mag.")


async def test_a_restart_after_choosing_the_subject_loses_nothing(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Camille", "fr", "Chorale La Lyre")
    await choose_subject(member, kapstok, 2, 4)
    await kapstok.restart()

    replies = await member.send("Une question après le redémarrage")
    assert [m.text for m in replies] == [say("fr", SENT, number=1)]
    confirmation = replies[0]
    subject_nl = (await subject_names(kapstok, 2, "nl"))[4]
    assert say("nl", "<b>Subject:</b> {subject}", subject=subject_nl) in card(kapstok, 1).text

    # Replies find their thread after another restart too, on both sides.
    await kapstok.restart()
    await answer(admin, kapstok, 1, "Bien reçu.")
    assert member.last.text.endswith("Bien reçu.")
    await kapstok.restart()
    await member.send("Et encore ceci.", reply_to=confirmation)
    assert topic(kapstok, "Chorale La Lyre")[-1].text.endswith("Et encore ceci.")


def group_unreachable(kapstok: Kapstok) -> list[str]:
    """From now on every call into the liaison group fails with 500; return the failed calls."""
    telegram = kapstok.telegram
    real = telegram.do_request
    failed: list[str] = []

    async def failing(url, method, request_data=None, **timeouts):
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if int(params.get("chat_id", 0) or 0) == LIAISON_CHAT_ID:
            failed.append(api_method)
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            return 500, json.dumps(body).encode()
        return await real(url, method, request_data, **timeouts)

    telegram.do_request = failing
    return failed


def group_reachable(kapstok: Kapstok) -> None:
    del kapstok.telegram.do_request


async def outbox_waiting(kapstok: Kapstok) -> int:
    """How many sends wait in the outbox (pending), as the liaison's /healthz shows them."""
    return (await store(kapstok).outbox.backlog())["pending"]


async def relays_waiting(kapstok: Kapstok) -> int:
    """How many members' messages wait in the outbox for the liaison group."""
    row = await store(kapstok).db.fetchone(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'relay_to_group' AND state = 'pending'"
    )
    return row["n"]


async def test_a_question_is_kept_while_the_group_is_unreachable_and_arrives_later(kapstok, admin):
    member = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    first, _ = await ask(member, kapstok, "Een eerste vraag, die wel aankomt.")
    before = len(topic(kapstok, "KSA Sint-Jan"))

    await choose_subject(member, kapstok, 2, 1)
    failed = group_unreachable(kapstok)
    try:
        replies = await member.send("Kan de gemeente ons helpen met een springkasteel?")
        # The question is stored and confirmed at once; its card waits in the outbox.
        assert [m.text for m in replies] == [say("nl", SENT, number=first + 1)]
        await kapstok.pass_time(seconds=2)
        assert await outbox_waiting(kapstok) == 1
    finally:
        group_reachable(kapstok)
    assert "sendMessage" in failed
    assert len(topic(kapstok, "KSA Sint-Jan")) == before

    # The outbox tries again (after 2, 4, 8 … seconds) and the card arrives, once.
    await kapstok.pass_time(seconds=8)
    new_card = card(kapstok, first + 1)
    assert new_card.text.startswith(card_heading(first + 1))
    assert "Kan de gemeente ons helpen met een springkasteel?" in new_card.text
    assert new_card.raw["message_thread_id"] == kapstok.topic_of("KSA Sint-Jan")
    assert await outbox_waiting(kapstok) == 0
    await kapstok.pass_time(minutes=5)
    assert len(topic(kapstok, "KSA Sint-Jan")) == before + 1

    # The confirmation works as any other: a reply to it goes into the thread.
    await member.send("Voor 40 kinderen.", reply_to=replies[0])
    assert topic(kapstok, "KSA Sint-Jan")[-1].text.endswith("Voor 40 kinderen.")


async def test_follow_ups_are_kept_while_the_group_is_unreachable_and_arrive_in_order(
    kapstok, admin
):
    member = await approved_member(kapstok, admin, 101, "Camille", "fr", "Chorale La Lyre")
    _thread, confirmation = await ask(member, kapstok, "Première question")
    before = len(topic(kapstok, "Chorale La Lyre"))

    group_unreachable(kapstok)
    try:
        reactions = len(kapstok.telegram.calls_of("setMessageReaction"))
        await member.send("Un complément important", reply_to=confirmation)
        await member.send_photo("La photo du complément", reply_to=confirmation)
        # Both are acknowledged at once with 👍, and wait for the group.
        assert len(kapstok.telegram.calls_of("setMessageReaction")) == reactions + 2
        await kapstok.pass_time(seconds=30)
        assert await relays_waiting(kapstok) == 2
    finally:
        group_reachable(kapstok)
    assert len(topic(kapstok, "Chorale La Lyre")) == before

    # Once the group is back, everything arrives, in the order it was sent, once.
    await kapstok.pass_time(minutes=2)
    arrived = [shown(m) for m in topic(kapstok, "Chorale La Lyre")[before:]]
    assert len(arrived) == 2
    assert "Un complément important" in arrived[0]
    assert "La photo du complément" in arrived[1]
    assert await relays_waiting(kapstok) == 0


async def test_a_question_survives_two_failed_sends(kapstok, admin):
    """The recipe of the issue: Telegram refuses the next two sendMessage calls."""
    lang = "fr"
    member = await approved_member(kapstok, admin, 101, "Noor", lang, "Chiro Noord")
    await choose_subject(member, kapstok)
    kapstok.telegram.fail_next = {"sendMessage": 2}
    await member.send("Kan de gemeente ons helpen met een springkasteel?")
    await kapstok.pass_time(seconds=10)
    kapstok.telegram.fail_next = {}

    assert kapstok.errors == []
    assert member.last.text == say(lang, SENT, number=1)
    assert "Kan de gemeente ons helpen met een springkasteel?" in card(kapstok, 1).text
    assert card(kapstok, 1).raw["message_thread_id"] == kapstok.topic_of("Chiro Noord")
