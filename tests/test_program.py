"""`python -m bot` for real: polling a Bot API server at TELEGRAM_BASE_URL, here a local fake.

A Dutch and a French board member register, a liaison approves in the liaison group, and both
reach the five kapstokken; then SIGTERM stops the program cleanly and the database holds it all.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.fake_telegram import BadRequest, Call, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAEprogramtestabcdefghijklmnopqrstu"
LIAISON_CHAT = -1009876543210
ADMIN = 1
JSON_PARAMETERS = {"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options"}
INT_PARAMETERS = {"chat_id", "message_id", "offset", "limit", "timeout", "message_thread_id"}


class BotAPIServer(FakeTelegram):
    """FakeTelegram behind HTTP, with getUpdates fed by the test."""

    def __init__(self) -> None:
        super().__init__()
        self.updates: list[dict] = []
        self.lock = threading.Lock()
        self._next_update_id = 1

    def push(self, update: dict) -> None:
        with self.lock:
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
            self.updates.append(update)

    def api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset", 0))
        deadline = time.monotonic() + min(float(params.get("timeout", 0)), 0.5)
        while True:
            with self.lock:
                ready = [u for u in self.updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready
            time.sleep(0.02)

    def api_deleteWebhook(self, params: dict) -> bool:
        return True

    def answer(self, method: str, params: dict) -> tuple[int, dict]:
        with self.lock:
            self.calls.append(Call(method, params))
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            self.unexpected.append(method)
            return 400, {"ok": False, "error_code": 400, "description": f"unknown {method}"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except BadRequest as error:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}


def _serve(api: BotAPIServer) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode()
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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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


@pytest.fixture
def running_bot(tmp_path):
    api = BotAPIServer()
    server = _serve(api)
    port = server.server_address[1]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ADMIN_IDS", "DEFAULT_LANGUAGE", "TIMEZONE")
        and not key.startswith("WEBHOOK_")
    }
    env.update(
        BOT_TOKEN=TOKEN,
        LIAISON_CHAT_ID=str(LIAISON_CHAT),
        ADMIN_IDS=str(ADMIN),
        DATABASE_PATH=str(tmp_path / "kapstok.sqlite3"),
        TELEGRAM_BASE_URL=f"http://127.0.0.1:{port}/bot",
        TELEGRAM_BASE_FILE_URL=f"http://127.0.0.1:{port}/file/bot",
        PYTHONPATH=str(ROOT),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield api, process, tmp_path
    if process.poll() is None:
        process.kill()
        process.communicate()
    server.shutdown()
    server.server_close()


def test_the_program_walks_two_members_through_registration_and_approval(running_bot):
    api, process, folder = running_bot
    jan = Member(api, 200, "Jan", "nl")
    marie = Member(api, 201, "Marie", "fr")
    admin = Member(api, ADMIN, "Annelies", "nl")

    assert "Mijn vereniging registreren" in json.dumps(jan.send("/start"), ensure_ascii=False)
    for member, name, kind, description in (
        (jan, "KSA Sint-Jan", "Jeugd", "Jeugdbeweging in de Kerkstraat."),
        (marie, "Chorale La Lyre", "Culture", "Nous chantons le jeudi."),
    ):
        if member is marie:
            member.send("/start")
        member.press(member.user_id, "istr" if member is jan else "Inscrire")
        member.send(name)
        member.press(member.user_id, kind)
        expected_cards = len(api.sent_to(LIAISON_CHAT)) + 1
        member.send(description)
        member._wait_for(LIAISON_CHAT, expected_cards)

    cards = api.sent_to(LIAISON_CHAT)
    assert any("KSA Sint-Jan" in card["text"] for card in cards)
    assert any("Chorale La Lyre" in card["text"] for card in cards)
    for _ in range(2):
        admin.press(LIAISON_CHAT, "Goedkeuren")
    assert "Goede verstandhouding" in json.dumps(api.sent_to(jan.user_id)[-1], ensure_ascii=False)
    assert "Bonne entente" in json.dumps(api.sent_to(marie.user_id)[-1], ensure_ascii=False)

    menu = json.dumps(jan.send("/menu"), ensure_ascii=False)
    assert "Financiële en materiële ondersteuning" in menu
    commands = [call for call in api.calls if call.method == "setMyCommands"]
    assert {call.params.get("language_code") for call in commands} == {None, "nl", "fr", "en"}

    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "update" in stderr  # one log line per update
    assert not api.unexpected
    database = sqlite3.connect(folder / "kapstok.sqlite3")
    assert sorted(database.execute("SELECT name, status FROM associations")) == [
        ("Chorale La Lyre", "approved"),
        ("KSA Sint-Jan", "approved"),
    ]
    database.close()
