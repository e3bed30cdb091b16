"""What an update costs Kapstok, against bare python-telegram-bot making the same Bot API calls.

Run: python -m bench.update_cost [--rounds N] [--per-round N] [--warmup N] [--quick]
                                 [--flows abcd] [--profile FLOW] [--no-startup]
(--quick: a small seed, a smoke run of seconds; --profile: cProfile Kapstok's side of one flow,
whose figures then include the profiler's overhead.)

The real application, built by build_application, runs on a copy of a seeded database
(bench/seed.py: 10,000 associations, 20,000 board members, 100,000 thread messages; --quick: a
small one) against an offline Bot API that answers like Telegram with minimal work and records
every call. Each update goes in as in production: `inbox.accept([raw])`, `inbox.drain()`, then
the outbox sends what the update queued (`outbox.drain(later=False)`); all three count.

Four flows, each a stream over many different people:
  a  a board member sends /menu, then opens a kapstok page with its button (pages 1-5 in turn)
  b  a board member replies to the bot's confirmation of their thread: stored, 👍, relayed
     into the association's topic, the card redrawn
  c  a liaison officer replies in the group to a thread's card (an association with two board
     members): stored, 👍, relayed to both, the card redrawn
  d  a newcomer registers an association: /start, Register, name, kind, description; the
     association's card goes to the liaison group

The bare side is a python-telegram-bot Application (no database, no persistence, no defaults)
with one handler that makes, for each update, the Bot API calls Kapstok made for it: the same
methods with the same parameters, through the typed Bot methods (keyboards and reply parameters
built from the recorded JSON in the handler, as any bot builds them). It gets the same updates
as JSON (Update.de_json is counted on both sides). Kapstok and bare alternate in rounds; CPU
is time.process_time() (every thread: SQLite's work in aiosqlite's thread counts) around each
update. Before the rounds, each flow warms up, and the profiles of the people it measures are
loaded, as in a bot that has been running (a known member's update reads no profile).
Logging is as `python -m bot` sets it (INFO), written to /dev/null.

Printed per flow: Kapstok and bare µs per update (medians of the rounds) and their ratio;
awaited database calls and commits per update (Database.counters) and Bot API calls per update;
the goals: at most 2x bare CPU, at most 2 database calls for /menu and a page and 6 for a relay,
at most 1 commit per update. Also the start-up (build_application + initialize, in a fresh
process, on the big database) and peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import itertools
import json
import logging
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageEntity,
    ReactionType,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bench import seed
from bot.application import build_application
from bot.config import Config
from bot.domain.pacing import Budget
from handlers import callbacks

TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwxyz"
BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Kapstok",
    "username": "kapstok_bench_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
GROUP_CHAT = {
    "id": seed.LIAISON_CHAT_ID,
    "type": "supergroup",
    "title": "Verenigingsloket",
    "is_forum": True,
}
UNLIMITED = dict(global_per_second=10**9, private_burst=10**9, group_per_window=10**9)
KINDS = ("youth", "sport", "culture", "welfare", "neighbourhood", "education", "other")


# --- the offline Bot API ----------------------------------------------------------------------


def _true(params: dict) -> bool:
    return True


def _chat(chat_id: int) -> dict:
    if chat_id < 0:
        return GROUP_CHAT
    return {"id": chat_id, "type": "private", "first_name": f"user {chat_id}"}


class LeanTelegram(BaseRequest):
    """The Bot API offline: canned results shaped like Telegram's, and a record of every call
    (method, parameters) with its result. No checks: the tests' FakeTelegram does those."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.results: list[object] = []
        self.unknown: Counter[str] = Counter()
        self._message_ids = itertools.count(10_000_000)
        self._answers: dict[str, Callable[[dict], object]] = {
            "sendMessage": self._sent,
            "editMessageText": self._edited,
            "editMessageReplyMarkup": self._edited,
            "copyMessage": self._copied,
            "setMessageReaction": _true,
            "answerCallbackQuery": _true,
            "deleteMessage": _true,
            "setMyCommands": _true,
            "getMe": lambda params: BOT_USER,
            "getChat": self._chat_info,
        }

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 5.0

    def forget(self) -> None:
        self.calls.clear()
        self.results.clear()

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
        api_method = url.rpartition("/")[2]
        params = request_data.parameters if request_data is not None else {}
        self.calls.append((api_method, params))
        answer = self._answers.get(api_method)
        if answer is None:
            self.unknown[api_method] += 1
            self.results.append(None)
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {api_method}"}
            return 400, json.dumps(body).encode()
        result = answer(params)
        self.results.append(result)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict, message_id: int) -> dict:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(int(params["chat_id"])),
            "from": BOT_USER,
        }
        if "text" in params:
            message["text"] = params["text"]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        markup = params.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message

    def _sent(self, params: dict) -> dict:
        return self._message(params, next(self._message_ids))

    def _edited(self, params: dict) -> dict:
        message = self._message(params, int(params["message_id"]))
        message["edit_date"] = message["date"]
        return message

    def _copied(self, params: dict) -> dict:
        return {"message_id": next(self._message_ids)}

    def _chat_info(self, params: dict) -> dict:
        chat = {
            **_chat(int(params["chat_id"])),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return chat


# --- the two sides ----------------------------------------------------------------------------


@dataclass
class Handled:
    """One update as Kapstok handled it: its calls and what it cost, per phase (accept,
    handle, outbox)."""

    raw: dict
    calls: list[tuple[str, dict]]
    results: list[object]
    cpu: tuple[float, float, float]
    db_calls: tuple[int, int, int]
    commits: tuple[int, int, int]
    loop_cpu: float  # of cpu, what the event loop's thread used (the rest: SQLite's threads)

    def result_of(self, method: str, chat_id: int) -> dict:
        """The last message the bot sent with this method to this chat."""
        for (called, params), result in zip(
            reversed(self.calls), reversed(self.results), strict=True
        ):
            if called == method and int(params.get("chat_id", 0)) == chat_id:
                return result
        raise AssertionError(f"no {method} to {chat_id} in {[c for c, _ in self.calls]}")


class ErrorCounter(logging.Handler):
    """Counts what the application logs at ERROR (an update it could not finish, a failed
    send), while the log itself goes to /dev/null as in production."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


class KapstokSide:
    def __init__(self, database: Path) -> None:
        self.telegram = LeanTelegram()
        self.config = Config(
            bot_token=TOKEN,
            liaison_chat_id=seed.LIAISON_CHAT_ID,
            admin_ids=frozenset({seed.ADMIN_ID}),
            database_path=database,
            default_language="nl",
            timezone=ZoneInfo("Europe/Brussels"),
            base_url="https://api.telegram.org/bot",
            base_file_url="https://api.telegram.org/file/bot",
        )
        self.app: Application | None = None
        self.errors: list[str] = []
        self.update_ids = itertools.count(10_000_000)
        self.handled: list[Handled] = []
        self.profiler: cProfile.Profile | None = None

    async def start(self) -> None:
        self.app = await build_application(
            self.config,
            request=self.telegram,
            get_updates_request=self.telegram,
            budget=Budget(**UNLIMITED),
            send_in_background=False,
        )
        self.app.add_error_handler(self._error)
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.start()
        # Periodic jobs (the nudge, the tidy, the catch-up of unrelayed messages) are no part
        # of an update's cost; a conversation's timeout job is, and stays.
        for job in self.app.job_queue.jobs():
            job.schedule_removal()
        self.store = self.app.bot_data.store
        self.counters = self.store.db.counters
        self.inbox = self.app.bot_data.inbox
        self.outbox = self.app.bot_data.outbox

    async def stop(self) -> None:
        await self.app.stop()
        await self.app.shutdown()
        await self.app.post_shutdown(self.app)

    async def _error(self, update: object, context) -> None:
        self.errors.append(repr(context.error))

    async def send(self, raw: dict) -> Handled:
        """Deliver one update as production does, and let the outbox send what it queued."""
        raw["update_id"] = next(self.update_ids)
        telegram, counters = self.telegram, self.counters
        mark = len(telegram.calls)
        profiler = self.profiler
        if profiler is not None:
            profiler.enable()
        c0, m0, t0, l0 = counters.calls, counters.commits, time.process_time(), time.thread_time()
        await self.inbox.accept([raw])
        c1, m1, t1 = counters.calls, counters.commits, time.process_time()
        await self.inbox.drain()
        c2, m2, t2 = counters.calls, counters.commits, time.process_time()
        await self.outbox.drain(timeout=30, later=False)
        c3, m3, t3, l3 = counters.calls, counters.commits, time.process_time(), time.thread_time()
        if profiler is not None:
            profiler.disable()
        handled = Handled(
            raw,
            telegram.calls[mark:],
            telegram.results[mark:],
            (t1 - t0, t2 - t1, t3 - t2),
            (c1 - c0, c2 - c1, c3 - c2),
            (m1 - m0, m2 - m1, m3 - m2),
            l3 - l0,
        )
        self.handled.append(handled)
        return handled

    def take_round(self) -> list[Handled]:
        handled, self.handled = self.handled, []
        self.telegram.forget()
        return handled


def _markup(value: dict, bot):
    if "inline_keyboard" in value:
        return InlineKeyboardMarkup.de_json(value, bot)
    if "force_reply" in value:
        return ForceReply.de_json(value, bot)
    if "remove_keyboard" in value:
        return ReplyKeyboardRemove.de_json(value, bot)
    raise ValueError(f"unknown reply_markup {value}")


# Bot API parameters that the typed methods take as objects; the rest go as they are.
TYPED_PARAMETERS: dict[str, Callable] = {
    "reply_markup": _markup,
    "reply_parameters": lambda value, bot: ReplyParameters.de_json(value, bot),
    "link_preview_options": lambda value, bot: LinkPreviewOptions.de_json(value, bot),
    "entities": lambda value, bot: [MessageEntity.de_json(e, bot) for e in value],
    "caption_entities": lambda value, bot: [MessageEntity.de_json(e, bot) for e in value],
    "reaction": lambda value, bot: [ReactionType.de_json(r, bot) for r in value],
}
TYPED_METHODS = {
    "sendMessage": "send_message",
    "editMessageText": "edit_message_text",
    "editMessageReplyMarkup": "edit_message_reply_markup",
    "copyMessage": "copy_message",
    "setMessageReaction": "set_message_reaction",
    "answerCallbackQuery": "answer_callback_query",
    "deleteMessage": "delete_message",
    "getChat": "get_chat",
}


class BareSide:
    """python-telegram-bot alone: one handler that makes the calls Kapstok made."""

    def __init__(self) -> None:
        self.telegram = LeanTelegram()
        self.app = (
            ApplicationBuilder()
            .token(TOKEN)
            .request(self.telegram)
            .get_updates_request(LeanTelegram())
            .context_types(ContextTypes())
            .updater(None)
            .build()
        )
        self.app.add_handler(TypeHandler(Update, self._replay))
        self.app.add_error_handler(self._error)
        self.plan: dict[int, list[tuple[str, dict]]] = {}
        self.errors: list[str] = []

    async def start(self) -> None:
        await self.app.initialize()
        await self.app.start()

    async def stop(self) -> None:
        await self.app.stop()
        await self.app.shutdown()

    async def _error(self, update: object, context) -> None:
        self.errors.append(repr(context.error))

    async def _replay(self, update: Update, context) -> None:
        bot = context.bot
        for method, params in self.plan[update.update_id]:
            kwargs = {
                key: TYPED_PARAMETERS[key](value, bot) if key in TYPED_PARAMETERS else value
                for key, value in params.items()
            }
            await getattr(bot, TYPED_METHODS[method])(**kwargs)

    async def replay(self, handled: list[Handled]) -> tuple[float, list[str]]:
        """Handle the same updates; return the CPU seconds and any call that differed."""
        self.plan = {h.raw["update_id"]: h.calls for h in handled}
        self.telegram.forget()
        cpu = 0.0
        app, bot = self.app, self.app.bot
        for h in handled:
            started = time.process_time()
            await app.process_update(Update.de_json(h.raw, bot))
            cpu += time.process_time() - started
        expected = [call for h in handled for call in h.calls]
        differences = [f"bare error: {error}" for error in self.errors]
        self.errors.clear()
        if self.telegram.calls != expected:
            for index, (mine, theirs) in enumerate(
                itertools.zip_longest(self.telegram.calls, expected)
            ):
                if mine != theirs:
                    differences.append(f"call {index}: bare {mine} != Kapstok {theirs}")
        self.telegram.forget()
        return cpu, differences


# --- the people and the updates ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    first_name: str
    last_name: str | None
    language: str

    @property
    def user(self) -> dict:
        user = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        user["language_code"] = self.language
        return user

    @property
    def chat(self) -> dict:
        chat = {"id": self.user_id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        return chat


_sent_ids = itertools.count(50_000_000)  # messages people send
_query_ids = itertools.count(1)


def message(person: Person, text: str, chat: dict | None = None, **more) -> dict:
    body = {
        "message_id": next(_sent_ids),
        "date": int(time.time()),
        "chat": chat or person.chat,
        "from": person.user,
        "text": text,
        **more,
    }
    if text.startswith("/"):
        command = text.split()[0]
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": body}


def button(person: Person, data: str, on: dict) -> dict:
    return {
        "callback_query": {
            "id": str(next(_query_ids)),
            "from": person.user,
            "chat_instance": f"chat-{on['chat']['id']}",
            "data": data,
            "message": on,
        }
    }


@dataclass
class ThreadFixture:
    thread_id: int
    member: Person
    confirmation_id: int
    card_id: int
    topic_id: int


@dataclass
class Fixtures:
    members: list[Person]
    liaisons: list[Person]
    member_threads: list[ThreadFixture]  # for b
    liaison_threads: list[ThreadFixture]  # for c


def read_fixtures(path: Path) -> Fixtures:
    """Who and what the flows use, read from the seeded file before the bot opens it."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:

        def person(row) -> Person:
            return Person(row[0], row[1], row[2], row[3])

        members = [
            person(row)
            for row in conn.execute(
                "SELECT u.user_id, u.first_name, u.last_name, u.language FROM board_members m"
                " JOIN users u USING (user_id) JOIN associations a USING (association_id)"
                " WHERE a.status = 'approved' ORDER BY u.user_id"
            )
        ]
        liaisons = [
            person(row)
            for row in conn.execute(
                "SELECT u.user_id, u.first_name, u.last_name, u.language FROM liaisons l"
                " JOIN users u USING (user_id) ORDER BY u.user_id"
            )
        ]
        # Threads not closed, whose association has two board members, with their opener's
        # confirmation (a copy with part -1 in the opener's chat) and their card.
        threads = []
        for row in conn.execute(
            "SELECT t.thread_id, u.user_id, u.first_name, u.last_name, u.language,"
            " c.telegram_message_id, t.card_message_id, tp.message_thread_id"
            " FROM threads t JOIN users u ON u.user_id = t.opened_by"
            " JOIN board_members m ON m.user_id = t.opened_by"
            " AND m.association_id = t.association_id"
            " JOIN message_copies c ON c.chat_id = t.opened_by AND c.part = -1"
            " AND c.message_id = (SELECT MIN(message_id) FROM thread_messages"
            "  WHERE thread_id = t.thread_id)"
            " JOIN association_topics tp ON tp.association_id = t.association_id"
            " WHERE t.status <> 'closed' AND t.card_message_id IS NOT NULL"
            " AND (SELECT COUNT(*) FROM board_members b"
            "  WHERE b.association_id = t.association_id) = 2"
            " ORDER BY t.thread_id"
        ):
            threads.append(ThreadFixture(row[0], Person(row[1], row[2], row[3], row[4]), *row[5:8]))
    finally:
        conn.close()
    return Fixtures(
        members=members,
        liaisons=liaisons,
        member_threads=[t for t in threads if t.thread_id % 2 == 0],
        liaison_threads=[t for t in threads if t.thread_id % 2 == 1],
    )


class Stream:
    """Items in turn, each once; round again (with a note) when they run out."""

    def __init__(self, name: str, items: list) -> None:
        if not items:
            raise SystemExit(f"the seed has nothing for {name}")
        self.name, self.items, self.index, self.wrapped = name, items, 0, False

    def next(self):
        if self.index == len(self.items):
            self.index, self.wrapped = 0, True
        item = self.items[self.index]
        self.index += 1
        return item

    def upcoming(self, count: int) -> list:
        return [self.items[(self.index + n) % len(self.items)] for n in range(count)]


# --- the flows --------------------------------------------------------------------------------


class Flow:
    key = ""
    title = ""
    updates_per_iteration = 1
    db_goal: int | None = None

    def people_to_know(self, updates: int) -> list[int]:
        """Who writes in the next `updates` updates: their profiles are loaded beforehand."""
        return []

    async def iteration(self, kapstok: KapstokSide) -> None:
        raise NotImplementedError


class MenuAndPage(Flow):
    key, title, updates_per_iteration, db_goal = "a", "/menu, then a kapstok page", 2, 2

    def __init__(self, fixtures: Fixtures) -> None:
        self.members = Stream("board members", fixtures.members)
        self.pages = itertools.cycle(range(1, 6))

    def people_to_know(self, updates: int) -> list[int]:
        return [p.user_id for p in self.members.upcoming(updates // 2 + 1)]

    async def iteration(self, kapstok: KapstokSide) -> None:
        member = self.members.next()
        menu = (await kapstok.send(message(member, "/menu"))).result_of(
            "sendMessage", member.user_id
        )
        await kapstok.send(button(member, callbacks.KAPSTOK_PAGE.data(next(self.pages)), menu))


class MemberRelay(Flow):
    key, title, db_goal = "b", "member's reply relayed into the topic", 6
    TEXTS = (
        "We hebben ook nog een vraag over de parking: mag die zaterdag afgesloten worden?",
        "Merci, et pour la salle, faut-il réserver avant la fin du mois ?",
        "Attached is the plan; the tent would stand next to the church.",
    )

    def __init__(self, fixtures: Fixtures) -> None:
        self.threads = Stream("member threads", fixtures.member_threads)
        self.texts = itertools.cycle(self.TEXTS)

    def people_to_know(self, updates: int) -> list[int]:
        return [t.member.user_id for t in self.threads.upcoming(updates)]

    async def iteration(self, kapstok: KapstokSide) -> None:
        thread = self.threads.next()
        member = thread.member
        confirmation = {
            "message_id": thread.confirmation_id,
            "date": int(time.time()) - 86_400,
            "chat": member.chat,
            "from": BOT_USER,
            "text": f"✅ Your question is sent to the municipality as #{thread.thread_id}. A "
            "liaison officer will answer you here.\n\nTo add something, reply to this message. "
            "/threads shows all your association's questions.",
        }
        await kapstok.send(message(member, next(self.texts), reply_to_message=confirmation))


class LiaisonRelay(Flow):
    key, title, db_goal = "c", "liaison's reply relayed to 2 members", 6
    TEXTS = (
        "Dag! Voor een tent op het plein volstaat een melding via het e-loket, twee weken vooraf.",
        "Bonjour, la salle est libre ce samedi-là ; je vous envoie le formulaire.",
        "Hello, the subsidy for equipment is paid in September.",
    )

    def __init__(self, fixtures: Fixtures) -> None:
        self.threads = Stream("liaison threads", fixtures.liaison_threads)
        self.liaisons = itertools.cycle(fixtures.liaisons)
        self.all_liaisons = fixtures.liaisons
        self.texts = itertools.cycle(self.TEXTS)

    def people_to_know(self, updates: int) -> list[int]:
        return [p.user_id for p in self.all_liaisons]

    async def iteration(self, kapstok: KapstokSide) -> None:
        thread = self.threads.next()
        number = thread.thread_id
        card = {
            "message_id": thread.card_id,
            "date": int(time.time()) - 86_400,
            "chat": GROUP_CHAT,
            "from": BOT_USER,
            "text": f"🧵 Vraag #{number} · Goede begeleiding\nOnderwerp: Vergunningen en regels\n"
            f"Status: open · Eigenaar: nog niemand\n\nMogen we een tent zetten op het plein?",
            "message_thread_id": thread.topic_id,
            "is_topic_message": True,
            "reply_markup": {
                "inline_keyboard": [
                    [
                        {"text": "🙋 Ik neem het", "callback_data": f"th:take:{number}"},
                        {"text": "✅ Sluiten", "callback_data": f"th:close:{number}"},
                    ]
                ]
            },
        }
        await kapstok.send(
            message(
                next(self.liaisons),
                next(self.texts),
                chat=GROUP_CHAT,
                message_thread_id=thread.topic_id,
                is_topic_message=True,
                reply_to_message=card,
            )
        )


class Registration(Flow):
    key, title, updates_per_iteration = "d", "registration (5 updates)", 5
    LANGUAGES = ("nl", "nl", "fr", "en")

    def __init__(self, fixtures: Fixtures) -> None:
        self.numbers = itertools.count(1)

    async def iteration(self, kapstok: KapstokSide) -> None:
        n = next(self.numbers)
        newcomer = Person(
            900_000_000 + n, f"Nieuw{n}", "Lid", self.LANGUAGES[n % len(self.LANGUAGES)]
        )
        chat = newcomer.user_id
        menu = (await kapstok.send(message(newcomer, "/start"))).result_of("sendMessage", chat)
        await kapstok.send(button(newcomer, callbacks.REGISTER.data(), menu))
        name = f"{seed.PREFIXES[n % len(seed.PREFIXES)]} Benchmark {n}"
        kinds = (await kapstok.send(message(newcomer, name))).result_of("sendMessage", chat)
        await kapstok.send(button(newcomer, callbacks.KIND.data(KINDS[n % len(KINDS)]), kinds))
        await kapstok.send(
            message(
                newcomer,
                "We organise activities for the children of the village every Sunday, "
                "in the parish hall and in the woods nearby.",
            )
        )


FLOWS = {flow.key: flow for flow in (MenuAndPage, MemberRelay, LiaisonRelay, Registration)}


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Outcome:
    flow: Flow
    kapstok_us: list[float] = field(default_factory=list)  # per round, µs per update
    bare_us: list[float] = field(default_factory=list)
    phases_us: list[tuple[float, float, float]] = field(default_factory=list)
    loop_us: list[float] = field(default_factory=list)
    db_calls: list[tuple[int, int, int]] = field(default_factory=list)
    commits: list[tuple[int, int, int]] = field(default_factory=list)
    methods: Counter[str] = field(default_factory=Counter)
    updates: int = 0
    differences: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    profile: cProfile.Profile | None = None


async def run_updates(flow: Flow, kapstok: KapstokSide, updates: int) -> list[Handled]:
    gc.collect()
    while len(kapstok.handled) < updates:
        await flow.iteration(kapstok)
    return kapstok.take_round()


async def measure_flow(
    flow: Flow,
    kapstok: KapstokSide,
    bare: BareSide,
    rounds: int,
    per_round: int,
    warmup: int,
    profile: bool,
) -> Outcome:
    outcome = Outcome(flow)
    per_round = max(flow.updates_per_iteration, per_round - per_round % flow.updates_per_iteration)
    warmup = max(flow.updates_per_iteration, warmup - warmup % flow.updates_per_iteration)
    # The people measured have written before (as in a bot that has run for a while).
    for user_id in flow.people_to_know(warmup + rounds * per_round):
        await kapstok.store.profile(user_id)
    errors_before = len(kapstok.errors)
    _cpu, differences = await bare.replay(await run_updates(flow, kapstok, warmup))
    outcome.differences += differences[:5]
    if profile:
        kapstok.profiler = cProfile.Profile()
    for _ in range(rounds):
        handled = await run_updates(flow, kapstok, per_round)
        gc.collect()
        bare_cpu, differences = await bare.replay(handled)
        outcome.differences += differences[:5]
        n = len(handled)
        outcome.updates += n
        outcome.kapstok_us.append(sum(sum(h.cpu) for h in handled) / n * 1e6)
        outcome.bare_us.append(bare_cpu / n * 1e6)
        outcome.phases_us.append(tuple(sum(h.cpu[i] for h in handled) / n * 1e6 for i in range(3)))
        outcome.loop_us.append(sum(h.loop_cpu for h in handled) / n * 1e6)
        outcome.db_calls.append(tuple(sum(h.db_calls[i] for h in handled) for i in range(3)))
        outcome.commits.append(tuple(sum(h.commits[i] for h in handled) for i in range(3)))
        outcome.methods.update(method for h in handled for method, _ in h.calls)
    if profile:
        kapstok.profiler.create_stats()
        outcome.profile = kapstok.profiler
        kapstok.profiler = None
    outcome.errors = kapstok.errors[errors_before:]
    return outcome


# --- start-up, in a fresh process -------------------------------------------------------------


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM counts from the process's own start
    (exec); ru_maxrss would keep a larger parent's peak across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _startup(database: Path) -> None:
    """In the child process: start, print the figures (the parent notes when), stop."""
    side = KapstokSide(database)
    started = time.perf_counter()
    app = await build_application(
        side.config,
        request=side.telegram,
        get_updates_request=side.telegram,
        budget=Budget(**UNLIMITED),
        send_in_background=False,
    )
    built = time.perf_counter()
    await app.initialize()
    initialized = time.perf_counter()
    await app.post_init(app)
    posted = time.perf_counter()
    figures = {
        "build": built - started,
        "initialize": initialized - built,
        "post_init": posted - initialized,
        "peak_rss_mib": peak_rss_mib(),
        "cpu": time.process_time(),  # since the process started: imports included
    }
    print(json.dumps(figures), flush=True)
    await app.shutdown()
    await app.post_shutdown(app)


def measure_startup(seeded: Path, folder: Path, times: int = 3) -> list[dict]:
    """build_application + initialize (+ post_init) on the seeded database, each in a fresh
    process, so that its peak RSS is the bot's own; `ready` is from starting the process
    (interpreter and imports included) to the moment it is ready."""
    runs = []
    for n in range(times):
        database = seed.fresh_copy(seeded, folder / f"startup-{n}" / "kapstok.sqlite3")
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.update_cost", "--startup-only", str(database)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        line = child.stdout.readline()
        ready = time.perf_counter() - started
        child.stdout.read()
        if child.wait() != 0 or not line:
            raise SystemExit("the start-up measurement failed")
        runs.append({**json.loads(line), "ready": ready})
    return runs


# --- output -----------------------------------------------------------------------------------


def production_logging() -> ErrorCounter:
    """INFO, formatted as `python -m bot` does, into /dev/null; errors are counted."""
    stream = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
        force=True,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    counter = ErrorCounter()
    logging.getLogger().addHandler(counter)
    return counter


def mark(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report(outcomes: list[Outcome]) -> None:
    header = (
        f"{'flow':<41}{'Kapstok':>9}{'bare':>8}{'ratio':>7}  {'goal':<9}"
        f"{'DB calls':>9}  {'goal':<9}{'commits':>8}  {'goal':<8}{'API calls':>10}"
    )
    print()
    print("per update; CPU in µs (median of the rounds); DB calls, commits and API calls: mean")
    print(header)
    print("-" * len(header))
    for o in outcomes:
        flow = o.flow
        k, b = statistics.median(o.kapstok_us), statistics.median(o.bare_us)
        ratio = k / b
        calls = sum(map(sum, o.db_calls)) / o.updates
        commits = sum(map(sum, o.commits)) / o.updates
        api = sum(o.methods.values()) / o.updates
        db_goal = (
            f"≤{flow.db_goal} {mark(calls <= flow.db_goal)}" if flow.db_goal is not None else "—"
        )
        print(
            f"{flow.key}  {flow.title:<38}{k:>9.0f}{b:>8.0f}{ratio:>6.1f}×  "
            f"{'≤2× ' + mark(ratio <= 2):<9}{calls:>9.1f}  {db_goal:<9}{commits:>8.1f}  "
            f"{'≤1 ' + mark(commits <= 1):<8}{api:>10.1f}"
        )
    print()
    print("where it goes, per update: accept (inbox row) / handle (handlers, unit of work) /")
    print("outbox (sends and their records)")
    for o in outcomes:
        n = o.updates
        phases = [statistics.median(p[i] for p in o.phases_us) for i in range(3)]
        calls = [sum(c[i] for c in o.db_calls) / n for i in range(3)]
        commits = [sum(c[i] for c in o.commits) / n for i in range(3)]
        ratios = [k / b for k, b in zip(o.kapstok_us, o.bare_us, strict=True)]
        api = ", ".join(f"{m} {count / n:.2f}" for m, count in o.methods.most_common())
        loop = statistics.median(o.loop_us)
        print(
            f"{o.flow.key}  CPU µs      {' / '.join(f'{v:.0f}' for v in phases)}"
            f"   (event loop's thread {loop:.0f}, aiosqlite's threads {sum(phases) - loop:.0f})"
        )
        print(f"   DB calls    {' / '.join(f'{v:.1f}' for v in calls)}")
        print(f"   commits     {' / '.join(f'{v:.1f}' for v in commits)}")
        print(f"   ratio       {min(ratios):.1f}× to {max(ratios):.1f}× over {len(ratios)} rounds")
        print(f"   API calls   {api}")
        for line in o.differences[:3]:
            print(f"   ! bare call differs: {line[:200]}")
        for line in o.errors[:3]:
            print(f"   ! error: {line[:200]}")


def print_profile(outcome: Outcome, limit: int = 35) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(outcome.profile, stream=stream)
    stats.strip_dirs()
    print(f"\nprofile of Kapstok's side of flow {outcome.flow.key} (main thread only: SQLite's")
    print("work in aiosqlite's thread shows as waiting)")
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    print(stream.getvalue())


# --- main -------------------------------------------------------------------------------------


async def benchmark(arguments: argparse.Namespace, seeded: Path, folder: Path) -> None:
    database = seed.fresh_copy(seeded, folder / "run" / "kapstok.sqlite3")
    fixtures = read_fixtures(database)
    errors = production_logging()
    kapstok, bare = KapstokSide(database), BareSide()
    await kapstok.start()
    await bare.start()
    kapstok.take_round()
    outcomes = []
    try:
        for key in arguments.flows:
            flow = FLOWS[key](fixtures)
            started = time.perf_counter()
            outcome = await measure_flow(
                flow,
                kapstok,
                bare,
                arguments.rounds,
                arguments.per_round,
                arguments.warmup,
                profile=arguments.profile == key,
            )
            outcomes.append(outcome)
            wrapped = [s.name for s in vars(flow).values() if isinstance(s, Stream) and s.wrapped]
            note = f" (reused {', '.join(wrapped)}: the seed is too small)" if wrapped else ""
            print(
                f"flow {key}: {outcome.updates} updates measured in "
                f"{time.perf_counter() - started:.1f} s{note}",
                flush=True,
            )
    finally:
        await kapstok.stop()
        await bare.stop()
    report(outcomes)
    if arguments.profile:
        print(f"(flow {arguments.profile} ran under cProfile: its figures include its overhead)")
    if kapstok.telegram.unknown:
        print(f"\n! Bot API methods the offline Bot API does not know: {kapstok.telegram.unknown}")
    if errors.messages:
        print(f"\n! {len(errors.messages)} error(s) logged, first: {errors.messages[:3]}")
    for outcome in outcomes:
        if outcome.profile is not None:
            print_profile(outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, help="rounds per flow (default 10; quick 3)")
    parser.add_argument("--per-round", type=int, help="updates per side per round (200; 40)")
    parser.add_argument("--warmup", type=int, help="updates per flow before measuring (200; 40)")
    parser.add_argument("--quick", action="store_true", help="a small seed: a smoke run")
    parser.add_argument("--flows", default="abcd", help="which flows (default abcd)")
    parser.add_argument("--profile", choices=sorted(FLOWS), help="cProfile Kapstok in a flow")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figures")
    parser.add_argument("--startup-only", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.startup_only:
        production_logging()
        asyncio.run(_startup(arguments.startup_only))
        return
    if any(key not in FLOWS for key in arguments.flows):
        parser.error(f"--flows takes letters of {''.join(FLOWS)}")
    quick = arguments.quick
    arguments.rounds = arguments.rounds or (3 if quick else 10)
    arguments.per_round = arguments.per_round or (40 if quick else 200)
    arguments.warmup = arguments.warmup or (40 if quick else 200)
    size = seed.QUICK if quick else seed.FULL
    began = time.perf_counter()
    built = not seed.cached_path(size).exists()
    if built:  # in a process of its own: its memory is no part of the figures
        command = [sys.executable, "-m", "bench.seed", *(["--quick"] if quick else [])]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seeded, _ = seed.seeded_file(size)
    print(f"database: {size.label()}")
    print(
        f"  {seeded} ({'built now' if built else 'cached'}, "
        f"{seeded.stat().st_size / 2**20:.0f} MiB); copied per run"
    )
    print(
        f"rounds: {arguments.rounds} × {arguments.per_round} updates per side per flow, "
        f"after {arguments.warmup} to warm up; {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="kapstok-bench-") as folder:
        folder = Path(folder)
        if not arguments.no_startup:
            runs = measure_startup(seeded, folder)
            build_init = statistics.median(r["build"] + r["initialize"] for r in runs)
            post_init = statistics.median(r["post_init"] for r in runs)
            ready = statistics.median(r["ready"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rss = max(r["peak_rss_mib"] for r in runs)
            print(
                f"start-up on this database (median of {len(runs)} fresh processes): "
                f"build_application + initialize {build_init:.2f} s, post_init "
                f"{post_init * 1000:.0f} ms; from process start to ready (imports "
                f"included) {ready:.2f} s, {cpu:.2f} s CPU; peak RSS {rss:.0f} MiB"
            )
        asyncio.run(benchmark(arguments, seeded, folder))
    rss = peak_rss_mib()
    print(
        f"\npeak RSS of this benchmark process (Kapstok and bare, caches of every person "
        f"measured): {rss:.0f} MiB; total {time.perf_counter() - began:.0f} s; load average "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
