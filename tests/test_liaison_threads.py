"""The liaison side of questions: a topic per association, cards, replies, notes, edits,
/open, /mine, /close, /reopen, the reminder, snippets and the private chat."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from bot import i18n
from bot.jobs import retry_undelivered
from handlers.liaison_threads import nudge_waiting_threads
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.fake_telegram import html_to_text

ASSOCIATION = "KSA Sint-Jan"
ADMIN_NAME = "Annelies Peeters"
SUBJECT = {"nl": "Vergunningen en regels", "fr": "Autorisations et règles"}

CARD_TITLE = "🧵 <b>Question #{number}</b> · {kapstok}"
CARD_SUBJECT = "<b>Subject:</b> {subject}"
CARD_ASSOCIATION = "<b>Association:</b> {association}"
CARD_FROM = "<b>From:</b> {member}"
CARD_STATUS = "<b>Status:</b> {status} · <b>Owner:</b> {owner}"
NOBODY_YET = "nobody yet"
GROUP_HEADER = "💬 <b>#{number}</b> · {member}:"
MEMBER_HEADER = "💬 <b>#{number}</b> · {liaison} (municipality):"
SENT_CONFIRMATION = (
    "✅ Your question is sent to the municipality as <b>#{number}</b>. A liaison officer "
    "will answer you here.\n\nTo add something, reply to this message. /threads shows "
    "all your association's questions."
)
SAVED_NOT_SENT = (
    "Your question is saved as <b>#{number}</b>, but I could not reach the "
    "municipality just now. I will keep trying; you do not need to send it again."
)
ONLY_LIAISONS = "Only liaison officers of the municipality can do this."
YOURS_NOW = "#{number} is yours now."
BLOCKED_NOTICE = "⚠️ {member} has blocked Kapstok and did not get this message of #{number}."
CLOSED_FOR_MEMBERS = (
    "🔒 {liaison} of the municipality closed your question #{number}. Is it solved?"
)
CLOSED_REPLY = "#{number} is closed; the board is asked whether it is solved."
REOPENED_REPLY = "#{number} is open again."
NOT_CLOSED_REPLY = "#{number} is not closed."
LIST_TITLE = "<b>Open questions</b>, the longest waiting first"
MINE_TITLE = "<b>Your open questions</b>"
LIST_LINE = "{icon} #{number} · {association} · {subject} · {waiting} · owner: {owner}"
NONE_OWNED = "You own no open questions."
WAITS = "waits {age}"
ANSWERED_AGO = "answered {age} ago"
NUDGE = (
    "⏰ #{number} of {association} waits for an answer since {since} "
    "({hours} working hours). Owner: {owner}."
)
NOBODY_TOOK_IT = "nobody has taken it yet"
SNIPPET_SAVED = "Snippet {name} saved."
SNIPPET_REMOVED = "Snippet {name} removed."
SNIPPET_LIST_TITLE = "<b>Snippets</b> (send one with /s NAME as a reply):"
NO_SUCH_SNIPPET = "There is no snippet {name}. /snippet list shows them."
SNIPPET_NOT_A_REPLY = "Send /s NAME as a reply to a message of the question you want to answer."
NO_SNIPPETS = "No snippets yet. Add one with /snippet add NAME TEXT."
LIAISON_PROMPT = (
    "Write your answer to #{number}; it goes to every board member of "
    "{association}, signed with your name."
)
SENT_TO_BOARD = "Sent to the board of {association} (#{number})."
HISTORY_TITLE = "🧵 <b>#{number}</b> · {subject} · {status}"


# --- helpers -------------------------------------------------------------------------------


async def register(person: Person, association: str) -> None:
    await person.send("/start")
    await person.press(label(person.language, "Register my association"))
    await person.send(association)
    await person.press(label(person.language, "Youth", "kind"))
    await person.send("We organise activities for the children of the village every Sunday.")


async def board(
    kapstok: Kapstok, admin: Person, association: str = ASSOCIATION, first_id: int = 101
) -> tuple[Person, Person]:
    """An approved association with two board members: Sofie (nl) and Camille (fr)."""
    sofie = kapstok.person(first_id, "Sofie", "nl", last_name="Maes")
    await register(sofie, association)
    await admin.press_in_group(label("nl", "✅ Approve"))
    replies = await sofie.send("/invite")
    code = re.search(r"<code>([A-Z0-9]{8})</code>", replies[-1].html).group(1)
    camille = kapstok.person(first_id + 1, "Camille", "fr", last_name="Dubois")
    await camille.send(f"/start {code}")
    return sofie, camille


async def open_question_page(member: Person) -> None:
    lang = member.language
    await member.send("/menu")
    await member.press("🧭 " + say(lang, "Good guidance"))
    await member.press(label(lang, "❓ Ask a question"))
    subjects = member.last
    await member.press(subjects.buttons[0], on=subjects)


async def ask(member: Person, question: str = "May we put up a tent on the square?") -> int:
    """A member asks a question (a text) about permits; return the thread's number."""
    await open_question_page(member)
    replies = await member.send(question)
    return number_in(replies[-1])


def number_in(confirmation: Message) -> int:
    match = re.search(r"#(\d+)", confirmation.text)
    assert match, f"no thread number in {confirmation.text!r}"
    return int(match.group(1))


def now_of(kapstok: Kapstok, message: Message) -> Message:
    """A message as it looks now, after any edits."""
    key = (message.raw["chat"]["id"], message.raw["message_id"])
    return Message(kapstok.telegram.messages[key])


def card_in(kapstok: Kapstok, topic_id: int | None, number: int) -> Message:
    """The card of thread #number in a topic."""
    title = say("nl", CARD_TITLE, number=number, kapstok=say("nl", "Good guidance"))
    cards = [m for m in kapstok.in_topic(topic_id) if m.raw.get("text", "").startswith(title)]
    assert len(cards) == 1, f"{len(cards)} cards of #{number} in topic {topic_id}"
    return cards[0]


def card_text(
    number: int,
    member: str,
    question: str,
    *,
    association: str = ASSOCIATION,
    status: str = "open",
    owner: str | None = None,
) -> str:
    """The card as the group (nl) sees it."""
    lines = [
        say("nl", CARD_TITLE, number=number, kapstok=say("nl", "Good guidance")),
        say("nl", CARD_SUBJECT, subject=SUBJECT["nl"]),
        say("nl", CARD_ASSOCIATION, association=association),
        say("nl", CARD_FROM, member=member),
        say(
            "nl",
            CARD_STATUS,
            status=label("nl", status, "thread status"),
            owner=owner or say("nl", NOBODY_YET),
        ),
        "",
        question,
    ]
    return "\n".join(lines)


def from_liaison(lang: str, number: int, text: str, liaison: str = ADMIN_NAME) -> str:
    return say(lang, MEMBER_HEADER, number=number, liaison=liaison) + "\n" + text


def from_member(number: int, member: str, text: str) -> str:
    return say("nl", GROUP_HEADER, number=number, member=member) + "\n" + text


def texts(messages: list[Message]) -> list[str]:
    return [m.raw.get("text") or m.raw.get("caption") or "" for m in messages]


def age(delta: timedelta, lang: str = "nl") -> str:
    with i18n.use_language(lang):
        return i18n.format_age(delta)


def when(moment: datetime, lang: str = "nl") -> str:
    with i18n.use_language(lang):
        return i18n.format_datetime(moment)


def card_buttons() -> list[str]:
    return [label("nl", "🙋 Take it"), label("nl", "✅ Close")]


async def appoint(admin: Person, person: Person) -> None:
    await admin.send_in_group(f"/liaison add {person.user_id}")


async def group_media(
    person: Person, media: dict, *, caption: str | None = None, reply_to: Message
) -> list[Message]:
    """A liaison sends a photo, a document or a voice message in the group, as a reply."""
    return await person._send_media(media, caption, None, reply_to, chat_id=LIAISON_CHAT_ID)


PHOTO = {
    "photo": [{"file_id": "photo-liaison", "file_unique_id": "pl", "width": 90, "height": 90}]
}
VOICE = {"voice": {"file_id": "voice-liaison", "file_unique_id": "vl", "duration": 4}}
DOCUMENT = {
    "document": {
        "file_id": "doc-liaison",
        "file_unique_id": "dl",
        "file_name": "reglement.pdf",
        "file_size": 1000,
    }
}


# --- the topic and the card ----------------------------------------------------------------


async def test_a_new_question_arrives_in_the_associations_topic_as_a_card(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    topics_before = dict(kapstok.telegram.topics)

    await open_question_page(sofie)
    replies = await sofie.send("May we put up a tent on the square?")

    number = number_in(replies[-1])
    assert replies[-1].text == say("nl", SENT_CONFIRMATION, number=number)
    assert len(kapstok.telegram.topics) == len(topics_before) + 1
    topic = kapstok.topic_of(ASSOCIATION)
    in_topic = kapstok.in_topic(topic)
    assert len(in_topic) == 1
    card = in_topic[0]
    assert card.text == card_text(number, "Sofie Maes", "May we put up a tent on the square?")
    assert card.buttons == card_buttons()


async def test_a_question_with_a_photo_gets_its_card_and_the_photo_after_it(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    await open_question_page(sofie)
    replies = await sofie.send_photo("Is this spot allowed?")
    number = number_in(replies[-1])

    topic = kapstok.topic_of(ASSOCIATION)
    card, photo = kapstok.in_topic(topic)
    assert card.text.startswith(say("nl", CARD_TITLE, number=number, kapstok=say("nl", "Good guidance")))
    assert "Is this spot allowed?" in card.text
    assert card.buttons == card_buttons()
    assert photo.raw["photo"][0]["file_id"] == f"photo-{sofie.user_id}"
    assert photo.raw["caption"] == from_member(number, "Sofie Maes", "Is this spot allowed?")
