"""The liaison side of questions: a topic per association, cards, replies, notes, edits,
/open, /mine, /close, /reopen, the reminder, snippets and the private chat."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import i18n
from handlers.threads.liaison import nudge_waiting_threads
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.stories import register

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


# --- helpers ----------------------------------------------------------------------------------


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


def card_title(number: int) -> str:
    return say("nl", CARD_TITLE, number=number, kapstok=say("nl", "Good guidance"))


def card_in(kapstok: Kapstok, topic_id: int | None, number: int) -> Message:
    """The card of thread #number in a topic."""
    title = card_title(number)
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
        card_title(number),
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


PHOTO = {"photo": [{"file_id": "photo-liaison", "file_unique_id": "pl", "width": 90, "height": 90}]}
VOICE = {"voice": {"file_id": "voice-liaison", "file_unique_id": "vl", "duration": 4}}
DOCUMENT = {
    "document": {
        "file_id": "doc-liaison",
        "file_unique_id": "dl",
        "file_name": "reglement.pdf",
        "file_size": 1000,
    }
}


def brussels(*args) -> datetime:
    """A moment on the municipality's clock (Europe/Brussels), as the store keeps it (UTC)."""
    return datetime(*args, tzinfo=ZoneInfo("Europe/Brussels")).astimezone(UTC)


# --- the topic and the card -------------------------------------------------------------------


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
    question = say("nl", "[photo]") + " Is this spot allowed?"
    assert card.text == card_text(number, "Sofie Maes", question)
    assert card.buttons == card_buttons()
    assert photo.raw["photo"][0]["file_id"] == f"photo-{sofie.user_id}"
    assert photo.raw["caption"] == from_member(number, "Sofie Maes", "Is this spot allowed?")


async def test_a_question_as_a_document_arrives_with_its_card(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    await open_question_page(sofie)
    replies = await sofie.send_document("plan.pdf", b"%PDF-1.4", "Our plan for the camp")
    number = number_in(replies[-1])

    card, document = kapstok.in_topic(kapstok.topic_of(ASSOCIATION))
    assert "Our plan for the camp" in card.text
    assert document.raw["document"]["file_name"] == "plan.pdf"
    assert document.raw["caption"] == from_member(number, "Sofie Maes", "Our plan for the camp")


async def test_an_album_question_arrives_with_every_photo_after_the_card(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    await open_question_page(sofie)
    replies = await sofie.send_photo("Two spots we like", album="album-1")
    number = number_in(replies[-1])
    await sofie.send_photo(album="album-1")

    card, first, second = kapstok.in_topic(kapstok.topic_of(ASSOCIATION))
    question = say("nl", "[photo]") + " Two spots we like"
    assert card.text == card_text(number, "Sofie Maes", question)
    assert first.raw["caption"] == from_member(number, "Sofie Maes", "Two spots we like")
    assert "photo" in second.raw
    assert second.raw["caption"] == say("nl", GROUP_HEADER, number=number, member="Sofie Maes")

    await admin.send_in_group("The second one is fine.", reply_to=second)
    assert camille.last.text == from_liaison("fr", number, "The second one is fine.")


async def test_two_associations_asking_at_once_get_a_topic_each(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    jonas, _lea = await board(kapstok, admin, "Chiro Bosvogels", first_id=201)

    first = await ask(sofie, "Where do we get a permit?")
    second = await ask(jonas, "Can we use the sports hall?")

    ksa, chiro = kapstok.topic_of(ASSOCIATION), kapstok.topic_of("Chiro Bosvogels")
    assert ksa != chiro
    assert [m.text for m in kapstok.in_topic(ksa)] == [
        card_text(first, "Sofie Maes", "Where do we get a permit?")
    ]
    assert [m.text for m in kapstok.in_topic(chiro)] == [
        card_text(
            second, "Sofie Maes", "Can we use the sports hall?", association="Chiro Bosvogels"
        )
    ]


async def test_questions_sent_at_the_same_moment_each_find_their_own_topic(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    jonas, _lea = await board(kapstok, admin, "Chiro Bosvogels", first_id=201)
    for member in (sofie, camille, jonas):
        await open_question_page(member)

    await asyncio.gather(
        sofie.send("Question of Sofie"),
        camille.send("Question de Camille"),
        jonas.send("Question of Jonas"),
    )

    names = sorted(topic["name"] for topic in kapstok.telegram.topics.values())
    assert names == sorted([ASSOCIATION, "Chiro Bosvogels"])
    ksa = [m.text for m in kapstok.in_topic(kapstok.topic_of(ASSOCIATION))]
    chiro = [m.text for m in kapstok.in_topic(kapstok.topic_of("Chiro Bosvogels"))]
    assert len(ksa) == 2
    assert any(text.endswith("Question of Sofie") for text in ksa)
    assert any(text.endswith("Question de Camille") for text in ksa)
    assert len(chiro) == 1
    assert chiro[0].endswith("Question of Jonas")


async def test_a_second_question_of_the_same_association_uses_the_same_topic(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    first = await ask(sofie, "First question")
    second = await ask(camille, "Deuxième question")

    assert len([t for t in kapstok.telegram.topics.values() if t["name"] == ASSOCIATION]) == 1
    topic = kapstok.topic_of(ASSOCIATION)
    assert card_in(kapstok, topic, first).text == card_text(first, "Sofie Maes", "First question")
    assert card_in(kapstok, topic, second).text == card_text(
        second, "Camille Dubois", "Deuxième question"
    )


async def test_a_topic_deleted_by_hand_is_made_anew_and_nothing_is_lost(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    first = await ask(sofie, "First question")
    old = kapstok.topic_of(ASSOCIATION)
    kapstok.telegram.topics[old]["deleted"] = True

    second = await ask(sofie, "Second question")

    new = kapstok.topic_of(ASSOCIATION)
    assert new != old
    assert card_in(kapstok, new, second).text == card_text(second, "Sofie Maes", "Second question")
    assert sofie.last.text == say("nl", SENT_CONFIRMATION, number=second)
    listing = (await admin.send_in_group("/open"))[-1].text
    assert f"#{first} " in listing
    assert f"#{second} " in listing


async def test_a_follow_up_after_the_topic_was_deleted_arrives_in_the_new_topic(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    old = kapstok.topic_of(ASSOCIATION)
    kapstok.telegram.topics[old]["deleted"] = True

    await sofie.send("One more thing: it is for 40 children.", reply_to=sofie.last)

    new = kapstok.topic_of(ASSOCIATION)
    assert new != old
    follow_up = from_member(number, "Sofie Maes", "One more thing: it is for 40 children.")
    assert follow_up in texts(kapstok.in_topic(new))
    card = card_in(kapstok, new, number)  # the thread gets its card again in the new topic
    assert card.text == card_text(number, "Sofie Maes", "May we put up a tent on the square?")
    assert card.buttons == card_buttons()

    await admin.send_in_group("Fine, 40 is no problem.", reply_to=card)
    assert sofie.last.text == from_liaison("nl", number, "Fine, 40 is no problem.")
    assert camille.last.text == from_liaison("fr", number, "Fine, 40 is no problem.")


async def test_a_topic_closed_by_hand_is_reopened_and_the_message_arrives(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    first = await ask(sofie, "First question")
    topic = kapstok.topic_of(ASSOCIATION)
    kapstok.telegram.topics[topic]["closed"] = True

    second = await ask(sofie, "Second question")

    assert kapstok.topic_of(ASSOCIATION) == topic
    assert kapstok.telegram.topics[topic]["closed"] is False
    assert len(kapstok.telegram.calls_of("reopenForumTopic")) == 1
    assert card_in(kapstok, topic, first).text == card_text(first, "Sofie Maes", "First question")
    assert card_in(kapstok, topic, second).text == card_text(
        second, "Sofie Maes", "Second question"
    )


async def test_a_group_without_topics_gets_the_cards_and_replies_work(kapstok, admin):
    kapstok.telegram.forum = False
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)

    assert kapstok.telegram.topics == {}
    card = card_in(kapstok, None, number)
    assert card.text == card_text(number, "Sofie Maes", "May we put up a tent on the square?")
    assert not kapstok.telegram.calls_of("createForumTopic")

    await admin.send_in_group("Yes, if you ask a permit first.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes, if you ask a permit first.")
    assert camille.last.text == from_liaison("fr", number, "Yes, if you ask a permit first.")
    await sofie.send("Thanks! Where do we ask it?", reply_to=sofie.last)
    assert kapstok.group()[-1].text == from_member(
        number, "Sofie Maes", "Thanks! Where do we ask it?"
    )
    assert kapstok.group()[-1].raw["reply_to_message"]["message_id"] == card.raw["message_id"]


# --- Take it, Close and Reopen on the card ----------------------------------------------------


async def test_take_it_makes_the_liaison_owner_and_a_second_hears_who_has_it(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    pieter = kapstok.person(3, "Pieter", "nl", last_name="Claes")
    await appoint(admin, pieter)

    await admin.press_in_group(label("nl", "🙋 Take it"), on=card)

    assert admin.alerts[-1] == say("nl", YOURS_NOW, number=number)
    card = now_of(kapstok, card)
    assert card.text == card_text(number, "Sofie Maes", "Question", owner=ADMIN_NAME)
    assert card.buttons == card_buttons()

    await pieter.press_in_group(label("nl", "🙋 Take it"), on=card)

    # Take it is decided once: the second liaison is told who has it, nothing changes.
    assert pieter.alerts[-1] == say(
        "nl", "{owner} already has #{number}.", owner=ADMIN_NAME, number=number
    )
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "Question", owner=ADMIN_NAME
    )


async def test_taking_a_thread_twice_says_it_is_already_yours(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.press_in_group(label("nl", "🙋 Take it"), on=card)

    await admin.press_in_group(label("nl", "🙋 Take it"), on=now_of(kapstok, card))

    assert admin.alerts[-1] == say("nl", "#{number} is already yours.", number=number)
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "Question", owner=ADMIN_NAME
    )


async def test_someone_who_is_no_liaison_cannot_take_or_close(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    bart = kapstok.person(60, "Bart", "nl")
    inbox_before = len(sofie.inbox)

    await bart.press_in_group(label("nl", "🙋 Take it"), on=card)
    await bart.press_in_group(label("nl", "✅ Close"), on=card)

    assert bart.alerts == [say("nl", ONLY_LIAISONS)] * 2
    assert now_of(kapstok, card).text == card_text(number, "Sofie Maes", "Question")
    assert now_of(kapstok, card).buttons == card_buttons()
    assert len(sofie.inbox) == inbox_before
    replies = await admin.send_in_group("/open")
    assert f"#{number}" in replies[-1].text


async def test_close_on_the_card_closes_and_asks_the_board_whether_it_is_solved(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)

    await admin.press_in_group(label("nl", "✅ Close"), on=card)

    card = now_of(kapstok, card)
    assert card.text == card_text(number, "Sofie Maes", "Question", status="closed")
    assert card.buttons == [label("nl", "↩️ Reopen")]
    assert sofie.last.text == say("nl", CLOSED_FOR_MEMBERS, liaison=ADMIN_NAME, number=number)
    assert sofie.last.buttons == [label("nl", "👍 Thanks, solved"), label("nl", "👎 Not solved")]
    assert camille.last.text == say("fr", CLOSED_FOR_MEMBERS, liaison=ADMIN_NAME, number=number)


async def test_the_reopen_button_on_a_closed_card_opens_it_again(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.press_in_group(label("nl", "✅ Close"), on=card)
    bart = kapstok.person(60, "Bart", "nl")

    await bart.press_in_group(label("nl", "↩️ Reopen"), on=now_of(kapstok, card))
    assert bart.alerts == [say("nl", ONLY_LIAISONS)]
    assert now_of(kapstok, card).buttons == [label("nl", "↩️ Reopen")]

    await admin.press_in_group(label("nl", "↩️ Reopen"), on=now_of(kapstok, card))

    assert admin.alerts[-1] == say("nl", "Reopened.")
    assert now_of(kapstok, card).text == card_text(number, "Sofie Maes", "Question")
    assert now_of(kapstok, card).buttons == card_buttons()


async def test_a_member_who_says_not_solved_reopens_the_card(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    await admin.send_in_group(f"/close {number}")

    await sofie.press(label("nl", "👎 Not solved"))

    assert now_of(kapstok, card).text == card_text(number, "Sofie Maes", "Question", status="open")
    assert kapstok.in_topic(topic)[-1].text == say(
        "nl",
        "↩️ {member}: #{number} is not solved and open again.",
        member="Sofie Maes",
        number=number,
    )


# --- replies, notes and media -----------------------------------------------------------------


async def test_a_liaison_reply_goes_to_every_board_member_signed_with_the_name(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)

    await admin.send_in_group("Yes, with a permit. I send you the form.", reply_to=card)

    text = "Yes, with a permit. I send you the form."
    assert sofie.last.text == from_liaison("nl", number, text)
    assert camille.last.text == from_liaison("fr", number, text)
    reaction = kapstok.telegram.calls_of("setMessageReaction")[-1].params
    assert int(reaction["message_id"]) == admin.sent[-1]["message_id"]
    card = now_of(kapstok, card)
    assert card.text == card_text(
        number,
        "Sofie Maes",
        "May we put up a tent on the square?",
        status="answered",
        owner=ADMIN_NAME,
    )


async def test_a_reply_to_a_relayed_message_of_the_thread_also_goes_out(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    await sofie.send("Also: can we stay overnight?", reply_to=sofie.last)
    relayed = kapstok.in_topic(topic)[-1]
    assert relayed.text == from_member(number, "Sofie Maes", "Also: can we stay overnight?")

    await admin.send_in_group("Overnight is fine until 8 in the morning.", reply_to=relayed)

    text = "Overnight is fine until 8 in the morning."
    assert sofie.last.text == from_liaison("nl", number, text)
    assert camille.last.text == from_liaison("fr", number, text)


async def test_an_appointed_liaison_answers_with_their_own_name_and_loses_it_when_removed(
    kapstok, admin
):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    pieter = kapstok.person(3, "Pieter", "nl", last_name="Claes")
    await appoint(admin, pieter)

    await pieter.send_in_group("I will look into it.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "I will look into it.", "Pieter Claes")
    assert camille.last.text == from_liaison("fr", number, "I will look into it.", "Pieter Claes")
    assert now_of(kapstok, card).text == card_text(
        number,
        "Sofie Maes",
        "May we put up a tent on the square?",
        status="answered",
        owner="Pieter Claes",
    )

    await admin.send_in_group(f"/liaison remove {pieter.user_id}")
    inboxes = len(sofie.inbox), len(camille.inbox)
    await pieter.send_in_group("Just a remark among colleagues.", reply_to=card)
    assert (len(sofie.inbox), len(camille.inbox)) == inboxes


async def test_a_member_answers_the_liaison_and_it_lands_in_the_topic(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    await admin.send_in_group("For how many people?", reply_to=card)

    await camille.send("Pour 40 enfants.", reply_to=camille.last)

    relayed = kapstok.in_topic(topic)[-1]
    assert relayed.text == from_member(number, "Camille Dubois", "Pour 40 enfants.")
    assert relayed.raw["reply_to_message"]["message_id"] == card.raw["message_id"]


async def test_internal_notes_in_the_topic_are_never_sent_out(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    inboxes = len(sofie.inbox), len(camille.inbox)
    group_before = len(kapstok.group())

    await admin.send_in_group("Note: check with the police first.", topic=topic)
    await admin.send_in_group("And a note in the general chat.")

    assert (len(sofie.inbox), len(camille.inbox)) == inboxes
    assert len(kapstok.group()) == group_before
    assert card_in(kapstok, topic, number).text == card_text(
        number, "Sofie Maes", "May we put up a tent on the square?"
    )


async def test_a_reply_from_someone_who_is_no_liaison_stays_a_note(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    bart = kapstok.person(60, "Bart", "nl")
    inboxes = len(sofie.inbox), len(camille.inbox)

    await bart.send_in_group("I think this is fine, but ask Annelies.", reply_to=card)

    assert (len(sofie.inbox), len(camille.inbox)) == inboxes
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "May we put up a tent on the square?"
    )


async def test_a_reply_to_a_card_is_not_taken_as_the_reason_of_a_pending_rejection(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    jonas = kapstok.person(301, "Jonas", "nl")
    await register(jonas, "Fanfare De Vrede")
    await admin.press_in_group(label("nl", "❌ Reject"))  # the reason is asked for next
    jonas_before = len(jonas.inbox)

    await admin.send_in_group("Yes, with a permit.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes, with a permit.")
    assert camille.last.text == from_liaison("fr", number, "Yes, with a permit.")
    assert len(jonas.inbox) == jonas_before, "the answer to #1 rejected another association"


async def test_a_reply_to_a_card_is_not_taken_as_a_new_faq_entry(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.send_in_group("/faqadd")
    await admin.press_in_group("🧭 " + say("nl", "Good guidance"))
    await admin.press_in_group("Nederlands")

    await admin.send_in_group("Yes, with a permit.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes, with a permit.")


async def test_texts_with_markup_characters_arrive_unchanged(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    question = "Is <b>this</b> & that allowed? 3 < 4 > 2"
    number = await ask(sofie, question)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    assert card.text == card_text(number, "Sofie Maes", question)

    await admin.send_in_group("Yes: <i>both</i> & more, if 1 < 2.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes: <i>both</i> & more, if 1 < 2.")
    assert camille.last.text == from_liaison("fr", number, "Yes: <i>both</i> & more, if 1 < 2.")


async def test_a_long_liaison_reply_is_split_never_cut(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    long_reply = " ".join(f"w{i:05d}" for i in range(584))  # 4,087 characters
    header = say("nl", MEMBER_HEADER, number=number, liaison=ADMIN_NAME)
    assert len(long_reply) <= 4096 < len(header) + 1 + len(long_reply)
    inbox_before = len(sofie.inbox)

    await admin.send_in_group(long_reply, reply_to=card)

    new = sofie.inbox[inbox_before:]
    assert len(new) == 2
    assert new[0].text.startswith(header + "\n")
    assert all(len(message.text) <= 4096 for message in new)
    received = new[0].text.removeprefix(header + "\n") + " " + new[1].text.split("\n", 1)[-1]
    assert received.split() == long_reply.split()


async def test_a_liaison_sends_a_photo_a_document_and_a_voice_message(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)

    await group_media(admin, PHOTO, caption="The spot on the map", reply_to=card)
    assert sofie.last.raw["photo"][0]["file_id"] == "photo-liaison"
    assert sofie.last.raw["caption"] == from_liaison("nl", number, "The spot on the map")
    assert camille.last.raw["photo"][0]["file_id"] == "photo-liaison"
    assert camille.last.raw["caption"] == from_liaison("fr", number, "The spot on the map")

    await group_media(admin, DOCUMENT, caption="The form", reply_to=card)
    assert sofie.last.raw["document"]["file_id"] == "doc-liaison"
    assert sofie.last.raw["caption"] == from_liaison("nl", number, "The form")
    assert camille.last.raw["document"]["file_id"] == "doc-liaison"

    await group_media(admin, VOICE, reply_to=card)
    assert sofie.last.raw["voice"]["file_id"] == "voice-liaison"
    assert sofie.last.raw["caption"] == say("nl", MEMBER_HEADER, number=number, liaison=ADMIN_NAME)
    assert camille.last.raw["voice"]["file_id"] == "voice-liaison"


async def test_a_member_sends_a_photo_a_document_and_a_voice_message(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    await admin.send_in_group("Send me a picture of the spot, please.", reply_to=card)
    answer = sofie.last

    await sofie.send_photo("Here it is", reply_to=answer)
    photo = kapstok.in_topic(topic)[-1]
    assert photo.raw["photo"][0]["file_id"] == f"photo-{sofie.user_id}"
    assert photo.raw["caption"] == from_member(number, "Sofie Maes", "Here it is")

    await sofie.send_voice(reply_to=answer)
    voice = kapstok.in_topic(topic)[-1]
    assert voice.raw["voice"]["file_id"] == f"voice-{sofie.user_id}"
    assert voice.raw["caption"] == say("nl", GROUP_HEADER, number=number, member="Sofie Maes")

    document = {
        "document": {
            "file_id": "doc-sofie",
            "file_unique_id": "ds",
            "file_name": "plan.pdf",
            "file_size": 10,
        }
    }
    await sofie._send_media(document, "Our plan", None, answer)
    relayed = kapstok.in_topic(topic)[-1]
    assert relayed.raw["document"]["file_id"] == "doc-sofie"
    assert relayed.raw["caption"] == from_member(number, "Sofie Maes", "Our plan")

    # and the liaison can answer the photo directly
    await admin.send_in_group("Perfect, that spot is fine.", reply_to=photo)
    assert sofie.last.text == from_liaison("nl", number, "Perfect, that spot is fine.")


async def test_something_the_bot_cannot_pass_on_is_explained_to_the_liaison(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    inbox_before = len(sofie.inbox)
    sticker = {
        "sticker": {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    }

    replies = await group_media(admin, sticker, reply_to=card)

    assert replies[-1].text == say(
        "nl", "I can pass on text, photos, documents and voice messages; this was not sent."
    )
    assert len(sofie.inbox) == inbox_before


async def test_a_member_who_blocked_the_bot_is_reported_and_the_others_get_it(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    kapstok.telegram.blocked.add(camille.user_id)

    await admin.send_in_group("Yes, that is allowed.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes, that is allowed.")
    assert kapstok.in_topic(topic)[-1].text == say(
        "nl", BLOCKED_NOTICE, member="Camille Dubois", number=number
    )
    assert now_of(kapstok, card).text == card_text(
        number,
        "Sofie Maes",
        "May we put up a tent on the square?",
        status="answered",
        owner=ADMIN_NAME,
    )
    await admin.send_in_group("And bring the form.", reply_to=card)
    assert sofie.last.text == from_liaison("nl", number, "And bring the form.")


async def test_a_member_who_left_gets_no_more_replies(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await camille.send("/leave")
    await camille.press(label("fr", "Yes, leave"))
    camille_before = len(camille.inbox)

    await admin.send_in_group("Yes, that is allowed.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "Yes, that is allowed.")
    assert len(camille.inbox) == camille_before


async def test_replies_and_edits_still_find_their_thread_after_a_restart(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    await admin.send_in_group("Which date?", reply_to=card)

    await kapstok.restart()

    await camille.send("Le 12 juin.", reply_to=camille.last)
    relayed = kapstok.in_topic(topic)[-1]
    assert relayed.text == from_member(number, "Camille Dubois", "Le 12 juin.")
    await camille.edit_last("Le 13 juin.")
    assert now_of(kapstok, relayed).text == from_member(number, "Camille Dubois", "Le 13 juin.")
    await admin.send_in_group("That works.", reply_to=relayed)
    assert sofie.last.text == from_liaison("nl", number, "That works.")
    assert camille.last.text == from_liaison("fr", number, "That works.")
    assert kapstok.topic_of(ASSOCIATION) == topic
    assert len(kapstok.telegram.topics) == 1


# --- edits ------------------------------------------------------------------------------------


async def test_a_member_edits_a_message_and_the_copy_in_the_group_follows(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    await sofie.send("We are 40.", reply_to=sofie.last)
    relayed = kapstok.in_topic(topic)[-1]

    await sofie.edit_last("We are 45.")

    assert now_of(kapstok, relayed).text == from_member(number, "Sofie Maes", "We are 45.")


async def test_a_liaison_removed_since_cannot_change_an_earlier_answer(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    pieter = kapstok.person(3, "Pieter", "nl", last_name="Claes")
    await appoint(admin, pieter)
    await pieter.send_in_group("Yes, that is allowed.", reply_to=card)
    answer = sofie.last
    await admin.send_in_group(f"/liaison remove {pieter.user_id}")

    await pieter.edit_last("No, that is forbidden.")

    assert now_of(kapstok, answer).text == from_liaison(
        "nl", number, "Yes, that is allowed.", liaison="Pieter Claes"
    )
    assert camille.last.text == from_liaison(
        "fr", number, "Yes, that is allowed.", liaison="Pieter Claes"
    )


async def test_a_member_edits_the_question_and_the_card_follows(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "May we put up a tent?")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)

    await sofie.edit_last("May we put up two tents?")

    assert now_of(kapstok, card).text == card_text(number, "Sofie Maes", "May we put up two tents?")


async def test_a_question_as_a_photo_edited_updates_the_card_and_the_copy(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    await open_question_page(sofie)
    replies = await sofie.send_photo("Is this spto allowed?")
    number = number_in(replies[-1])
    card, photo = kapstok.in_topic(kapstok.topic_of(ASSOCIATION))

    await sofie.edit_last("Is this spot allowed?")

    assert now_of(kapstok, card).text.endswith("Is this spot allowed?")
    assert now_of(kapstok, photo).raw["caption"] == from_member(
        number, "Sofie Maes", "Is this spot allowed?"
    )


async def test_a_member_edits_a_photo_caption_and_the_group_copy_follows(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    await sofie.send_photo("Our tnet", reply_to=sofie.last)
    photo = kapstok.in_topic(topic)[-1]

    await sofie.edit_last("Our tent")

    assert now_of(kapstok, photo).raw["caption"] == from_member(number, "Sofie Maes", "Our tent")


async def test_a_liaison_edits_a_reply_and_the_members_copies_follow(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.send_in_group("The office is open on Mondy.", reply_to=card)
    copies = sofie.last, camille.last
    inboxes = len(sofie.inbox), len(camille.inbox)

    await admin.edit_last("The office is open on Monday.")

    assert now_of(kapstok, copies[0]).text == from_liaison(
        "nl", number, "The office is open on Monday."
    )
    assert now_of(kapstok, copies[1]).text == from_liaison(
        "fr", number, "The office is open on Monday."
    )
    assert (len(sofie.inbox), len(camille.inbox)) == inboxes


async def test_a_liaison_edits_a_photo_caption_and_the_members_captions_follow(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await group_media(admin, PHOTO, caption="The spot on the mpa", reply_to=card)
    copies = sofie.last, camille.last

    await admin.edit_last("The spot on the map")

    assert now_of(kapstok, copies[0]).raw["caption"] == from_liaison(
        "nl", number, "The spot on the map"
    )
    assert now_of(kapstok, copies[1]).raw["caption"] == from_liaison(
        "fr", number, "The spot on the map"
    )


async def test_editing_an_internal_note_sends_nothing(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    await admin.send_in_group("Note: call the police", topic=topic)
    inboxes = len(sofie.inbox), len(camille.inbox)
    group_before = len(kapstok.group())
    calls_before = len(kapstok.telegram.calls)

    await admin.edit_last("Note: call the police on Monday")

    assert (len(sofie.inbox), len(camille.inbox)) == inboxes
    assert len(kapstok.group()) == group_before
    assert kapstok.telegram.calls[calls_before:] == []


# --- commands in the group --------------------------------------------------------------------


async def test_open_lists_open_threads_oldest_first_with_waiting_time_and_owner(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    jonas, _lea = await board(kapstok, admin, "Chiro Bosvogels", first_id=201)
    first = await ask(sofie, "First")
    kapstok.clock.advance(hours=3)
    second = await ask(jonas, "Second")
    kapstok.clock.advance(hours=2)
    card = card_in(kapstok, kapstok.topic_of("Chiro Bosvogels"), second)
    await admin.press_in_group(label("nl", "🙋 Take it"), on=card)

    replies = await admin.send_in_group("/open")

    assert len(replies) == 1
    subject = SUBJECT["nl"]
    assert replies[0].text == "\n".join(
        [
            say("nl", LIST_TITLE),
            say(
                "nl",
                LIST_LINE,
                icon="🟠",
                number=first,
                association=ASSOCIATION,
                subject=subject,
                waiting=say("nl", WAITS, age=age(timedelta(hours=5))),
                owner=say("nl", NOBODY_YET),
            ),
            say(
                "nl",
                LIST_LINE,
                icon="🟠",
                number=second,
                association="Chiro Bosvogels",
                subject=subject,
                waiting=say("nl", WAITS, age=age(timedelta(hours=2))),
                owner=ADMIN_NAME,
            ),
        ]
    )
    assert replies[0].buttons == []


async def test_open_leaves_out_closed_threads_and_shows_answered_ones_last(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    answered = await ask(sofie, "Answered one")
    kapstok.clock.advance(hours=1)
    closed = await ask(sofie, "Closed one")
    kapstok.clock.advance(hours=1)
    waiting = await ask(sofie, "Waiting one")
    topic = kapstok.topic_of(ASSOCIATION)
    await admin.send_in_group("Answer", reply_to=card_in(kapstok, topic, answered))
    await admin.send_in_group(f"/close {closed}")
    kapstok.clock.advance(hours=2)

    text = (await admin.send_in_group("/open"))[-1].text

    assert f"#{closed} " not in text
    assert text.index(f"#{waiting} ") < text.index(f"#{answered} ")
    assert say("nl", WAITS, age=age(timedelta(hours=2))) in text
    assert say("nl", ANSWERED_AGO, age=age(timedelta(hours=2))) in text


async def test_open_shows_every_open_thread_also_when_the_list_is_long(kapstok, admin):
    name = "Koninklijke Harmonie & Fanfare Sint-Cecilia van de parochie Onze-Lieve-Vrouw-ten-Hemel"
    sofie, _camille = await board(kapstok, admin, name)
    numbers = [await ask(sofie, f"Question {index}") for index in range(30)]

    replies = await admin.send_in_group("/open")

    lines = [line for reply in replies for line in reply.text.split("\n")]
    listed = [line for line in lines if line.startswith("🟠 #")]
    missing = [n for n in numbers if not any(line.startswith(f"🟠 #{n} ") for line in listed)]
    assert missing == [], f"/open leaves out threads {missing}"
    owner = say("nl", NOBODY_YET)
    assert all(line.endswith(owner) for line in listed), "a line of /open was cut"


async def test_open_says_so_when_nothing_is_open(kapstok, admin):
    replies = await admin.send_in_group("/open")
    assert replies[-1].text == say("nl", "No open questions. 🎉")


async def test_mine_lists_only_the_callers_threads(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    mine = await ask(sofie, "Mine")
    other = await ask(sofie, "Not mine")
    topic = kapstok.topic_of(ASSOCIATION)
    pieter = kapstok.person(3, "Pieter", "nl", last_name="Claes")
    await appoint(admin, pieter)

    assert (await pieter.send_in_group("/mine"))[-1].text == say("nl", NONE_OWNED)

    await pieter.press_in_group(label("nl", "🙋 Take it"), on=card_in(kapstok, topic, mine))
    await admin.press_in_group(label("nl", "🙋 Take it"), on=card_in(kapstok, topic, other))
    text = (await pieter.send_in_group("/mine"))[-1].text

    assert text.startswith(say("nl", MINE_TITLE))
    assert f"#{mine} " in text
    assert f"#{other} " not in text
    assert "Pieter Claes" in text


async def test_the_commands_are_refused_to_someone_who_is_no_liaison(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    bart = kapstok.person(60, "Bart", "nl")

    for command in ("/open", "/mine", f"/close {number}", f"/reopen {number}"):
        replies = await bart.send_in_group(command)
        assert replies[-1].text == say("nl", ONLY_LIAISONS), command

    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    assert card.text == card_text(number, "Sofie Maes", "May we put up a tent on the square?")


async def test_close_and_reopen_by_number(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)

    replies = await admin.send_in_group(f"/close {number}")

    assert replies[-1].text == say("nl", CLOSED_REPLY, number=number)
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "Question", status="closed"
    )
    assert sofie.last.text == say("nl", CLOSED_FOR_MEMBERS, liaison=ADMIN_NAME, number=number)
    assert camille.last.text == say("fr", CLOSED_FOR_MEMBERS, liaison=ADMIN_NAME, number=number)
    assert camille.last.buttons == [
        label("fr", "👍 Thanks, solved"),
        label("fr", "👎 Not solved"),
    ]
    assert f"#{number} " not in (await admin.send_in_group("/open"))[-1].text

    replies = await admin.send_in_group(f"/reopen {number}")

    assert replies[-1].text == say("nl", REOPENED_REPLY, number=number)
    assert now_of(kapstok, card).text == card_text(number, "Sofie Maes", "Question")
    assert now_of(kapstok, card).buttons == card_buttons()
    assert f"#{number} " in (await admin.send_in_group("/open"))[-1].text
    replies = await admin.send_in_group(f"/reopen {number}")
    assert replies[-1].text == say("nl", NOT_CLOSED_REPLY, number=number)


async def test_close_and_reopen_explain_a_missing_or_unknown_number(kapstok, admin):
    assert (await admin.send_in_group("/close"))[-1].text == say(
        "nl", "Which question? For example: /close 12"
    )
    assert (await admin.send_in_group("/reopen"))[-1].text == say(
        "nl", "Which question? For example: /reopen 12"
    )
    assert (await admin.send_in_group("/close 99"))[-1].text == say(
        "nl", "There is no question #{number}.", number=99
    )


async def test_a_reply_to_an_old_message_of_a_closed_thread_reopens_it(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.send_in_group(f"/close {number}")

    await admin.send_in_group("One more thing: bring your ID.", reply_to=card)

    assert sofie.last.text == from_liaison("nl", number, "One more thing: bring your ID.")
    assert camille.last.text == from_liaison("fr", number, "One more thing: bring your ID.")
    card = now_of(kapstok, card)
    assert card.text == card_text(
        number, "Sofie Maes", "Question", status="answered", owner=ADMIN_NAME
    )
    assert card.buttons == card_buttons()
    assert f"#{number} " in (await admin.send_in_group("/open"))[-1].text


# --- the reminder -----------------------------------------------------------------------------


async def test_a_thread_waiting_too_long_gets_one_reminder_weekends_do_not_count(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    asked_at = brussels(2026, 12, 4, 20, 0)  # a Friday evening
    kapstok.clock.now = asked_at
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)

    kapstok.clock.now = brussels(2026, 12, 7, 8, 0)  # Monday morning: 4 + 8 working hours
    assert await kapstok.run_job(nudge_waiting_threads) == 0
    assert len(kapstok.in_topic(topic)) == 1

    kapstok.clock.now = brussels(2026, 12, 7, 13, 0)  # 4 + 13 = 17 working hours
    assert await kapstok.run_job(nudge_waiting_threads) == 1

    reminder = kapstok.in_topic(topic)[-1]
    assert reminder.text == say(
        "nl",
        NUDGE,
        number=number,
        association=ASSOCIATION,
        since=when(asked_at),
        hours=17,
        owner=say("nl", NOBODY_TOOK_IT),
    )

    kapstok.clock.advance(hours=5)
    assert await kapstok.run_job(nudge_waiting_threads) == 0
    assert len(kapstok.in_topic(topic)) == 2


async def test_the_reminder_mentions_the_owner(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)  # a Tuesday
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    await admin.press_in_group(label("nl", "🙋 Take it"), on=card_in(kapstok, topic, number))

    kapstok.clock.advance(hours=17)
    await kapstok.run_job(nudge_waiting_threads)

    reminder = kapstok.in_topic(topic)[-1]
    assert reminder.text == say(
        "nl",
        NUDGE,
        number=number,
        association=ASSOCIATION,
        since=when(brussels(2026, 12, 1, 9, 0)),
        hours=17,
        owner=ADMIN_NAME,
    )
    assert f'href="tg://user?id={admin.user_id}"' in reminder.html


async def test_an_answered_thread_gets_no_reminder_until_the_member_writes_again(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)  # a Tuesday
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    kapstok.clock.advance(hours=20)
    assert await kapstok.run_job(nudge_waiting_threads) == 1

    await admin.send_in_group("Let me check.", reply_to=card_in(kapstok, topic, number))
    kapstok.clock.advance(hours=30)
    assert await kapstok.run_job(nudge_waiting_threads) == 0

    await sofie.send("Any news?", reply_to=sofie.last)
    kapstok.clock.advance(hours=10)
    assert await kapstok.run_job(nudge_waiting_threads) == 0
    kapstok.clock.advance(hours=7)
    assert await kapstok.run_job(nudge_waiting_threads) == 1
    reminders = [m for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]
    assert len(reminders) == 2
    assert await kapstok.run_job(nudge_waiting_threads) == 0


async def test_a_reopened_thread_waits_again_and_may_be_reminded_again(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    number = await ask(sofie)
    kapstok.clock.advance(hours=17)
    assert await kapstok.run_job(nudge_waiting_threads) == 1
    kapstok.clock.advance(minutes=5)
    await admin.send_in_group(f"/close {number}")
    kapstok.clock.advance(minutes=5)
    await admin.send_in_group(f"/reopen {number}")

    kapstok.clock.advance(hours=10)
    assert await kapstok.run_job(nudge_waiting_threads) == 0
    kapstok.clock.advance(hours=7)
    assert await kapstok.run_job(nudge_waiting_threads) == 1


async def test_the_reminder_is_not_repeated_after_a_restart(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    kapstok.clock.advance(hours=17)
    assert await kapstok.run_job(nudge_waiting_threads) == 1

    await kapstok.restart()
    kapstok.clock.advance(hours=1)

    assert await kapstok.run_job(nudge_waiting_threads) == 0
    reminders = [m for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]
    assert len(reminders) == 1


async def test_a_closed_thread_gets_no_reminder(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    number = await ask(sofie)
    await admin.send_in_group(f"/close {number}")
    kapstok.clock.advance(hours=40)
    assert await kapstok.run_job(nudge_waiting_threads) == 0


async def test_the_reminder_in_a_group_without_topics_goes_to_the_main_chat(kapstok, admin):
    kapstok.telegram.forum = False
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    number = await ask(sofie)
    kapstok.clock.advance(hours=17)

    assert await kapstok.run_job(nudge_waiting_threads) == 1

    assert kapstok.group()[-1].text == say(
        "nl",
        NUDGE,
        number=number,
        association=ASSOCIATION,
        since=when(brussels(2026, 12, 1, 9, 0)),
        hours=17,
        owner=say("nl", NOBODY_TOOK_IT),
    )
    assert "message_thread_id" not in kapstok.group()[-1].raw


async def test_a_reminder_reopens_a_topic_closed_by_hand(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    kapstok.telegram.topics[topic]["closed"] = True
    kapstok.clock.advance(hours=17)

    assert await kapstok.run_job(nudge_waiting_threads) == 1

    assert kapstok.telegram.topics[topic]["closed"] is False
    assert kapstok.in_topic(topic)[-1].text.startswith("⏰")


async def test_a_reminder_telegram_could_not_post_is_posted_at_the_next_run(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    kapstok.clock.now = brussels(2026, 12, 1, 9, 0)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    kapstok.clock.advance(hours=17)
    kapstok.telegram.fail_next = {"sendMessage": 1}

    await kapstok.run_job(nudge_waiting_threads)
    assert not [m for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]

    kapstok.clock.advance(minutes=10)
    await kapstok.run_job(nudge_waiting_threads)

    reminders = [m for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]
    assert len(reminders) == 1, "the reminder was lost when Telegram failed once"
    assert f"#{number}" in reminders[0].text
    await kapstok.run_job(nudge_waiting_threads)
    assert len([m for m in kapstok.in_topic(topic) if m.raw.get("text", "").startswith("⏰")]) == 1


# --- snippets ---------------------------------------------------------------------------------


async def test_snippets_are_added_listed_sent_and_removed(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    hours = "The office is open from Monday to Friday, 9:00 to 12:00."

    replies = await admin.send_in_group(f"/snippet add hours {hours}")
    assert replies[-1].text == say("nl", SNIPPET_SAVED, name="hours")

    replies = await admin.send_in_group("/snippet list")
    assert replies[-1].text.startswith(say("nl", SNIPPET_LIST_TITLE))
    assert f"hours: {hours}" in replies[-1].text

    await admin.send_in_group("/s hours", reply_to=card)
    assert sofie.last.text == from_liaison("nl", number, hours)
    assert camille.last.text == from_liaison("fr", number, hours)
    assert now_of(kapstok, card).text == card_text(
        number,
        "Sofie Maes",
        "May we put up a tent on the square?",
        status="answered",
        owner=ADMIN_NAME,
    )

    replies = await admin.send_in_group("/snippet remove hours")
    assert replies[-1].text == say("nl", SNIPPET_REMOVED, name="hours")
    replies = await admin.send_in_group("/snippet list")
    assert replies[-1].text == say("nl", NO_SNIPPETS)


async def test_an_unknown_snippet_or_one_not_sent_as_a_reply_is_explained(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.send_in_group("/snippet add hours Monday to Friday, 9:00 to 12:00.")
    inboxes = len(sofie.inbox), len(camille.inbox)

    replies = await admin.send_in_group("/s nosuch", reply_to=card)
    assert replies[-1].text == say("nl", NO_SUCH_SNIPPET, name="nosuch")

    replies = await admin.send_in_group("/s hours")
    assert replies[-1].text == say("nl", SNIPPET_NOT_A_REPLY)

    assert (len(sofie.inbox), len(camille.inbox)) == inboxes


async def test_snippet_commands_explain_their_use_and_are_for_liaisons_only(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    usage = say(
        "nl",
        "Use /snippet add NAME TEXT, /snippet list or /snippet remove NAME. Then send a snippet "
        "to an association with /s NAME as a reply to one of its messages in the liaison group.",
    )
    assert (await admin.send_in_group("/snippet"))[-1].text == usage
    assert (await admin.send_in_group("/snippet add hours"))[-1].text == usage
    assert (await admin.send_in_group("/snippet remove nosuch"))[-1].text == say(
        "nl", "There is no snippet {name}.", name="nosuch"
    )
    await admin.send_in_group("/snippet add hours Monday to Friday.")
    assert (await admin.send_in_group("/snippet add hours Monday to Saturday."))[-1].text == say(
        "nl", "Snippet {name} replaced.", name="hours"
    )

    bart = kapstok.person(60, "Bart", "nl")
    inbox_before = len(sofie.inbox)
    assert (await bart.send_in_group("/snippet list"))[-1].text == say("nl", ONLY_LIAISONS)
    assert (await bart.send_in_group("/s hours", reply_to=card))[-1].text == say(
        "nl", ONLY_LIAISONS
    )
    assert len(sofie.inbox) == inbox_before

    await admin.send_in_group("/s HOURS", reply_to=card)
    assert sofie.last.text == from_liaison("nl", number, "Monday to Saturday.")


# --- a liaison in a private chat --------------------------------------------------------------


async def test_an_old_invite_link_does_not_swallow_a_liaisons_answer(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "May we put up a tent on the square?")
    listing = (await admin.send("/open"))[-1]
    history = (await admin.press(f"#{number} · {ASSOCIATION}", on=listing))[-1]
    await admin.send("/start ABCD2345")  # an old invite link: the bot waits for a code

    await admin.press(label("nl", "✍️ Reply"), on=history)
    replies = await admin.send("Yes, on the square is fine.")

    assert replies[-1].text == say("nl", SENT_TO_BOARD, association=ASSOCIATION, number=number)
    assert sofie.last.text == from_liaison("nl", number, "Yes, on the square is fine.")


async def test_a_liaison_answers_from_a_private_chat(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie, "May we put up a tent on the square?")

    replies = await admin.send("/open")
    listing = replies[-1]
    assert listing.text.startswith(say("nl", LIST_TITLE))
    button = f"#{number} · {ASSOCIATION}"
    assert listing.buttons == [button]

    replies = await admin.press(button, on=listing)
    history = replies[-1]
    assert history.text.startswith(
        say(
            "nl",
            HISTORY_TITLE,
            number=number,
            subject="🧭 " + SUBJECT["nl"],
            status=label("nl", "open", "thread status"),
        )
    )
    assert "May we put up a tent on the square?" in history.text
    assert history.buttons == [label("nl", "✍️ Reply"), *card_buttons()]

    replies = await admin.press(label("nl", "✍️ Reply"), on=history)
    assert replies[-1].text.startswith(
        say("nl", LIAISON_PROMPT, number=number, association=ASSOCIATION)
    )
    replies = await admin.send("Yes, ask the permit before the 1st.")

    assert replies[-1].text == say("nl", SENT_TO_BOARD, association=ASSOCIATION, number=number)
    assert sofie.last.text == from_liaison("nl", number, "Yes, ask the permit before the 1st.")
    assert camille.last.text == from_liaison("fr", number, "Yes, ask the permit before the 1st.")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    assert card.text == card_text(
        number,
        "Sofie Maes",
        "May we put up a tent on the square?",
        status="answered",
        owner=ADMIN_NAME,
    )


async def test_a_liaison_edits_a_reply_sent_from_the_private_chat(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    await admin.send("/open")
    await admin.press(f"#{number} · {ASSOCIATION}")
    await admin.press(label("nl", "✍️ Reply"))
    await admin.send("See you on Mondy.")
    copies = sofie.last, camille.last

    await admin.edit_last("See you on Monday.")

    assert now_of(kapstok, copies[0]).text == from_liaison("nl", number, "See you on Monday.")
    assert now_of(kapstok, copies[1]).text == from_liaison("fr", number, "See you on Monday.")


async def test_take_it_and_close_from_the_private_chat_update_the_card(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie, "Question")
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    await admin.send("/open")
    history = (await admin.press(f"#{number} · {ASSOCIATION}"))[-1]

    await admin.press(label("nl", "🙋 Take it"), on=history)
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "Question", owner=ADMIN_NAME
    )
    await admin.press(label("nl", "✅ Close"), on=history)
    assert now_of(kapstok, card).text == card_text(
        number, "Sofie Maes", "Question", status="closed", owner=ADMIN_NAME
    )
    assert sofie.last.text == say("nl", CLOSED_FOR_MEMBERS, liaison=ADMIN_NAME, number=number)
    assert (await admin.send("/mine"))[-1].text == say("nl", NONE_OWNED)


async def test_open_in_a_private_chat_is_refused_to_someone_who_is_no_liaison(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    await ask(sofie)

    replies = await sofie.send("/open")

    assert replies[-1].text == say("nl", ONLY_LIAISONS)
    assert replies[-1].buttons == []


# --- when Telegram fails ----------------------------------------------------------------------


def telegram_fails(kapstok: Kapstok, chat_id: int, code: int, description: str) -> list[str]:
    """From now on every call into this chat fails as Telegram would; return the failed calls.
    `telegram_recovers` ends it."""
    telegram = kapstok.telegram
    real = telegram.do_request
    failed: list[str] = []

    async def failing(url, method, request_data=None, **timeouts):
        params = request_data.parameters if request_data else {}
        if int(params.get("chat_id", 0) or 0) == chat_id:
            failed.append(url.rsplit("/", 1)[-1])
            body = {"ok": False, "error_code": code, "description": description}
            return code, json.dumps(body).encode()
        return await real(url, method, request_data, **timeouts)

    telegram.do_request = failing
    return failed


def telegram_recovers(kapstok: Kapstok) -> None:
    del kapstok.telegram.do_request


async def test_a_question_that_cannot_reach_the_group_is_delivered_later(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    await open_question_page(sofie)
    group_before = len(kapstok.group())
    telegram_fails(kapstok, LIAISON_CHAT_ID, 500, "Internal Server Error")

    replies = await sofie.send("May we put up a tent on the square?")

    number = number_in(replies[-1])
    assert replies[-1].text == say("nl", SENT_CONFIRMATION, number=number)
    await kapstok.pass_time(seconds=2)
    assert len(kapstok.group()) == group_before

    telegram_recovers(kapstok)
    await kapstok.pass_time(seconds=4)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    assert card.text == card_text(number, "Sofie Maes", "May we put up a tent on the square?")
    await kapstok.pass_time(minutes=5)
    assert len(kapstok.in_topic(topic)) == 1


async def test_a_follow_up_that_cannot_reach_the_group_is_delivered_later(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    telegram_fails(kapstok, LIAISON_CHAT_ID, 500, "Internal Server Error")

    reactions = len(kapstok.telegram.calls_of("setMessageReaction"))
    await sofie.send("We are 40.", reply_to=sofie.last)

    assert len(kapstok.telegram.calls_of("setMessageReaction")) == reactions + 1
    assert texts(kapstok.in_topic(topic)) == [
        card_text(number, "Sofie Maes", "May we put up a tent on the square?")
    ]
    telegram_recovers(kapstok)
    await kapstok.pass_time(seconds=2)
    assert kapstok.in_topic(topic)[-1].text == from_member(number, "Sofie Maes", "We are 40.")


async def test_a_group_unreachable_for_a_while_loses_nothing_and_keeps_the_order(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    failed = telegram_fails(kapstok, LIAISON_CHAT_ID, 502, "Bad Gateway")

    await sofie.send_photo("The spot", reply_to=sofie.last)
    await sofie.send("And the second spot.", reply_to=sofie.last)
    # Telegram keeps failing for ten minutes: the outbox keeps trying, and never gives up.
    for _minute in range(10):
        await kapstok.pass_time(minutes=1)
    assert len(kapstok.in_topic(topic)) == 1
    assert failed.count("copyMessage") >= 6
    telegram_recovers(kapstok)

    await kapstok.pass_time(minutes=2)

    photo, text = kapstok.in_topic(topic)[-2:]
    assert photo.raw["photo"][0]["file_id"] == f"photo-{sofie.user_id}"
    assert photo.raw["caption"] == from_member(number, "Sofie Maes", "The spot")
    assert text.text == from_member(number, "Sofie Maes", "And the second spot.")
    await kapstok.pass_time(minutes=5)
    assert len(kapstok.in_topic(topic)) == 3


async def test_a_reply_that_fails_once_still_reaches_every_board_member(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    kapstok.telegram.fail_next = {"sendMessage": 1}

    await admin.send_in_group("Yes, that is allowed.", reply_to=card)
    await kapstok.pass_time(seconds=2)

    assert sofie.last.text == from_liaison("nl", number, "Yes, that is allowed.")
    assert camille.last.text == from_liaison("fr", number, "Yes, that is allowed.")


async def test_a_reply_telegram_did_not_deliver_is_reported_in_the_topic(kapstok, admin):
    sofie, camille = await board(kapstok, admin)
    number = await ask(sofie)
    topic = kapstok.topic_of(ASSOCIATION)
    card = card_in(kapstok, topic, number)
    inboxes = len(sofie.inbox), len(camille.inbox)
    telegram_fails(kapstok, camille.user_id, 400, "Bad Request: chat not found")

    await admin.send_in_group("Yes, that is allowed.", reply_to=card)

    assert sofie.inbox[inboxes[0] :][-1].text == from_liaison("nl", number, "Yes, that is allowed.")
    assert camille.inbox[inboxes[1] :] == []
    assert kapstok.in_topic(topic)[-1].text == say(
        "nl",
        "⚠️ Telegram did not deliver this message of #{number} to {member}. "
        "Please send it again in a moment.",
        number=number,
        member="Camille Dubois",
    )
    telegram_recovers(kapstok)


async def test_when_the_reaction_fails_the_liaison_gets_a_written_confirmation(kapstok, admin):
    sofie, _camille = await board(kapstok, admin)
    number = await ask(sofie)
    card = card_in(kapstok, kapstok.topic_of(ASSOCIATION), number)
    kapstok.telegram.fail_next = {"setMessageReaction": 1}

    replies = await admin.send_in_group("Yes.", reply_to=card)

    assert replies[-1].text == say("nl", "Sent to the board.")
    assert sofie.last.text == from_liaison("nl", number, "Yes.")
