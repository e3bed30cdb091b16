"""A broadcast to many through the real outbox, against a Bot API that enforces 30 sends/s.

Run: python -m bench.broadcast [--recipients N] [--inject-at K] [--menu-at M] [--menus J]
                               [--latency MIN MAX] [--uplink-jitter MS] [--timeline]

The real application (build_application, send_in_background=True, Telegram's default Budget,
real time) runs on a fresh database in a temporary directory, seeded with N approved
associations of one board member each. A broadcast to everyone is created and started
(handlers.broadcasts.sending.start) as the liaison's ⏩ Send does; the outbox sends it by itself.

The offline Bot API (tests.fake_telegram.FakeTelegram, so its answers are checked as in the
tests) answers every call after a latency (default 30-60 ms, asyncio.sleep, so sends overlap)
and records the moment each call that Telegram's flood limit counts arrives (a call with a
chat: new messages, edits, reactions; not get*/answer*). Such a call that would be the 31st in
the trailing second (arrivals in (t - 1, t]) is refused with Telegram's 429 (retry after 1);
refused calls do not count in the window. Once, the K-th counted call (default 30 % of N) is
refused with a 429 whose retry_after is 2 s whatever the window holds: the bot must pause every
chat for 2 s and then keep to 30 a second again. When M broadcast messages (default half of N)
have been accepted, the last recipient (whose broadcast is still waiting) sends /menu through
the real inbox; its reply time is from `inbox.accept` until the menu reached the Bot API. That
moment falls inside one of the outbox's bursts (the budget lets 30 go as soon as the 30 of a
second before expire), where a slot is often still free; so J-1 other recipients (default
J = 10) send /menu spread over the next second, and the median and worst of all J are shown
too: a /menu that comes after a burst used the second's 30 waits for the next slot.
With --uplink-jitter MS, a call reaches the Bot API a random 0..MS ms after the bot sent it
(the window is judged at that moment): the network's jitter, which the bot's pacing cannot see.

Printed: the total time (the start to the last broadcast message answered), the ideal
(N/30 s plus the injected pause), the 429s the window rule gave, the most counted calls in any
one-second window overall and in the 2 s after the injected pause ended, the /menu reply time,
and how the broadcast's rows ended; each beside its goal. A benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.application import build_application
from bot.config import Config
from bot.domain.associations import AssociationKind
from bot.domain.audience import Audience
from bot.domain.pacing import GLOBAL_PER_SECOND
from bot.pacedrequest import MESSAGE_SENDS, pacing_of
from handlers.broadcasts import sending
from tests.fake_telegram import FakeTelegram

TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwxyz"
LIAISON_CHAT_ID = -1001234567890
ADMIN_ID = 1
FIRST_MEMBER = 100_000
BODY = "<b>Nieuwsbrief</b>: de subsidieaanvragen voor 2027 staan open tot 31 januari."
INJECTED_RETRY_AFTER = 2
KINDS = tuple(AssociationKind)


# --- the offline Bot API with Telegram's flood limit -----------------------------------------


@dataclass
class Arrival:
    """A call the flood limit counts, as the Bot API saw it."""

    at: float  # perf_counter when it reached the Bot API
    method: str
    chat_id: int
    text: str | None
    keyboard: bool  # it came with a reply_markup (the menu does, an apology does not)
    outcome: str = "ok"  # ok, window (refused: 31st in a second), injected (the planted 429)
    answered: float | None = None  # perf_counter when its answer left


class FloodLimitedTelegram(FakeTelegram):
    """FakeTelegram that answers after a latency and refuses the 31st counted call in any
    trailing second with a real 429; one planted 429 (retry_after 2) at the inject_at-th."""

    def __init__(
        self,
        *,
        latency: tuple[float, float],
        uplink_jitter: float,
        inject_at: int | None,
        broadcast_mark: int,
        seed: int = 1,
    ) -> None:
        super().__init__()
        self.latency = latency
        self.uplink_jitter = uplink_jitter
        self.inject_at = inject_at
        self.arrivals: list[Arrival] = []
        self._window: deque[float] = deque()  # accepted counted calls of the last second
        self._random = random.Random(seed)
        self.broadcasts_accepted = 0
        self.broadcast_mark = broadcast_mark
        self.mark_reached = asyncio.Event()
        self.injected: Arrival | None = None

    @property
    def read_timeout(self) -> float:
        return 5.0

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
        latency = self._random.uniform(*self.latency)
        pacing = pacing_of(url, request_data)
        if pacing is None:  # not counted by the flood limit (getMe, answerCallbackQuery, ...)
            code, body = await super().do_request(url, method, request_data)
            await asyncio.sleep(latency)
            return code, body
        if self.uplink_jitter:
            await asyncio.sleep(self._random.uniform(0, self.uplink_jitter))
        now = time.perf_counter()
        params = request_data.parameters if request_data is not None else {}
        api_method = url.rsplit("/", 1)[-1]
        keyboard = bool(params.get("reply_markup"))
        arrival = Arrival(now, api_method, pacing[0], params.get("text"), keyboard)
        self.arrivals.append(arrival)
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if self.inject_at is not None and len(self.arrivals) == self.inject_at:
            arrival.outcome = "injected"
            self.injected = arrival
            return await self._too_many(arrival, latency, INJECTED_RETRY_AFTER)
        if len(window) >= GLOBAL_PER_SECOND:
            arrival.outcome = "window"
            return await self._too_many(arrival, latency, 1)
        window.append(now)
        code, body = await super().do_request(url, method, request_data)
        if code == 200 and api_method in MESSAGE_SENDS and arrival.text == BODY:
            self.broadcasts_accepted += 1
            if self.broadcasts_accepted == self.broadcast_mark:
                self.mark_reached.set()
        await asyncio.sleep(latency)
        arrival.answered = time.perf_counter()
        return code, body

    @staticmethod
    async def _too_many(arrival: Arrival, latency: float, retry_after: int) -> tuple[int, bytes]:
        await asyncio.sleep(latency)
        arrival.answered = time.perf_counter()
        body = {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        }
        return 429, json.dumps(body).encode()


# --- the figures -----------------------------------------------------------------------------


def most_in_a_second(times: list[float], starts_from: float = float("-inf"), until=None) -> int:
    """The most of `times` (sorted) in any window [t, t + 1) with t one of them, from
    `starts_from` on; only times before `until` count."""
    until = float("inf") if until is None else until
    best = 0
    first = bisect.bisect_left(times, starts_from)
    for i in range(first, len(times)):
        if times[i] >= until:
            break
        end = bisect.bisect_left(times, min(times[i] + 1.0, until))
        best = max(best, end - i)
    return best


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


class LogCounter(logging.Handler):
    """Counts what the application logs at WARNING and above (the log goes to /dev/null)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: Counter[str] = Counter()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records[record.levelname] += 1
        line = f"{record.levelname} {record.name}: {record.getMessage()[:160]}"
        if record.levelno >= logging.ERROR and record.exc_info and record.exc_info[1]:
            line += f" ({record.exc_info[1]!r})"[:200]
        self.lines.append(line)


def production_logging() -> LogCounter:
    stream = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
        force=True,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    return counter


# --- the run ---------------------------------------------------------------------------------


async def seed(application: Application, recipients: int) -> list[int]:
    """The admin, and `recipients` approved associations of one board member each."""
    store = application.bot_data.store
    members = [FIRST_MEMBER + n for n in range(recipients)]
    async with store.transaction():
        await store.users.ensure(ADMIN_ID, "Admin", None, None, "nl")
        for n, user_id in enumerate(members):
            await store.users.ensure(user_id, f"Lid {n}", None, None, "nl")
            association = await store.associations.register(
                user_id, f"Vereniging {n}", KINDS[n % len(KINDS)], "Een vereniging."
            )
            await store.associations.decide(association.association_id, True, ADMIN_ID, "Admin")
    return members


def menu_update(user_id: int, update_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"Lid {user_id}"},
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": f"Lid {user_id - FIRST_MEMBER}",
                "language_code": "nl",
            },
            "text": "/menu",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


@dataclass
class MenuTiming:
    asked: float
    reached: float | None  # the menu reached the Bot API
    handled: float  # inbox.drain() returned: the update is handled (its reply answered)
    other: int  # other messages to the member meanwhile (an apology after an error)


async def ask_menu(
    application: Application,
    telegram: FloodLimitedTelegram,
    user_id: int,
    update_id: int,
    delay: float,
) -> MenuTiming:
    """When the mark is reached: /menu from user_id through the real inbox."""
    await telegram.mark_reached.wait()
    if delay:
        await asyncio.sleep(delay)
    inbox = application.bot_data.inbox
    asked = time.perf_counter()
    await inbox.accept([menu_update(user_id, update_id)])
    await inbox.drain()
    handled = time.perf_counter()
    replies = [
        a
        for a in telegram.arrivals
        if a.at >= asked
        and a.chat_id == user_id
        and a.method == "sendMessage"
        and a.text != BODY
        and a.outcome == "ok"
    ]
    menus = [a.at for a in replies if a.keyboard]
    return MenuTiming(asked, menus[0] if menus else None, handled, len(replies) - len(menus))


async def run(arguments: argparse.Namespace) -> None:
    n = arguments.recipients
    inject_at = arguments.inject_at if arguments.inject_at is not None else max(1, n * 3 // 10)
    menu_at = arguments.menu_at if arguments.menu_at is not None else max(1, n // 2)
    logs = production_logging()
    telegram = FloodLimitedTelegram(
        latency=(arguments.latency[0] / 1000, arguments.latency[1] / 1000),
        uplink_jitter=arguments.uplink_jitter / 1000,
        inject_at=inject_at or None,
        broadcast_mark=menu_at,
    )
    with tempfile.TemporaryDirectory(prefix="kapstok-broadcast-") as folder:
        config = Config(
            bot_token=TOKEN,
            liaison_chat_id=LIAISON_CHAT_ID,
            admin_ids=frozenset({ADMIN_ID}),
            database_path=Path(folder) / "kapstok.sqlite3",
            default_language="nl",
            timezone=ZoneInfo("Europe/Brussels"),
            base_url="https://api.telegram.org/bot",
            base_file_url="https://api.telegram.org/file/bot",
        )
        app = await build_application(
            config, request=telegram, get_updates_request=telegram, send_in_background=True
        )
        await app.initialize()
        await app.post_init(app)
        await app.start()
        # The periodic jobs (nudges, tidying) are no part of a broadcast.
        for job in app.job_queue.jobs():
            job.schedule_removal()
        store, outbox = app.bot_data.store, app.bot_data.outbox
        try:
            began = time.perf_counter()
            members = await seed(app, n)
            seeded = time.perf_counter() - began
            # The first /menu comes the moment the mark is reached; the others, from other
            # board members still waiting for the broadcast, spread over the next second.
            spread = 1.0 / arguments.menus
            menu_tasks = [
                asyncio.create_task(ask_menu(app, telegram, members[-1 - i], i + 1, i * spread))
                for i in range(min(arguments.menus, n))
            ]
            started = time.perf_counter()
            async with store.transaction():
                broadcast_id = await store.broadcasts.create(
                    author_id=ADMIN_ID,
                    author_name="Admin",
                    body=BODY,
                    media_kind=None,
                    file_id=None,
                    audience=Audience(),
                    report_chat_id=ADMIN_ID,
                    report_topic=None,
                    send_at=None,
                )
                queued = await sending.start(app, broadcast_id)
            outbox.wake()
            batch = f"broadcast:{broadcast_id}"
            deadline = started + n / GLOBAL_PER_SECOND * 3 + 60
            while True:
                counts = await store.outbox.batch_counts(batch)
                if counts.pending == 0 or time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.05)
            all_ended = time.perf_counter()
            menus: list[MenuTiming] = []
            if telegram.mark_reached.is_set():
                menus = list(await asyncio.wait_for(asyncio.gather(*menu_tasks), timeout=30))
            else:
                for task in menu_tasks:
                    task.cancel()
        finally:
            await app.stop()
            await app.shutdown()
            await app.post_shutdown(app)

    paced = app.bot.request
    report(
        arguments,
        telegram,
        started=started,
        all_ended=all_ended,
        seeded=seeded,
        queued=queued,
        counts=counts,
        menus=menus,
        inject_at=inject_at,
        menu_at=menu_at,
        bot_429s=getattr(paced, "too_many_requests", None),
        logs=logs,
    )


def report(
    arguments: argparse.Namespace,
    telegram: FloodLimitedTelegram,
    *,
    started: float,
    all_ended: float,
    seeded: float,
    queued: int | None,
    counts,
    menus: list[MenuTiming],
    inject_at: int,
    menu_at: int,
    bot_429s: int | None,
    logs: LogCounter,
) -> None:
    n = arguments.recipients
    arrivals = telegram.arrivals
    accepted = [a.at for a in arrivals if a.outcome == "ok"]
    broadcasts = [a for a in arrivals if a.outcome == "ok" and a.text == BODY]
    last = max((a.answered for a in broadcasts), default=started)
    total = last - started
    injected = telegram.injected
    pause = INJECTED_RETRY_AFTER if injected is not None else 0
    ideal = n / GLOBAL_PER_SECOND + pause
    over = (total / ideal - 1) * 100
    window_429s = sum(1 for a in arrivals if a.outcome == "window")
    most = most_in_a_second(accepted)
    if injected is not None:
        pause_end = injected.answered + INJECTED_RETRY_AFTER
        after = most_in_a_second(accepted, pause_end, pause_end + 2.0)
        first_second = sum(1 for t in accepted if pause_end <= t < pause_end + 1)
        second_second = sum(1 for t in accepted if pause_end + 1 <= t < pause_end + 2)
        during = sum(1 for t in accepted if injected.at < t < pause_end)
    methods = Counter(f"{a.method}:{a.outcome}" for a in arrivals)

    print(
        f"broadcast to {n} board members; latency {arguments.latency[0]:g}-"
        f"{arguments.latency[1]:g} ms per call, uplink jitter {arguments.uplink_jitter:g} ms; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        f"seeded in {seeded:.2f} s; {queued} rows queued; planted 429 (retry_after "
        f"{INJECTED_RETRY_AFTER}): "
        f"{f'on counted call #{inject_at}' if inject_at else 'none'}; "
        f"/menu after {menu_at} broadcast messages"
    )
    print(f"Bot API calls counted by the flood limit: {dict(sorted(methods.items()))}")
    print()
    rows: list[tuple[str, str, str]] = [
        ("total time (start → last broadcast message answered)", f"{total:.2f} s", ""),
        (
            f"ideal ({n}/{GLOBAL_PER_SECOND} s + {pause} s pause)",
            f"{ideal:.2f} s",
            "",
        ),
        (
            "over the ideal",
            f"{over:+.1f} %",
            f"≤ +5 % {mark(over <= 5)}",
        ),
        ("all rows ended (batch_counts polled every 50 ms)", f"{all_ended - started:.2f} s", ""),
        ("429s from the window rule", f"{window_429s}", f"0 {mark(window_429s == 0)}"),
        (
            "429s the bot saw (PacedRequest; the planted one included)",
            f"{bot_429s}",
            "",
        ),
        ("most counted calls in any one-second window", f"{most}", f"≤ 30 {mark(most <= 30)}"),
    ]
    if injected is not None:
        rows += [
            (
                "  … in the 2 s after the planted pause ended",
                f"{after}",
                f"≤ 30 {mark(after <= 30)}",
            ),
            (
                "  … calls in its 1st / 2nd second; during the pause",
                f"{first_second} / {second_second}; {during}",
                "",
            ),
        ]
    menu = menus[0] if menus else None
    if menu is not None and menu.reached is not None:
        reply_ms = (menu.reached - menu.asked) * 1000
        rows.append(
            (
                "/menu reply reached the Bot API after",
                f"{reply_ms:.0f} ms",
                f"< 1000 ms {mark(reply_ms < 1000)}",
            )
        )
        rows.append(
            (
                "  … update handled (inbox.drain) after",
                f"{(menu.handled - menu.asked) * 1000:.0f} ms",
                "",
            )
        )
    else:
        rows.append(("/menu reply", "not measured (no reply seen)", "< 1000 ms MISSED"))
    unanswered = sum(1 for m in menus if m.reached is None)
    apologies = sum(m.other for m in menus)
    rows.append(
        (
            "/menus without the menu (other messages instead)",
            f"{unanswered} of {len(menus)} ({apologies})",
            f"0 {mark(unanswered == 0 and apologies == 0)}",
        )
    )
    answered = sorted((m.reached - m.asked) * 1000 for m in menus if m.reached is not None)
    if len(menus) > 1 and answered:
        handled = max(m.handled - m.asked for m in menus) * 1000
        worst = answered[-1]
        rows.append(
            (
                f"  {len(menus)} /menus over the second after: median / worst",
                f"{statistics.median(answered):.0f} / {worst:.0f} ms",
                f"< 1000 ms {mark(worst < 1000)}",
            )
        )
        rows.append(("  … worst update handled (inbox.drain) after", f"{handled:.0f} ms", ""))
    rows.append(
        (
            "rows sent / failed / blocked / skipped / pending",
            f"{counts.sent} / {counts.failed} / {counts.blocked} / {counts.skipped} / "
            f"{counts.pending}",
            f"{n} / 0 / 0 / 0 / 0 {mark(counts.sent == n and counts.pending == 0)}",
        )
    )
    width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    print(f"{'figure':<{width}}  {'value':>{value_width}}  goal")
    print("-" * (width + value_width + 20))
    for label, value, goal in rows:
        print(f"{label:<{width}}  {value:>{value_width}}  {goal}")
    if telegram.unexpected:
        print(f"\n! Bot API methods the offline fake does not know: {telegram.unexpected}")
    if logs.records:
        print(f"\nlogged at WARNING or above: {dict(logs.records)}; the first of each:")
        seen = set()
        for line in logs.lines:
            if line.split(":", 1)[0] not in seen:
                seen.add(line.split(":", 1)[0])
                print(f"  {line}")
    if arguments.timeline and accepted:
        print("\ncounted calls per second since the start (accepted; r: refused by the window)")
        per_second = Counter(int(t - started) for t in accepted)
        refused = Counter(int(a.at - started) for a in arrivals if a.outcome == "window")
        seconds = range(int(max(accepted) - started) + 1)
        print(
            " ".join(
                f"{s}:{per_second[s]}" + (f"r{refused[s]}" if refused[s] else "") for s in seconds
            )
        )
        if injected is not None:
            print(
                f"planted 429 at {injected.at - started:.2f} s, answered "
                f"{injected.answered - started:.2f} s; pause ended ≈ "
                f"{injected.answered + INJECTED_RETRY_AFTER - started:.2f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000, help="board members (1000)")
    parser.add_argument(
        "--inject-at",
        type=int,
        help="the counted call that gets the planted 429 (30 %% of N; 0: none)",
    )
    parser.add_argument("--menu-at", type=int, help="broadcast messages before /menu (N/2)")
    parser.add_argument(
        "--menus", type=int, default=10, help="/menus spread over the second after the mark (10)"
    )
    parser.add_argument(
        "--latency", type=float, nargs=2, default=(30, 60), metavar=("MIN", "MAX"), help="ms"
    )
    parser.add_argument(
        "--uplink-jitter", type=float, default=0.0, help="ms of random delay before arrival (0)"
    )
    parser.add_argument("--timeline", action="store_true", help="print calls per second")
    arguments = parser.parse_args()
    if arguments.recipients < 1 or arguments.menus < 1:
        parser.error("--recipients and --menus must be at least 1")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
