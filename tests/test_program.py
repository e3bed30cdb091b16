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
from pathlib import Path

import pytest

from tests.botapi_server import BotAPIServer, Member, _serve

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAEprogramtestabcdefghijklmnopqrstu"
LIAISON_CHAT = -1009876543210
ADMIN = 1


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
