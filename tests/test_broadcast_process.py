"""A broadcast and a barometer round to 100 associations, sent by the real program under
Telegram's flood limits, and stopped or killed in the middle.

The promise (bot/outbox.py, bot/domain/pacing.py): a send to many keeps Telegram's limits (no
429), reaches every board member once, and a stop or a crash in the middle neither loses one nor
sends one twice, but for the sends in flight at a crash, which are counted as uncertain. Each test
seeds the database before `python -m bot` starts (tests/botapi_server.py) and runs it against a
local Bot API that refuses what Telegram would refuse.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot import i18n
from bot.domain.associations import AssociationKind
from bot.domain.audience import Audience
from bot.domain.schedules import Rule
from storage import Store
from storage.outbox import BatchCounts
from tests.botapi_server import BotAPIServer, KapstokProcess, Member, bot_api, wait_until
from tests.client import label, say

TOKEN = "123456789:AAEbroadcasttestabcdefghijklmnopqrs"
LIAISON_CHAT = -1009876543210
ADMIN = 1
BOARDS = 100
FIRST_MEMBER = 10_000  # the board members' user ids: FIRST_MEMBER, FIRST_MEMBER + 1, …
GLOBAL_PER_SECOND = 30  # Telegram's limit, and Kapstok's (bot/domain/pacing.py)
IN_FLIGHT = 10  # sends the outbox has in flight at most: Outbox(in_flight=10)
LATENCY = 0.1  # seconds each Bot API call takes while the broadcast goes: sends are in flight
SENDING = 20  # seconds a send to 100 may take: 4 at 30 a second, and a start
ROUND = 10  # seconds a round to 100 may take once the program polls: 4 at 30 a second
TEXT = "Beste besturen, de aanvragen voor de zomersubsidie kunnen tot 30 juni."
BATCH = "broadcast:1"
DESCRIPTION = "We organise activities for the children of the village every Sunday."
IS_SENT = "📣 Broadcast #{number} is sent."


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    """label() and say() read the catalogs, as the program does."""
    i18n.setup("nl", ZoneInfo("Europe/Brussels"))


@pytest.fixture
def kapstok(tmp_path):
    """`python -m bot`, paced as in production, for a local Bot API with Telegram's flood
    limits, on a fresh database; not started: the test seeds it first."""
    with bot_api(flood_limits=True) as (api, server):
        bot = KapstokProcess(
            api,
            server,
            tmp_path,
            token=TOKEN,
            liaison_chat_id=LIAISON_CHAT,
            admin_ids=[ADMIN],
            paced=True,
        )
        try:
            yield bot
        finally:
            bot.close()
        assert not api.unexpected, f"unexpected Bot API calls: {api.unexpected}"
        assert not api.crashes, f"the local Bot API failed: {api.crashes}"
        assert "Traceback" not in bot.log(), bot.log()


def button(msgid: str) -> str:
    return label("nl", msgid)


# --- the database, before and after ------------------------------------------------------------


def seed(bot: KapstokProcess, *, barometer: bool = False) -> list[int]:
    """BOARDS approved associations with one board member each (and, with `barometer`, a
    monthly barometer round due now); return the board members' user ids."""
    members = list(range(FIRST_MEMBER, FIRST_MEMBER + BOARDS))

    async def fill() -> None:
        store = await Store.open(bot.database)
        try:
            await store.users.ensure(ADMIN, "Annelies", None, None, "nl")
            for n, user_id in enumerate(members):
                await store.users.ensure(user_id, f"Lid{n}", None, None, "nl")
                association = await store.associations.register(
                    user_id, f"Vereniging {n:03}", AssociationKind.YOUTH, DESCRIPTION
                )
                await store.associations.decide(association.association_id, True, ADMIN, "Annelies")
            if barometer:
                await store.schedules.create(
                    created_by=ADMIN,
                    created_by_name="Annelies",
                    rule=Rule("monthly", time(9, 0), day=1),
                    audience=Audience(),
                    content="barometer",
                    next_run_at=store.now(),
                )
        finally:
            await store.close()

    asyncio.run(fill())
    return members


def batch_counts(bot: KapstokProcess, batch: str = BATCH) -> BatchCounts:
    """How the rows of a send to many stand, read with the program's own store."""

    async def read() -> BatchCounts:
        store = await Store.open(bot.database)
        try:
            return await store.outbox.batch_counts(batch)
        finally:
            await store.close()

    return asyncio.run(read())


def unfinished(bot: KapstokProcess, batch: str = BATCH) -> int:
    """The rows of the batch that wait or are being sent."""
    return bot.value(
        "SELECT COUNT(*) FROM outbox WHERE batch = ? AND state IN ('pending', 'sending')",
        (batch,),
    )


# --- what Telegram shows -----------------------------------------------------------------------


def received(api: BotAPIServer, members: list[int]) -> Counter[int]:
    """How many messages with the broadcast's text each board member got."""
    wanted = set(members)
    with api.lock:
        return Counter(
            chat
            for (chat, _), message in api.messages.items()
            if chat in wanted and message.get("text") == TEXT
        )


def ballots(api: BotAPIServer, members: list[int]) -> Counter[int]:
    """How many barometer rounds (a message with "📨 Send our answer") each board member got."""
    wanted, submit = set(members), button("📨 Send our answer")
    with api.lock:
        return Counter(
            chat
            for (chat, _), message in api.messages.items()
            if chat in wanted
            and any(
                b["text"] == submit
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                for b in row
            )
        )


def everyone_once(counts: Counter[int], members: list[int]) -> dict[int, int]:
    """The board members who did not get it exactly once, with how often they did."""
    return {member: counts[member] for member in members if counts[member] != 1}


def most_in_a_second(api: BotAPIServer) -> int:
    """The most messages sent or edited in any second, as the server counts them: their
    moments jitter on the way from the bot (FLOOD_SLACK), so its second is a little shorter."""
    return api.most_sends_in(1.0 - api.flood_slack)


def report_says_sent(api: BotAPIServer) -> bool:
    """The admin's report (edited as the broadcast goes) says the broadcast is sent."""
    title = say("nl", IS_SENT, number=1)
    return any(m.get("text", "").split("\n")[0] == title for m in api.sent_to(ADMIN))


# --- the admin's steps ---------------------------------------------------------------------------


def step(bot: KapstokProcess, update: dict) -> None:
    bot.wait_handled([bot.api.push(update)])


def press(bot: KapstokProcess, admin: Member, msgid: str) -> None:
    """Wait for the button in the admin's chat (sends there are paced too), then press it."""
    text = button(msgid)

    def shown() -> bool:
        try:
            admin.last_with(text)
        except AssertionError:
            return False
        return True

    wait_until(shown, f"the button {text!r}", log=bot)
    step(bot, admin.click(admin.last_with(text), text))


def compose(bot: KapstokProcess) -> Member:
    """The admin writes a broadcast to every association and gets to its preview."""
    admin = Member(bot.api, ADMIN, "Annelies", "nl")
    step(bot, admin.text("/broadcast"))
    step(bot, admin.text(TEXT))
    press(bot, admin, "Next ▶")
    return admin


def send_now(bot: KapstokProcess, admin: Member) -> None:
    press(bot, admin, "📣 Send now")


# --- the tests -----------------------------------------------------------------------------------


def test_the_local_bot_api_refuses_what_telegram_would_refuse():
    """The 31st send in a second, the 4th at once in a private chat, the 21st in a minute in a
    group: 429 with retry_after; edits count against the 30 only."""

    def send(api: BotAPIServer, chat_id: int, method: str = "sendMessage") -> int:
        params = {"chat_id": chat_id, "text": f"{method} {len(api.calls)}"}
        if method == "editMessageText":
            params["message_id"] = api.sent_to(chat_id)[-1]["message_id"]
        status, payload = api.answer(method, params)
        if status == 429:
            assert payload["parameters"]["retry_after"] >= 1
        return status

    api = BotAPIServer(flood_limits=True)
    assert [send(api, chat) for chat in range(1, 31)] == [200] * 30
    assert send(api, 31) == send(api, -5) == send(api, 1, "editMessageText") == 429

    api = BotAPIServer(flood_limits=True)
    assert [send(api, 7) for _ in range(4)] == [200, 200, 200, 429]
    assert [send(api, 7, "editMessageText") for _ in range(3)] == [200] * 3
    assert [send(api, -5) for _ in range(21)] == [200] * 20 + [429]
    assert api.too_many_requests == 2
    assert api.most_sends_in(1.0) == 26


def test_a_broadcast_to_100_associations_reaches_each_once_without_a_429(kapstok):
    bot = kapstok
    members = seed(bot)
    bot.start()

    send_now(bot, compose(bot))
    wait_until(
        lambda: len(received(bot.api, members)) == BOARDS, "every board reached", SENDING, log=bot
    )
    wait_until(lambda: report_says_sent(bot.api), "the report says it is sent", SENDING, log=bot)

    assert everyone_once(received(bot.api, members), members) == {}
    assert bot.api.too_many_requests == 0, bot.api.refused
    assert most_in_a_second(bot.api) <= GLOBAL_PER_SECOND
    assert batch_counts(bot) == BatchCounts(sent=BOARDS)


def test_a_barometer_round_to_100_associations_asks_each_once_without_a_429(kapstok):
    bot = kapstok
    members = seed(bot, barometer=True)
    bot.start()  # the round due now is made at the start

    wait_until(
        lambda: len(ballots(bot.api, members)) == BOARDS, "every board asked", ROUND, log=bot
    )
    wait_until(lambda: unfinished(bot, "round:1") == 0, "the round's rows ended", log=bot)

    assert everyone_once(ballots(bot.api, members), members) == {}
    assert bot.api.too_many_requests == 0, bot.api.refused
    assert most_in_a_second(bot.api) <= GLOBAL_PER_SECOND
    assert batch_counts(bot, "round:1") == BatchCounts(sent=BOARDS)


def test_a_broadcast_stopped_in_the_middle_goes_on_after_the_start_once_each(kapstok):
    bot = kapstok
    members = seed(bot)
    bot.start()
    admin = compose(bot)

    bot.api.latency = LATENCY  # the sends take a while: some are in flight at the stop
    send_now(bot, admin)
    wait_until(
        lambda: len(received(bot.api, members)) >= GLOBAL_PER_SECOND, "a first second", log=bot
    )
    assert bot.stop() == 0, bot.log()
    assert len(received(bot.api, members)) < BOARDS, "the stop came in the middle"
    assert unfinished(bot) > 0
    assert bot.value("SELECT COUNT(*) FROM outbox WHERE state = 'sending'") == 0, (
        "a clean stop lets the sends in flight end"
    )

    bot.api.latency = 0.0
    bot.start()
    wait_until(
        lambda: len(received(bot.api, members)) == BOARDS, "every board reached", SENDING, log=bot
    )
    wait_until(lambda: unfinished(bot) == 0, "the broadcast's rows ended", log=bot)

    assert everyone_once(received(bot.api, members), members) == {}
    assert batch_counts(bot) == BatchCounts(sent=BOARDS)


def test_a_broadcast_killed_in_the_middle_misses_nobody_and_counts_its_doubles(kapstok):
    bot = kapstok
    members = seed(bot)
    bot.start()
    admin = compose(bot)

    # From the 21st send on, Telegram shows the message and its answer never reaches the bot:
    # those sends stay in flight until the kill.
    lock, seen, in_flight = threading.Lock(), [0], []

    def later_sends(method: str, params: dict) -> bool:
        if method != "sendMessage" or params.get("text") != TEXT:
            return False
        if int(params["chat_id"]) not in members:
            return False
        with lock:
            seen[0] += 1
            if seen[0] <= 20:
                return False
            in_flight.append(int(params["chat_id"]))
            return True

    bot.api.hold(later_sends, done=True)
    send_now(bot, admin)
    wait_until(lambda: len(in_flight) >= IN_FLIGHT // 2, "sends in flight", log=bot)
    bot.restart_after_kill()
    wait_until(
        lambda: len(received(bot.api, members)) == BOARDS, "every board reached", SENDING, log=bot
    )
    wait_until(lambda: unfinished(bot) == 0, "the broadcast's rows ended", log=bot)
    assert bot.stop() == 0, bot.log()

    counts = received(bot.api, members)
    assert [member for member in members if counts[member] == 0] == [], "nobody missed"
    doubles = sum(count - 1 for count in counts.values())
    assert 1 <= doubles <= IN_FLIGHT, everyone_once(counts, members)
    batch = batch_counts(bot)
    assert batch.sent == BOARDS
    assert batch.uncertain >= doubles, (batch, doubles)
