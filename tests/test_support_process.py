"""Kapstok 5 as `python -m bot` does it: gear for a weekend, followed to a late return, and a
subsidy followed to *Paid*.

Issue 11 ("Tests and done"): a board member chooses tents and tables for a weekend with the bot's
buttons; a liaison officer approves part of it on the card in the association's topic; the gear
is picked up with the deposit; the return day passes without it (the days pass by moving the
loan's dates back one day between restarts, as the program reads the municipality's calendar
day from the real clock): the board is reminded on the return day and on each of three late
days, then the topic is told; the gear comes back. The board requests a subsidy with an amount
typed in Dutch and an attachment; it is approved for less and marked paid. Two liaison officers
approving the last tents for two associations at once never promise them twice. The program
runs against a local Bot API (tests/botapi_server.py), on a database seeded before the start.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import i18n
from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from handlers import callbacks
from storage import Store
from tests.botapi_server import KapstokProcess, Member, bot_api, wait_until
from tests.client import label, say
from tests.test_cooperation_process import accept_uploads

TOKEN = "123456789:AAEsupporttestabcdefghijklmnopqrs"
LIAISON_CHAT = -1009876543210
ZONE = ZoneInfo("Europe/Brussels")
ADMIN, OFFICER = 1, 2  # two liaison officers: the admin, and one appointed
SOFIE, PIERRE, WOUT = 501, 601, 701
A_NAME, B_NAME, C_NAME = "KSA Sint-Jan", "Chiro Sint-Pieter", "Scouts De Leeuw"
REGISTERED = "Wij organiseren activiteiten voor de kinderen van het dorp, elke zondag."
PICK_UP_INFO = "Magazijn Kerkstraat 1, vrijdag 16–18 u"
NOTE = "Voor ons weekend aan de Schelde"
PURPOSE = "Werkingssubsidie voor het kamp: vervoer en materiaal."


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    """label() and say() read the catalogs, as the program does."""
    i18n.setup("nl", ZONE)


@pytest.fixture
def kapstok(tmp_path):
    """`python -m bot` polling a fresh local Bot API, on a fresh database; not started yet."""
    with bot_api() as (api, server):
        accept_uploads(api, server)
        bot = KapstokProcess(
            api, server, tmp_path, token=TOKEN, liaison_chat_id=LIAISON_CHAT, admin_ids=[ADMIN]
        )
        try:
            yield bot
        finally:
            bot.close()
        assert not api.unexpected, f"unexpected Bot API calls: {api.unexpected}"
        assert not api.crashes, f"the local Bot API failed: {api.crashes}"
        assert "Traceback" not in bot.log(), bot.log()


def seed(bot: KapstokProcess) -> dict[str, int]:
    """Three approved youth associations with one board member each, a second liaison officer,
    two catalog items and a subsidy type; ids by name."""

    async def fill() -> dict[str, int]:
        store = await Store.open(bot.database)
        try:
            await store.users.ensure(ADMIN, "Annelies", None, None, "nl")
            await store.users.ensure(OFFICER, "Bram", None, None, "nl")
            await store.liaisons.add(OFFICER, ADMIN)
            ids = {}
            for user_id, first_name, language, name in (
                (SOFIE, "Sofie", "nl", A_NAME),
                (PIERRE, "Pierre", "fr", B_NAME),
                (WOUT, "Wout", "nl", C_NAME),
            ):
                await store.users.ensure(user_id, first_name, None, None, language)
                association = await store.associations.register(
                    user_id, name, AssociationKind.YOUTH, REGISTERED
                )
                await store.associations.decide(association.association_id, True, ADMIN, "Annelies")
                ids[name] = association.association_id
            tent = await store.gear.add(
                GearItem(0, "Tent 6x3", "Tenten", 2, name_fr="Tente 6x3", deposit_cents=5000,
                         min_lead_days=3, max_loan_days=4, pick_up_info=PICK_UP_INFO)
            )  # fmt: skip
            table = await store.gear.add(
                GearItem(0, "Tafel", "Meubilair", 10, name_fr="Table", deposit_cents=250,
                         pick_up_info=PICK_UP_INFO)
            )  # fmt: skip
            ids["tent"], ids["table"] = tent.item_id, table.item_id
            await store.db.write(
                "INSERT INTO subsidy_types (name_nl, name_fr, description_nl, max_cents,"
                " attachments, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ("Jeugdwerking", "Travail de jeunesse", "Voor de werking van jeugdverenigingen.",
                 200000, "Activiteitenverslag", "2026-01-01T00:00:00+00:00",
                 "2026-01-01T00:00:00+00:00"),
            )  # fmt: skip
            ids["subsidy"] = 1
            return ids
        finally:
            await store.close()

    return asyncio.run(fill())


# --- the steps: an update, then wait until it is handled and what it queued is sent -----------


def do(bot: KapstokProcess, update: dict) -> None:
    bot.wait_settled([bot.api.push(update)])


def send(bot: KapstokProcess, member: Member, text: str) -> dict:
    do(bot, member.text(text))
    return last(bot, member)


def last(bot: KapstokProcess, member: Member) -> dict:
    return bot.api.sent_to(member.user_id)[-1]


def group(bot: KapstokProcess) -> list[dict]:
    return bot.api.sent_to(LIAISON_CHAT)


def buttons(message: dict) -> list[dict]:
    return [
        b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
    ]


def press_on(bot: KapstokProcess, member: Member, message: dict, text: str) -> dict:
    """Press the button with this label on this message; the message as it is afterwards."""
    do(bot, member.click(message, text))
    return current(bot, message)


def current(bot: KapstokProcess, message: dict) -> dict:
    return next(
        m
        for m in reversed(bot.api.sent_to(message["chat"]["id"]))
        if m["message_id"] == message["message_id"]
    )


def press(bot: KapstokProcess, member: Member, msgid: str, chat_id: int | None = None) -> dict:
    """The member presses the button with this msgid's label on the newest message that has it,
    in their private chat or in `chat_id`."""
    text = label(member.language, msgid)
    return press_on(bot, member, member.last_with(text, chat_id), text)


def press_data(bot: KapstokProcess, member: Member, message: dict, data: str) -> dict:
    """Press the button with this callback data on this message (labels such as + repeat)."""
    assert any(b.get("callback_data") == data for b in buttons(message)), (data, message)
    do(
        bot,
        {
            "callback_query": {
                "id": f"{member.user_id}-{time.monotonic_ns()}",
                "from": member.user,
                "chat_instance": f"chat-{message['chat']['id']}",
                "data": data,
                "message": {k: v for k, v in message.items() if not k.startswith("_")},
            }
        },
    )
    return current(bot, message)


def reply_in_group(bot: KapstokProcess, member: Member, question: dict, text: str) -> dict:
    """The member answers the bot's question in the liaison group by replying to it."""
    message = {
        "message_id": int(time.monotonic_ns() % 1_000_000_000),
        "date": int(time.time()),
        "chat": {
            "id": LIAISON_CHAT,
            "type": "supergroup",
            "title": "Verenigingsloket",
            "is_forum": True,
        },
        "from": member.user,
        "text": text,
        "reply_to_message": {k: v for k, v in question.items() if not k.startswith("_")},
    }
    if "message_thread_id" in question:
        message["message_thread_id"] = question["message_thread_id"]
        message["is_topic_message"] = True
    with bot.api.lock:  # Telegram has the message the bot may reply to
        bot.api.user_messages[(LIAISON_CHAT, message["message_id"])] = message
    do(bot, {"message": message})
    return group(bot)[-1]


def document(member: Member, file_name: str) -> dict:
    """The member sends a document (a PDF) in their private chat."""
    update = member.text("x")
    message = update["message"]
    del message["text"]
    message["document"] = {
        "file_id": f"doc-{file_name}",
        "file_unique_id": f"u-{file_name}",
        "file_name": file_name,
        "mime_type": "application/pdf",
        "file_size": 120_000,
    }
    return update


def card(bot: KapstokProcess, number: int) -> dict:
    """The request's card in the liaison group (the newest message that names it with buttons,
    or without when it is done)."""
    marker = f"#{number}"
    return next(
        m for m in reversed(group(bot)) if marker in m.get("text", "") and "reply_markup" in m
    )


def weekend_after(days: int) -> tuple[date, date]:
    """The first Friday at least `days` days from today (in Brussels), and the Sunday after."""
    friday = datetime.now(ZONE).date() + timedelta(days=days)
    while friday.weekday() != 4:
        friday += timedelta(days=1)
    return friday, friday + timedelta(days=2)


def open_kapstok_5(bot: KapstokProcess, member: Member) -> dict:
    """/menu, then kapstok 5's page."""
    menu = send(bot, member, "/menu")
    data = callbacks.KAPSTOK_PAGE.data(5)
    return press_data(bot, member, menu, data)


def borrow(bot: KapstokProcess, member: Member, period: tuple[date, date], wanted: dict) -> int:
    """Kapstok 5's page, *Borrow gear*, the dates typed, + per item, no activity, a note,
    submit; the request's number."""
    send(bot, member, "/menu")
    page = next(
        b["text"]
        for b in buttons(last(bot, member))
        if b.get("callback_data") == callbacks.KAPSTOK_PAGE.data(5)
    )
    press_on(bot, member, last(bot, member), page)
    press(bot, member, "📦 Borrow gear")
    send(bot, member, f"{period[0]:%d/%m/%Y}")
    catalog = send(bot, member, f"{period[1]:%d/%m/%Y}")
    for item_id, quantity in wanted.items():
        for _ in range(quantity):
            catalog = press_data(bot, member, catalog, callbacks.BORROW_MORE.data(item_id))
    press(bot, member, "🧺 To the basket")
    press(bot, member, "No activity")
    send(bot, member, NOTE)
    sent = press(bot, member, "✅ Submit")
    number = bot.value("SELECT MAX(request_id) FROM support_requests WHERE requested_by = ?",
                       (member.user_id,))  # fmt: skip
    assert str(number) in sent["text"], sent["text"]
    return number


def move_loan(bot: KapstokProcess, number: int, pick_up: date, return_on: date) -> None:
    """While Kapstok is stopped, the loan's days move (the calendar moves on, for the program)."""
    connection = sqlite3.connect(bot.database)
    try:
        with connection:
            connection.execute(
                "UPDATE gear_requests SET pick_up = ?, return_on = ? WHERE request_id = ?",
                (pick_up.isoformat(), return_on.isoformat(), number),
            )
    finally:
        connection.close()


# --- the test -----------------------------------------------------------------------------------


def test_gear_for_a_weekend_to_a_late_return_and_a_subsidy_to_paid(kapstok):
    bot = kapstok
    ids = seed(bot)
    bot.start()
    sofie = Member(bot.api, SOFIE, "Sofie", "nl")
    annelies = Member(bot.api, ADMIN, "Annelies", "nl")
    tent, table = ids["tent"], ids["table"]

    # Sofie chooses two tents and six tables for a weekend; the card arrives in the topic.
    weekend = weekend_after(7)
    number = borrow(bot, sofie, weekend, {tent: 2, table: 6})
    request_card = card(bot, number)
    assert A_NAME in request_card["text"] and "Tent 6x3" in request_card["text"]
    assert "message_thread_id" in request_card

    # Annelies approves part of it: four tables instead of six (the editor starts at what was
    # asked).
    editor = press_on(bot, annelies, request_card, label("nl", "☑️ Approve partly"))
    for _ in range(2):
        editor = press_data(
            bot, annelies, editor, callbacks.GEAR_QUANTITY.data(number, table, "down")
        )
    press_on(bot, annelies, editor, label("nl", "✅ Approve these"))
    assert bot.query(
        "SELECT item_id, quantity, approved FROM gear_request_lines WHERE request_id = ?"
        " ORDER BY item_id",
        (number,),
    ) == [(tent, 2, 2), (table, 6, 4)]
    assert bot.value("SELECT status FROM support_requests WHERE request_id = ?", (number,)) == (
        "partly_approved"
    )
    decision = last(bot, sofie)["text"]
    assert f"#{number}" in decision and PICK_UP_INFO in decision, decision
    assert "€\xa0110,00" in decision, decision  # 2 × € 50,00 + 4 × € 2,50

    # Picked up, with the deposit.
    press_on(bot, annelies, card(bot, number), label("nl", "📦 Picked up"))
    press(bot, annelies, "✅ Deposit received", LIAISON_CHAT)
    assert bot.value("SELECT status FROM support_requests WHERE request_id = ?", (number,)) == (
        "picked_up"
    )

    # The return day comes, then three late days, then the fourth: the program reads today's
    # date from the real clock, so the loan's days move back one a restart.
    today = datetime.now(ZONE).date()
    reminders = []
    for late in range(5):
        assert bot.stop() == 0
        move_loan(bot, number, today - timedelta(days=late + 2), today - timedelta(days=late))
        told = len(bot.api.sent_to(SOFIE)), len(group(bot))
        bot.start()
        wait_until(
            lambda told=told: len(bot.api.sent_to(SOFIE)) > told[0] or len(group(bot)) > told[1],
            f"the reminder of day {late}",
            log=bot,
        )
        bot.wait_settled([])
        reminders.append((len(bot.api.sent_to(SOFIE)) - told[0], len(group(bot)) - told[1]))
    assert reminders == [(1, 0), (1, 0), (1, 0), (1, 0), (0, 1)], reminders
    assert f"#{number}" in group(bot)[-1]["text"] and A_NAME in group(bot)[-1]["text"]
    assert (
        bot.value("SELECT overdue_reminders FROM gear_requests WHERE request_id = ?", (number,))
        == 3
    )

    # The gear comes back, in order; the deposit is returned.
    press_on(bot, annelies, card(bot, number), label("nl", "↩️ Returned"))
    press(bot, annelies, "✅ All in order", LIAISON_CHAT)
    press(bot, annelies, "💶 Return it in full", LIAISON_CHAT)
    assert bot.value("SELECT status FROM support_requests WHERE request_id = ?", (number,)) == (
        "returned"
    )
    assert f"#{number}" in last(bot, sofie)["text"]

    # A subsidy: the amount typed in Dutch, an attachment, sent; approved for less, then paid.
    send(bot, sofie, "/menu")
    page = next(
        b["text"]
        for b in buttons(last(bot, sofie))
        if b.get("callback_data") == callbacks.KAPSTOK_PAGE.data(5)
    )
    press_on(bot, sofie, last(bot, sofie), page)
    press(bot, sofie, "💶 Request a subsidy")
    press_data(bot, sofie, last(bot, sofie), callbacks.SUBSIDY_TYPE.data(ids["subsidy"]))
    refused = send(bot, sofie, "1.2.3")
    assert "1.250,50" in refused["text"], refused["text"]  # an example in Dutch
    send(bot, sofie, "1.250,50")
    send(bot, sofie, PURPOSE)
    do(bot, document(sofie, "verslag.pdf"))
    summary = press(bot, sofie, "✅ Done")  # without activities of theirs, no activity asked
    assert PURPOSE in summary["text"] and "verslag.pdf" in summary["text"], summary["text"]
    sent = press(bot, sofie, "📨 Send the request")
    subsidy = bot.value("SELECT MAX(request_id) FROM support_requests WHERE kind = 'subsidy'")
    assert f"#{subsidy}" in sent["text"]
    assert (
        bot.value("SELECT amount_cents FROM subsidy_requests WHERE request_id = ?", (subsidy,))
        == 125050
    )
    subsidy_card = card(bot, subsidy)
    assert "€\xa01.250,50" in subsidy_card["text"] and PURPOSE in subsidy_card["text"]
    wait_until(
        lambda: any(m.get("document") for m in group(bot)), "the attachment in the topic", log=bot
    )

    press_on(bot, annelies, subsidy_card, label("nl", "✅ Approve…"))
    reply_in_group(bot, annelies, group(bot)[-1], "1.000")
    assert (
        bot.value("SELECT granted_cents FROM subsidy_requests WHERE request_id = ?", (subsidy,))
        == 100000
    )
    assert "€\xa01.000,00" in last(bot, sofie)["text"]
    press_on(bot, annelies, card(bot, subsidy), label("nl", "💶 Paid…"))
    press(bot, annelies, "📅 Today", LIAISON_CHAT)
    assert bot.query(
        "SELECT r.status, s.paid_on FROM support_requests r JOIN subsidy_requests s"
        " USING (request_id) WHERE request_id = ?",
        (subsidy,),
    ) == [("paid", datetime.now(ZONE).date().isoformat())]

    # /requests shows Sofie both, with their histories.
    listed = send(bot, sofie, "/requests")
    assert f"#{number}" in listed["text"] and f"#{subsidy}" in listed["text"]


def test_two_liaisons_approving_the_last_tents_at_once_never_overbook(kapstok):
    bot = kapstok
    ids = seed(bot)
    bot.start()
    pierre = Member(bot.api, PIERRE, "Pierre", "fr")
    wout = Member(bot.api, WOUT, "Wout", "nl")
    annelies = Member(bot.api, ADMIN, "Annelies", "nl")
    bram = Member(bot.api, OFFICER, "Bram", "nl")
    tent = ids["tent"]

    friday, sunday = weekend_after(10)
    first = borrow(bot, pierre, (friday, sunday), {tent: 2})
    second = borrow(bot, wout, (friday + timedelta(days=1), sunday + timedelta(days=1)), {tent: 2})

    # Both press Approve on the two cards at the same instant.
    approve = label("nl", "✅ Approve")
    updates = [
        annelies.click(card(bot, first), approve),
        bram.click(card(bot, second), approve),
    ]
    bot.wait_settled(bot.api.push_all(updates))
    statuses = dict(
        bot.query("SELECT request_id, status FROM support_requests WHERE kind = 'gear'")
    )
    assert sorted(statuses.values()) == ["approved", "requested"], statuses
    assert bot.value("SELECT SUM(approved) FROM gear_request_lines WHERE item_id = ?", (tent,)) == 2
    # The one who came second is told what is left: none of the tents, for that period.
    loser, lost = (bram, second) if statuses[second] == "requested" else (annelies, first)
    alerts = [
        call.params.get("text")
        for call in bot.api.calls_of("answerCallbackQuery")
        if str(call.params.get("callback_query_id", "")).startswith(f"{loser.user_id}-")
    ]
    assert alerts == [say("nl", "Not enough is free any more.")], alerts
    shortage = group(bot)[-1]["text"]
    assert shortage.startswith(
        say(
            "nl",
            "⚠️ Gear request #{number} cannot be approved like this: meanwhile other requests "
            "took part of the stock. What is free now for {period}:",
            number=lost,
            period="X",
        ).split("X")[0]
    ), shortage
    assert say("nl", "• {name}: {wanted} to approve, {free} free", name="Tent 6x3", wanted=2,
               free=0) in shortage  # fmt: skip
