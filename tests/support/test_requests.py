"""/requests: the board follows every request of its association with its history; liaison
officers see what is open, the longest waiting first, an association's requests in its topic,
and export a period as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from bot import i18n
from bot.domain.amounts import format_amount
from bot.domain.requests import Status
from handlers import callbacks
from tests.client import Kapstok, label, say
from tests.steps import ask
from tests.stories import approved_member
from tests.support.requesting import (
    association_of,
    gear_request,
    store_of,
    subsidy_request,
)


def age(language: str, delta: timedelta) -> str:
    with i18n.use_language(language):
        return i18n.format_age(delta)


UNREADABLE = (
    "I cannot read that period. Give the first and the last day, like yyyy-mm-dd or as you "
    "write dates. {example}"
)


def period_text(language: str, msgid: str) -> str:
    example = say(language, "For example: /requests csv 2027-01-01 2027-06-30")
    return say(language, msgid, example=example)


def uploaded(kapstok: Kapstok) -> list[list[str]]:
    content = kapstok.telegram.uploads[-1]["content"]
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_the_board_follows_its_requests_with_their_history(kapstok, admin, language):
    amount = format_amount(Decimal("1250.50"), language)
    sofie = await approved_member(kapstok, admin, language=language)
    liaison = kapstok.person(401, "Liesbeth", "nl", last_name="Claes")
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/start")
    gear = await gear_request(kapstok, sofie, note="Voor het kamp")
    subsidy = await subsidy_request(kapstok, sofie)
    store = store_of(kapstok)
    kapstok.clock.advance(hours=2)
    assert await store.requests.move(
        gear, Status.APPROVED, expected=Status.REQUESTED, actor=401, detail="Tot dan!"
    )

    listing = (await sofie.send("/requests"))[-1]
    assert listing.text.index(f"#{subsidy}") < listing.text.index(f"#{gear}")
    assert (
        label(language, "approved", "request") in listing.text
        and label(language, "requested", "request") in listing
    )
    assert amount in listing.text
    assert "4 × " in listing.text

    await sofie.press(listing.buttons[1], on=listing)
    detail = sofie.last.text
    assert say(language, "Voor het kamp") in detail or "Voor het kamp" in detail
    assert "Sofie" in detail and "Liesbeth Claes" in detail and "Tot dan!" in detail
    assert detail.index(label(language, "requested", "request")) < detail.rindex(
        label(language, "approved", "request")
    )
    await sofie.press(label(language, "⬅️ Our requests"))
    assert f"#{gear}" in sofie.last.text

    # The liaison officer is forgotten: the history keeps the step, not the name.
    await store.forget_person(401)
    await sofie.press(sofie.last.buttons[1])
    detail = sofie.last.text
    assert "Liesbeth" not in detail and say(language, "(erased)") in detail


async def test_the_boards_requests_come_a_page_at_a_time(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    numbers = [await gear_request(kapstok, sofie) for _ in range(10)]
    first = (await sofie.send("/requests"))[-1]
    assert f"#{numbers[-1]}" in first.text and f"#{numbers[1]}" not in first.text
    assert say("en", "Page {page} of {pages}", page=1, pages=2) in first.text
    await sofie.press("▶", on=first)
    assert f"#{numbers[1]}" in sofie.last.text and f"#{numbers[0]}" in sofie.last.text
    await sofie.press_data(callbacks.REQUESTS_PAGE.data(3), on=sofie.last)
    assert sofie.alerts[-1] == say("en", "This button is no longer valid.")


async def test_another_boards_request_cannot_be_opened(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="nl")
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    theirs = await gear_request(kapstok, sofie)
    await pierre.send("/requests")
    assert say(
        "fr",
        "Your association has not asked for gear or a subsidy yet. Kapstok 5's page shows what "
        "you can ask for.",
    ) in (pierre.last.text)
    await pierre.press_data(callbacks.REQUEST_VIEW.data(theirs), on=pierre.last)
    assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")
    assert "KSA Sint-Jan" not in pierre.last.text
    stranger = kapstok.person(501, "Stijn", "en")
    await stranger.send("/start")
    await stranger.press_data(callbacks.REQUEST_VIEW.data(theirs), on=stranger.last)
    assert stranger.alerts[-1] == say(
        "en", "Only liaison officers of the municipality can do this."
    )
    await stranger.send("/requests")
    assert "KSA Sint-Jan" not in stranger.last.text


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_liaisons_see_the_open_requests_the_longest_waiting_first(kapstok, admin, language):
    sofie = await approved_member(kapstok, admin, language="nl")
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    older = await gear_request(kapstok, pierre)
    kapstok.clock.advance(days=3)
    newer = await subsidy_request(kapstok, sofie)
    rejected = await gear_request(kapstok, sofie)
    store = store_of(kapstok)
    assert await store.requests.move(
        rejected, Status.REJECTED, expected=Status.REQUESTED, actor=1, detail="Geen tenten"
    )
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")

    text = (await liaison.send("/requests"))[-1].text
    assert text.index(f"#{older}") < text.index(f"#{newer}")
    assert f"#{rejected}" not in text
    assert say(language, "waiting {age}", age=age(language, timedelta(days=3))) in text
    assert "Chiro Sint-Pieter" in text and "KSA Sint-Jan" in text

    # In an association's topic (made with a first question): that association's requests,
    # the rejected one too.
    await ask(sofie, "Hebben jullie nog tenten?")
    topic = kapstok.topic_of("KSA Sint-Jan")
    reply = (await admin.send_in_group("/requests", topic=topic))[-1].text
    assert f"#{newer}" in reply and f"#{rejected}" in reply and f"#{older}" not in reply

    # A liaison opens one from the list.
    await liaison.press(f"#{older} · Chiro Sint-Pieter")
    assert say(language, "<b>History</b>").strip() in liaison.last.text
    assert label(language, "❓ Ask the board") in liaison.last.buttons


async def test_nobody_but_liaisons_lists_everything(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="nl")
    await gear_request(kapstok, sofie)
    groupmember = kapstok.person(601, "Gert", "nl")
    await groupmember.send_in_group("/requests")
    assert kapstok.group()[-1].text == say(
        "nl", "Only liaison officers of the municipality can do this."
    )
    await sofie.send("/requests csv 2026-01-01 2026-12-31")
    assert kapstok.telegram.uploads == [] and "KSA Sint-Jan" in sofie.last.text
    await sofie.press_data(callbacks.REQUESTS_CSV.data("month"), on=sofie.last)
    assert sofie.alerts[-1] == say("nl", "Only liaison officers of the municipality can do this.")


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_a_period_of_requests_is_exported_as_csv(kapstok, admin, language):
    sofie = await approved_member(kapstok, admin, language="nl")
    activity = await store_of(kapstok).activities.create(
        await association_of(kapstok, sofie),
        sofie.user_id,
        "Zomerkamp",
        kapstok.clock.now + timedelta(days=200),
        kapstok.clock.now + timedelta(days=201),
        "Kampplaats",
        "",
        False,
    )
    gear = await gear_request(
        kapstok, sofie, {"Tent 6x3": 4, "Stoel": 20}, activity_id=activity.activity_id
    )
    subsidy = await subsidy_request(kapstok, sofie, 125_050)
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")

    await admin.send_in_group("/requests csv 2026-12-01 2026-12-31")
    rows = uploaded(kapstok)
    assert len(rows) == 3
    header = rows[0]
    assert header[0] == say("nl", "number")  # the group speaks its language
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[str(gear)][2] == "KSA Sint-Jan"
    assert by_number[str(gear)][6:8] == ["2027-06-04", "2027-06-06"]
    assert "20 × Stoel" in by_number[str(gear)][8] and "4 × Tent 6x3" in by_number[str(gear)][8]
    assert by_number[str(gear)][12] == "Zomerkamp"
    assert by_number[str(subsidy)][8] == "Jeugdwerking"
    assert by_number[str(subsidy)][9] == "1250,50"

    # Wrong periods, in the liaison's language in a private chat.
    for typed, msgid in (
        ("2027-06-30 2027-01-01", "The last day comes before the first. {example}"),
        ("gisteren morgen", UNREADABLE),
        ("2027-01-01", UNREADABLE),
        (
            "2020-01-01 2030-01-01",
            "That period is longer than five years; export it in parts. {example}",
        ),
    ):
        await liaison.send(f"/requests csv {typed}")
        assert liaison.last.text == period_text(language, msgid), typed
    before = len(kapstok.telegram.uploads)
    await liaison.send("/requests csv")
    assert len(kapstok.telegram.uploads) == before
    await liaison.press(label(language, "📤 This month"))
    rows = uploaded(kapstok)
    assert len(rows) == 3 and rows[0][0] == say(language, "number")
    kapstok.clock.advance(days=40)
    await liaison.press(label(language, "📤 This month"), on=liaison.inbox[-2])
    assert len(uploaded(kapstok)) == 1  # January: none yet
    assert kapstok.telegram.calls_of("sendDocument")[-1].params["chat_id"] == liaison.user_id
