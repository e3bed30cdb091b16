"""Configuration: every variable checked, one clear line and exit status 2 when wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_BASE_FILE_URL, DEFAULT_BASE_URL, ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "BOT_TOKEN": "123456789:AAEabcdefghijklmnopqrstuvwxyz0123",
    "LIAISON_CHAT_ID": "-1001234567890",
}


def test_defaults():
    config = load_config(GOOD)
    assert config.admin_ids == frozenset()
    assert config.database_path == Path("data/kapstok.sqlite3")
    assert config.default_language == "nl"
    assert config.timezone.key == "Europe/Brussels"
    assert config.base_url == DEFAULT_BASE_URL == "https://api.telegram.org/bot"
    assert config.base_file_url == DEFAULT_BASE_FILE_URL == "https://api.telegram.org/file/bot"


def test_every_variable_is_read():
    config = load_config(
        {
            **GOOD,
            "ADMIN_IDS": "12345, 67890",
            "DATABASE_PATH": "/var/lib/kapstok/db.sqlite3",
            "DEFAULT_LANGUAGE": "fr",
            "TIMEZONE": "Europe/Paris",
            "TELEGRAM_BASE_URL": "http://localhost:8081/bot",
            "TELEGRAM_BASE_FILE_URL": "http://localhost:8081/file/bot",
        }
    )
    assert config.admin_ids == {12345, 67890}
    assert config.database_path == Path("/var/lib/kapstok/db.sqlite3")
    assert config.default_language == "fr"
    assert config.timezone.key == "Europe/Paris"
    assert config.base_url == "http://localhost:8081/bot"
    assert config.base_file_url == "http://localhost:8081/file/bot"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"BOT_TOKEN": ""}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"LIAISON_CHAT_ID": ""}, "LIAISON_CHAT_ID"),
        ({"LIAISON_CHAT_ID": "liaisons"}, "LIAISON_CHAT_ID"),
        ({"LIAISON_CHAT_ID": "12345"}, "LIAISON_CHAT_ID"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"DEFAULT_LANGUAGE": "de"}, "DEFAULT_LANGUAGE"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"TELEGRAM_BASE_URL": "localhost:8081"}, "TELEGRAM_BASE_URL"),
        ({"TELEGRAM_BASE_FILE_URL": "ftp://x"}, "TELEGRAM_BASE_FILE_URL"),
    ],
)
def test_a_wrong_value_names_the_variable(changes, named):
    with pytest.raises(ConfigError) as raised:
        load_config({**GOOD, **changes})
    assert str(raised.value).startswith(named)


def test_missing_token_says_where_to_get_one():
    with pytest.raises(ConfigError, match="@BotFather"):
        load_config({"LIAISON_CHAT_ID": "-100123"})


def test_dotenv_file_is_read_and_environment_wins(tmp_path, monkeypatch):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "BOT_TOKEN=123456789:AAEabcdefghijklmnopqrstuvwxyz0123\n"
        "LIAISON_CHAT_ID=-1001\nDEFAULT_LANGUAGE=en\n"
    )
    monkeypatch.setenv("DEFAULT_LANGUAGE", "fr")
    for name in ("BOT_TOKEN", "LIAISON_CHAT_ID"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(dotenv=dotenv)
    assert config.liaison_chat_id == -1001
    assert config.default_language == "fr"


def _run_bot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "BOT_TOKEN",
            "LIAISON_CHAT_ID",
            "ADMIN_IDS",
            "DEFAULT_LANGUAGE",
            "TIMEZONE",
            "DATABASE_PATH",
            "TELEGRAM_BASE_URL",
            "TELEGRAM_BASE_FILE_URL",
        )
    }
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_program_stops_with_one_line_and_status_2(tmp_path):
    result = _run_bot({"LIAISON_CHAT_ID": "-100123"}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0] and "@BotFather" in lines[0]
    assert "Traceback" not in result.stderr


def test_program_refuses_a_malformed_chat_id(tmp_path):
    result = _run_bot({**GOOD, "LIAISON_CHAT_ID": "my group"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: LIAISON_CHAT_ID is malformed: expected the liaison supergroup's "
        "chat id, a negative number like -1001234567890"
    ]
