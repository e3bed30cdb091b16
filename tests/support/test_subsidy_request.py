"""A board requests a subsidy from kapstok 5's page: a type (refused at once, with the way out,
when it requires a recognition the association has not), an amount typed in the locale (wrong
ones refused with an example), a purpose, attachments (a file over 20 MB refused), an activity,
and the request's card with its attachments in the association's topic. The board may cancel
before a decision."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot import i18n
from bot.domain.amounts import example_amount, format_amount
from bot.domain.recognition import RecognitionStatus
from bot.domain.requests import Status
from bot.domain.subsidies import Deadline
from handlers import callbacks
from tests.client import Kapstok, Message, Person, label, say
from tests.steps import page_label
from tests.stories import approved_member

ASSOCIATION = "KSA Sint-Jan"
TYPED = {"nl": "1.250,50", "fr": "1 250,50", "en": "1,250.50"}
EXAMPLE = {language: example_amount(language) for language in ("nl", "fr", "en")}


def shown(language: str, euros: str) -> str:
    """An amount as the bot shows it in the language (Babel's no-break spaces included)."""
    return format_amount(Decimal(euros), language)


MAXIMUM = {language: shown(language, "2000") for language in ("nl", "fr", "en")}
ASKED = {language: shown(language, "1250.50") for language in ("nl", "fr", "en")}


async def a_type(kapstok: Kapstok, **changes):
    fields = {
        "name_nl": "Werkingssubsidie",
        "name_fr": "Subside de fonctionnement",
        "name_en": "Operating grant",
        "description_nl": "Voor de werking van het jaar.",
        "description_fr": "Pour le fonctionnement de l'année.",
        "max_cents": 200000,
        "deadlines": [Deadline(3, 31), Deadline(9, 30)],
        "attachments": ["Activiteitenverslag", "Facturen"],
    }
    return await kapstok.app.bot_data.store.subsidies.create_type(**{**fields, **changes})


def type_label(subsidy_type, language: str) -> str:
    return subsidy_type.name(language)


async def association_of(kapstok: Kapstok, person: Person) -> int:
    return (await kapstok.app.bot_data.store.profile(person.user_id)).association_id


async def recognise(kapstok: Kapstok, person: Person) -> None:
    await kapstok.app.bot_data.store.recognition.set(
        await association_of(kapstok, person),
        RecognitionStatus.RECOGNISED,
        date(2028, 1, 1),
        1,
        None,
    )


async def open_request(person: Person) -> Message:
    """The board member presses 💶 Request a subsidy on kapstok 5's page."""
    await person.send("/menu")
    await person.press(page_label(person.language, 5))
    await person.press(label(person.language, "💶 Request a subsidy"))
    return person.last


async def send_file(person: Person, name: str, size: int) -> list[Message]:
    """A document of this size (only its size is told: nothing that big is made)."""
    media = {
        "document": {
            "file_id": f"file-{person.user_id}-{name}",
            "file_unique_id": f"u-{person.user_id}-{name}",
            "file_name": name,
            "file_size": size,
        }
    }
    return await person._send_media(media, None, None, None)


async def request_subsidy(
    kapstok: Kapstok, person: Person, subsidy_type, typed: str | None = None, files: int = 1
) -> int:
    """The whole way, without mistakes; the request's number."""
    language = person.language
    await open_request(person)
    await person.press(type_label(subsidy_type, language))
    await person.send(typed or TYPED[language])
    await person.send("Tenten voor het zomerkamp")
    for index in range(files):
        await send_file(person, f"factuur-{index}.pdf", 120_000)
    await person.press(label(language, "✅ Done"))
    await person.press(label(language, "📨 Send the request"))
    requests = await kapstok.app.bot_data.store.subsidies.of_association(
        await association_of(kapstok, person)
    )
    return requests[0].request_id


def card_of(kapstok: Kapstok, request) -> Message:
    from tests.client import LIAISON_CHAT_ID

    return Message(kapstok.telegram.messages[(LIAISON_CHAT_ID, request.request.card_message_id)])


# --- the way through ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_a_board_requests_a_subsidy_and_its_card_and_files_reach_the_topic(
    kapstok, admin, language
):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language=language)
    offered = await open_request(member)
    assert type_label(subsidy_type, language) in offered.buttons
    assert MAXIMUM[language] in offered.text

    await member.press(type_label(subsidy_type, language))
    asked = member.last.text
    assert say(language, "Only for associations recognised by the municipality.") not in asked
    assert "Activiteitenverslag" in asked and EXAMPLE[language] in asked
    # wrong amounts, each refused with an example
    await member.send("1.2.3")
    assert member.last.text == say(
        language,
        "I cannot read that as an amount. Type it like {example}.",
        example=EXAMPLE[language],
    )
    await member.send("0")
    assert member.last.text == say(
        language,
        "The amount must be more than zero. Type it like {example}.",
        example=EXAMPLE[language],
    )
    await member.send("-5")
    assert member.last.text == say(
        language,
        "The amount cannot be negative. Type it like {example}.",
        example=EXAMPLE[language],
    )
    await member.send({"nl": "2.000,01", "fr": "2 000,01", "en": "2,000.01"}[language])
    assert MAXIMUM[language] in member.last.text and EXAMPLE[language] in member.last.text
    ambiguous = {"nl": "1.25", "fr": "1.25", "en": "1,5"}[language]
    await member.send(ambiguous)
    assert member.last.text == say(
        language,
        "That amount can be read in two ways. Type it with the decimal sign of your language, "
        "like {example}.",
        example=EXAMPLE[language],
    )
    await member.send(TYPED[language])
    assert ASKED[language] in member.last.text
    # the purpose: at most 1,000 characters
    await member.send("x" * 1001)
    assert "1001" in member.last.text
    await member.send("Tenten <en> stoelen voor het zomerkamp")
    # the attachments: a file over 20 MB is refused; documents and photos are kept
    await send_file(member, "scan.pdf", 21 * 1024 * 1024)
    assert "20" in member.last.text and label(language, "✅ Done") in member.last.buttons
    await member.send("hier is niets")
    assert "Facturen" in member.last.text
    await send_file(member, "factuur.pdf", 150_000)
    await member.send_photo("Verslag")
    with i18n.use_language(language):
        so_far = i18n.ngettext("{count} attachment so far.", "{count} attachments so far.", 2)
    assert so_far.format(count=2) in member.last.text
    await member.press(label(language, "✅ Done"))
    review = member.last.text
    assert ASKED[language] in review and "factuur.pdf" in review
    await member.press(label(language, "📨 Send the request"))

    store = kapstok.app.bot_data.store
    request = (await store.subsidies.of_association(await association_of(kapstok, member)))[0]
    assert str(request.request_id) in member.last.text
    assert request.amount_cents == 125050 and request.status is Status.REQUESTED
    assert request.purpose == "Tenten <en> stoelen voor het zomerkamp"
    assert [a.kind for a in request.attachments] == ["document", "photo"]
    assert request.attachments[1].label == "Verslag"
    topic = kapstok.in_topic(kapstok.topic_of(ASSOCIATION))
    card = card_of(kapstok, request)
    assert card.raw["message_id"] == topic[-3].raw["message_id"]
    assert ASKED["nl"] in card.text and "Tenten <en> stoelen" in card.text
    assert "Tenten &lt;en&gt; stoelen" in card.html
    assert card.buttons == [
        label("nl", "✅ Approve…"),
        label("nl", "❌ Reject…"),
        label("nl", "❓ Ask the board"),
    ]
    assert card.callback_data(label("nl", "❓ Ask the board")) == callbacks.REQUEST_ASK.data(
        request.request_id
    )
    assert topic[-2].raw["document"]["file_id"] == request.attachments[0].file_id
    assert topic[-1].raw["photo"][0]["file_id"] == request.attachments[1].file_id
    assert topic[-1].raw["reply_to_message"]["message_id"] == card.raw["message_id"]


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_recognition_required_is_told_at_once_with_what_to_do(kapstok, admin, language):
    subsidy_type = await a_type(kapstok, needs_recognition=True)
    member = await approved_member(kapstok, admin, language=language)
    offered = await open_request(member)
    assert say(language, "Only for associations recognised by the municipality.") in offered.text
    await member.press(type_label(subsidy_type, language))
    told = member.last.text
    assert say(language, "Not recognised") in told
    assert (
        say(
            language,
            "Some gear and subsidies are only for recognised associations: to apply, ask the "
            "municipality through kapstok 1 (💬 Contact the liaison).",
        )
        in told
    )
    await member.send("100")  # nothing is asked any more: the amount is no answer
    store = kapstok.app.bot_data.store
    assert await store.subsidies.of_association(await association_of(kapstok, member)) == []

    await recognise(kapstok, member)
    number = await request_subsidy(kapstok, member, subsidy_type)
    assert (await store.subsidies.get(number)).status is Status.REQUESTED


async def test_an_activity_of_the_association_can_be_linked(kapstok, admin):
    subsidy_type = await a_type(kapstok, attachments=[])
    member = await approved_member(kapstok, admin, language="en")
    store = kapstok.app.bot_data.store
    start = datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
    activity = await store.activities.create(
        await association_of(kapstok, member),
        member.user_id,
        "Sint-Maartenstoet",
        start,
        start + timedelta(hours=3),
        "Zaal De Kroon",
        "",
        True,
    )
    await open_request(member)
    await member.press(type_label(subsidy_type, "en"))
    await member.send("250")
    await member.send("Lampions")
    await member.press(label("en", "✅ Done"))  # no attachments asked: none is fine
    assert any(button.startswith("Sint-Maartenstoet") for button in member.last.buttons)
    await member.press_data(callbacks.SUBSIDY_ACTIVITY.data(999), on=member.last)
    assert member.alerts[-1] == say("en", "This button is no longer valid.")
    await member.press(next(b for b in member.last.buttons if b.startswith("Sint-Maartenstoet")))
    assert "Sint-Maartenstoet" in member.last.text
    await member.press(label("en", "📨 Send the request"))
    request = (await store.subsidies.of_association(await association_of(kapstok, member)))[0]
    assert request.request.activity_id == activity.activity_id
    assert "Sint-Maartenstoet" in card_of(kapstok, request).text


async def test_attachments_are_needed_when_the_type_asks_for_them(kapstok, admin):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language="nl")
    await open_request(member)
    await member.press(type_label(subsidy_type, "nl"))
    await member.send("100")
    await member.send("Kamp")
    await member.press(label("nl", "✅ Done"))
    assert member.alerts[-1] == say(
        "nl", "This subsidy asks for attachments: send at least one first."
    )


async def test_a_discarded_request_sends_nothing_and_no_types_says_so(kapstok, admin):
    member = await approved_member(kapstok, admin, language="fr")
    await open_request(member)
    none = say(
        "fr",
        "There are no subsidies to request at the moment. Ask the municipality through "
        "kapstok 1 (💬 Contact the liaison) if you expected one.",
    )
    assert none in member.last.text
    subsidy_type = await a_type(kapstok, attachments=[])
    await open_request(member)
    await member.press(type_label(subsidy_type, "fr"))
    await member.send("100")
    await member.send("Camp")
    await member.press(label("fr", "✅ Done"))
    await member.press(label("fr", "🗑 Discard"))
    assert member.last.text == say("fr", "Discarded: nothing was sent.")
    store = kapstok.app.bot_data.store
    assert await store.subsidies.of_association(await association_of(kapstok, member)) == []


async def test_a_type_deactivated_meanwhile_cannot_be_sent(kapstok, admin):
    subsidy_type = await a_type(kapstok, attachments=[])
    member = await approved_member(kapstok, admin, language="nl")
    await open_request(member)
    await member.press(type_label(subsidy_type, "nl"))
    await kapstok.app.bot_data.store.subsidies.deactivate(subsidy_type.type_id)
    await member.send("100")
    assert member.last.text == say(
        "nl", "This subsidy can no longer be requested. Start again from kapstok 5."
    )


# --- cancelling ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_the_board_keeps_a_request_it_nearly_cancelled(kapstok, admin, language):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language=language)
    number = await request_subsidy(kapstok, member, subsidy_type)
    cancel = label(language, "✖️ Cancel request #{number}").format(number=number)
    await member.press(cancel)
    await member.press(label(language, "No, keep it"))
    assert member.last.text == say(language, "Request #{number} stays as it is.", number=number)
    assert member.last.buttons == [cancel]
    request = await kapstok.app.bot_data.store.subsidies.get(number)
    assert request.status is Status.REQUESTED


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_board_cancels_before_a_decision_and_not_after(kapstok, admin, language):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language=language)
    number = await request_subsidy(kapstok, member, subsidy_type)
    sent = member.last
    await member.press(label(language, "✖️ Cancel request #{number}").format(number=number))
    await member.press(label(language, "✖️ Yes, cancel it"))
    assert member.last.text == say(
        language, "Subsidy request #{number} is cancelled.", number=number
    )
    store = kapstok.app.bot_data.store
    request = await store.subsidies.get(number)
    assert request.status is Status.CANCELLED
    card = card_of(kapstok, request)
    assert say("nl", "↩️ Cancelled by the association") in card.text and card.buttons == []
    # pressed again on the old message
    await member.press_data(callbacks.SUBSIDY_CANCEL.data(number), on=sent)
    assert member.alerts[-1] == say(
        language,
        "Request #{number} was decided already; it can no longer be cancelled.",
        number=number,
    )


async def test_a_forged_cancel_of_another_associations_request_is_refused(kapstok, admin):
    subsidy_type = await a_type(kapstok)
    member = await approved_member(kapstok, admin, language="nl")
    number = await request_subsidy(kapstok, member, subsidy_type)
    other = await approved_member(kapstok, admin, 202, "Ward", "fr", "Chiro Sint-Pieter")
    for button in (callbacks.SUBSIDY_CANCEL, callbacks.SUBSIDY_CANCEL_CONFIRM):
        await other.send("/menu")
        await other.press_data(button.data(number), on=other.last)
        assert other.alerts[-1] == say("fr", "This request is not one of your association's.")
    assert (await kapstok.app.bot_data.store.subsidies.get(number)).status is Status.REQUESTED


async def test_many_types_with_long_descriptions_still_fit_in_the_list(kapstok, admin):
    for number in range(12):
        await a_type(
            kapstok,
            name_nl=f"Subsidie {number}",
            description_nl="Lang. " * 160,
            attachments=[f"Bijlage {n} " + "x" * 80 for n in range(10)],
        )
    member = await approved_member(kapstok, admin)
    listed = await open_request(member)
    assert len(listed.text) < 4096 and "Lang." not in listed.text
    assert len(listed.buttons) == 12
    await member.press("Subsidie 3")
    assert "Lang. Lang." in member.last.text  # the whole description once the type is chosen
    assert kapstok.telegram.unexpected == [] and kapstok.errors == []
