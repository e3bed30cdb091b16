"""Every Bot API call of the bot keeps Telegram's limits, through one shared send budget.

`PacedRequest` wraps the request object PTB sends through (HTTPXRequest in production, the
offline fake in tests): before a call that counts, it waits for the call's turn in the
`Budget`; after a 429 it pauses the budget for every chat. Which calls count:

- a new message in a chat (sendMessage, copyMessage, sendPhoto, …): that chat's limit and the
  global one;
- any other call with a chat (an edit, a reaction, deleteMessage, a forum topic, …): the
  global limit only;
- the rest (getUpdates, getMe, get*, answer*, setWebhook, file downloads, …): not paced, so a
  long poll or a button's answer never waits behind a broadcast.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from telegram.request import BaseRequest, RequestData

from bot.domain.pacing import Budget

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]

# A 429 whose body names no wait (never seen from Telegram) still holds every chat this long.
DEFAULT_RETRY_AFTER = 1.0

MESSAGE_SENDS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendVideo",
        "sendVideoNote",
        "sendAudio",
        "sendMediaGroup",
        "sendSticker",
        "sendAnimation",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendPaidMedia",
        "sendInvoice",
        "sendGame",
    }
)
# Reads and answers to a user's own action: never held back, even if they name a chat.
UNPACED_PREFIXES = ("get", "answer")
# Chats named by @username have no id to count by: they share the budget of chat 0 (a group).
UNNAMED_CHAT = 0


def api_method(url: str) -> str:
    """The Bot API method a request URL calls."""
    return url.rsplit("/", 1)[-1]


def pacing_of(url: str, request_data: RequestData | None) -> tuple[int, bool] | None:
    """The chat a call counts for and whether it is a new message; None: not paced."""
    if "/file/bot" in url or request_data is None:
        return None
    method = api_method(url)
    if method.startswith(UNPACED_PREFIXES):
        return None
    chat_id = request_data.parameters.get("chat_id")
    if chat_id is None:
        return None
    return chat_of(chat_id), method in MESSAGE_SENDS


def chat_of(chat_id: object) -> int:
    """A chat_id parameter as the integer the budget counts by."""
    try:
        return int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return UNNAMED_CHAT


def retry_after_of(payload: bytes) -> float:
    """The seconds a 429 answer asks to wait (`parameters.retry_after` of its JSON)."""
    try:
        return float(json.loads(payload)["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return DEFAULT_RETRY_AFTER


class Pacer:
    """Waits until the budget lets a call go, and counts it."""

    def __init__(
        self, budget: Budget, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.budget = budget
        self._clock = clock
        self._sleep = sleep

    async def take_turn(self, chat_id: int, *, message: bool = True) -> None:
        """Return once a call to chat_id may go; it is counted as going now."""
        while True:
            now = self._clock()
            moment = self.budget.earliest(chat_id, now, message=message)
            if moment <= now:
                # No await between the check and the count: concurrent callers cannot both
                # take the last slot.
                self.budget.record(chat_id, now, message=message)
                return
            await self._sleep(moment - now)

    def hold(self, seconds: float) -> None:
        """Telegram said wait: nothing goes, to any chat, for these seconds."""
        self.budget.pause(self._clock() + seconds)


class PacedRequest(BaseRequest):
    """A BaseRequest that paces the calls of another one through one budget."""

    def __init__(
        self,
        inner: BaseRequest,
        budget: Budget,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.inner = inner
        self.pacer = Pacer(budget, clock=clock, sleep=sleep)
        self.too_many_requests = 0  # how many 429s Telegram answered

    @property
    def budget(self) -> Budget:
        return self.pacer.budget

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Wait for the call's turn, make it, and pause everything if Telegram says 429."""
        pacing = pacing_of(url, request_data)
        if pacing is not None:
            chat_id, message = pacing
            await self.pacer.take_turn(chat_id, message=message)
        code, payload = await self.inner.do_request(
            url=url,
            method=method,
            request_data=request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if code == HTTPStatus.TOO_MANY_REQUESTS:
            self.too_many_requests += 1
            seconds = retry_after_of(payload)
            self.pacer.hold(seconds)
            log.warning("429 on %s: every chat waits %s s", api_method(url), seconds)
        return code, payload
