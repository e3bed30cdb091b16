"""PacedRequest on virtual time: every call of a real Bot keeps Telegram's limits."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import random
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import BaseRequest

from bot.domain.pacing import Budget
from bot.pacedrequest import PacedRequest, pacing_of
from tests.domain.test_pacing import most_in_window, within_token_bucket

# Telegram's limits to the letter: 30 in any second, in bursts (Kapstok's own budget adds a
# margin and spaces its sends; see test_pacing.py).
EXACT_SECOND = {"global_window": 1.0, "even": False}

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz"
API = "https://api.telegram.org/bot" + TOKEN
GROUP = -100
SPECIAL_RESULTS = {
    "getUpdates": [],
    "getMe": {"id": 123456789, "is_bot": True, "first_name": "Kapstok"},
    "getChatMemberCount": 12,
}


class VirtualTime:
    """A clock that only moves when every task it runs is asleep: then to the first wake-up."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), woken))
        await woken

    async def gather(self, *calls: Awaitable, return_exceptions: bool = False) -> list:
        """Run calls concurrently to the end, moving the clock whenever they all sleep."""
        tasks = [asyncio.ensure_future(call) for call in calls]
        for _ in range(1_000_000):
            await asyncio.sleep(0)
            running = [task for task in tasks if not task.done()]
            if not running:
                return await asyncio.gather(*tasks, return_exceptions=return_exceptions)
            if len(self._sleepers) == len(running):
                self._wake_first()
        raise AssertionError("the tasks neither end nor sleep")

    def _wake_first(self) -> None:
        self.now = self._sleepers[0][0]
        while self._sleepers and self._sleepers[0][0] == self.now:
            heapq.heappop(self._sleepers)[2].set_result(None)


@dataclass(frozen=True)
class Call:
    method: str
    chat_id: int | None
    at: float


class RecordingTelegram(BaseRequest):
    """The Bot API as small as these tests need: answers every call and records its moment."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self.answers: dict[int, tuple[int, dict]] = {}  # call number -> (status, JSON)
        self.initialized = self.shut_down = False

    @property
    def read_timeout(self) -> float:
        return 7.0

    async def initialize(self) -> None:
        self.initialized = True

    async def shutdown(self) -> None:
        self.shut_down = True

    async def do_request(self, url, method, request_data=None, **timeouts) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        chat_id = request_data.parameters.get("chat_id") if request_data else None
        chat_id = None if chat_id is None else int(chat_id)
        self.calls.append(Call(api_method, chat_id, self.clock()))
        status, body = self.answers.get(
            len(self.calls), (200, {"ok": True, "result": self._result(api_method, chat_id)})
        )
        return status, json.dumps(body).encode()

    def _result(self, api_method: str, chat_id: int | None) -> object:
        if api_method in SPECIAL_RESULTS:
            return SPECIAL_RESULTS[api_method]
        if chat_id is None:
            return True
        chat_type = "private" if chat_id > 0 else "supergroup"
        return {
            "message_id": len(self.calls),
            "date": 0,
            "chat": {"id": chat_id, "type": chat_type},
            "text": "x",
        }

    def times(self, method: str = "sendMessage", chat_id: int | None = None) -> list[float]:
        return [
            call.at
            for call in self.calls
            if call.method == method and (chat_id is None or call.chat_id == chat_id)
        ]


def too_many_requests(retry_after: int) -> tuple[int, dict]:
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


@pytest.fixture
def time():
    return VirtualTime()


@pytest.fixture
def telegram(time):
    return RecordingTelegram(time.clock)


@pytest.fixture
def paced(time, telegram):
    return PacedRequest(telegram, Budget(**EXACT_SECOND), clock=time.clock, sleep=time.sleep)


@pytest.fixture
def bot(paced):
    return Bot(TOKEN, request=paced, get_updates_request=paced)


async def test_forty_private_chats_at_once_send_thirty_then_ten_a_second_later(time, bot, telegram):
    await time.gather(*(bot.send_message(chat, "hi") for chat in range(1, 41)))

    assert sorted(telegram.times()) == [0.0] * 30 + [1.0] * 10


async def test_one_private_chat_gets_three_at_once_then_one_a_second(time, bot, telegram):
    await time.gather(*(bot.send_message(42, "hi") for _ in range(5)))

    assert sorted(telegram.times()) == [0.0, 0.0, 0.0, 1.0, 2.0]


async def test_a_chat_id_given_as_text_counts_for_that_chat(time, bot, telegram):
    await time.gather(*(bot.send_message(chat, "hi") for chat in ["42", 42, "42", 42]))

    assert sorted(telegram.times()) == [0.0, 0.0, 0.0, 1.0]


async def test_a_group_gets_twenty_then_the_twenty_first_a_minute_later(time, bot, telegram):
    await time.gather(*(bot.send_message(GROUP, "hi") for _ in range(25)))

    assert sorted(telegram.times()) == [0.0] * 20 + [60.0] * 5


async def test_edits_in_a_group_are_held_only_by_the_global_limit(time, bot, telegram):
    await time.gather(*(bot.send_message(GROUP, "hi") for _ in range(20)))
    await time.gather(
        bot.send_message(GROUP, "the 21st"),
        *(bot.edit_message_text("edited", chat_id=GROUP, message_id=n) for n in range(1, 21)),
    )

    edits = telegram.times("editMessageText", GROUP)
    assert sorted(edits) == [0.0] * 10 + [1.0] * 10  # 30 a second, whichever the chat
    assert telegram.times(chat_id=GROUP)[-1] == 60.0


async def test_get_updates_and_calls_without_a_chat_never_wait(time, bot, paced, telegram):
    paced.budget.pause(100.0)

    await time.gather(
        bot.get_updates(timeout=50),
        bot.get_me(),
        bot.answer_callback_query("7"),
        bot.get_chat_member_count(GROUP),
        paced.retrieve(API.replace("/bot", "/file/bot") + "/documents/a.pdf"),
    )

    assert [call.at for call in telegram.calls] == [0.0] * 5


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter(...)
async def test_a_429_holds_every_chat_and_the_second_after_holds_thirty(time, bot, paced, telegram):
    telegram.answers[1] = too_many_requests(3)

    with pytest.raises(RetryAfter):
        await bot.send_message(1, "hi")
    await time.gather(*(bot.send_message(chat, "hi") for chat in [*range(2, 102), GROUP]))

    later = telegram.times()[1:]
    assert paced.too_many_requests == 1
    assert min(later) == 3.0
    assert sum(3.0 <= at < 4.0 for at in later) == 30
    assert most_in_window(telegram.times(), 1.0) == 30


async def test_the_answer_to_a_429_is_returned_unchanged(paced, telegram):
    telegram.answers[1] = too_many_requests(3)

    status, payload = await paced.do_request(API + "/getMe", "POST")

    assert (status, json.loads(payload)) == too_many_requests(3)
    assert paced.budget.paused_until == 3.0
    assert paced.too_many_requests == 1


@pytest.mark.parametrize("seed", range(5))
async def test_a_hundred_concurrent_calls_never_exceed_the_limits(time, bot, telegram, seed):
    chance = random.Random(seed)
    chats = [chance.choice([*range(1, 9), GROUP, GROUP - 1]) for _ in range(100)]
    calls = [
        bot.edit_message_text("e", chat_id=chat, message_id=1)
        if chance.random() < 0.2
        else bot.send_message(chat, "m")
        for chat in chats
    ]

    await time.gather(*calls)

    assert len(telegram.calls) == 100
    everything = [call.at for call in telegram.calls]
    assert most_in_window(everything, 1.0) <= 30
    sends: dict[int, list[float]] = defaultdict(list)
    for call in telegram.calls:
        if call.method == "sendMessage":
            sends[call.chat_id].append(call.at)
    for chat, times in sends.items():
        if chat > 0:
            assert within_token_bucket(times), chat
        else:
            assert most_in_window(times, 60.0) <= 20, chat


async def test_initialize_shutdown_and_read_timeout_are_the_inner_requests(paced, telegram):
    await paced.initialize()
    await paced.shutdown()

    assert telegram.initialized and telegram.shut_down
    assert paced.read_timeout == 7.0


@pytest.mark.parametrize(
    ("method", "parameters", "pacing"),
    [
        ("sendMessage", {"chat_id": 5}, (5, True)),
        ("sendMediaGroup", {"chat_id": "-7"}, (-7, True)),
        ("copyMessage", {"chat_id": 5, "from_chat_id": -7}, (5, True)),
        ("editMessageText", {"chat_id": -7}, (-7, False)),
        ("setMessageReaction", {"chat_id": 5}, (5, False)),
        ("createForumTopic", {"chat_id": -7}, (-7, False)),
        ("sendMessage", {"chat_id": "@channel"}, (0, True)),
        ("editMessageText", {"inline_message_id": "x"}, None),
        ("getChat", {"chat_id": -7}, None),
        ("getUpdates", {"timeout": 50}, None),
        ("answerCallbackQuery", {"callback_query_id": "1"}, None),
        ("setMyCommands", {"commands": []}, None),
    ],
)
def test_which_calls_count_for_which_chat(method, parameters, pacing):
    assert pacing_of(f"{API}/{method}", SimpleNamespace(parameters=parameters)) == pacing


def test_file_downloads_and_calls_without_data_are_not_paced():
    assert pacing_of(API.replace("/bot", "/file/bot") + "/photos/sendMessage", None) is None
    assert pacing_of(f"{API}/getMe", None) is None
