"""The outbox sender on a fake clock and a real SQLite file: paced, in order, each row once."""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.domain.pacing import Budget
from bot.outbox import Delivery, Outbox
from bot.pacedrequest import PacedRequest, Pacer
from storage import Store
from storage.outbox import NewRow, OutboxRow
from tests.domain.test_pacing import most_in_window, within_token_bucket
from tests.fake_telegram import FakeTelegram

# Telegram's limits to the letter: 30 in any second, in bursts (Kapstok's own budget adds a
# margin and spaces its sends; see test_pacing.py).
EXACT_SECOND = {"global_window": 1.0, "even": False}

EPOCH = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
GROUP = -100
TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz"


class FakeTime:
    """Monotonic seconds and UTC moments on one fake clock. A sleep moves it at once to its
    end (never back), so nothing here waits for real."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def utc(self) -> datetime:
        return EPOCH + timedelta(seconds=self.now)

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def retry_after(seconds: int) -> RetryAfter:
    """A RetryAfter as PTB makes it; making one warns about its int attribute."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        return RetryAfter(retry_after=seconds)


@dataclass(frozen=True)
class Sent:
    chat_id: int
    text: str
    at: float


@dataclass
class FakeSender:
    """Telegram behind PacedRequest, in short: each call takes its turn in the budget, is
    recorded, and fails when told to."""

    time: FakeTime
    pacer: Pacer
    attempts: list[Sent] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    failures: dict[str, list[Exception]] = field(default_factory=dict)
    gate: asyncio.Event | None = None  # when set up: every send waits for it
    latency: float = 0.0  # real seconds a send takes

    async def send(self, chat_id: int, text: str, *, message: bool = True) -> object:
        await self.pacer.take_turn(chat_id, message=message)
        attempt = Sent(chat_id, text, self.time.clock())
        self.attempts.append(attempt)
        if self.gate is not None:
            await self.gate.wait()
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.failures.get(text):
            raise self.failures[text].pop(0)
        self.sent.append(attempt)
        return SimpleNamespace(message_id=1000 + len(self.sent))

    def times(self, chat_id: int | None = None) -> list[float]:
        return [s.at for s in self.sent if chat_id is None or s.chat_id == chat_id]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]


@dataclass
class Harness:
    """A store on a file, one budget, the fake sender, and an outbox with the kind 'say'."""

    path: Path
    time: FakeTime
    store: Store
    budget: Budget
    sender: FakeSender
    outbox: Outbox = field(init=False)
    refusals: list[tuple[int, str, str]] = field(default_factory=list)
    rendered: list[OutboxRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.outbox = self.new_outbox()

    def new_outbox(self, **options) -> Outbox:
        outbox = Outbox(
            self.store, self.budget, clock=self.time.clock, sleep=self.time.sleep, **options
        )
        outbox.register("say", self.render_say)
        return outbox

    async def render_say(self, row: OutboxRow) -> Delivery:
        self.rendered.append(row)

        async def refused(state: str, reason: str) -> None:
            self.refusals.append((row.outbox_id, state, reason))

        return Delivery(
            send=lambda: self.sender.send(row.chat_id, row.payload["text"]), refused=refused
        )

    async def queue(self, chat_id: int, *texts: str, priority: int = 0, kind: str = "say"):
        await self.store.outbox.add(
            [NewRow(chat_id, kind, {"text": text}, priority=priority) for text in texts]
        )

    async def row(self, outbox_id: int) -> OutboxRow:
        row = await self.store.outbox.get(outbox_id)
        assert row is not None
        return row

    async def reopen(self) -> None:
        """Close the database and open the file again, with a new outbox, as after a restart."""
        await self.store.close()
        self.store = await Store.open(self.path, self.time.utc)
        self.outbox = self.new_outbox()


@pytest.fixture
async def harness(tmp_path):
    time = FakeTime()
    path = tmp_path / "k.sqlite3"
    store = await Store.open(path, time.utc)
    budget = Budget(**EXACT_SECOND)
    sender = FakeSender(time, Pacer(budget, clock=time.clock, sleep=time.sleep))
    harness = Harness(path, time, store, budget, sender)
    yield harness
    await harness.store.close()


async def wait_until(condition, timeout: float = 5.0) -> None:
    """Real waiting, for tests that let `run()` go: until condition() holds."""
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.001)


# --- pacing -----------------------------------------------------------------------------------


async def test_forty_private_chats_get_thirty_in_the_first_second_and_ten_in_the_next(harness):
    for chat in range(1, 41):
        await harness.queue(chat, f"m{chat}")

    await harness.outbox.drain(timeout=60)

    assert sorted(harness.sender.times()) == [0.0] * 30 + [1.0] * 10


async def test_a_group_gets_twenty_a_minute_and_holds_no_private_chat_back(harness):
    await harness.queue(GROUP, *(f"g{n}" for n in range(25)))
    for chat in range(1, 6):
        await harness.queue(chat, "p")

    await harness.outbox.drain(timeout=600)

    group = harness.sender.times(GROUP)
    assert group[:20] == [0.0] * 20
    assert group[20] == 60.0
    assert most_in_window(group, 60.0) == 20
    assert all(s.at == 0.0 for s in harness.sender.sent if s.chat_id > 0)


async def test_a_group_at_its_limit_holds_up_no_chat_queued_behind_it(harness):
    await harness.queue(GROUP, *(f"g{n}" for n in range(20)))
    await harness.outbox.drain(timeout=60)
    await harness.queue(GROUP, "g20")
    for chat in range(1, 6):
        await harness.queue(chat, "p")

    await harness.outbox.drain(timeout=600)

    assert harness.sender.times()[20:] == [0.0] * 5 + [60.0]
    assert harness.sender.texts()[-1] == "g20"


async def test_one_private_chat_gets_three_at_once_then_one_a_second(harness):
    await harness.queue(42, *(f"m{n}" for n in range(6)))

    await harness.outbox.drain(timeout=60)

    assert harness.sender.times() == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]
    assert within_token_bucket(harness.sender.times())


async def test_after_a_429_nothing_goes_for_its_seconds_and_then_thirty_a_second(harness):
    for chat in range(1, 81):
        await harness.queue(chat, f"m{chat}")
    harness.sender.failures["m5"] = [retry_after(3)]

    await harness.outbox.drain(timeout=60)

    attempts = harness.sender.attempts
    refused_at = next(i for i, a in enumerate(attempts) if a.text == "m5")
    assert all(a.at >= 3.0 for a in attempts[refused_at + 1 :])
    assert sum(3.0 <= a.at < 4.0 for a in attempts) <= 30
    assert most_in_window([a.at for a in attempts], 1.0) <= 30
    assert sorted(harness.sender.texts()) == sorted(f"m{chat}" for chat in range(1, 81))
    assert (await harness.row(5)).attempts == 1  # the refused try does not count


async def test_a_step_says_how_long_until_something_may_go(harness):
    assert await harness.outbox.step() is None  # nothing waits

    for chat in range(1, 31):
        harness.budget.record(chat, 0.0)
    await harness.queue(42, "hi")
    assert await harness.outbox.step() == 1.0  # the global limit

    harness.time.now = 1.0
    for _ in range(20):
        harness.budget.record(GROUP, 1.0)
    await harness.queue(GROUP, "held")
    assert await harness.outbox.step() == 60.0  # the group's; the private row went
    await harness.outbox.drain(timeout=600)
    assert harness.sender.texts() == ["hi", "held"]


async def test_a_running_outbox_sends_what_is_queued_once_woken(harness):
    await harness.outbox.start()
    await harness.queue(42, "hello")
    harness.outbox.wake()

    await wait_until(lambda: _state_is(harness, 1, "sent"))
    await harness.outbox.stop()

    assert harness.sender.texts() == ["hello"]


# --- order and priority -----------------------------------------------------------------------


async def test_a_chats_rows_go_in_order_even_when_one_is_tried_again(harness):
    await harness.queue(42, *(f"m{n}" for n in range(6)))
    await harness.queue(43, "other")
    harness.sender.failures["m2"] = [NetworkError("Bad Gateway")]

    await harness.outbox.drain(timeout=60)

    assert harness.sender.texts(42) == [f"m{n}" for n in range(6)]
    assert harness.sender.times(43) == [0.0]


async def test_a_relay_queued_after_a_hundred_bulk_rows_goes_first(harness):
    for chat in range(1, 101):
        await harness.queue(chat, "bulk", priority=10)
    await harness.queue(500, "relay", priority=0)

    await harness.outbox.drain(timeout=60)

    assert harness.sender.sent[0].chat_id == 500
    assert len(harness.sender.sent) == 101


# --- exactly once -----------------------------------------------------------------------------


async def test_a_sent_row_records_its_message_id_and_is_never_picked_again(harness):
    await harness.queue(42, "hello")

    await harness.outbox.drain(timeout=60)
    await harness.outbox.drain(timeout=60)

    row = await harness.row(1)
    assert (row.state, row.telegram_message_id, row.attempts) == ("sent", 1001, 1)
    assert row.sent_at == EPOCH
    assert harness.sender.texts() == ["hello"]


async def test_two_steps_at_once_and_a_step_during_the_send_send_each_row_once(harness):
    harness.sender.gate = asyncio.Event()
    for chat in (1, 2, 3):
        await harness.queue(chat, "hi")

    await asyncio.gather(harness.outbox.step(), harness.outbox.step())
    await harness.outbox.step()
    await asyncio.sleep(0.01)

    assert len(harness.sender.attempts) == 3
    assert {(await harness.row(n)).state for n in (1, 2, 3)} == {"sending"}
    harness.sender.gate.set()
    await harness.outbox.drain(timeout=60)
    assert Counter(s.chat_id for s in harness.sender.sent) == {1: 1, 2: 1, 3: 1}
    assert {(await harness.row(n)).state for n in (1, 2, 3)} == {"sent"}


async def test_the_record_of_a_send_is_in_the_transaction_that_marks_it_sent(harness):
    seen: list[str] = []

    async def render(row: OutboxRow) -> Delivery:
        async def sent(result: object) -> None:
            seen.append((await harness.row(row.outbox_id)).state)
            await harness.store.outbox.add([NewRow(7, "say", {"text": "follow-up"})])
            raise RuntimeError("the record fails")

        return Delivery(send=lambda: harness.sender.send(42, "hello"), sent=sent)

    harness.outbox.register("recorded", render)
    await harness.queue(42, "hello", kind="recorded")

    await harness.outbox.drain(timeout=60)

    assert seen == ["sending"]
    assert (await harness.row(1)).state == "sent"  # it reached Telegram: never again
    assert await harness.store.outbox.get(2) is None  # the record was rolled back whole
    assert harness.sender.texts() == ["hello"]


async def test_every_row_goes_once_across_a_clean_stop_and_restart(harness):
    harness.sender.latency = 0.002
    for chat in range(1, 6):
        await harness.queue(chat, *(f"{chat}:{n}" for n in range(10)))

    async def enough_sent() -> bool:
        return len(harness.sender.sent) >= 20

    await harness.outbox.start()
    await wait_until(enough_sent)
    await harness.outbox.stop()
    backlog = await harness.store.outbox.backlog()
    assert backlog["sending"] == 0
    assert backlog["sent"] == len(harness.sender.sent) < 50

    await harness.reopen()

    async def all_sent() -> bool:
        return (await harness.store.outbox.backlog())["sent"] == 50

    await harness.outbox.start()
    await wait_until(all_sent)
    await harness.outbox.stop()
    assert len(harness.sender.sent) == 50
    assert not any(row.uncertain for row in harness.rendered)
    for chat in range(1, 6):
        assert harness.sender.texts(chat) == [f"{chat}:{n}" for n in range(10)]


async def test_a_row_left_sending_by_a_crash_goes_again_flagged_uncertain(harness):
    await harness.queue(42, "hello")
    assert await harness.store.outbox.sending(1)  # picked, then the process died

    await harness.reopen()
    await harness.outbox.start()
    await wait_until(lambda: _state_is(harness, 1, "sent"))
    await harness.outbox.stop()

    assert [row.uncertain for row in harness.rendered] == [True]
    assert harness.sender.texts() == ["hello"]


async def test_a_send_that_outlives_stop_is_left_for_the_next_start(harness):
    harness.sender.gate = asyncio.Event()
    await harness.queue(42, "hello")
    await harness.outbox.start()

    async def in_flight() -> bool:
        return bool(harness.sender.attempts)

    await wait_until(in_flight)
    await harness.outbox.stop(timeout=0.01)

    assert (await harness.row(1)).state == "sending"
    harness.sender.gate.set()
    await harness.reopen()
    await harness.outbox.start()
    await wait_until(lambda: _state_is(harness, 1, "sent"))
    await harness.outbox.stop()
    assert harness.rendered[-1].uncertain


async def test_stop_waits_for_the_sends_in_flight(harness):
    harness.sender.gate = asyncio.Event()
    await harness.queue(42, "hello")
    await harness.outbox.start()

    async def in_flight() -> bool:
        return bool(harness.sender.attempts)

    await wait_until(in_flight)
    stopping = asyncio.create_task(harness.outbox.stop())
    await asyncio.sleep(0.01)
    assert not stopping.done()
    harness.sender.gate.set()
    await stopping

    assert (await harness.row(1)).state == "sent"


async def _state_is(harness: Harness, outbox_id: int, state: str) -> bool:
    return (await harness.row(outbox_id)).state == state


# --- how a send can end -----------------------------------------------------------------------


async def test_a_blocked_chat_ends_blocked_and_the_refusal_is_told(harness):
    harness.sender.failures["hi"] = [Forbidden("Forbidden: bot was blocked by the user")]
    await harness.queue(42, "hi")

    await harness.outbox.drain(timeout=60)

    row = await harness.row(1)
    assert (row.state, row.reason) == ("blocked", "Forbidden: bot was blocked by the user")
    assert harness.refusals == [(1, "blocked", "Forbidden: bot was blocked by the user")]


async def test_a_bad_request_fails_with_its_reason_and_the_refusal_is_told(harness):
    harness.sender.failures["hi"] = [BadRequest("Chat not found")]
    await harness.queue(42, "hi", "next")

    await harness.outbox.drain(timeout=60)

    row = await harness.row(1)
    assert (row.state, row.reason, row.attempts) == ("failed", "Chat not found", 1)
    assert harness.refusals == [(1, "failed", "Chat not found")]
    assert harness.sender.texts() == ["next"]


async def test_a_network_error_is_tried_after_2_4_8_16_seconds_then_fails(harness):
    harness.sender.failures["hi"] = [NetworkError("Bad Gateway") for _ in range(5)]
    await harness.queue(42, "hi", "next")

    await harness.outbox.drain(timeout=600)

    assert [a.at for a in harness.sender.attempts if a.text == "hi"] == [0, 2, 6, 14, 30]
    row = await harness.row(1)
    assert (row.state, row.reason, row.attempts) == ("failed", "Bad Gateway", 5)
    assert harness.refusals == [(1, "failed", "Bad Gateway")]
    assert harness.sender.sent == [Sent(42, "next", 30.0)]  # it waited for the row before it


async def test_a_timeout_is_tried_again_flagged_uncertain(harness):
    harness.sender.failures["hi"] = [TimedOut()]
    await harness.queue(42, "hi")

    await harness.outbox.drain(timeout=60)

    row = await harness.row(1)
    assert (row.state, row.attempts, row.uncertain) == ("sent", 2, True)
    assert [r.uncertain for r in harness.rendered] == [False, True]


async def test_any_other_error_fails_its_row_by_class_name_and_the_sender_goes_on(harness, caplog):
    async def broken_render(row: OutboxRow) -> Delivery:
        raise ValueError("a secret message text")

    harness.outbox.register("broken", broken_render)
    harness.sender.failures["hi"] = [KeyError("another secret")]
    await harness.queue(1, "x", kind="broken")
    await harness.queue(2, "hi")
    await harness.queue(3, "fine")

    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        await harness.outbox.drain(timeout=60)

    assert [((await harness.row(n)).state, (await harness.row(n)).reason) for n in (1, 2)] == [
        ("failed", "ValueError"),
        ("failed", "KeyError"),
    ]
    assert harness.sender.texts() == ["fine"]
    assert sum(record.exc_info is not None for record in caplog.records) == 2
    assert not any("secret" in record.getMessage() for record in caplog.records)


async def test_a_row_with_nothing_to_send_any_more_is_skipped(harness):
    async def nothing(row: OutboxRow) -> None:
        return None

    harness.outbox.register("stale", nothing)
    await harness.queue(42, "x", kind="stale")

    await harness.outbox.drain(timeout=60)

    assert (await harness.row(1)).state == "skipped"


async def test_a_row_of_an_unknown_kind_fails(harness):
    await harness.queue(42, "x", kind="nobody-registered-this")
    await harness.queue(42, "after")

    await harness.outbox.drain(timeout=60)

    row = await harness.row(1)
    assert (row.state, row.reason) == ("failed", "unknown kind")
    assert harness.sender.texts() == ["after"]


async def test_a_second_waiting_row_with_the_same_coalesce_key_is_dropped(harness):
    card = [NewRow(GROUP, "say", {"text": "card v1"}, coalesce_key="card:7")]
    redrawn = [NewRow(GROUP, "say", {"text": "card v2"}, coalesce_key="card:7")]

    await harness.store.outbox.add(card)
    await harness.store.outbox.add(redrawn)
    await harness.outbox.drain(timeout=60)
    await harness.store.outbox.add(redrawn)  # once sent, the key may wait again
    await harness.outbox.drain(timeout=60)

    assert harness.sender.texts() == ["card v1", "card v2"]


async def test_an_edit_is_held_only_by_the_global_limit(harness):
    async def edit(row: OutboxRow) -> Delivery:
        return Delivery(
            send=lambda: harness.sender.send(row.chat_id, "edit", message=False), message=False
        )

    harness.outbox.register("edit", edit)
    await harness.queue(GROUP, *(f"g{n}" for n in range(20)))
    await harness.outbox.drain(timeout=60)
    await harness.queue(GROUP, "e", kind="edit")
    await harness.queue(GROUP, "g20")

    await harness.outbox.drain(timeout=600)

    assert [(s.text, s.at) for s in harness.sender.sent[20:]] == [("edit", 0.0), ("g20", 60.0)]


# --- with the real bot ------------------------------------------------------------------------


@dataclass
class StampedTelegram(FakeTelegram):
    """The offline Bot API, also noting the fake moment of every call."""

    clock: Callable[[], float] = time.monotonic
    stamps: list[tuple[str, float]] = field(default_factory=list)

    async def do_request(self, url, method, request_data=None, **timeouts):
        self.stamps.append((url.rsplit("/", 1)[-1], self.clock()))
        return await super().do_request(url, method, request_data, **timeouts)


async def test_a_real_bot_behind_paced_request_sends_the_outbox_paced(harness):
    clock, sleep = harness.time.clock, harness.time.sleep
    telegram = StampedTelegram(clock=clock)
    telegram.blocked.add(13)
    paced = PacedRequest(telegram, harness.budget, clock=clock, sleep=sleep)
    bot = Bot(TOKEN, request=paced, get_updates_request=paced)
    await bot.initialize()
    group_times: list[float] = []

    async def say(row: OutboxRow) -> Delivery:
        async def sent(message) -> None:
            if row.chat_id == GROUP:
                group_times.append(clock())

        return Delivery(
            send=lambda: bot.send_message(row.chat_id, row.payload["text"], parse_mode="HTML"),
            sent=sent,
        )

    outbox = Outbox(harness.store, harness.budget, clock=clock, sleep=sleep)
    outbox.register("bot-say", say)
    for chat in range(1, 41):
        await harness.queue(chat, f"<b>hello</b> {chat}", kind="bot-say")
    await harness.queue(GROUP, *(f"group {n}" for n in range(21)), kind="bot-say")

    await outbox.drain(timeout=600)
    await bot.shutdown()

    sends = [at for method, at in telegram.stamps if method == "sendMessage"]
    assert len(sends) == 61
    assert sends.count(0.0) == 30
    assert most_in_window(sends, 1.0) == 30
    assert most_in_window(group_times, 60.0) == 20 and group_times[-1] >= 60.0
    row = await harness.row(13)
    assert (row.state, row.reason) == ("blocked", "Forbidden: bot was blocked by the user")
    first = await harness.row(1)
    assert telegram.messages[(1, first.telegram_message_id)]["text"] == "hello 1"
    assert (await harness.store.outbox.backlog())["sent"] == 60
    assert paced.too_many_requests == 0
