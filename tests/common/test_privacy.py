"""/forgetme leaves nothing that names the person: not in any table, not in the database file's
bytes, not in its WAL, not in the liaison group's messages Kapstok can still edit. /mydata says
beforehand what stays by design, and writes nothing."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot.domain.privacy import ERASED, Traces
from handlers.associations import approval
from handlers.common import privacy
from tests.client import Kapstok, Person, label, say
from tests.stories import register

# Ids and names that cannot turn up by chance anywhere else.
MEMBER_ID, LIAISON_ID, FELLOW_ID = 7777012345, 7777054321, 7777098765
QUESTION = "Mag ons kamp in de Zoutleeuwse bossen doorgaan?"
EDITED = "Mag ons kamp in het bos doorgaan?"
EDITED_AWAY = "Zoutleeuwse"
FIRST_ASSOCIATION = "Kaartclub De Zotte Boer"
ASSOCIATION = "KSA Sint-Jan"


# --- searching for a person -----------------------------------------------------------------------


def traces_of(person: Person, *more: str) -> list[str]:
    return [
        text
        for text in (person.first_name, person.last_name, person.username, str(person.user_id))
        if text
    ] + list(more)


def database(kapstok: Kapstok) -> Path:
    return kapstok.config.database_path


def _holds(value: str | bytes, texts: list[str], user_id: int) -> bool:
    """Whether a stored text holds one of the traces: a name anywhere, the user id as a number
    of its own (not the digits of a timestamp that happen to contain it)."""
    text_value = value if isinstance(value, str) else value.decode("utf-8", "ignore")
    identifier = str(user_id)
    if re.search(rf"(?<!\d){identifier}(?!\d)", text_value):
        return True
    return any(text.lower() in text_value.lower() for text in texts if text != identifier)


def found_in_tables(kapstok: Kapstok, person: Person, *more: str) -> list[tuple[str, object]]:
    """Every value of every row of every table that holds one of the person's traces."""
    texts = traces_of(person, *more)
    found = []
    connection = sqlite3.connect(f"file:{database(kapstok)}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        assert {"users", "threads", "thread_messages", "inbox", "outbox"} <= set(tables)
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if value == person.user_id or (
                        isinstance(value, str | bytes) and _holds(value, texts, person.user_id)
                    ):
                        found.append((table, value))
    finally:
        connection.close()
    return found


def found_in_files(kapstok: Kapstok, person: Person, *more: str) -> list[tuple[str, bytes]]:
    """The person's traces in the bytes of the database file and of its WAL: as text, and
    their user id as SQLite stores an integer (six bytes, big-endian)."""
    needles = [text.encode() for text in traces_of(person, *more)]
    needles += [text.lower().encode() for text in traces_of(person)]
    needles.append(person.user_id.to_bytes(6, "big"))
    found = []
    for path in (database(kapstok), Path(f"{database(kapstok)}-wal")):
        content = path.read_bytes() if path.exists() else b""
        found += [(path.name, needle) for needle in needles if needle in content]
    return found


def shown_in_group(kapstok: Kapstok, person: Person, *more: str) -> list[str]:
    """The bot's messages in the liaison group, as they are now, that show the person."""
    texts = traces_of(person, *more)
    shown = []
    for message in kapstok.group():
        content = message.raw.get("text") or message.raw.get("caption") or ""
        if any(text in content for text in texts):
            shown.append(content)
    return shown


def stored_states_of(kapstok: Kapstok, user_id: int) -> list[tuple]:
    connection = sqlite3.connect(f"file:{database(kapstok)}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT name, key FROM conversation_states WHERE EXISTS"
            " (SELECT 1 FROM json_each(conversation_states.key) WHERE value = ?)",
            (user_id,),
        ).fetchall()
    finally:
        connection.close()


# --- the story ------------------------------------------------------------------------------------


def code_in(message) -> str:
    return re.search(r"<code>([A-Z0-9]{8})</code>", message.html).group(1)


def card_of(kapstok: Kapstok, thread: int):
    for message in kapstok.group():
        for row in (message.raw.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").endswith(f":{thread}"):
                    return message
    raise AssertionError(f"no card of #{thread}")


async def ask(member: Person, question: str) -> int:
    await member.send("/menu")
    await member.press("🧭 " + say("nl", "Good guidance"))
    await member.press(label("nl", "❓ Ask a question"))
    subjects = member.last
    await member.press(subjects.buttons[0], on=subjects)
    replies = await member.send(question)
    return int(re.search(r"#(\d+)", replies[-1].text).group(1))


async def story(kapstok: Kapstok, admin: Person) -> tuple[Person, Person, Person, int]:
    """Wannes registers an association, leaves it, types a wrong code, joins KSA Sint-Jan with
    Sofie's invite, asks a question, edits it, gets an answer, closes it and has two
    conversations open. Griet, a liaison officer, approved both associations, took and
    answered the question and created a snippet."""
    griet = kapstok.person(
        LIAISON_ID, "Griet", "fr", last_name="Vandersteene", username="griet_vds"
    )
    await griet.send("/start")
    await admin.send(f"/liaison add {LIAISON_ID}")

    wannes = kapstok.person(MEMBER_ID, "Wannes", "nl", last_name="Vlijmincx", username="wannes_vlx")
    await register(wannes, FIRST_ASSOCIATION)
    await griet.press_in_group(label("nl", "✅ Approve"))
    await wannes.send("/leave")
    await wannes.press(label("nl", "Yes, leave"))

    sofie = kapstok.person(FELLOW_ID, "Sofie", "nl", last_name="Maes")
    await register(sofie, ASSOCIATION)
    await griet.press_in_group(label("nl", "✅ Approve"))
    code = code_in((await sofie.send("/invite"))[-1])
    await wannes.send("/start ZZZZ2345")
    await wannes.send(f"/start {code}")

    number = await ask(wannes, QUESTION)
    await wannes.edit_last(EDITED)
    assert EDITED in card_of(kapstok, number).text
    await griet.press_in_group(label("nl", "🙋 Take it"), on=card_of(kapstok, number))
    await griet.send_in_group("Ja, met een vergunning.", reply_to=card_of(kapstok, number))
    await wannes.send("Dank u!", reply_to=wannes.last)
    await griet.send_in_group("/snippet add loket Het loket is open van 9 tot 12.")

    threads = (await wannes.send("/threads"))[-1]
    await wannes.press(threads.buttons[0], on=threads)
    await wannes.press(label("nl", "✅ Close this question"))
    # Two conversations at once: a new question, and adding a message to the closed one.
    await wannes.send("/menu")
    await wannes.press("🧭 " + say("nl", "Good guidance"))
    await wannes.press(label("nl", "❓ Ask a question"))
    await wannes.press(label("nl", "✍️ Add a message"))
    assert len(stored_states_of(kapstok, MEMBER_ID)) == 2
    return wannes, griet, sofie, number


async def forget(person: Person) -> None:
    question = (await person.send("/forgetme"))[0]
    await person.press(label(person.language, "Yes, erase my data"), on=question)
    assert question.text == say(
        person.language,
        "Done: everything Kapstok stored about you is erased. If you write to me again, "
        "we start anew.",
    )


def erased_in(language: str) -> str:
    return say(language, "(erased)")


# --- /forgetme ------------------------------------------------------------------------------------


async def test_forgetme_leaves_no_trace_of_a_member_or_a_liaison(kapstok, admin):
    wannes, griet, sofie, number = await story(kapstok, admin)
    group_before = shown_in_group(kapstok, wannes, EDITED_AWAY)
    assert any(
        say("nl", "<b>From:</b> {member}", member="Wannes Vlijmincx") in text
        for text in group_before
    )
    assert found_in_tables(kapstok, wannes, EDITED_AWAY)
    assert found_in_files(kapstok, wannes, EDITED_AWAY)

    await forget(wannes)

    assert found_in_tables(kapstok, wannes, EDITED_AWAY) == []
    assert found_in_files(kapstok, wannes, EDITED_AWAY) == []
    assert shown_in_group(kapstok, wannes, EDITED_AWAY) == []
    assert stored_states_of(kapstok, MEMBER_ID) == []
    card = card_of(kapstok, number).text
    assert say("nl", "<b>From:</b> {member}", member=erased_in("nl")) in card
    assert EDITED in card  # the question stays, under "(erased)"
    assert any(
        say("nl", "🔒 {member} closed #{number}.", member=erased_in("nl"), number=number) in m.text
        for m in kapstok.group()
    )

    assert shown_in_group(kapstok, griet)
    assert found_in_files(kapstok, griet)
    await forget(griet)

    assert found_in_tables(kapstok, griet) == []
    assert found_in_files(kapstok, griet) == []
    assert shown_in_group(kapstok, griet) == []
    # What she answered reached the board signed; the copies no longer name her.
    assert not any("Griet" in message.text for message in sofie.inbox)
    # Wannes stays forgotten, and the association keeps its board, questions and decisions.
    assert found_in_tables(kapstok, wannes, EDITED_AWAY) == []
    store = kapstok.app.bot_data.store
    association = await store.associations.find_by_name(ASSOCIATION)
    assert association.status.value == "approved"
    assert association.decided_at is not None
    assert [
        m.user_id for m in await store.associations.board_members(association.association_id)
    ] == [FELLOW_ID]
    messages = await store.threads.messages(number)
    assert [m.text for m in messages] == [EDITED, "Ja, met een vergunning.", "Dank u!"]
    assert [m.author_name for m in messages] == [None, None, None]
    assert [s.name for s in await store.snippets.all()] == ["loket"]
    assert not store.liaisons.is_liaison(LIAISON_ID)


async def test_a_conversation_left_open_takes_no_more_answers_after_forgetme(kapstok, admin):
    wannes, _griet, _sofie, number = await story(kapstok, admin)
    await forget(wannes)

    # Wannes was adding a message to #number: writing again starts anew instead.
    replies = await wannes.send("Nog een detail")

    assert replies[-1].text.startswith(
        say("nl", "I did not expect that message. Choose from the menu, or send /help.")
    )
    store = kapstok.app.bot_data.store
    assert "Nog een detail" not in [m.text for m in await store.threads.messages(number)]
    assert stored_states_of(kapstok, MEMBER_ID) == []


async def test_forgetme_erases_the_names_on_the_association_cards(kapstok, admin):
    wannes, griet, _sofie, _number = await story(kapstok, admin)
    registered = say("nl", "<b>Name:</b> {name}", name=FIRST_ASSOCIATION)
    cards = [m for m in kapstok.group() if registered in m.text]
    assert len(cards) == 1
    assert "Wannes Vlijmincx" in cards[0].text

    await forget(wannes)
    await forget(griet)

    card = text_now(kapstok, cards[0])
    assert "Wannes" not in card and "Griet" not in card
    assert card.count(erased_in("nl")) == 2  # registered by, approved by
    assert FIRST_ASSOCIATION in card


def text_now(kapstok: Kapstok, message) -> str:
    key = (message.raw["chat"]["id"], message.raw["message_id"])
    return kapstok.telegram.messages[key]["text"]


async def test_the_application_redraws_association_cards(kapstok):
    """The redraw of association cards is one of the application's outbox kinds."""
    with pytest.raises(ValueError, match="registered twice"):
        privacy.register_deliveries(
            kapstok.app.bot_data.outbox,
            kapstok.app,
            approval.association_card,
            approval.association_card_keyboard,
        )


# --- /mydata --------------------------------------------------------------------------------------


async def test_mydata_says_beforehand_what_stays_and_writes_nothing(kapstok, admin):
    wannes, griet, _sofie, _number = await story(kapstok, admin)
    store = kapstok.app.bot_data.store
    statements: list[str] = []
    await store.db.trace(statements.append)
    text = (await wannes.send("/mydata"))[0].text
    await store.db.trace(None)
    writes = [s for s in statements if s.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes and all(" inbox " in f"{s} " for s in writes), writes

    assert say("nl", "Questions you closed: {count}", count=1) in text
    assert (
        say("nl", "/forgetme erases all of this, except what stays without your name or user id:")
        in text
    )
    assert (
        say(
            "nl",
            "• the messages you wrote in questions ({count}): they stay with the questions of the "
            "association, shown as written by {erased}",
            count=2,
            erased=erased_in("nl"),
        )
        in text
    )
    assert say("nl", "• the associations you registered: {names}", names=FIRST_ASSOCIATION) in text
    assert (
        say(
            "nl",
            "Kapstok's own messages in the liaison group that name you (cards, passed-on messages, "
            "notices) then show {erased} instead. What you sent yourself stays in Telegram, where "
            "you can delete it.",
            erased=erased_in("nl"),
        )
        in text
    )

    text = (await griet.send("/mydata"))[0].text
    names = f"{FIRST_ASSOCIATION}, {ASSOCIATION}"
    assert say("fr", "Associations you approved or rejected: {names}", names=names) in text
    assert say("fr", "Questions you own as a liaison officer: {count}", count=1) in text
    assert say("fr", "Snippets you created: {count}", count=1) in text
    assert (
        say(
            "fr",
            "• your decisions on associations ({names}): approved or rejected, when and why, as "
            "the municipality's record",
            names=names,
        )
        in text
    )
    assert (
        say(
            "fr",
            "• the snippets you created ({count}), for the other liaison officers",
            count=1,
        )
        in text
    )
    assert (
        say(
            "fr",
            "• the messages you wrote in questions ({count}): they stay with the questions of the "
            "association, shown as written by {erased}",
            count=1,
            erased=erased_in("fr"),
        )
        in text
    )


async def test_mydata_of_someone_of_whom_nothing_stays(kapstok):
    lies = kapstok.person(7777011111, "Lies", "fr")
    text = (await lies.send("/mydata"))[0].text
    assert say("fr", "/forgetme erases all of this.") in text
    assert "•" not in text


# --- the traces in a text -------------------------------------------------------------------------


def test_traces_are_replaced_as_whole_names_and_mentions():
    traces = Traces(7777012345, "Jan", "Peeters", "jan_p")
    text = (
        '⏰ Owner: <a href="tg://user?id=7777012345">Jan</a>. Jan Peeters wrote to @Jan_P '
        "(7777012345); Janssens stays, and so does 17777012345."
    )
    assert traces.scrub(text, ERASED) == (
        "⏰ Owner: (erased). (erased) wrote to (erased) ((erased)); Janssens stays, and so does "
        "17777012345."
    )
    assert traces.found_in({"text": "Jan"})
    assert traces.found_in({"from": {"id": 7777012345}})
    assert not traces.found_in({"text": "Janssens", "id": 7})


def test_a_short_user_id_is_not_replaced_in_a_text():
    traces = Traces(101, "Sofie")
    assert traces.scrub("#101 of Sofie", ERASED) == "#101 of (erased)"


def test_an_update_loses_the_person_but_keeps_its_shape():
    traces = Traces(7777012345, "Jan", None, "jan_p")
    update = {
        "update_id": 9,
        "message": {
            "from": {"id": 7777012345, "first_name": "Jan", "username": "jan_p"},
            "text": "Dag Jan",
            "message_id": 7777,
        },
    }
    assert traces.scrub_json(update, ERASED) == {
        "update_id": 9,
        "message": {
            "from": {"id": 0, "first_name": ERASED},
            "text": "Dag (erased)",
            "message_id": 7777,
        },
    }
