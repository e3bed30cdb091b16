"""The outbox sender: the one place that sends the rows of `store.outbox`, paced, each once.

It knows no kapstok. A package registers a *kind* with a render function; when a row of that
kind has its turn, the row is rendered into a `Delivery` (the Bot API call, and what to record
when it went) and sent. The rules:

- a chat's rows go one at a time and in order; relays (priority 0) before bulk rows;
- a row is only started when the budget lets its chat send now; the bot's `PacedRequest`
  counts the send in that same budget;
- a row is marked 'sending' before its call and 'sent' in the same transaction as what its
  `Delivery.sent` records, so it is sent once; a row left 'sending' by a crash goes again at
  the next start, flagged uncertain;
- Telegram says wait (429): the row waits again, uncounted; blocked (403): 'blocked'; refused
  (400): 'failed'; a network error or 5xx: tried again after 2, 4, 8, 16 s, then 'failed';
  anything else: 'failed' with the error's class name, and the sender goes on.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.domain.pacing import Budget
from storage import Store
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

# How many due rows one step looks at: more chats than this held back by their own limit at
# once (never in Kapstok) would delay the rows behind them until those chats may send again.
PAGE = 100
BACKOFF_BASE = 2.0  # seconds before the 2nd try; doubled for each next one
PATIENT_BACKOFF = 120.0  # at most this long between the tries of a patient delivery
ERROR_PAUSE = 5.0  # after a step that failed (the database): look again this much later


@dataclass
class Delivery:
    """What one outbox row does when its turn comes."""

    send: Callable[[], Awaitable[object]]  # the Bot API call(s), through the real bot
    # Record what was sent (e.g. the message id); runs in the transaction that marks it sent.
    sent: Callable[[object], Awaitable[None]] | None = None
    # (state 'blocked' or 'failed', reason): e.g. tell the liaison group; after the row ended.
    refused: Callable[[str, str], Awaitable[None]] | None = None
    message: bool = True  # False for an edit: only the global limit applies
    # A relay the municipality must get: network errors are tried again for as long as they
    # last (every PATIENT_BACKOFF at most), never given up.
    patient: bool = False


Render = Callable[[OutboxRow], Awaitable[Delivery | None]]  # None: nothing to send any more


def retry_seconds(error: RetryAfter) -> float:
    """The seconds a RetryAfter asks to wait, without PTB's deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def message_id_of(result: object) -> int | None:
    """The id of the message a send made (the first of an album), if it made one."""
    if isinstance(result, list | tuple):
        result = result[0] if result else None
    message_id = getattr(result, "message_id", None)
    return message_id if isinstance(message_id, int) else None


class Outbox:
    """Sends the due rows of `store.outbox` through the kinds registered for them."""

    def __init__(
        self,
        store: Store,
        budget: Budget,
        *,
        in_flight: int = 10,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        max_attempts: int = 5,
        retry_after_of: Callable[[RetryAfter], float] = retry_seconds,
    ) -> None:
        self._store = store
        self.budget = budget
        self._in_flight = in_flight
        self._clock = clock
        self._now = now or store.now
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._retry_after_of = retry_after_of
        self._renders: dict[str, Render] = {}
        # Called with the chat id when a private chat refuses the bot (blocked, deactivated).
        self.on_blocked: list[Callable[[int], Awaitable[None]]] = []
        self._busy_chats: set[int] = set()  # a row of theirs is being rendered or sent
        self._sends: set[asyncio.Task[None]] = set()
        self._woken = asyncio.Event()
        self._queued = False
        self._stepping = asyncio.Lock()  # one step at a time: its due rows are not stale
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None

    def register(self, kind: str, render: Render) -> None:
        """Let rows of this kind be sent: render makes a row's Delivery when its turn comes."""
        if kind in self._renders:
            raise ValueError(f"outbox kind {kind!r} is registered twice")
        self._renders[kind] = render

    def queued(self) -> None:
        """Rows were added (maybe not yet committed): `wake_if_queued` will look."""
        self._queued = True

    def wake_if_queued(self) -> None:
        """After a commit: look again, if anything was queued since the last look."""
        if self._queued:
            self._queued = False
            self.wake()

    def wake(self) -> None:
        """New rows were committed (or a send ended): look again now."""
        self._woken.set()

    @property
    def in_flight(self) -> int:
        """How many rows are being rendered or sent."""
        return len(self._busy_chats)

    # --- one step ---------------------------------------------------------------------------

    async def step(self) -> float | None:
        """Start what is due now; return the seconds until it should look again (None: only
        when woken)."""
        async with self._stepping:
            return await self._step()

    async def _step(self) -> float | None:
        if self._stopping or self.in_flight >= self._in_flight:
            return None
        if held := self._held_for_every_chat():
            return held
        now = self._now()
        delays: list[float] = []
        due = await self._store.outbox.due(now, PAGE)
        for row in due:
            if self._stopping or self.in_flight >= self._in_flight:
                return None
            if held := self._held_for_every_chat():
                delays.append(held)
                break
            if row.chat_id in self._busy_chats:
                continue  # its send ends with a wake
            delay = await self._start(row)
            if delay is not None:
                delays.append(delay)
        if not due or not self._sends:
            # Rows in flight end with a wake, and the next step looks again; with none, wait
            # for the next row that waits for its moment.
            retry_at = await self._store.outbox.next_retry(after=now)
            if retry_at is not None:
                delays.append(max((retry_at - now).total_seconds(), 0.0))
        return min(delays, default=None)

    def _held_for_every_chat(self) -> float:
        """Seconds until any chat may send (the global limit, a pause); 0.0 if one may now."""
        moment = self._clock()
        return max(self.budget.earliest(0, moment, message=False) - moment, 0.0)

    async def _start(self, row: OutboxRow) -> float | None:
        """Render the row and start its send if its chat may send now; else the seconds until
        it may."""
        self._busy_chats.add(row.chat_id)  # before any await: no other step takes this chat
        started = False
        try:
            delivery = await self._render(row)
            if delivery is None:
                return 0.0  # the row ended here: the chat's next row may be due now
            moment = self._clock()
            held_until = self.budget.earliest(row.chat_id, moment, message=delivery.message)
            if held_until > moment:
                return held_until - moment
            if not await self._store.outbox.sending(row.outbox_id):
                return None  # no longer pending: not ours to send
            task = asyncio.create_task(self._deliver(row, delivery))
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)
            started = True
            # Let the send begin, so PacedRequest counts it before the next row is weighed.
            await asyncio.sleep(0)
            return None
        finally:
            if not started:
                self._busy_chats.discard(row.chat_id)

    async def _render(self, row: OutboxRow) -> Delivery | None:
        """The row's Delivery; None when the row ended here (skipped, unknown, broken)."""
        render = self._renders.get(row.kind)
        if render is None:
            await self._end(row, "failed", "unknown kind")
            return None
        try:
            delivery = await render(row)
        except Exception as error:
            log.exception("outbox row %s (%s) could not be rendered", row.outbox_id, row.kind)
            await self._end(row, "failed", type(error).__name__)
            return None
        if delivery is None:
            await self._end(row, "skipped", "nothing to send any more")
        return delivery

    # --- one send ---------------------------------------------------------------------------

    async def _deliver(self, row: OutboxRow, delivery: Delivery) -> None:
        """Send one row and record how it went; never raises but for cancellation."""
        try:
            await self._send(row, delivery)
        except Exception:
            # Marking the outcome failed (the database): the row stays 'sending' and goes
            # again, uncertain, after the next start.
            log.exception("outbox row %s: its outcome could not be recorded", row.outbox_id)
        finally:
            self._busy_chats.discard(row.chat_id)
            self.wake()

    async def _send(self, row: OutboxRow, delivery: Delivery) -> None:
        """Make the call, then mark the row by its outcome."""
        try:
            result = await delivery.send()
        except RetryAfter as error:
            self.budget.pause(self._clock() + self._retry_after_of(error))
            await self._store.outbox.unsend(row.outbox_id)
        except Forbidden as error:
            await self._refuse(row, delivery, "blocked", str(error))
        except BadRequest as error:
            await self._refuse(row, delivery, "failed", str(error))
        except NetworkError as error:  # also TimedOut, and 5xx
            await self._retry_later(row, delivery, error)
        except Exception as error:
            log.exception("outbox row %s (%s) failed", row.outbox_id, row.kind)
            await self._refuse(row, delivery, "failed", type(error).__name__)
        else:
            await self._mark_sent(row, delivery, result)

    async def _mark_sent(self, row: OutboxRow, delivery: Delivery, result: object) -> None:
        """The row is sent, in one transaction with what its delivery records."""
        message_id = message_id_of(result)
        try:
            if delivery.sent is None:
                await self._store.outbox.sent(row.outbox_id, message_id)
                return
            async with self._store.transaction():
                await delivery.sent(result)
                await self._store.outbox.sent(row.outbox_id, message_id)
        except Exception:
            # It reached Telegram: sending it again would show it twice. Sent, unrecorded.
            log.exception("outbox row %s was sent; recording it failed", row.outbox_id)
            await self._store.outbox.sent(row.outbox_id, message_id)

    async def _retry_later(self, row: OutboxRow, delivery: Delivery, error: NetworkError) -> None:
        """Try again after a growing wait, or give up after the last attempt."""
        attempts = row.attempts + 1  # `sending` counted this one
        reason = str(error) or type(error).__name__
        if attempts >= self._max_attempts and not delivery.patient:
            await self._refuse(row, delivery, "failed", reason)
            return
        wait = min(BACKOFF_BASE * 2 ** (attempts - 1), PATIENT_BACKOFF)
        not_before = self._now() + timedelta(seconds=wait)
        uncertain = isinstance(error, TimedOut)  # it may have arrived after all
        await self._store.outbox.retry(row.outbox_id, not_before, reason, uncertain=uncertain)
        log.info("outbox row %s: try %s failed, again in %s s", row.outbox_id, attempts, wait)

    async def _refuse(self, row: OutboxRow, delivery: Delivery, state: str, reason: str) -> None:
        """End the row unsent, then let its delivery react."""
        await self._end(row, state, reason)
        if state == "blocked" and row.chat_id > 0:
            for blocked in self.on_blocked:
                try:
                    await blocked(row.chat_id)
                except Exception:
                    log.exception("outbox row %s: a blocked-chat handler failed", row.outbox_id)
        if delivery.refused is None:
            return
        try:
            await delivery.refused(state, reason)
        except Exception:
            log.exception("outbox row %s: its refusal handler failed", row.outbox_id)

    async def _end(self, row: OutboxRow, state: str, reason: str) -> None:
        await self._store.outbox.give_up(row.outbox_id, state, reason)
        log.info("outbox row %s to chat %s %s: %s", row.outbox_id, row.chat_id, state, reason)

    # --- the loop ---------------------------------------------------------------------------

    async def start(self, *, in_background: bool = True) -> None:
        """Send again what a crash left in flight, then run until `stop()` (unless the caller
        drives the sends itself with `drain()`, as tests do)."""
        recovered = await self._store.outbox.recover_in_flight()
        if recovered:
            log.warning(
                "outbox: %s row(s) were in flight at the last stop; sending again", recovered
            )
        self._stopping = False
        if in_background:
            self._runner = asyncio.create_task(self.run())

    async def run(self) -> None:
        """Step, then wait for a wake or the step's delay; until `stop()`."""
        while not self._stopping:
            self._woken.clear()
            try:
                delay = await self.step()
            except Exception:
                log.exception("outbox step failed")
                delay = ERROR_PAUSE
            if not self._stopping:
                await self._wait(delay)

    async def _wait(self, delay: float | None) -> None:
        """Until woken, or until delay seconds passed."""
        if self._woken.is_set():
            return
        waiters = {asyncio.ensure_future(self._woken.wait())}
        if delay is not None:
            waiters.add(asyncio.ensure_future(self._sleep(delay)))
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def stop(self, timeout: float = 30.0) -> None:
        """Pick no new rows; let the sends in flight end (at most `timeout` seconds). A send
        still running then is cancelled and stays 'sending': the next start sends it again."""
        self._stopping = True
        self.wake()
        if self._runner is not None:
            await self._runner
            self._runner = None
        if not self._sends:
            return
        _, late = await asyncio.wait(set(self._sends), timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
            log.warning("outbox: %s send(s) did not end in time; they go again at start", len(late))

    async def drain(self, timeout: float, *, later: bool = True) -> None:
        """Instead of `run()`, for tests and benchmarks: step until nothing is due or in
        flight; TimeoutError after `timeout` seconds of the clock. With `later=False` a row
        that waits for a later moment (a retry, a card drawn at most once a minute) is left
        waiting: for tests whose clock only moves when they move it."""
        deadline = self._clock() + timeout
        while True:
            self._woken.clear()
            delay = await self.step()
            left = deadline - self._clock()
            if left <= 0:
                raise TimeoutError(f"outbox not drained after {timeout} s")
            if self._woken.is_set():
                continue  # a send ended during the step: its chat may have a next row
            if not self._sends and (
                delay is None or (not later and not await self._store.outbox.due(self._now(), 1))
            ):
                return
            if self._sends:
                await asyncio.wait(
                    set(self._sends), timeout=left, return_when=asyncio.FIRST_COMPLETED
                )
            else:
                await self._sleep(min(delay, left))
