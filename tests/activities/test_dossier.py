"""An activity's dossier: its partners, the gear and subsidy requests linked to it and the
evidence its board added, in one message, for the organiser's board and for liaison
officers; *Add to the dossier* takes photos and documents (up to 20 MB)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.amounts import format_amount
from bot.domain.request_summaries import EvidenceKind
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Kapstok, Person, label, say
from tests.support.requesting import gear_request, store_of, subsidy_request

START = datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
BIG = 25 * 1024 * 1024


async def activity_of(
    kapstok: Kapstok, organiser: Person, partners: tuple[int, ...] = (), start: datetime = START
) -> int:
    store = store_of(kapstok)
    association = (await store.profile(organiser.user_id)).association_id
    made = await store.activities.create(
        association,
        organiser.user_id,
        "Sint-Maartenstoet",
        start,
        start + timedelta(hours=3),
        "Zaal De Kroon",
        "",
        True,
        list(partners),
    )
    return made.activity_id


async def send_big_document(person: Person) -> None:
    media = {
        "document": {
            "file_id": "big-file",
            "file_unique_id": "big-file",
            "file_name": "film.pdf",
            "file_size": BIG,
        }
    }
    await person._send_media(media, None, None, None)


async def open_dossier(person: Person, number: int) -> str:
    await person.send("/menu")
    await person.press_data(callbacks.ACTIVITY_VIEW.data(number), on=person.last)
    await person.press(label(person.language, "📁 Dossier"))
    return person.last.text


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_the_organisers_board_sees_and_fills_the_dossier(kapstok, admin, boards, language):
    sofie, pierre = boards
    if language != "nl":
        sofie, pierre = pierre, sofie  # the French board organises
    partner = (await store_of(kapstok).profile(pierre.user_id)).association_id
    number = await activity_of(kapstok, sofie, (partner,))
    gear = await gear_request(kapstok, sofie, {"Tent 6x3": 4}, activity_id=number)
    subsidy = await subsidy_request(kapstok, sofie, 125_050, activity_id=number)
    await gear_request(kapstok, sofie)  # not linked: not in the dossier

    text = await open_dossier(sofie, number)
    assert "Sint-Maartenstoet" in text
    assert pierre_name(pierre) in text
    assert f"#{gear}" in text and "4 × " in text and f"#{subsidy}" in text
    assert format_amount(Decimal("1250.50"), language) in text
    assert f"#{gear + 2}" not in text
    assert say(language, "Nothing added yet.") in text

    await sofie.press(label(language, "📎 Add to the dossier"))
    await sofie.send("Hier is de flyer")
    assert sofie.last.text == say(
        language, "Please send a photo or a document (a PDF, a flyer), or press Done."
    )
    await sofie.send_photo("De stoet")
    assert say(language, "{count} photo", count=1) in sofie.last.text
    await sofie.send_document("verslag.pdf", b"%PDF-1.4 verslag", "Verslag")
    assert say(language, "{count} document", count=1) in sofie.last.text
    await send_big_document(sofie)
    assert "25" in sofie.last.text and "20" in sofie.last.text
    await sofie.send_voice()
    assert sofie.last.text == say(
        language, "Please send a photo or a document (a PDF, a flyer), or press Done."
    )
    await sofie.press(label(language, "✅ Done"))
    text = sofie.last.text
    assert say(language, "{count} photo", count=1) in text
    assert say(language, "{count} document", count=1) in text
    stored = await store_of(kapstok).evidence.of_activity(number)
    assert [(e.kind.value, e.caption) for e in stored] == [
        ("photo", "De stoet"),
        ("document", "Verslag"),
    ]
    assert stored[1].file_name == "verslag.pdf" and stored[0].added_by == sofie.user_id

    await sofie.press(label(language, "📥 Receive the files ({count})").format(count=2))
    assert kapstok.telegram.calls_of("sendPhoto")[-1].params["photo"] == stored[0].file_id
    assert kapstok.telegram.calls_of("sendDocument")[-1].params["document"] == stored[1].file_id
    # After Done, a file is no longer taken into the dossier.
    await sofie.send_photo()
    assert len(await store_of(kapstok).evidence.of_activity(number)) == 2


def pierre_name(partner: Person) -> str:
    return {201: "Chiro Sint-Pieter", 101: "KSA Sint-Jan"}[partner.user_id]


async def test_a_partner_or_another_board_does_not_see_the_dossier(kapstok, admin, boards):
    sofie, pierre = boards
    partner = (await store_of(kapstok).profile(pierre.user_id)).association_id
    number = await activity_of(kapstok, sofie, (partner,))
    await subsidy_request(kapstok, sofie, activity_id=number)
    await pierre.send("/menu")
    await pierre.press_data(callbacks.ACTIVITY_VIEW.data(number), on=pierre.last)
    assert label("fr", "📁 Dossier") not in pierre.last.buttons
    for data in (
        callbacks.DOSSIER.data(number),
        callbacks.DOSSIER_ADD.data(number),
        callbacks.DOSSIER_FILES.data(number),
    ):
        await pierre.press_data(data, on=pierre.last)
        assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    assert await store_of(kapstok).evidence.of_activity(number) == []
    stranger = kapstok.person(501, "Stijn", "en")
    await stranger.send("/start")
    await stranger.press_data(callbacks.DOSSIER.data(number), on=stranger.last)
    assert stranger.alerts[-1] == say(
        "en", "Only liaison officers of the municipality can do this."
    )
    await sofie.send("/dossier 1")
    assert sofie.last.text == say("nl", "Only liaison officers of the municipality can do this.")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_liaisons_see_the_same_dossier(kapstok, admin, boards, language):
    sofie, _pierre = boards
    number = await activity_of(kapstok, sofie)
    gear = await gear_request(kapstok, sofie, activity_id=number)
    await store_of(kapstok).evidence.add(
        number,
        (await store_of(kapstok).profile(sofie.user_id)).association_id,
        EvidenceKind.PHOTO,
        "photo-1",
        "u-1",
        added_by=sofie.user_id,
        caption="<b>De stoet</b>",
    )
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")

    await liaison.send(f"/dossier {number}")
    text = liaison.last.text
    assert "Sint-Maartenstoet" in text and f"#{gear}" in text
    assert say(language, "{count} photo", count=1) in text
    assert label(language, "📎 Add to the dossier") not in liaison.last.buttons
    await liaison.press(label(language, "📥 Receive the files ({count})").format(count=1))
    sent = kapstok.telegram.calls_of("sendPhoto")[-1].params
    assert sent["photo"] == "photo-1" and int(sent["chat_id"]) == liaison.user_id

    # In the group, and from an activity's details in a private chat.
    replies = await admin.send_in_group(f"/dossier #{number}")
    assert f"#{gear}" in replies[-1].text
    await admin.press_in_group(label("nl", "📥 Receive the files ({count})").format(count=1))
    assert int(kapstok.telegram.calls_of("sendPhoto")[-1].params["chat_id"]) == LIAISON_CHAT_ID
    await liaison.press_data(callbacks.ACTIVITY_VIEW.data(number), on=liaison.last)
    await liaison.press(label(language, "📁 Dossier"))
    assert f"#{gear}" in liaison.last.text

    # Wrong numbers.
    await liaison.send("/dossier")
    assert "/dossier 12" in liaison.last.text
    await liaison.send("/dossier 999")
    assert "/dossier 12" in liaison.last.text
    # /activities gives the numbers /dossier takes.
    soon = await activity_of(kapstok, sofie, start=datetime(2026, 12, 3, 18, 0, tzinfo=UTC))
    await liaison.send("/activities")
    assert f"#{soon} · " in liaison.last.text
