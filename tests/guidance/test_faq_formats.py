"""FAQ CSV files as spreadsheets write them: Belgian Excel's, plain ones, and the bot's own."""

from __future__ import annotations

import re

import pytest

from tests.client import Kapstok, Message, Person, say
from tests.guidance.test_faq import (
    EMPTY_LIST,
    EXPORTED,
    IMPORTED,
    LIST_HEADING,
    SEND_CSV,
    exported,
    say_n,
)
from tests.stories import approved_member

BOM = b"\xef\xbb\xbf"
NL_HALL = (
    "Hoe huur ik een zaal?",
    "Bij de uitleendienst: één formulier, minstens twee weken vooraf; "
    "de sleutel haal je op het gemeentehuis.",
)
FR_HALL = (
    "Réserver une salle",
    "Au service de prêt : un formulaire, au moins deux semaines à l'avance ; "
    "la clé se retire à la maison communale.",
)
NL_TENT = ("Mogen we tenten en stoelen lenen?", "Ja, gratis voor erkende verenigingen.")
FR_PARTY = (
    "Qui contacter pour une fête de quartier ?",
    'L\'agent de liaison « Vie associative », par e-mail ; voir aussi le "guide des fêtes".',
)
# The rows in the order of the files below.
ROWS = [(2, "nl", *NL_HALL), (2, "fr", *FR_HALL), (5, "nl", *NL_TENT), (1, "fr", *FR_PARTY)]
# The FAQ as the bot keeps it: by kapstok, then in the order the entries came in.
BY_KAPSTOK = [ROWS[3], ROWS[0], ROWS[1], ROWS[2]]

# Belgian Excel, "CSV UTF-8": a BOM, semicolons, CRLF; a cell with a semicolon or a double quote
# is quoted (quotes doubled), a cell with only commas is not; empty rows become bare delimiters.
EXCEL = (
    BOM
    + (
        "kapstok;language;question;answer\r\n"
        "2;nl;Hoe huur ik een zaal?;"
        '"Bij de uitleendienst: één formulier, minstens twee weken vooraf; '
        'de sleutel haal je op het gemeentehuis."\r\n'
        "2;fr;Réserver une salle;"
        "\"Au service de prêt : un formulaire, au moins deux semaines à l'avance ; "
        'la clé se retire à la maison communale."\r\n'
        "5;nl;Mogen we tenten en stoelen lenen?;Ja, gratis voor erkende verenigingen.\r\n"
        "1;fr;Qui contacter pour une fête de quartier ?;"
        "\"L'agent de liaison « Vie associative », par e-mail ; "
        'voir aussi le ""guide des fêtes""."\r\n'
        ";;;\r\n"
    ).encode()
)

# The same FAQ as LibreOffice or Google Sheets save it: commas, LF, no BOM.
PLAIN = (
    "kapstok,language,question,answer\n"
    "2,nl,Hoe huur ik een zaal?,"
    '"Bij de uitleendienst: één formulier, minstens twee weken vooraf; '
    'de sleutel haal je op het gemeentehuis."\n'
    "2,fr,Réserver une salle,"
    "\"Au service de prêt : un formulaire, au moins deux semaines à l'avance ; "
    'la clé se retire à la maison communale."\n'
    '5,nl,Mogen we tenten en stoelen lenen?,"Ja, gratis voor erkende verenigingen."\n'
    "1,fr,Qui contacter pour une fête de quartier ?,"
    "\"L'agent de liaison « Vie associative », par e-mail ; "
    'voir aussi le ""guide des fêtes""."\n'
).encode()

NOT_IMPORTED = "Not imported:"
BAD_KAPSTOK = "line {line}: kapstok must be 1 to 5"
REMOVED = "FAQ entry {number} is removed."


# --- helpers -----------------------------------------------------------------------------------


async def import_file(liaison: Person, data: bytes, file_name: str = "faq.csv") -> Message:
    """A liaison imports a CSV file in a private chat; return the bot's one report."""
    prompt = await liaison.send("/faqimport")
    assert [m.text for m in prompt] == [say(liaison.language, SEND_CSV, liaison=liaison.first_name)]
    replies = await liaison.send_document(file_name, data)
    assert len(replies) == 1, [m.text for m in replies]
    return replies[0]


async def export(kapstok: Kapstok, liaison: Person) -> bytes:
    """The file /faqexport sends, byte for byte."""
    documents = len(kapstok.telegram.calls_of("sendDocument"))
    await liaison.send("/faqexport")
    assert len(kapstok.telegram.calls_of("sendDocument")) == documents + 1
    content = kapstok.telegram.uploads[-1]["content"]
    assert isinstance(content, bytes), type(content)
    return content


def listing(language: str, numbered: list[tuple[int, tuple]]) -> str:
    """What /faqlist shows for these (number, row) pairs."""
    lines = [say(language, LIST_HEADING)]
    lines += [f"{number}. [{row[0]} · {row[1]}] {row[2]}" for number, row in numbered]
    return "\n".join(lines)


def unnumbered(faq_listing: str) -> str:
    """A /faqlist without the entries' numbers."""
    return re.sub(r"^\d+\. ", "", faq_listing, flags=re.MULTILINE)


async def faq_list(liaison: Person) -> str:
    return "\n".join(m.text for m in await liaison.send("/faqlist"))


# --- importing ---------------------------------------------------------------------------------


async def test_a_semicolon_separated_excel_file_with_a_bom_imports_every_row_exactly(
    kapstok, admin
):
    report = await import_file(admin, EXCEL, "FAQ gemeente.csv")

    assert report.text == say_n("nl", IMPORTED, 4)
    assert await faq_list(admin) == listing(
        "nl", [(4, ROWS[3]), (1, ROWS[0]), (2, ROWS[1]), (3, ROWS[2])]
    )
    await export(kapstok, admin)
    assert exported(kapstok) == BY_KAPSTOK

    sofie = await approved_member(kapstok, admin, 101, "Sofie", "nl", "KSA Sint-Jan")
    replies = await sofie.send("/faq uitleendienst sleutel")
    assert [m.text for m in replies] == [f"{NL_HALL[0]}\n\n{NL_HALL[1]}"]
    camille = await approved_member(kapstok, admin, 201, "Camille", "fr", "Chorale La Lyre")
    replies = await camille.send("/faq guide des fêtes")
    assert [m.text for m in replies] == [f"{FR_PARTY[0]}\n\n{FR_PARTY[1]}"]


async def test_the_same_faq_comma_separated_without_a_bom_imports_identically(kapstok, admin):
    assert not PLAIN.startswith(BOM)

    report = await import_file(admin, PLAIN)

    assert report.text == say_n("nl", IMPORTED, 4)
    assert await faq_list(admin) == listing(
        "nl", [(4, ROWS[3]), (1, ROWS[0]), (2, ROWS[1]), (3, ROWS[2])]
    )
    await export(kapstok, admin)
    assert exported(kapstok) == BY_KAPSTOK


async def test_a_malformed_row_is_named_by_its_line_and_the_good_rows_still_import(kapstok, admin):
    # As Excel numbers rows: the header is row 1, and a cell over two lines stays one row.
    data = (
        BOM
        + (
            "kapstok;language;question;answer\r\n"
            '2;nl;Hoe huur ik een zaal?;"Bij de uitleendienst.\nDe sleutel; aan het onthaal."\r\n'
            "7;de;Wie kann ich einen Saal mieten?;\r\n"
            '2;fr;Réserver une salle;"Au service de prêt, au moins deux semaines à l\'avance."\r\n'
        ).encode()
    )

    report = await import_file(admin, data)

    assert report.text == "\n".join(
        [
            say_n("nl", IMPORTED, 2),
            say("nl", NOT_IMPORTED),
            "• " + say("nl", BAD_KAPSTOK, line=3),
        ]
    )
    await export(kapstok, admin)
    assert exported(kapstok) == [
        (2, "nl", "Hoe huur ik een zaal?", "Bij de uitleendienst.\nDe sleutel; aan het onthaal."),
        (2, "fr", "Réserver une salle", "Au service de prêt, au moins deux semaines à l'avance."),
    ]


# --- exporting ---------------------------------------------------------------------------------


async def test_the_export_starts_with_a_bom_and_imports_back_as_the_same_faq(kapstok, admin):
    await import_file(admin, EXCEL)
    first = await export(kapstok, admin)
    assert first.startswith(BOM)
    assert not first.startswith(BOM + BOM)
    assert kapstok.telegram.calls_of("sendDocument")[-1].params["caption"] == say_n(
        "nl", EXPORTED, 4
    )
    assert exported(kapstok) == BY_KAPSTOK

    # The FAQ is emptied, and the exported file is sent back as it is.
    for number in range(1, 5):
        assert [m.text for m in await admin.send(f"/faqremove {number}")] == [
            say("nl", REMOVED, number=number)
        ]
    assert await faq_list(admin) == say("nl", EMPTY_LIST)
    report = await import_file(admin, first, "kapstok-faq.csv")

    assert report.text == say_n("nl", IMPORTED, 4)
    # The entries come back in the same order (their numbers are new ones).
    assert unnumbered(await faq_list(admin)) == unnumbered(
        listing("nl", [(1, ROWS[3]), (2, ROWS[0]), (3, ROWS[1]), (4, ROWS[2])])
    )
    assert await export(kapstok, admin) == first


# --- searching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "first_name", "association", "words", "entry"),
    [
        ("nl", "Sofie", "KSA Sint-Jan", "zalen huren", NL_HALL),
        ("fr", "Camille", "Chorale La Lyre", "réservations", FR_HALL),
    ],
    ids=["nl", "fr"],
)
async def test_a_member_finds_the_hall_entry_with_other_forms_of_its_words(
    kapstok, admin, language, first_name, association, words, entry
):
    await import_file(admin, EXCEL)
    member = await approved_member(kapstok, admin, 101, first_name, language, association)

    replies = await member.send(f"/faq {words}")

    assert [m.text for m in replies] == [f"{entry[0]}\n\n{entry[1]}"]
