"""*Ask* on a request: a liaison officer's question opens a thread with the requesting board
under kapstok 5 (or goes into the request's open thread); the board answers in the thread."""

from __future__ import annotations

import pytest

from bot import i18n
from handlers import callbacks
from handlers.request_words import kind_label, what
from tests.client import Kapstok, Message, label, say
from tests.fake_telegram import html_to_text
from tests.stories import approved_member
from tests.support.requesting import gear_request, store_of, subsidy_request


async def request_in_group(kapstok: Kapstok, liaison, number: int) -> Message:
    """The request, opened from /requests in the liaison group."""
    await liaison.send_in_group("/requests")
    await liaison.press_in_group(f"#{number} · KSA Sint-Jan")
    return kapstok.group()[-1]


async def told_about(kapstok: Kapstok, language: str, number: int, thread: int) -> str:
    """What the board hears before the question: which request it is about."""
    summary = await store_of(kapstok).request_summaries.get(number)
    with i18n.use_language(language):
        kind, described = html_to_text(kind_label(summary.kind)), html_to_text(what(summary))
    return say(
        language,
        "❓ The municipality has a question about your request #{number} ({kind}: {what}). "
        "Answer it by replying to the question; /threads shows #{thread}.",
        number=number,
        kind=kind,
        what=described,
        thread=thread,
    )


@pytest.mark.parametrize("member_language", ["fr", "en"])
async def test_a_question_about_a_request_opens_a_thread_with_the_board(
    kapstok, admin, member_language
):
    group_language = "nl"  # the group speaks the default language
    sofie = await approved_member(kapstok, admin, language=member_language)
    number = await gear_request(kapstok, sofie)
    card = await request_in_group(kapstok, admin, number)
    prompts = await admin.press_in_group(label(group_language, "❓ Ask the board"), on=card)
    prompt = prompts[-1]
    assert f"#{number}" in prompt.text
    # A message in the group that answers no prompt is a note, and asks nothing.
    await admin.send_in_group("Wie kent deze vereniging?")
    assert store_of(kapstok) and (await store_of(kapstok).requests.get(number)).thread_id is None
    await admin.send_in_group("Hebben jullie een aanhangwagen?", reply_to=prompt)

    request = await store_of(kapstok).requests.get(number)
    assert request.thread_id is not None
    thread = request.thread_id
    told = [m.text for m in sofie.inbox[-2:]]
    assert told[0] == await told_about(kapstok, member_language, number, thread)
    assert "Hebben jullie een aanhangwagen?" in told[1] and "Annelies" in told[1]
    history = await store_of(kapstok).requests.history(number)
    assert history[-1].event == "asked" and history[-1].actor == 1
    assert history[-1].detail == "Hebben jullie een aanhangwagen?"
    topic = kapstok.topic_of("KSA Sint-Jan")
    in_topic = [m.text for m in kapstok.in_topic(topic)]
    assert any(f"#{number}" in text and f"#{thread}" in text for text in in_topic)
    stored = await store_of(kapstok).threads.thread(thread)
    assert stored.kapstok == 5 and stored.subject.name("en") == "Request"

    # The board answers in the thread, as in any thread.
    await sofie.send("Ja, eentje.", reply_to=sofie.last)
    assert any("Ja, eentje." in m.text for m in kapstok.in_topic(topic))

    # A second question goes into the same thread.
    card = await request_in_group(kapstok, admin, number)
    prompts = await admin.press_in_group(label(group_language, "❓ Ask the board"), on=card)
    await admin.send_in_group("Welke maat?", reply_to=prompts[-1])
    assert (await store_of(kapstok).requests.get(number)).thread_id == thread
    assert "Welke maat?" in sofie.last.text

    # Once the thread is closed, the next question opens a new one.
    await admin.send_in_group(f"/close {thread}")
    card = await request_in_group(kapstok, admin, number)
    prompts = await admin.press_in_group(label(group_language, "❓ Ask the board"), on=card)
    await admin.send_in_group("Nog iets?", reply_to=prompts[-1])
    assert (await store_of(kapstok).requests.get(number)).thread_id not in (None, thread)


async def test_a_liaison_asks_from_a_private_chat(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="nl")
    number = await subsidy_request(kapstok, sofie)
    ann = kapstok.person(401, "Ann", "en")
    await admin.send_in_group("/liaison add 401")
    await ann.send("/requests")
    await ann.press(f"#{number} · KSA Sint-Jan")
    await ann.press(label("en", "❓ Ask the board"))
    await ann.send("   ")
    assert ann.last.text == say("en", "Please type your question as text, or /cancel.")
    await ann.send_photo()
    assert ann.last.text == say("en", "Please type your question as text, or /cancel.")
    await ann.send("x" * 3501)
    assert "3501" in ann.last.text
    await ann.send("Is the amount for the whole year?")
    thread = (await store_of(kapstok).requests.get(number)).thread_id
    assert (
        say(
            "en",
            "Sent to the board of {association}; their answer comes in #{number}.",
            association="KSA Sint-Jan",
            number=thread,
        )
        == ann.last.text
    )
    assert "Is the amount for the whole year?" in sofie.last.text
    # Shown in the topic too, where colleagues see it.
    topic = kapstok.topic_of("KSA Sint-Jan")
    assert any("Is the amount for the whole year?" in m.text for m in kapstok.in_topic(topic))


async def test_only_liaisons_ask(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="fr")
    number = await gear_request(kapstok, sofie)
    await sofie.send("/requests")
    await sofie.press_data(callbacks.REQUEST_ASK.data(number), on=sofie.last)
    assert sofie.alerts[-1] == say("fr", "Only liaison officers of the municipality can do this.")
    groupmember = kapstok.person(601, "Gert", "nl")
    await groupmember.send_in_group("Goeiemorgen")
    await groupmember.press_data(callbacks.REQUEST_ASK.data(number), on=kapstok.group()[-1])
    assert groupmember.alerts[-1] == say(
        "nl", "Only liaison officers of the municipality can do this."
    )
    await admin.send("/start")
    await admin.press_data(callbacks.REQUEST_ASK.data(number + 99), on=admin.last)
    assert admin.alerts[-1] == say("nl", "This button is no longer valid.")
    assert (await store_of(kapstok).requests.get(number)).thread_id is None
    # /cancel asks nothing.
    await admin.send("/requests")
    await admin.press_data(callbacks.REQUEST_ASK.data(number), on=admin.last)
    await admin.send("/cancel")
    await admin.send("Dit is geen vraag meer")
    assert (await store_of(kapstok).requests.get(number)).thread_id is None
