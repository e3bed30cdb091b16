"""A large FAQ: limits on what comes in, a search that stays fast, a paged /faqlist; and who may
read or write it, at every step."""

from __future__ import annotations

import pytest

from bot.domain.faq import MAX_ANSWER, MAX_IMPORT, MAX_QUESTION
from bot.i18n import LANGUAGE_NAMES
from tests.client import ADMIN_ID, LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.fake_telegram import FakeTelegram, html_to_text
from tests.guidance.test_faq import (
    AS_DOCUMENT,
    EDIT_ANSWER,
    IMPORTED,
    LIST_HEADING,
    NOTHING_FOUND,
    ONLY_LIAISONS,
    PERMIT_FR,
    PERMIT_NL,
    SAVED,
    SEND_ANSWER,
    SEND_CSV,
    SEND_QUESTION,
    TOO_LARGE,
    UPDATED,
    csv_bytes,
    entries,
    import_csv,
    say_n,
)
from tests.stories import register
from tests.threads.test_member import STILL_PENDING, approved_member, open_page, page_label, store

TOO_MANY = (
    "Nothing was imported: a file may hold at most {limit} entries, and line {line} is one too "
    "many. Split the file and import the parts one by one."
)
TOO_LONG = "line {line}: the question or the answer is too long"
NOT_IMPORTED = "Not imported:"
EMPTY_QUESTION = "A question cannot be empty. Please send the question as text, or /cancel."
EMPTY_ANSWER = "An answer cannot be empty. Please send the answer as text, or /cancel."
PAGE = "Page {page} of {pages}"
PREVIOUS, NEXT = "◀ Previous", "Next ▶"
NOT_HERE = "This button does not work here. Nothing was changed."
NOT_A_MEMBER = (
    "This is for board members of an association. Register your association or enter an invite "
    "code first: send /start."
)
FOUND = "This is what I found for “{words}”:"
FAQ_BUTTON = "📚 Frequently asked questions"
LIAISON_ID = 301


# --- helpers -----------------------------------------------------------------------------------


def numbered(count: int, language: str = "nl") -> list[tuple]:
    """`count` FAQ rows, each its own question."""
    return [
        (n % 5 + 1, language, f"Vraag nummer {n} over de zaal?", f"Antwoord {n}.")
        for n in range(1, count + 1)
    ]


async def send_document(
    person: Person,
    content: bytes,
    *,
    in_group: bool = False,
    reply_to: Message | None = None,
    file_size: bool = True,
) -> list[Message]:
    """A CSV file as a document: in the group, as a reply, or without the size Telegram
    usually tells (the client's send_document always tells it and never replies)."""
    telegram = person.bot.telegram
    file_id = f"file-{person.user_id}-{len(telegram.files)}"
    telegram.files[f"documents/{file_id}"] = content
    document = {"file_id": file_id, "file_unique_id": file_id, "file_name": "faq.csv"}
    if file_size:
        document["file_size"] = len(content)
    chat = telegram.chat(LIAISON_CHAT_ID if in_group else person.user_id)
    before = len(telegram.messages)
    message = {
        "message_id": next(person.bot._message_ids),
        "date": 1_780_000_000,
        "chat": chat,
        "from": person.user,
        "document": document,
    }
    if reply_to is not None:
        message["reply_to_message"] = FakeTelegram.public(reply_to.raw)
    telegram.user_messages[(chat["id"], message["message_id"])] = message
    await person.bot.process({"message": message})
    return [
        Message(telegram.messages[key])
        for key in list(telegram.messages)[before:]
        if key[0] == chat["id"]
    ]


async def appointed_liaison(kapstok: Kapstok, admin: Person, language: str = "nl") -> Person:
    liaison = kapstok.person(LIAISON_ID, "Jan" if language == "nl" else "Jean", language)
    await liaison.send("/start")
    await admin.send_in_group(f"/liaison add {LIAISON_ID}")
    return liaison


async def dismiss(admin: Person) -> None:
    await admin.send_in_group(f"/liaison remove {LIAISON_ID}")


def texts(messages: list[Message]) -> list[str]:
    return [m.text for m in messages]


def current(kapstok: Kapstok, message: Message) -> Message:
    """A message of the bot as it is now (after edits)."""
    return Message(
        kapstok.telegram.messages[(message.raw["chat"]["id"], message.raw["message_id"])]
    )


# --- 1. at most 1,000 entries a file, and the fields' limits -----------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_file_of_more_than_a_thousand_entries_imports_nothing_and_names_the_line(
    kapstok, language
):
    liaison = kapstok.person(1, "Annelies", language)
    prompt = await liaison.send("/faqimport")
    assert texts(prompt) == [say(language, SEND_CSV, liaison="Annelies")]

    # The file of the issue: 20,023 short entries, well within 1 MB.
    data = b"kapstok,language,question,answer\n" + b"".join(
        f"2,nl,V{n}?,A.\n".encode() for n in range(20_023)
    )
    assert len(data) < 1_000_000
    replies = await liaison.send_document("faq.csv", data)

    assert texts(replies) == [say(language, TOO_MANY, limit=MAX_IMPORT, line=MAX_IMPORT + 2)]
    assert await entries(kapstok) == []


async def test_a_file_of_a_thousand_entries_imports_whole(kapstok, admin):
    report = await import_csv(admin, csv_bytes(numbered(MAX_IMPORT)))
    assert report.text == say_n("nl", IMPORTED, 1000)
    assert len(await entries(kapstok)) == 1000


async def test_a_question_over_300_or_an_answer_over_4000_characters_is_refused_by_line(
    kapstok, admin
):
    rows = [
        (2, "nl", "q" * MAX_QUESTION, "a" * MAX_ANSWER),  # line 2: just within the limits
        (2, "nl", "q" * (MAX_QUESTION + 1), "Antwoord."),  # line 3
        (2, "nl", "Vraag?", "a" * (MAX_ANSWER + 1)),  # line 4
    ]
    report = await import_csv(admin, csv_bytes(rows))
    assert report.text == "\n".join(
        [
            say_n("nl", IMPORTED, 1),
            say("nl", NOT_IMPORTED),
            "• " + say("nl", TOO_LONG, line=3),
            "• " + say("nl", TOO_LONG, line=4),
        ]
    )
    assert await entries(kapstok) == [rows[0]]


async def test_a_long_report_names_twenty_lines_and_counts_the_others(kapstok, admin):
    rows = [(9, "nl", f"Vraag {n}?", "Antwoord.") for n in range(25)]
    report = await import_csv(admin, csv_bytes(rows))
    lines = report.text.split("\n")
    assert lines[:3] == [
        say_n("nl", IMPORTED, 0),
        say("nl", NOT_IMPORTED),
        "• " + say("nl", "line {line}: kapstok must be 1 to 5", line=2),
    ]
    assert len(lines) == 2 + 20 + 1
    assert lines[-1] == say_n("nl", ("… and {count} more line.", "… and {count} more lines."), 5)


# --- 2. the size is that of the bytes downloaded ------------------------------------------------

HUGE = b"kapstok,language,question,answer\n" + b"2,nl,Vraag?,Antwoord.\n" * 60_000


async def test_a_document_without_a_size_is_measured_when_it_is_downloaded(kapstok, admin):
    assert len(HUGE) > 1_000_000
    await admin.send("/faqimport")

    replies = await send_document(admin, HUGE, file_size=False)

    assert texts(replies) == [say("nl", TOO_LARGE)]
    assert await entries(kapstok) == []
    # The conversation waits for a smaller file.
    replies = await send_document(admin, csv_bytes([(2, "nl", *PERMIT_NL)]), file_size=False)
    assert texts(replies) == [say_n("nl", IMPORTED, 1)]


async def test_a_file_whose_size_telegram_tells_nowhere_is_measured_by_its_bytes(kapstok, admin):
    get_file = kapstok.telegram.api_getFile

    def without_size(params: dict) -> dict:
        answer = get_file(params)
        del answer["file_size"]
        return answer

    kapstok.telegram.api_getFile = without_size
    await admin.send("/faqimport")

    replies = await send_document(admin, HUGE, file_size=False)

    assert texts(replies) == [say("nl", TOO_LARGE)]
    assert len(kapstok.telegram.calls_of("getFile")) == 1
    assert await entries(kapstok) == []


# --- 3. /faqimport in the liaison group ---------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_csv_sent_in_the_group_as_a_reply_to_the_prompt_is_imported(kapstok, language):
    liaison = kapstok.person(1, "Annelies", language)
    prompt = await liaison.send_in_group("/faqimport")
    assert texts(prompt) == [say(language, SEND_CSV, liaison="Annelies")]
    assert prompt[0].raw["_reply_markup"]["force_reply"] is True

    # A file in the group that answers no prompt is none of the conversation's business.
    assert await send_document(liaison, csv_bytes([(2, "nl", *PERMIT_NL)]), in_group=True) == []
    assert await entries(kapstok) == []

    replies = await send_document(
        liaison,
        csv_bytes([(2, "nl", *PERMIT_NL), (2, "fr", *PERMIT_FR)]),
        in_group=True,
        reply_to=prompt[0],
    )

    assert texts(replies) == [say_n(language, IMPORTED, 2)]
    assert await entries(kapstok) == [(2, "nl", *PERMIT_NL), (2, "fr", *PERMIT_FR)]


async def test_in_the_group_a_text_reply_is_asked_again_for_the_file_as_a_new_prompt(
    kapstok, admin
):
    prompt = (await admin.send_in_group("/faqimport"))[0]
    again = await admin.send_in_group("Hier is het bestand", reply_to=prompt)
    assert texts(again) == [say("nl", AS_DOCUMENT)]

    replies = await send_document(
        admin, csv_bytes([(2, "nl", *PERMIT_NL)]), in_group=True, reply_to=again[0]
    )

    assert texts(replies) == [say_n("nl", IMPORTED, 1)]


# --- 4. /faqlist a page at a time ---------------------------------------------------------------


def listed_numbers(message: Message) -> list[int]:
    return [int(line.split(".")[0]) for line in message.text.split("\n")[1:] if line[:1].isdigit()]


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_faqlist_shows_thirty_entries_a_message_with_buttons_to_page(kapstok, language):
    liaison = kapstok.person(1, "Annelies", language)
    await liaison.send("/faqimport")
    await liaison.send_document("faq.csv", csv_bytes(numbered(75)))
    listed = [e.faq_id for e in await store(kapstok).faq.entries()]

    replies = await liaison.send_in_group("/faqlist")

    assert len(replies) == 1
    page = replies[0]
    assert page.text.startswith(say(language, LIST_HEADING))
    assert page.text.endswith(say(language, PAGE, page=1, pages=3))
    assert listed_numbers(page) == listed[:30]
    assert page.buttons == [label(language, NEXT)]

    await liaison.press_in_group(label(language, NEXT), on=page)
    page = current(kapstok, page)
    assert listed_numbers(page) == listed[30:60]
    assert page.text.endswith(say(language, PAGE, page=2, pages=3))
    assert page.buttons == [label(language, PREVIOUS), label(language, NEXT)]

    await liaison.press_in_group(label(language, NEXT), on=page)
    page = current(kapstok, page)
    assert listed_numbers(page) == listed[60:]
    assert page.buttons == [label(language, PREVIOUS)]

    await liaison.press_in_group(label(language, PREVIOUS), on=page)
    assert listed_numbers(current(kapstok, page)) == listed[30:60]


async def test_a_page_of_long_questions_still_fits_in_a_message(kapstok, admin):
    rows = [(2, "nl", f"{n} " + "Lange vraag " * 24, "Antwoord.") for n in range(40)]
    await import_csv(admin, csv_bytes(rows))
    page = (await admin.send("/faqlist"))[0]
    assert len(listed_numbers(page)) == 30
    assert len(page.text) <= 4096
    assert all(len(line) <= 130 for line in page.text.split("\n"))
    assert "…" in page.text


async def test_the_page_buttons_work_only_for_liaisons(kapstok, admin):
    await import_csv(admin, csv_bytes(numbered(45)))
    page = (await admin.send_in_group("/faqlist"))[0]
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")

    # A member in the group, and a member with the button's data in her own chat.
    await sofie.press_in_group(label("nl", NEXT), on=page)
    assert sofie.alerts[-1] == say("nl", ONLY_LIAISONS)
    assert current(kapstok, page).text == page.text
    menu = (await sofie.send("/menu"))[0]
    await sofie.press_data(page.callback_data(label("nl", NEXT)), on=menu)
    assert sofie.alerts[-1] == say("nl", ONLY_LIAISONS)
    assert current(kapstok, menu).text == menu.text

    # A liaison who was removed.
    jan = await appointed_liaison(kapstok, admin)
    own = (await jan.send("/faqlist"))[0]
    await dismiss(admin)
    await jan.press(label("nl", NEXT), on=own)
    assert jan.alerts[-1] == say("nl", ONLY_LIAISONS)
    assert current(kapstok, own).text == own.text

    # A liaison, in another group.
    elsewhere = Message(
        {
            "message_id": 77,
            "date": 1_780_000_000,
            "chat": {"id": -100777, "type": "supergroup", "title": "Elders"},
            "text": "elders",
        }
    )
    await admin.press_data(page.callback_data(label("nl", NEXT)), on=elsewhere)
    assert admin.alerts[-1] == say("nl", NOT_HERE)


# --- 5. empty questions and answers -------------------------------------------------------------

BLANKS = ["   ", "\u200b", "\u3000\n\t"]


@pytest.mark.parametrize(("language", "blank"), [("nl", BLANKS[0]), ("fr", BLANKS[1])])
async def test_an_empty_question_or_answer_is_refused_when_adding(kapstok, language, blank):
    liaison = kapstok.person(1, "Annelies", language)
    await liaison.send("/faqadd")
    await liaison.press(page_label(language, 2))
    await liaison.press(LANGUAGE_NAMES[language])

    assert texts(await liaison.send(blank)) == [say(language, EMPTY_QUESTION)]
    replies = await liaison.send("Waar vind ik de sleutel?")
    assert texts(replies) == [say(language, SEND_ANSWER, liaison="Annelies", limit=MAX_ANSWER)]
    assert texts(await liaison.send(blank)) == [say(language, EMPTY_ANSWER)]
    assert await entries(kapstok) == []
    assert texts(await liaison.send("Aan het onthaal.")) == [say(language, SAVED)]
    assert await entries(kapstok) == [(2, language, "Waar vind ik de sleutel?", "Aan het onthaal.")]


async def test_an_empty_question_or_answer_is_refused_when_editing_in_the_group(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))
    prompt = (await admin.send_in_group("/faqedit 1"))[0]

    again = await admin.send_in_group(BLANKS[2], reply_to=prompt)
    assert texts(again) == [say("nl", EMPTY_QUESTION)]
    assert again[0].raw["_reply_markup"]["force_reply"] is True
    answer_prompt = (await admin.send_in_group("-", reply_to=again[0]))[0]
    again = await admin.send_in_group(BLANKS[1], reply_to=answer_prompt)
    assert texts(again) == [say("nl", EMPTY_ANSWER)]
    replies = await admin.send_in_group("Via het e-loket.", reply_to=again[0])
    assert texts(replies) == [say("nl", UPDATED, number=1)]
    assert await entries(kapstok) == [(2, "nl", PERMIT_NL[0], "Via het e-loket.")]


async def test_an_entry_with_an_empty_question_from_before_does_not_break_the_page(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))
    await store(kapstok).db.write(
        "INSERT INTO faq_entries (kapstok, language, question, answer, created_at, updated_at)"
        " VALUES (2, 'nl', ' ', 'Een antwoord zonder vraag.', '2026-01-01', '2026-01-01')"
    )
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    page = await open_page(sofie, 2)
    await sofie.press(label("nl", FAQ_BUTTON), on=page)
    assert sofie.inbox[-1].buttons == [PERMIT_NL[0], "#2", label("nl", "⬅️ Back")]


# --- 6. the answer button is for those who may browse ------------------------------------------


async def test_the_answer_button_refuses_strangers_and_pending_members_before_reading(
    kapstok, admin
):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))
    stranger = kapstok.person(401, "Piet", "nl")
    welcome = (await stranger.send("/start"))[0]
    pending = kapstok.person(402, "Lotte", "nl")
    await register(pending, "Chiro Noord")
    statements: list[str] = []
    db = store(kapstok).db
    await db.trace(statements.append)
    try:
        for person, refusal in ((stranger, NOT_A_MEMBER), (pending, STILL_PENDING)):
            for data in ("faq:e:1", "faq:e:999", "faq:e:x"):
                on = welcome if person is stranger else person.inbox[-1]
                await person.press_data(data, on=on)
                assert person.alerts[-1] == say("nl", refusal), data
    finally:
        await db.trace(None)
    assert not [s for s in statements if "faq_entries" in s]
    assert all(PERMIT_NL[1] not in m.text for m in stranger.inbox + pending.inbox)

    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    menu = (await sofie.send("/menu"))[0]
    await sofie.press_data("faq:e:1", on=menu)
    assert current(kapstok, menu).text == f"{PERMIT_NL[0]}\n\n{PERMIT_NL[1]}"


# --- 7. a liaison removed halfway writes nothing -----------------------------------------------


async def test_a_liaison_removed_while_adding_saves_nothing(kapstok, admin):
    jan = await appointed_liaison(kapstok, admin)
    await jan.send("/faqadd")
    await jan.press(page_label("nl", 2))
    await jan.press(LANGUAGE_NAMES["nl"])
    assert texts(await jan.send("Waar is de sleutel?")) == [
        say("nl", SEND_ANSWER, liaison="Jan", limit=MAX_ANSWER)
    ]
    await dismiss(admin)

    replies = await jan.send("Aan het onthaal.")

    assert texts(replies) == [say("nl", ONLY_LIAISONS)]
    assert await entries(kapstok) == []


async def test_a_liaison_removed_before_choosing_the_language_goes_no_further(kapstok, admin):
    jan = await appointed_liaison(kapstok, admin)
    await jan.send("/faqadd")
    await jan.press(page_label("nl", 2))
    await dismiss(admin)
    replies = await jan.press(LANGUAGE_NAMES["nl"])
    assert jan.alerts[-1] == say("nl", ONLY_LIAISONS)
    assert say("nl", SEND_QUESTION, liaison="Jan", limit=MAX_QUESTION) not in texts(replies)


async def test_a_liaison_removed_while_editing_changes_nothing(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))
    jan = await appointed_liaison(kapstok, admin)
    await jan.send("/faqedit 1")
    await jan.send("Een nieuwe vraag?")
    await dismiss(admin)

    assert texts(await jan.send("Een nieuw antwoord.")) == [say("nl", ONLY_LIAISONS)]
    assert await entries(kapstok) == [(2, "nl", *PERMIT_NL)]


async def test_a_liaison_removed_while_importing_imports_nothing(kapstok, admin):
    jan = await appointed_liaison(kapstok, admin)
    await jan.send("/faqimport")
    await dismiss(admin)

    replies = await jan.send_document("faq.csv", csv_bytes([(2, "nl", *PERMIT_NL)]))

    assert texts(replies) == [say("nl", ONLY_LIAISONS)]
    assert await entries(kapstok) == []
    assert kapstok.telegram.calls_of("getFile") == []


# --- 8. long texts fit ------------------------------------------------------------------------


async def test_a_search_of_four_thousand_characters_is_echoed_cut(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    words = ("parkeerplaats " * 300)[:4000].strip()

    replies = await sofie.send(f"/faq {words}")

    assert texts(replies) == [say("nl", NOTHING_FOUND, words=words[:199] + "…")]


async def test_a_search_of_four_thousand_characters_finds_what_matches(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL), *numbered(300)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    words = ("Hoe vraag ik een vergunning aan voor onze fuif? " * 90)[:4000]

    replies = await sofie.send(f"/faq {words}")

    assert len(replies) == 1
    assert replies[0].text == say("nl", FOUND, words=words[:199] + "…")
    assert replies[0].buttons[0] == PERMIT_NL[0]


async def test_an_entry_of_the_longest_question_and_answer_is_shown_in_two_messages(kapstok, admin):
    question = ("Mogen we de zaal gebruiken " * 12)[: MAX_QUESTION - 1] + "?"
    answer = ("Ja, als je de regels volgt. " * 200)[:MAX_ANSWER]
    await import_csv(admin, csv_bytes([(2, "nl", question, answer)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")

    replies = await sofie.send("/faq zaal gebruiken")
    assert texts(replies) == [question, answer.strip()]

    page = await open_page(sofie, 2)
    await sofie.press(label("nl", FAQ_BUTTON), on=page)
    listing = sofie.inbox[-1]
    replies = await sofie.press(question[:64], on=listing)
    assert current(kapstok, listing).text == question
    assert texts(replies) == [answer.strip()]
    assert replies[0].buttons == [label("nl", "⬅️ Back"), label("nl", "⬅️ Menu")]


async def test_the_answer_shown_when_editing_is_cut_to_fit(kapstok, admin):
    answer = ("Ja, als je de regels volgt. " * 200)[: MAX_ANSWER - 1] + "!"
    await import_csv(admin, csv_bytes([(2, "nl", "Mag het?", answer)]))
    name = "Anne-Marie-Josephine-Clementine-Gabrielle-Sofie-Charlotte-Louise"
    liaison = kapstok.person(ADMIN_ID, name, "nl")
    await liaison.send("/faqedit 1")

    replies = await liaison.send("-")

    assert len(replies) == 1
    shown = replies[0].text
    assert len(shown) == 4096
    head, tail = say("nl", EDIT_ANSWER, liaison=name, answer="\x00", keep="-").split("\x00")
    assert shown.startswith(head + answer[:3000])
    assert shown.endswith("…" + tail)


# --- 9. the search follows every change --------------------------------------------------------


async def test_the_search_follows_additions_edits_and_removals(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL), *numbered(40)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    permit = f"{PERMIT_NL[0]}\n\n{PERMIT_NL[1]}"
    assert texts(await sofie.send("/faq vergunningen")) == [permit]

    await admin.send("/faqedit 1")
    await admin.send("Hoe leen ik een tent?")
    await admin.send("Bij de uitleendienst.")
    assert texts(await sofie.send("/faq vergunningen")) == [
        say("nl", NOTHING_FOUND, words="vergunningen")
    ]
    assert texts(await sofie.send("/faq tenten")) == [
        "Hoe leen ik een tent?\n\nBij de uitleendienst."
    ]

    await admin.send("/faqadd")
    await admin.press(page_label("nl", 5))
    await admin.press(LANGUAGE_NAMES["nl"])
    await admin.send("Wie geeft een vergunning voor de kermis?")
    await admin.send("De burgemeester.")
    assert texts(await sofie.send("/faq vergunning kermis")) == [
        "Wie geeft een vergunning voor de kermis?\n\nDe burgemeester."
    ]

    await admin.send("/faqremove 1")
    assert texts(await sofie.send("/faq tenten")) == [say("nl", NOTHING_FOUND, words="tenten")]


async def test_entries_from_before_the_search_index_are_found(kapstok, admin):
    faq = store(kapstok).faq
    await faq.add([(2, "fr", *PERMIT_FR)])
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    assert len(texts(await camille.send("/faq autorisation"))) == 1
    # Written as before migration 005, without stems, as a database of before has them.
    await store(kapstok).db.write(
        "INSERT INTO faq_entries (kapstok, language, question, answer, created_at, updated_at)"
        " VALUES (2, 'fr', 'Où louer une salle ?', 'Au service de prêt.', '2026-01-01',"
        " '2026-01-01')"
    )

    assert texts(await camille.send("/faq salles")) == [
        "Où louer une salle ?\n\nAu service de prêt."
    ]
    row = await store(kapstok).db.fetchone(
        "SELECT title_stems, body_stems FROM faq_entries WHERE question LIKE 'Où%'"
    )
    assert (row["title_stems"], row["body_stems"]) == ("lou sall", "servic pret")
    assert await faq.stem_missing() == 0


async def test_a_search_in_one_language_is_not_disturbed_by_changes_in_another(kapstok, admin):
    await import_csv(admin, csv_bytes([(2, "nl", *PERMIT_NL), (2, "fr", *PERMIT_FR)]))
    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    for _ in range(2):
        assert len(texts(await sofie.send("/faq vergunning"))) == 1
        assert len(texts(await camille.send("/faq autorisation"))) == 1
        await admin.send("/faqremove 2")
        await import_csv(admin, csv_bytes([(2, "fr", *PERMIT_FR)]))
    plain = html_to_text(say("fr", NOTHING_FOUND, words="vergunning"))
    assert texts(await camille.send("/faq vergunning")) == [plain]
