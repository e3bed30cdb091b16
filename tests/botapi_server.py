"""A local Bot API server for tests that run `python -m bot`, and the helpers to run it."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.fake_telegram import BadRequest, Call, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
JSON_PARAMETERS = {
    "reply_markup",
    "reply_parameters",
    "reaction",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
}
INT_PARAMETERS = {"chat_id", "message_id", "offset", "limit", "timeout", "message_thread_id"}
LONG_POLL_CAP = 0.5  # seconds a getUpdates may wait here, whatever timeout it asks for
UPDATES_LIMIT = 100  # Telegram's default and maximum `limit`

# Telegram's flood limits, as BotAPIServer(flood_limits=True) keeps them (bot/domain/pacing.py
# states what Kapstok promises): a message sent or edited counts against FLOOD_PER_SECOND in any
# one-second window, over all chats; a new message also against its chat: a private chat takes
# FLOOD_PRIVATE_BURST at once, then one every FLOOD_PRIVATE_INTERVAL seconds; a group takes
# FLOOD_GROUP_PER_WINDOW in any FLOOD_GROUP_WINDOW seconds.
FLOOD_PER_SECOND = 30
FLOOD_PRIVATE_BURST = 3
FLOOD_PRIVATE_INTERVAL = 1.0
FLOOD_GROUP_PER_WINDOW = 20
FLOOD_GROUP_WINDOW = 60.0
# The server counts a call when it does it, the bot when it takes the call's turn: the way in
# between (the bot's event loop, a new connection, a thread here) takes a few milliseconds more
# or less each time, up to some 50 on a busy machine. A window is this much shorter here than
# the bot's, so that this jitter alone is never a flood.
FLOOD_SLACK = 0.1
# The methods that make a new message in a chat (sendChatAction makes none).
NEW_MESSAGES = frozenset(
    {"copyMessage", "copyMessages", "forwardMessage", "forwardMessages", "sendMediaGroup"}
)


def makes_a_message(method: str) -> bool:
    """Whether a Bot API call makes a new message in its chat."""
    return method in NEW_MESSAGES or (method.startswith("send") and method != "sendChatAction")


def changes_a_message(method: str) -> bool:
    """Whether a Bot API call sends or edits a message: what the flood limits count."""
    return makes_a_message(method) or method.startswith("editMessage")


def _chat_of(params: dict) -> int:
    """The chat a call names, as a number (0 for none, or a @username: as a group)."""
    try:
        return int(params.get("chat_id") or 0)
    except ValueError:
        return 0


def most_in_window(moments: Iterable[float], seconds: float = 1.0) -> int:
    """The most of these moments in any half-open window [t, t + seconds)."""
    ordered = sorted(moments)
    most, first = 0, 0
    for last, moment in enumerate(ordered):
        while ordered[first] <= moment - seconds:
            first += 1
        most = max(most, last - first + 1)
    return most


class Hold:
    """A pause for the Bot API calls that match: before they are done, or after (`done`)."""

    # With done=True Telegram did the call (the message shows) and only its answer waits.

    def __init__(self, matches: Callable[[str, dict], bool], done: bool = False) -> None:
        self.matches = matches
        self.done = done
        self.reached = threading.Event()  # a call is waiting here
        self._open = threading.Event()
        self._dropped = False

    def release(self) -> None:
        """Let the waiting calls (and later ones) go on."""
        self._open.set()

    def drop(self) -> None:
        """End the waiting calls (and later ones) with an error, undone if not done yet."""
        self._dropped = True
        self._open.set()

    def wait(self) -> bool:
        """Wait until released or dropped; True when the call may go on."""
        self.reached.set()
        self._open.wait()
        return not self._dropped


class BotAPIServer(FakeTelegram):
    """FakeTelegram behind HTTP, safe for the server's threads, with Telegram's getUpdates."""

    # getUpdates returns the pending updates with update_id >= offset (at most `limit`) and keeps
    # each one until a getUpdates with a higher offset confirms it; it waits up to `timeout` (at
    # most LONG_POLL_CAP) for one to arrive. `latency` seconds pass between doing any other call
    # and answering it: wider moments in which the bot can be killed. With `flood_limits` a call
    # that sends or edits a message beyond Telegram's limits (FLOOD_*) is refused with 429 and
    # its retry_after, as Telegram does; not done, and not counted.

    def __init__(self, latency: float = 0.0, *, flood_limits: bool = False) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.latency = latency
        self.updates: list[dict] = []  # pending: pushed and not yet confirmed
        self.confirmed: set[int] = set()  # update ids a higher offset confirmed
        self.deliveries: Counter[int] = Counter()  # how often getUpdates returned each update
        self.holds: list[Hold] = []
        self.crashes: list[str] = []  # calls this server could not do: a bug of the test's
        self._next_update_id = 1
        self.flood_limits = flood_limits
        self.flood_slack = FLOOD_SLACK
        self.too_many_requests = 0  # how many 429s this server answered
        self.refused: list[Call] = []  # the calls it answered with 429
        # Every message sent or edited: (time.monotonic() when done, method, chat id).
        self.sends: list[tuple[float, str, int]] = []
        self._recent: deque[float] = deque()  # the sends of the last second, all chats
        self._private_due: dict[int, float] = {}  # a private chat's next send, without burst
        self._group_sends: dict[int, deque[float]] = {}  # a group's sends of the last window

    # --- updates ---------------------------------------------------------------------------

    def push(self, update: dict) -> int:
        """Make an update pending; return its update_id."""
        return self.push_all([update])[0]

    def push_all(self, updates: Iterable[dict]) -> list[int]:
        """Make several updates pending at once (one getUpdates can return them all)."""
        with self.changed:
            ids = []
            for update in updates:
                update["update_id"] = self._next_update_id
                self._next_update_id += 1
                self.updates.append(update)
                ids.append(update["update_id"])
            self.changed.notify_all()
            return ids

    def api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or UPDATES_LIMIT), 1), UPDATES_LIMIT)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        with self.changed:
            if offset > 0:
                self.confirmed.update(
                    u["update_id"] for u in self.updates if u["update_id"] < offset
                )
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in self.updates if u["update_id"] >= offset][:limit]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0:
                    break
                self.changed.wait(remaining)
            self.deliveries.update(u["update_id"] for u in ready)
            return ready

    def api_deleteWebhook(self, params: dict) -> bool:
        return True

    # --- calls -----------------------------------------------------------------------------

    def hold(self, matches: Callable[[str, dict], bool], *, done: bool = False) -> Hold:
        """Keep the calls for which matches(method, params) is true waiting (see Hold)."""
        hold = Hold(matches, done)
        with self.lock:
            self.holds.append(hold)
        return hold

    def drop_holds(self) -> None:
        with self.lock:
            holds, self.holds = self.holds, []
        for hold in holds:
            hold.drop()

    def answer(self, method: str, params: dict) -> tuple[int, dict]:
        """Do one Bot API call, as the HTTP server's thread that received it."""
        if method == "getUpdates":
            with self.lock:
                self.calls.append(Call(method, params))
            return 200, {"ok": True, "result": self.api_getUpdates(params)}
        with self.lock:
            holds = [hold for hold in self.holds if hold.matches(method, params)]
        if not all(hold.wait() for hold in holds if not hold.done):
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        with self.lock:
            self.calls.append(Call(method, params))
            now = time.monotonic()
            wait = self._flood_wait(method, params, now)
            if wait is not None:
                self.too_many_requests += 1
                self.refused.append(Call(method, params))
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {wait}",
                    "parameters": {"retry_after": wait},
                }
            status, payload = self._do(method, params)
            if status == 200 and changes_a_message(method):
                self._count_send(method, params, now)
        if not all(hold.wait() for hold in holds if hold.done):
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if self.latency:
            time.sleep(self.latency)
        return status, payload

    # --- flood limits (under the lock) ------------------------------------------------------

    def _flood_wait(self, method: str, params: dict, now: float) -> int | None:
        """The seconds to wait (Telegram's retry_after) if this call would flood; else None."""
        if not self.flood_limits or not changes_a_message(method) or "chat_id" not in params:
            return None
        slack = self.flood_slack
        recent = self._recent
        while recent and recent[0] <= now - (1.0 - slack):
            recent.popleft()
        free_at = now
        if len(recent) >= FLOOD_PER_SECOND:
            free_at = max(free_at, recent[len(recent) - FLOOD_PER_SECOND] + 1.0 - slack)
        if makes_a_message(method):
            chat_id = _chat_of(params)
            if chat_id > 0:
                due = self._private_due.get(chat_id, now)
                tolerance = (FLOOD_PRIVATE_BURST - 1) * FLOOD_PRIVATE_INTERVAL
                free_at = max(free_at, due - tolerance - slack)
            else:
                sends = self._group_sends.get(chat_id, deque())
                while sends and sends[0] <= now - (FLOOD_GROUP_WINDOW - slack):
                    sends.popleft()
                if len(sends) >= FLOOD_GROUP_PER_WINDOW:
                    oldest = sends[len(sends) - FLOOD_GROUP_PER_WINDOW]
                    free_at = max(free_at, oldest + FLOOD_GROUP_WINDOW - slack)
        if free_at <= now:
            return None
        return max(math.ceil(free_at - now), 1)

    def _count_send(self, method: str, params: dict, now: float) -> None:
        """A message was sent or edited at `now`: it counts against the limits."""
        chat_id = _chat_of(params)
        self.sends.append((now, method, chat_id))
        if not self.flood_limits:
            return
        self._recent.append(now)
        if not makes_a_message(method):
            return
        if chat_id > 0:
            due = self._private_due.get(chat_id, now)
            self._private_due[chat_id] = max(due, now) + FLOOD_PRIVATE_INTERVAL
        else:
            self._group_sends.setdefault(chat_id, deque()).append(now)

    def most_sends_in(self, seconds: float = 1.0, methods: Iterable[str] | None = None) -> int:
        """The most messages sent or edited in any window of this many seconds (of these
        methods, if given)."""
        wanted = set(methods) if methods is not None else None
        with self.lock:
            moments = [at for at, method, _ in self.sends if wanted is None or method in wanted]
        return most_in_window(moments, seconds)

    def _do(self, method: str, params: dict) -> tuple[int, dict]:
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            self.unexpected.append(method)
            return 400, {"ok": False, "error_code": 400, "description": f"unknown {method}"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except BadRequest as error:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}
        except PermissionError as error:  # a chat in `blocked`
            return 403, {"ok": False, "error_code": 403, "description": f"Forbidden: {error}"}
        except Exception as error:
            self.crashes.append(f"{method}: {error!r}")
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    # --- what tests read, from their own thread ------------------------------------------------

    def sent_to(self, chat_id: int) -> list[dict]:
        with self.lock:
            return super().sent_to(chat_id)

    def calls_of(self, method: str) -> list[Call]:
        with self.lock:
            return super().calls_of(method)

    def close(self) -> None:
        """Let every waiting call end: holds are dropped, long polls wake up."""
        self.drop_holds()
        with self.changed:
            self.changed.notify_all()


def _serve(api: BotAPIServer) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if len(raw) < length:
                return  # cut off: its sender was killed while sending; Telegram ignores it
            body = raw.decode()
            params = {}
            for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True):
                if key in JSON_PARAMETERS:
                    params[key] = json.loads(value)
                elif key in INT_PARAMETERS:
                    params[key] = int(value)
                else:
                    params[key] = value
            method = self.path.rsplit("/", 1)[-1]
            status, payload = api.answer(method, params)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            return None

    class Server(ThreadingHTTPServer):
        # Every call is a new connection: with the default backlog of 5, the sixth of a burst of
        # concurrent calls is dropped and its connection retried a second later.
        request_queue_size = 128

        def handle_error(self, request, client_address):
            # A killed bot leaves its long poll behind: answering it finds the socket closed.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


class Member:
    def __init__(self, api: BotAPIServer, user_id: int, name: str, language: str) -> None:
        self.api, self.user_id, self.name, self.language = api, user_id, name, language
        self._message_ids = iter(range(1, 10_000))

    @property
    def user(self) -> dict:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.name,
            "language_code": self.language,
        }

    def _chat(self, chat_id: int) -> dict:
        return FakeTelegram.chat(chat_id)

    def _wait_for(self, chat_id: int, count: int) -> list[dict]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            messages = self.api.sent_to(chat_id)
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        raise AssertionError(
            f"the bot did not answer in chat {chat_id}: {self.api.sent_to(chat_id)}"
        )

    def send(self, text: str) -> dict:
        expected = len(self.api.sent_to(self.user_id)) + 1
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(self.user_id),
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        self.api.push({"message": message})
        return self._wait_for(self.user_id, expected)[-1]

    def press(self, chat_id: int, label_fragment: str, wait_chat: int | None = None) -> None:
        for message in reversed(self.api.sent_to(chat_id)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if label_fragment in button["text"]:
                        calls = len(self.api.calls)
                        self.api.push(
                            {
                                "callback_query": {
                                    "id": str(time.monotonic_ns()),
                                    "from": self.user,
                                    "chat_instance": "x",
                                    "data": button["callback_data"],
                                    "message": FakeTelegram.public(message),
                                }
                            }
                        )
                        self._wait_for_call(calls)
                        return
        raise AssertionError(f"no button with {label_fragment!r} in chat {chat_id}")

    def _wait_for_call(self, calls_before: int) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if any(c.method == "answerCallbackQuery" for c in self.api.calls[calls_before:]):
                time.sleep(0.3)  # let the rest of the handler's calls land
                return
            time.sleep(0.05)
        raise AssertionError("the bot did not answer the button")

    # --- updates without waiting: the test decides what to wait for ------------------------

    def text(self, text: str, reply_to: dict | None = None) -> dict:
        """The update of a text message in this person's private chat, optionally a reply."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(self.user_id),
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        if reply_to is not None:
            message["reply_to_message"] = FakeTelegram.public(reply_to)
        return {"message": message}

    def click(self, message: dict, label: str) -> dict:
        """The update of pressing the button with this label on one of the bot's messages."""
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return {
                        "callback_query": {
                            "id": f"{self.user_id}-{time.monotonic_ns()}",
                            "from": self.user,
                            "chat_instance": f"chat-{message['chat']['id']}",
                            "data": button["callback_data"],
                            "message": FakeTelegram.public(message),
                        }
                    }
        raise AssertionError(f"no button {label!r} on {message.get('text')!r}")

    def last_with(self, label: str, chat_id: int | None = None) -> dict:
        """The bot's newest message in a chat (default: this person's) with this button."""
        for message in reversed(self.api.sent_to(chat_id or self.user_id)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                if any(button["text"] == label for button in row):
                    return message
        raise AssertionError(f"no button {label!r} in chat {chat_id or self.user_id}")


# --- running `python -m bot` -------------------------------------------------------------------

# `python -m bot` keeps Telegram's flood limits (bot/domain/pacing.py): 30 calls a second, one a
# second per private chat, 20 messages a minute per group, so a burst of relays into the liaison
# group takes minutes. These tests are about durability, not pacing (tests/test_pacedrequest.py),
# so the child gets this sitecustomize, the process-level twin of the rate_limit=False of the
# in-process tests (tests/client.py): the default Budget is roomy; a 429 still pauses it.
_UNPACED_SITECUSTOMIZE = """
import dataclasses

try:
    from bot.domain import pacing
except ImportError:
    pacing = None
if pacing is not None and dataclasses.is_dataclass(pacing.Budget):
    _fields = {f.name for f in dataclasses.fields(pacing.Budget)}
    _roomy = {
        name: 1_000_000
        for name in ("global_per_second", "private_burst", "group_per_window")
        if name in _fields
    }
    _budget_init = pacing.Budget.__init__

    def _roomy_budget_init(self, *args, **kwargs):
        _budget_init(self, *args, **{**_roomy, **kwargs})

    pacing.Budget.__init__ = _roomy_budget_init
"""


class KapstokProcess:
    """`python -m bot` polling a BotAPIServer, on one database: started, killed, started again."""

    # Everything lives in `folder`: the database, the log (kapstok.log) and the sitecustomize.

    def __init__(
        self,
        api: BotAPIServer,
        server: ThreadingHTTPServer,
        folder: Path,
        *,
        token: str,
        liaison_chat_id: int,
        admin_ids: Iterable[int] = (),
        paced: bool = False,
    ) -> None:
        # paced=True: the program keeps Telegram's flood limits, as in production (for a
        # BotAPIServer with flood_limits); else its budget is roomy (_UNPACED_SITECUSTOMIZE).
        self.api = api
        self.folder = folder
        self.database = folder / "kapstok.sqlite3"
        self.log_path = folder / "kapstok.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.errors_expected = False  # a test that provokes errors sets it
        port = server.server_address[1]
        site = folder / "site"
        site.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text("" if paced else _UNPACED_SITECUSTOMIZE)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("ADMIN_IDS", "DEFAULT_LANGUAGE", "TIMEZONE", "NUDGE_WORKING_HOURS")
            and not key.startswith("WEBHOOK_")
        }
        self.env.update(
            BOT_TOKEN=token,
            LIAISON_CHAT_ID=str(liaison_chat_id),
            ADMIN_IDS=",".join(str(admin) for admin in admin_ids),
            DATABASE_PATH=str(self.database),
            TELEGRAM_BASE_URL=f"http://127.0.0.1:{port}/bot",
            TELEGRAM_BASE_FILE_URL=f"http://127.0.0.1:{port}/file/bot",
            PYTHONPATH=os.pathsep.join((str(site), str(ROOT))),
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> KapstokProcess:
        """Start the program and wait until it polls."""
        assert not self.running, "Kapstok is running already"
        polls = len(self.api.calls_of("getUpdates"))
        with self.log_path.open("a") as log:
            log.write(f"--- start {self.starts + 1}\n")
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.folder,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        wait_until(
            lambda: len(self.api.calls_of("getUpdates")) > polls or not self.running,
            "Kapstok polls",
            log=self,
        )
        assert self.running, f"Kapstok stopped at start:\n{self.log()}"
        return self

    def kill(self) -> None:
        """kill -9: no chance to finish anything."""
        assert self.running, f"Kapstok is not running:\n{self.log()}"
        self.process.kill()
        self.process.wait()

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a service manager stops it; return the exit status."""
        assert self.running, f"Kapstok is not running:\n{self.log()}"
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def restart_after_kill(self) -> None:
        self.kill()
        self.api.drop_holds()
        self.start()

    def close(self) -> None:
        if self.running:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    # --- the database, read as it is committed -----------------------------------------------

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        if not self.database.exists():
            return []
        connection = sqlite3.connect(self.database, timeout=5)
        try:
            return connection.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):  # migrations not applied yet
                return []
            raise
        finally:
            connection.close()

    @contextlib.contextmanager
    def database_busy(self):
        """Hold the database's write lock: the bot reads, and waits to write (its busy timeout)."""
        connection = sqlite3.connect(self.database, timeout=5, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.rollback()
            connection.close()

    def value(self, sql: str, params: Iterable = ()) -> object:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def unhandled(self) -> int:
        """How many updates are kept in the inbox and not handled yet."""
        return self.value("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL") or 0

    def stored(self) -> set[int]:
        """The update ids in the inbox."""
        return {row[0] for row in self.query("SELECT update_id FROM inbox")}

    def handled(self, update_ids: Iterable[int]) -> bool:
        ids = list(update_ids)
        if not ids:
            return True
        marks = ",".join("?" * len(ids))
        done = self.value(
            f"SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL AND update_id IN ({marks})",
            ids,
        )
        return done == len(ids)

    def wait_handled(self, update_ids: Iterable[int], timeout: float = 20) -> None:
        """Wait until the bot handled these updates (their inbox rows are marked handled)."""
        ids = list(update_ids)
        wait_until(lambda: self.handled(ids), f"updates {ids} handled", timeout, log=self)

    def outbox_due(self) -> int:
        """How many outbox rows are being sent or may be sent now (not those due later)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return self.value(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sending' OR (state = 'pending'"
            " AND (not_before IS NULL OR not_before <= ?))",
            (now,),
        )

    def wait_settled(self, update_ids: Iterable[int], timeout: float = 20) -> None:
        """Wait until these updates are handled and what they queued in the outbox is sent."""
        ids = list(update_ids)
        wait_until(
            lambda: self.handled(ids) and not self.outbox_due(),
            f"updates {ids} handled and their messages sent",
            timeout,
            log=self,
        )


def wait_until(
    condition: Callable[[], object],
    what: str = "the condition",
    timeout: float = 20,
    *,
    log: KapstokProcess | None = None,
) -> None:
    """Check `condition` every 50 ms until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = "\n".join(log.log().splitlines()[-40:]) if log is not None else ""
            raise AssertionError(f"waited {timeout} s for {what}\n{tail}")
        time.sleep(0.05)


@contextlib.contextmanager
def bot_api(latency: float = 0.0, *, flood_limits: bool = False):
    """A BotAPIServer listening on a free port of 127.0.0.1, and its HTTP server."""
    api = BotAPIServer(latency, flood_limits=flood_limits)
    server = _serve(api)
    try:
        yield api, server
    finally:
        api.close()
        server.shutdown()
        server.server_close()
