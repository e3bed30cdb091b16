"""The FAQ: liaisons keep it (also as CSV), members browse and search it, and it is offered
before a question is sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot import i18n
from bot.domain import kapstokken
from bot.i18n import LANGUAGE_NAMES
from tests.client import Kapstok, Message, Person, label, say
from tests.fake_telegram import html_to_text
from tests.threads.test_member import (
    SENT,
    approved_member,
    card,
    choose_subject,
    open_page,
    page_label,
    store,
    topic,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "faq.csv"
HEADER = "kapstok,language,question,answer\n"
PERMIT_NL = ("Hoe vraag ik een vergunning aan?", "Via het e-loket, minstens zes weken vooraf.")
PERMIT_FR = (
    "Comment obtenir une autorisation pour une fête ?",
    "Par le guichet électronique, au moins six semaines à l'avance.",
)

FAQ_BUTTON = "📚 Frequently asked questions"
ONLY_LIAISONS = "Only liaison officers of the municipality can do this."
NEW_ENTRY = "A new FAQ entry. Which kapstok is it about?"
WHICH_LANGUAGE = "In which language is the entry?"
SEND_QUESTION = "{liaison}, send the question (at most {limit} characters)."
SEND_ANSWER = "{liaison}, now send the answer (at most {limit} characters)."
SAVED = "Saved in the FAQ. /faqlist shows all entries."
LIST_HEADING = "<b>FAQ</b> (edit with /faqedit N, remove with /faqremove N):"
EMPTY_LIST = "The FAQ is still empty. Add entries with /faqadd, or send a CSV file with /faqimport."
EDIT_QUESTION = (
    "{liaison}, the question now reads:\n<b>{question}</b>\n\nSend the new question, or "
    "{keep} to keep it."
)
EDIT_ANSWER = (
    "{liaison}, the answer now reads:\n{answer}\n\nSend the new answer, or {keep} to keep it."
)
UPDATED = "FAQ entry {number} is updated."
EDIT_USAGE = "Which entry? For example /faqedit 3; /faqlist shows the numbers."
REMOVED = "FAQ entry {number} is removed."
NO_ENTRY = "There is no FAQ entry {number}."
REMOVE_USAGE = "Which entry? For example /faqremove 3; /faqlist shows the numbers."
SEND_CSV = (
    "{liaison}, send me the CSV file now, as a document. Its first line names the columns "
    "kapstok, language, question, answer; /faqexport gives an example."
)
IMPORTED = ("Imported {count} FAQ entry.", "Imported {count} FAQ entries.")
EXPORTED = ("The FAQ: {count} entry.", "The FAQ: {count} entries.")
TOO_LARGE = "That file is too large: at most 1 MB. Please send a smaller one, or /cancel."
AS_DOCUMENT = "Please send the CSV file as a document, or /cancel."
FAQ_TITLE = "<b>Frequently asked questions</b> · {kapstok}"
FOUND = "This is what I found for “{words}”:"
NOTHING_FOUND = (
    "I found nothing in the FAQ for “{words}”. Try other words, or ask the "
    "municipality your question via the /menu."
)
WHICH_KAPSTOK = "Which kapstok? Or search with /faq followed by a few words."
MAYBE = "Maybe one of these answers your question already?"
GLAD = "Glad that helped! Your question was not sent. Ask again whenever you need to."
SENDING = "Then I send your question to the municipality."
USE_BUTTONS = (
    "Please answer with one of the buttons: does the answer help, or shall I send your question?"
)


# --- helpers -----------------------------------------------------------------------------------


def say_n(language: str, forms: tuple[str, str], count: int) -> str:
    with i18n.use_language(language):
        text = i18n.ngettext(forms[0], forms[1], count)
    return html_to_text(text.format(count=count))


def csv_bytes(rows: list[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("kapstok", "language", "question", "answer"))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def import_csv(admin: Person, data: bytes, file_name: str = "faq.csv") -> Message:
    """A liaison imports a CSV file in their private chat; return the bot's report."""
    prompt = await admin.send("/faqimport")
    assert [m.text for m in prompt] == [say("nl", SEND_CSV, liaison=admin.first_name)]
    replies = await admin.send_document(file_name, data)
    assert len(replies) == 1, [m.text for m in replies]
    return replies[0]


async def entries(kapstok: Kapstok) -> list[tuple]:
    return [
        (e.kapstok, e.language, e.question, e.answer) for e in await store(kapstok).faq.entries()
    ]


async def faq_list(admin: Person) -> str:
    return "\n".join(m.text for m in await admin.send("/faqlist"))


def exported(kapstok: Kapstok) -> list[tuple]:
    """The rows of the last file the bot uploaded, as /faqexport made it."""
    upload = kapstok.telegram.uploads[-1]
    assert upload["method"] == "sendDocument"
    content = upload["content"]
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["kapstok", "language", "question", "answer"]
    return [(int(r[0]), r[1], r[2], r[3]) for r in rows[1:]]


# --- 1. liaisons keep the FAQ ------------------------------------------------------------------


async def test_a_liaison_adds_an_entry_in_the_group_by_replying_to_the_prompts(kapstok, admin):
    replies = await admin.send_in_group("/faqadd")
    assert len(replies) == 1
    choice = replies[0]
    assert choice.text.startswith(say("nl", NEW_ENTRY))
    assert choice.buttons == [page_label("nl", page.number) for page in kapstokken.KAPSTOKKEN]
    assert len(choice.buttons) == 5

    await admin.press_in_group(page_label("nl", 2), on=choice)
    choice = Message(
        kapstok.telegram.messages[(choice.raw["chat"]["id"], choice.raw["message_id"])]
    )
    assert choice.text == say("nl", WHICH_LANGUAGE)
    assert choice.buttons == [LANGUAGE_NAMES[code] for code in ("nl", "fr", "en")]
    replies = await admin.press_in_group(LANGUAGE_NAMES["fr"], on=choice)
    prompt = replies[-1]
    assert prompt.text == say("nl", SEND_QUESTION, liaison="Annelies", limit=300)
    assert prompt.raw["_reply_markup"]["force_reply"] is True

    # Chatter in the group that is no reply to the prompt is not taken for the question.
    assert await admin.send_in_group("Wie heeft de sleutel van de zaal?") == []

    replies = await admin.send_in_group(PERMIT_FR[0], reply_to=prompt)
    assert [m.text for m in replies] == [say("nl", SEND_ANSWER, liaison="Annelies", limit=4000)]
    replies = await admin.send_in_group(PERMIT_FR[1], reply_to=replies[0])
    assert [m.text for m in replies] == [say("nl", SAVED)]
    assert await entries(kapstok) == [(2, "fr", *PERMIT_FR)]

    listing = await faq_list(admin)
    assert listing.startswith(say("nl", LIST_HEADING))
    assert f"1. [2 · fr] {PERMIT_FR[0]}" in listing

    # A French board member finds it on the page of kapstok 2.
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    page = await open_page(camille, 2)
    assert label("fr", FAQ_BUTTON) in page.buttons
    await camille.press(label("fr", FAQ_BUTTON), on=page)
    await camille.press(PERMIT_FR[0], on=camille.inbox[-1])
    assert camille.inbox[-1].text == f"{PERMIT_FR[0]}\n\n{PERMIT_FR[1]}"


async def test_a_liaison_adds_an_entry_in_a_private_chat_with_plain_messages(kapstok, admin):
    await admin.send("/faqadd")
    await admin.press(page_label("nl", 1))
    replies = await admin.press(LANGUAGE_NAMES["nl"])
    assert replies[-1].text == say("nl", SEND_QUESTION, liaison="Annelies", limit=300)
    assert replies[-1].raw.get("_reply_markup") is None

    too_long = "Waarom? " * 50
    replies = await admin.send(too_long)
    assert [m.text for m in replies] == [
        say(
            "nl",
            "That text is {length} characters long; the limit is {limit}. Please send a "
            "shorter one.",
            length=len(too_long.strip()),
            limit=300,
        )
    ]
    replies = await admin.send("Wie is onze contactpersoon?")
    assert [m.text for m in replies] == [say("nl", SEND_ANSWER, liaison="Annelies", limit=4000)]
    replies = await admin.send("De medewerker die jullie laatste vraag beantwoordde.")
    assert [m.text for m in replies] == [say("nl", SAVED)]
    assert await entries(kapstok) == [
        (
            1,
            "nl",
            "Wie is onze contactpersoon?",
            "De medewerker die jullie laatste vraag beantwoordde.",
        )
    ]

    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    assert label("nl", FAQ_BUTTON) in (await open_page(sofie, 1)).buttons
    assert label("nl", FAQ_BUTTON) not in (await open_page(sofie, 2)).buttons


async def test_cancel_while_adding_saves_nothing(kapstok, admin):
    await admin.send("/faqadd")
    await admin.press(page_label("nl", 2))
    await admin.press(LANGUAGE_NAMES["nl"])
    await admin.send("Een vraag die niet bewaard wordt")
    replies = await admin.send("/cancel")
    assert [m.text for m in replies] == [say("nl", "Stopped. Nothing was saved.")]
    assert await entries(kapstok) == []
    assert await faq_list(admin) == say("nl", EMPTY_LIST)


async def test_a_liaison_edits_an_entry_and_a_dash_keeps_what_there_is(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))

    replies = await admin.send_in_group("/faqedit 1")
    assert [m.text for m in replies] == [
        say("nl", EDIT_QUESTION, liaison="Annelies", question=PERMIT_NL[0], keep="-")
    ]
    replies = await admin.send_in_group("-", reply_to=replies[0])
    assert [m.text for m in replies] == [
        say("nl", EDIT_ANSWER, liaison="Annelies", answer=PERMIT_NL[1], keep="-")
    ]
    replies = await admin.send_in_group("Via het e-loket, acht weken vooraf.", reply_to=replies[0])
    assert [m.text for m in replies] == [say("nl", UPDATED, number=1)]
    assert await entries(kapstok) == [
        (2, "nl", PERMIT_NL[0], "Via het e-loket, acht weken vooraf.")
    ]

    # Now the question changes and the answer stays, in a private chat.
    await admin.send("/faqedit 1")
    await admin.send("Hoe vraag ik een vergunning voor een fuif aan?")
    replies = await admin.send("-")
    assert [m.text for m in replies] == [say("nl", UPDATED, number=1)]
    assert await entries(kapstok) == [
        (
            2,
            "nl",
            "Hoe vraag ik een vergunning voor een fuif aan?",
            "Via het e-loket, acht weken vooraf.",
        )
    ]

    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    replies = await sofie.send("/faq vergunning")
    assert [m.text for m in replies] == [
        "Hoe vraag ik een vergunning voor een fuif aan?\n\nVia het e-loket, acht weken vooraf."
    ]

    for command in ("/faqedit", "/faqedit 99", "/faqedit een"):
        assert [m.text for m in await admin.send(command)] == [say("nl", EDIT_USAGE)]


async def test_a_liaison_removes_an_entry(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL), (2, "fr", *PERMIT_FR)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    assert label("nl", FAQ_BUTTON) in (await open_page(sofie, 2)).buttons

    assert [m.text for m in await admin.send_in_group("/faqremove 1")] == [
        say("nl", REMOVED, number=1)
    ]
    assert [m.text for m in await admin.send("/faqremove 1")] == [say("nl", NO_ENTRY, number=1)]
    assert [m.text for m in await admin.send("/faqremove")] == [say("nl", REMOVE_USAGE)]
    listing = await faq_list(admin)
    assert PERMIT_NL[0] not in listing
    assert f"2. [2 · fr] {PERMIT_FR[0]}" in listing

    # Only a French entry is left for kapstok 2.
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    assert label("fr", FAQ_BUTTON) in (await open_page(camille, 2)).buttons
    assert [m.text for m in await sofie.send("/faq vergunning")] == [
        say("nl", NOTHING_FOUND, words="vergunning")
    ]


async def test_only_liaison_officers_keep_the_faq(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    for command in (
        "/faqadd",
        "/faqedit 1",
        "/faqremove 1",
        "/faqlist",
        "/faqimport",
        "/faqexport",
    ):
        replies = await sofie.send(command)
        assert [m.text for m in replies] == [say("nl", ONLY_LIAISONS)], command
    # Her next message is no FAQ question or CSV file either.
    await sofie.send("Een vraag")
    await sofie.send_document("faq.csv", csv_bytes([(2, "nl", *PERMIT_NL)]))
    assert await entries(kapstok) == []
    assert kapstok.telegram.calls_of("sendDocument") == []


# --- 2. CSV import and export ------------------------------------------------------------------


async def test_an_import_takes_the_good_rows_and_names_the_bad_lines(kapstok, admin):
    data = (
        HEADER
        + "2,nl,Hoe vraag ik een vergunning aan?,Via het e-loket.\n"  # line 2: good
        + "7,nl,Een kapstok die niet bestaat?,Nee.\n"  # line 3
        + "2,de,Wie spricht Deutsch?,Niemand.\n"  # line 4
        + "2,fr,Une question sans réponse ?,\n"  # line 5
        + f"1,nl,{'Te lang ' * 50},Ja.\n"  # line 6
        + '5,FR,"Comment louer du matériel, par exemple une tente ?",Au service de prêt.\n'
    ).encode()
    report = await import_csv(admin, data)
    assert report.text == "\n".join(
        [
            say_n("nl", IMPORTED, 2),
            say("nl", "Not imported:"),
            "• " + say("nl", "line {line}: kapstok must be 1 to 5", line=3),
            "• " + say("nl", "line {line}: language must be nl, fr or en", line=4),
            "• " + say("nl", "line {line}: question and answer are needed", line=5),
            "• " + say("nl", "line {line}: the question or the answer is too long", line=6),
        ]
    )
    assert await entries(kapstok) == [
        (2, "nl", "Hoe vraag ik een vergunning aan?", "Via het e-loket."),
        (5, "fr", "Comment louer du matériel, par exemple une tente ?", "Au service de prêt."),
    ]


async def test_a_file_that_is_no_faq_csv_is_refused_with_a_reason(kapstok, admin):
    report = await import_csv(admin, b"vraag;antwoord\nHoe?;Zo.\n")
    assert report.text == "\n".join(
        [
            say_n("nl", IMPORTED, 0),
            say("nl", "Not imported:"),
            "• "
            + say(
                "nl",
                "The first line must name the columns {columns}.",
                columns="kapstok, language, question, answer",
            ),
        ]
    )
    report = await import_csv(admin, HEADER.encode() + "2,nl,Waar?,Daar.\n".encode("utf-16"))
    assert say("nl", "The file is not UTF-8 text.") in report.text
    assert await entries(kapstok) == []


async def test_a_too_large_file_is_refused_and_a_smaller_one_is_still_welcome(kapstok, admin):
    await admin.send("/faqimport")
    replies = await admin.send("Hier komt het bestand")
    assert [m.text for m in replies] == [say("nl", AS_DOCUMENT)]
    huge = HEADER.encode() + b"2,nl,Vraag?,Antwoord.\n" * 60_000
    assert len(huge) > 1_000_000
    replies = await admin.send_document("faq.csv", huge)
    assert [m.text for m in replies] == [say("nl", TOO_LARGE)]
    assert await entries(kapstok) == []

    replies = await admin.send_document("faq.csv", csv_bytes([(2, "nl", *PERMIT_NL)]))
    assert [m.text for m in replies] == [say_n("nl", IMPORTED, 1)]
    assert await entries(kapstok) == [(2, "nl", *PERMIT_NL)]


async def test_an_export_gives_back_the_same_entries(kapstok, admin):
    rows = [
        (2, "nl", *PERMIT_NL),
        (2, "fr", *PERMIT_FR),
        (
            1,
            "nl",
            'Wat is een "kapstok"?',
            "Een van de vijf thema's,\nzoals Goede verstandhouding.",
        ),
        (
            5,
            "en",
            "Can we borrow chairs; tables too?",
            "Yes — ask the lending service, 2 weeks ahead.",
        ),
    ]
    await import_csv(admin, csv_bytes(rows))
    await admin.send("/faqadd")
    await admin.press(page_label("nl", 4))
    await admin.press(LANGUAGE_NAMES["en"])
    await admin.send("Where is the shared calendar?")
    await admin.send("On kapstok 4, once activities are registered.")
    expected = [
        *rows,
        (4, "en", "Where is the shared calendar?", "On kapstok 4, once activities are registered."),
    ]

    documents = len(kapstok.telegram.calls_of("sendDocument"))
    await admin.send_in_group("/faqexport")
    calls = kapstok.telegram.calls_of("sendDocument")
    assert len(calls) == documents + 1
    assert calls[-1].params["caption"] == say_n("nl", EXPORTED, 5)
    assert sorted(exported(kapstok)) == sorted(expected)
    assert sorted(exported(kapstok)) == sorted(await entries(kapstok))

    # The exported file imports again as it is.
    content = kapstok.telegram.uploads[-1]["content"]
    report = await import_csv(admin, content if isinstance(content, bytes) else content.encode())
    assert report.text == say_n("nl", IMPORTED, 5)


async def test_an_empty_faq_exports_just_the_header(kapstok, admin):
    await admin.send("/faqexport")
    assert exported(kapstok) == []
    assert kapstok.telegram.calls_of("sendDocument")[-1].params["caption"] == say_n(
        "nl", EXPORTED, 0
    )


async def test_the_example_faq_imports_without_problems(kapstok, admin):
    data = EXAMPLE.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows
    report = await import_csv(admin, data, "faq.csv")
    assert report.text == say_n("nl", IMPORTED, len(rows))
    assert len(await entries(kapstok)) == len(rows)


# --- 3. members browse and search --------------------------------------------------------------

ENTRIES = [
    (2, "nl", *PERMIT_NL),
    (2, "nl", "Waar vind ik een zaal voor onze fuif?", "In de lijst van gemeentelijke zalen."),
    (5, "nl", "Hoe vraag ik een subsidie aan?", "Met het formulier op de website."),
    (2, "fr", *PERMIT_FR),
    (2, "fr", "Où trouver une salle pour notre soirée ?", "Dans la liste des salles communales."),
]


@pytest.mark.parametrize(
    ("lang", "first", "association"),
    [
        ("nl", "Sofie", "KSA Sint-Jan"),
        ("fr", "Camille", "Chorale La Lyre"),
    ],
)
async def test_members_browse_the_faq_of_a_kapstok(kapstok, admin, lang, first, association):
    await import_csv(admin, csv_bytes(ENTRIES))
    member = await approved_member(kapstok, admin, 101, first, lang, association)
    own = [e for e in ENTRIES if e[1] == lang and e[0] == 2]

    assert label(lang, FAQ_BUTTON) not in (await open_page(member, 1)).buttons
    page = await open_page(member, 2)
    assert label(lang, FAQ_BUTTON) in page.buttons
    await member.press(label(lang, FAQ_BUTTON), on=page)
    listing = member.inbox[-1]
    assert listing.text == say(lang, FAQ_TITLE, kapstok=say(lang, "Good guidance"))
    assert listing.buttons == [e[2] for e in own] + [label(lang, "⬅️ Back")]

    await member.press(own[1][2], on=listing)
    assert member.inbox[-1].text == f"{own[1][2]}\n\n{own[1][3]}"
    await member.press(label(lang, "⬅️ Back"), on=member.inbox[-1])
    assert member.inbox[-1].buttons == listing.buttons
    await member.press(label(lang, "⬅️ Back"), on=member.inbox[-1])
    assert label(lang, "❓ Ask a question") in member.inbox[-1].buttons

    # /faq alone offers the kapstokken that have entries.
    replies = await member.send("/faq")
    assert replies[0].text == say(lang, WHICH_KAPSTOK)
    assert page_label(lang, 2) in replies[0].buttons
    assert page_label(lang, 1) not in replies[0].buttons


async def test_search_ignores_case_accents_and_word_forms_in_dutch(kapstok, admin):
    await import_csv(admin, csv_bytes(ENTRIES))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")

    for words in ("VERGUNNINGEN", "vergunning", "Vergunningen aanvragen"):
        replies = await sofie.send(f"/faq {words}")
        assert [m.text for m in replies] == [f"{PERMIT_NL[0]}\n\n{PERMIT_NL[1]}"], words

    replies = await sofie.send("/faq subsidies")
    assert [m.text for m in replies] == [
        "Hoe vraag ik een subsidie aan?\n\nMet het formulier op de website."
    ]
    replies = await sofie.send("/faq ZALEN fuiven")
    assert replies[0].text.startswith("Waar vind ik een zaal voor onze fuif?")

    # Several matches: a choice, the best first.
    replies = await sofie.send("/faq Hoe vraag ik een vergunning of subsidie aan")
    assert replies[0].text == say("nl", FOUND, words="Hoe vraag ik een vergunning of subsidie aan")
    assert replies[0].buttons == [PERMIT_NL[0], "Hoe vraag ik een subsidie aan?"]
    await sofie.press(PERMIT_NL[0], on=replies[0])
    assert sofie.inbox[-1].text == f"{PERMIT_NL[0]}\n\n{PERMIT_NL[1]}"

    replies = await sofie.send("/faq parkeerplaats")
    assert [m.text for m in replies] == [say("nl", NOTHING_FOUND, words="parkeerplaats")]


async def test_search_ignores_case_accents_and_word_forms_in_french(kapstok, admin):
    await import_csv(admin, csv_bytes(ENTRIES))
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")

    for words in ("autorisations", "AUTORISATION", "fete", "FÊTES"):
        replies = await camille.send(f"/faq {words}")
        assert [m.text for m in replies] == [f"{PERMIT_FR[0]}\n\n{PERMIT_FR[1]}"], words
    replies = await camille.send("/faq salles")
    assert [m.text for m in replies] == [
        "Où trouver une salle pour notre soirée ?\n\nDans la liste des salles communales."
    ]
    # Only entries in her language: the Dutch ones are not hers.
    replies = await camille.send("/faq vergunning")
    assert [m.text for m in replies] == [say("fr", NOTHING_FOUND, words="vergunning")]


async def test_newcomers_cannot_search_the_faq(kapstok, admin):
    await import_csv(admin, csv_bytes(ENTRIES))
    stranger = kapstok.person(301, "Piet", "nl")
    replies = await stranger.send("/faq vergunning")
    assert [m.text for m in replies] == [
        say(
            "nl",
            "This is for board members of an association. Register your association or "
            "enter an invite code first: send /start.",
        )
    ]


# --- 4. the FAQ before a question is sent ------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "first", "association", "question"),
    [
        ("nl", "Sofie", "KSA Sint-Jan", "Moeten we een vergunning aanvragen voor onze fuif?"),
        (
            "fr",
            "Camille",
            "Chorale La Lyre",
            "Faut-il une autorisation pour notre fête de quartier ?",
        ),
    ],
)
async def test_matching_answers_are_offered_before_a_question_is_sent(
    kapstok, admin, lang, first, association, question
):
    await import_csv(admin, csv_bytes(ENTRIES))
    member = await approved_member(kapstok, admin, 101, first, lang, association)
    entry = PERMIT_NL if lang == "nl" else PERMIT_FR

    # The answer helps: nothing is sent.
    await choose_subject(member, kapstok)
    replies = await member.send(question)
    assert len(replies) == 1
    offer = replies[0]
    assert offer.text.startswith(say(lang, MAYBE))
    assert f"{entry[0]}\n{entry[1]}" in offer.text
    assert offer.buttons == [label(lang, "Yes, thanks"), label(lang, "No, send my question")]
    replies = await member.send("Hallo?")
    assert [m.text for m in replies] == [say(lang, USE_BUTTONS)]
    replies = await member.press(label(lang, "Yes, thanks"), on=offer)
    assert replies == []
    assert Message(
        kapstok.telegram.messages[(member.user_id, offer.raw["message_id"])]
    ).text == say(lang, GLAD)
    assert await store(kapstok).threads.of_association(1) == []
    assert kapstok.telegram.topics == {}

    # It does not help: the question is sent.
    await choose_subject(member, kapstok)
    offer = (await member.send(question))[0]
    replies = await member.press(label(lang, "No, send my question"), on=offer)
    assert Message(
        kapstok.telegram.messages[(member.user_id, offer.raw["message_id"])]
    ).text == say(lang, SENDING)
    assert [m.text for m in replies] == [say(lang, SENT, number=1)]
    assert question in card(kapstok, 1).text
    assert len(topic(kapstok, association)) == 1


async def test_a_question_without_matching_answers_is_sent_at_once(kapstok, admin):
    await import_csv(admin, csv_bytes(ENTRIES))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    await choose_subject(sofie, kapstok)
    replies = await sofie.send("Wanneer is de nieuwjaarsreceptie voor verenigingen?")
    assert [m.text for m in replies] == [say("nl", SENT, number=1)]
