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
SECRET = "Kz3_-q9wX0rTyUvB1cD2eF3gH4iJ5kL6mN7oP8qR9sA"


def test_defaults():
    config = load_config(GOOD)
    assert config.admin_ids == frozenset()
    assert config.database_path == Path("data/kapstok.sqlite3")
    assert config.default_language == "nl"
    assert config.timezone.key == "Europe/Brussels"
    assert config.base_url == DEFAULT_BASE_URL == "https://api.telegram.org/bot"
    assert config.base_file_url == DEFAULT_BASE_FILE_URL == "https://api.telegram.org/file/bot"


def test_webhook_defaults_mean_polling():
    config = load_config(GOOD)
    assert config.webhook_url is None
    assert config.webhook_secret is None
    assert config.webhook_listen == "127.0.0.1"
    assert config.webhook_port == 8080
    assert config.webhook_path == "/"


def test_empty_webhook_values_take_the_defaults():
    config = load_config({**GOOD, "WEBHOOK_URL": " ", "WEBHOOK_LISTEN": "", "WEBHOOK_PORT": "  "})
    assert (config.webhook_url, config.webhook_listen, config.webhook_port) == (
        None,
        "127.0.0.1",
        8080,
    )


def test_a_full_webhook_configuration_is_read():
    config = load_config(
        {
            **GOOD,
            "WEBHOOK_URL": "https://kapstok.gemeente.be/telegram",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "0.0.0.0",
            "WEBHOOK_PORT": "8443",
        }
    )
    assert config.webhook_url == "https://kapstok.gemeente.be/telegram"
    assert config.webhook_secret == SECRET
    assert config.webhook_listen == "0.0.0.0"
    assert config.webhook_port == 8443
    assert config.webhook_path == "/telegram"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://kapstok.gemeente.be", "/"),
        ("https://kapstok.gemeente.be/", "/"),
        ("https://kapstok.gemeente.be:8443/bots/kapstok/?x=1", "/bots/kapstok/"),
        ("http://localhost:8080/telegram", "/telegram"),
    ],
)
def test_the_webhook_path_is_the_path_of_the_url(url, path):
    config = load_config({**GOOD, "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET})
    assert config.webhook_path == path


@pytest.mark.parametrize("listen", ["::", "::1", "localhost", "kapstok.internal", "10.0.0.5"])
def test_listen_accepts_addresses_and_host_names(listen):
    assert load_config({**GOOD, "WEBHOOK_LISTEN": listen}).webhook_listen == listen


@pytest.mark.parametrize("port", ["1", "80", "08080", "65535"])
def test_port_accepts_1_to_65535(port):
    assert load_config({**GOOD, "WEBHOOK_PORT": port}).webhook_port == int(port)


def test_a_secret_without_a_url_is_kept_for_later():
    config = load_config({**GOOD, "WEBHOOK_SECRET": SECRET})
    assert config.webhook_url is None
    assert config.webhook_secret == SECRET


def test_a_webhook_url_without_a_secret_is_refused_with_a_recipe():
    with pytest.raises(ConfigError) as raised:
        load_config({**GOOD, "WEBHOOK_URL": "https://kapstok.gemeente.be/telegram"})
    message = str(raised.value)
    assert message.startswith("WEBHOOK_SECRET is not set: ")
    assert "A-Z a-z 0-9 _ -" in message
    assert "secrets.token_urlsafe(32)" in message
    assert "\n" not in message


def test_the_longest_secret_is_accepted():
    secret = "A" * 256
    assert load_config({**GOOD, "WEBHOOK_SECRET": secret}).webhook_secret == secret


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
        ({"ADMIN_IDS": "²"}, "ADMIN_IDS"),
        ({"ADMIN_IDS": "١٢٣"}, "ADMIN_IDS"),
        ({"NUDGE_WORKING_HOURS": "²"}, "NUDGE_WORKING_HOURS"),
        ({"NUDGE_WORKING_HOURS": "١٦"}, "NUDGE_WORKING_HOURS"),
        ({"DEFAULT_LANGUAGE": "de"}, "DEFAULT_LANGUAGE"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"TELEGRAM_BASE_URL": "localhost:8081"}, "TELEGRAM_BASE_URL"),
        ({"TELEGRAM_BASE_FILE_URL": "ftp://x"}, "TELEGRAM_BASE_FILE_URL"),
        ({"WEBHOOK_URL": "kapstok.gemeente.be/telegram"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "ftp://kapstok.gemeente.be/telegram"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https:///telegram"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://kapstok.gemeente.be:port/telegram"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://kapstok.gemeente.be/tele gram"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://kapstok.gemeente.be/healthz"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": "has spaces in it"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "geheim!"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "géheim"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "A" * 257}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_LISTEN": "*"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_LISTEN": "[::1]"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_LISTEN": "127.0.0.1:8080"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_LISTEN": "bad_host"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_PORT": "0"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "65536"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "-1"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "+80"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "80.0"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "²"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "١٢٣"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "８０８０"}, "WEBHOOK_PORT"),
    ],
)
def test_a_wrong_value_names_the_variable(changes, named):
    with pytest.raises(ConfigError) as raised:
        load_config({**GOOD, **changes})
    message = str(raised.value)
    assert message.startswith(named)
    assert "\n" not in message


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
            "WEBHOOK_URL",
            "WEBHOOK_SECRET",
            "WEBHOOK_LISTEN",
            "WEBHOOK_PORT",
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


def test_program_refuses_a_webhook_without_a_secret(tmp_path):
    result = _run_bot({**GOOD, "WEBHOOK_URL": "https://kapstok.gemeente.be/telegram"}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: WEBHOOK_SECRET is not set: ")


def test_program_that_cannot_reach_telegram_says_so_and_stops(tmp_path):
    """An unreachable Bot API at start: one line naming TELEGRAM_BASE_URL, status 2, no hang."""
    result = _run_bot({**GOOD, "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot"}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Kapstok cannot start: Telegram cannot be reached at TELEGRAM_BASE_URL")
    )
