"""The catalog as a CSV file: exported with a BOM and `;`, imported after *Import CSV* (in the
group as a reply to its question), with `,` or `;`, all or nothing, a wrong row named."""

from __future__ import annotations

import pytest

from bot.domain.gear import GearItem
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, label, say
from tests.stories import approved_member

HEADER = (
    "name_nl;name_fr;name_en;category;stock;unit;deposit;min_lead_days;max_lead_days;"
    "max_loan_days;kinds;needs_recognition;note;pick_up_info"
)


def store(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def liaison_speaking(kapstok: Kapstok, admin: Person, language: str) -> Person:
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/start")
    return liaison


async def send_file(
    person: Person,
    content: bytes,
    *,
    in_group: bool = False,
    reply_to: Message | None = None,
    size: int | None = None,
    name: str = "catalogus.csv",
) -> None:
    """A document, in the group as a reply; `size` is what Telegram says of its size."""
    telegram = person.bot.telegram
    file_id = f"file-{person.user_id}-{len(telegram.files)}"
    telegram.files[f"documents/{file_id}"] = content
    media = {
        "document": {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": name,
            "file_size": len(content) if size is None else size,
        }
    }
    chat = LIAISON_CHAT_ID if in_group else None
    await person._send_media(media, None, None, reply_to, chat_id=chat)


def exported(kapstok: Kapstok) -> bytes:
    return kapstok.telegram.uploads[-1]["content"]


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_an_export_edited_in_a_spreadsheet_imports_back(kapstok, admin, language):
    liaison = await liaison_speaking(kapstok, admin, language)
    await store(kapstok).gear.add(
        GearItem(0, "Tent", "Tenten", 4, deposit_cents=5050, kinds=frozenset({"youth"}))
    )
    await liaison.send("/gear")
    await liaison.press(label(language, "📤 Export CSV"))
    data = exported(kapstok)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "Tent;;;Tenten;4;;50,50;0;365;14;youth;no;;"
    # The liaison changes the tent's stock and adds chairs.
    edited = "\r\n".join(
        [lines[0], lines[1].replace(";4;", ";6;"), "Stoel;Chaise;Chair;Meubilair;100;stuks;0"]
    )
    await liaison.send("/gear")
    await liaison.press(label(language, "📥 Import CSV"))
    assert "name_nl" in liaison.last
    await send_file(liaison, edited.encode("utf-8-sig"))
    assert liaison.last.text == say(
        language,
        "Imported: {added} added, {updated} updated. /gear shows the catalog.",
        added=1,
        updated=1,
    )
    catalog = {item.name_nl: item for item in await store(kapstok).gear.catalog()}
    assert catalog["Tent"].stock == 6 and catalog["Tent"].deposit_cents == 5050
    assert catalog["Stoel"].name_en == "Chair" and catalog["Stoel"].stock == 100


async def test_a_comma_file_without_bom_in_the_group_as_a_reply(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "en")
    await liaison.send_in_group("/gear")
    await liaison.press_in_group(label("en", "📥 Import CSV"))
    prompt = Message(kapstok.telegram.sent_to(LIAISON_CHAT_ID)[-1])
    content = b'name_nl,category,stock,kinds\r\nPodium,Podia,1,"youth, culture"\r\n'
    # Not a reply: a file shared among liaisons, left alone.
    await send_file(liaison, content, in_group=True)
    assert await store(kapstok).gear.catalog() == []
    await send_file(liaison, content, in_group=True, reply_to=prompt)
    (podium,) = await store(kapstok).gear.catalog()
    assert podium.kinds == frozenset({"youth", "culture"})


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_malformed_row_imports_nothing_and_is_named(kapstok, admin, language):
    liaison = await liaison_speaking(kapstok, admin, language)
    await store(kapstok).gear.add(GearItem(0, "Tent", "Tenten", 4))
    await liaison.send("/gear")
    await liaison.press(label(language, "📥 Import CSV"))
    content = (
        b"name_nl;category;stock;deposit;kinds\r\n"
        b"Tent;Tenten;10;;\r\n"
        b"Stoel;Meubilair;abc;;\r\n"
        b";Meubilair;3;;\r\n"
        b"Tafel;Meubilair;3;veel;piraten\r\n"
    )
    await send_file(liaison, content)
    said = liaison.last.text
    assert say(language, "Nothing was imported:") in said
    for row, column, problem in (
        (3, "stock", "That is not a whole number."),
        (4, "name_nl", "That is empty."),
        (5, "deposit", "That is not an amount I can read."),
        (5, "kinds", "That is not a kind of association I know."),
    ):
        line = say(
            language,
            "Row {row}, {column}: {problem}",
            row=row,
            column=column,
            problem=say(language, problem),
        )
        assert line in said, (line, said)
    (tent,) = await store(kapstok).gear.catalog()
    assert tent.stock == 4  # the good row was not imported either
    # Still waiting for a file: text gets an answer, a corrected file imports.
    await liaison.send("hier")
    assert say(language, "Please send the CSV file as a document, or /cancel.") in liaison.last
    await send_file(liaison, b"name_nl;category;stock\r\nTent;Tenten;10\r\n")
    assert (await store(kapstok).gear.catalog())[0].stock == 10


async def test_files_that_are_no_catalog(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "nl")
    await liaison.send("/gear")
    await liaison.press(label("nl", "📥 Import CSV"))
    await send_file(liaison, b"\xff\xfe\x00garbage")
    assert say("nl", "The file is not UTF-8 text.") in liaison.last
    await send_file(liaison, b"naam;aantal\r\nTent;3\r\n")
    assert (
        say(
            "nl",
            "Row 1 must name the columns, at least {required}.",
            required="name_nl, category, stock",
        )
        in liaison.last.text
    )
    await send_file(liaison, b"name_nl;category;stock;max_lead_days;min_lead_days\r\nT;C;1;3;9\r\n")
    assert "max_lead_days" in liaison.last.text
    assert await store(kapstok).gear.catalog() == []


async def test_a_file_over_20_mb_is_refused_before_it_is_downloaded(kapstok, admin):
    liaison = await liaison_speaking(kapstok, admin, "en")
    await liaison.send("/gear")
    await liaison.press(label("en", "📥 Import CSV"))
    calls = len(kapstok.telegram.calls)
    await send_file(liaison, b"name_nl;category;stock\r\nT;C;1\r\n", size=21 * 1024 * 1024)
    assert "getFile" not in [call.method for call in kapstok.telegram.calls[calls:]]
    assert (
        say("en", "That file is too large: at most 20 MB. Send a smaller one, or /cancel.")
        in liaison.last
    )
    assert await store(kapstok).gear.catalog() == []


async def test_an_import_that_lowers_a_stock_tells_what_no_longer_fits(kapstok, admin):
    from datetime import date

    member = await approved_member(kapstok, admin)
    tent = await store(kapstok).gear.add(GearItem(0, "Tent", "Tenten", 5))
    profile = await store(kapstok).profile(member.user_id)
    request = await store(kapstok).gear_requests.create(
        profile.association_id,
        member.user_id,
        date(2027, 5, 1),
        date(2027, 5, 2),
        {tent.item_id: 5},
    )
    number = request.request.request_id
    await store(kapstok).gear_requests.approve(number, {tent.item_id: 5}, 1)
    liaison = await liaison_speaking(kapstok, admin, "nl")
    await liaison.send("/gear")
    await liaison.press(label("nl", "📥 Import CSV"))
    await send_file(liaison, b"name_nl;category;stock\r\nTent;Tenten;2\r\n")
    assert f"#{number}" in liaison.last and "KSA Sint-Jan" in liaison.last
    assert (await store(kapstok).gear_requests.get(number)).request.status.value == "approved"
