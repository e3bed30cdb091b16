"""Configuration from environment variables (and a .env file), checked before anything runs."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("nl", "fr", "en")
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_DIGITS = re.compile(r"[0-9]+")
HEALTH_PATH = "/healthz"


class ConfigError(Exception):
    """One configuration variable is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Config:
    bot_token: str
    liaison_chat_id: int
    admin_ids: frozenset[int]
    database_path: Path
    default_language: str
    timezone: ZoneInfo
    base_url: str
    base_file_url: str
    nudge_working_hours: int = 16
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    @property
    def webhook_path(self) -> str:
        """The path part of WEBHOOK_URL that Telegram posts to; "/" when empty or unset."""
        if not self.webhook_url:
            return "/"
        return urlsplit(self.webhook_url).path or "/"


def _required(env: Mapping[str, str], name: str, expectation: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: {expectation}")
    return value


def _bot_token(env: Mapping[str, str]) -> str:
    expectation = (
        "the bot's token from @BotFather in Telegram (send it /newbot), like 123456789:AAE…"
    )
    token = _required(env, "BOT_TOKEN", expectation)
    if not _TOKEN.match(token):
        raise ConfigError(f"BOT_TOKEN is malformed: expected {expectation}")
    return token


def _liaison_chat_id(env: Mapping[str, str]) -> int:
    expectation = "the liaison supergroup's chat id, a negative number like -1001234567890"
    value = _required(env, "LIAISON_CHAT_ID", expectation)
    try:
        chat_id = int(value)
    except ValueError:
        raise ConfigError(f"LIAISON_CHAT_ID is malformed: expected {expectation}") from None
    if chat_id >= 0:
        raise ConfigError(f"LIAISON_CHAT_ID is malformed: expected {expectation}")
    return chat_id


def _admin_ids(env: Mapping[str, str]) -> frozenset[int]:
    value = env.get("ADMIN_IDS", "").strip()
    ids = set()
    for part in filter(None, (piece.strip() for piece in value.split(","))):
        if not (part.isascii() and part.isdigit()):
            raise ConfigError(
                f"ADMIN_IDS is malformed: expected Telegram user ids separated by commas,"
                f" like 12345678,87654321 (got {part!r})"
            )
        ids.add(int(part))
    return frozenset(ids)


def _language(env: Mapping[str, str]) -> str:
    value = env.get("DEFAULT_LANGUAGE", "nl").strip() or "nl"
    if value not in LANGUAGES:
        raise ConfigError(f"DEFAULT_LANGUAGE is malformed: expected one of {', '.join(LANGUAGES)}")
    return value


def _timezone(env: Mapping[str, str]) -> ZoneInfo:
    value = env.get("TIMEZONE", "Europe/Brussels").strip() or "Europe/Brussels"
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "TIMEZONE is malformed: expected an IANA time zone like Europe/Brussels"
            f" (got {value!r})"
        ) from None


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    if not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"{name} is malformed: expected an http(s) URL like {default}")
    return value


def _nudge_hours(env: Mapping[str, str]) -> int:
    value = env.get("NUDGE_WORKING_HOURS", "").strip() or "16"
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ConfigError(
            "NUDGE_WORKING_HOURS is malformed: expected a whole number of working hours, like 16"
        )
    return int(value)


def _webhook_url(env: Mapping[str, str]) -> str | None:
    """The public URL Telegram posts updates to, or None for polling."""
    value = env.get("WEBHOOK_URL", "").strip()
    if not value:
        return None
    expectation = (
        "the public https URL Telegram posts updates to, like https://kapstok.example.be/telegram"
    )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise ConfigError(f"WEBHOOK_URL is malformed: expected {expectation}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
        raise ConfigError(f"WEBHOOK_URL is malformed: expected {expectation}")
    if (parts.path.rstrip("/") or "/") == HEALTH_PATH:
        raise ConfigError(
            f"WEBHOOK_URL is malformed: its path {HEALTH_PATH} is the health check's;"
            " use another, like /telegram"
        )
    return value


def _webhook_secret(env: Mapping[str, str], webhook_url: str | None) -> str | None:
    """The secret token Telegram sends with every webhook request; required for a webhook."""
    expectation = (
        "1-256 characters of A-Z a-z 0-9 _ - that Telegram sends back with every update; make one"
        ' with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
    )
    value = env.get("WEBHOOK_SECRET", "").strip()
    if not value:
        if webhook_url is None:
            return None
        raise ConfigError(
            f"WEBHOOK_SECRET is not set: WEBHOOK_URL is set, so expected {expectation}"
        )
    if not _WEBHOOK_SECRET.fullmatch(value):
        raise ConfigError(f"WEBHOOK_SECRET is malformed: expected {expectation}")
    return value


def _is_hostname(value: str) -> bool:
    """Whether value is a plain DNS name like localhost or kapstok.internal."""
    labels = value.removesuffix(".").split(".")
    return len(value) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _webhook_listen(env: Mapping[str, str]) -> str:
    """The address the webhook and health server listens on."""
    value = env.get("WEBHOOK_LISTEN", "").strip() or "127.0.0.1"
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not _is_hostname(value):
            raise ConfigError(
                "WEBHOOK_LISTEN is malformed: expected an address to listen on, like 127.0.0.1,"
                f" 0.0.0.0, :: or localhost (got {value!r})"
            ) from None
    return value


def _webhook_port(env: Mapping[str, str]) -> int:
    """The TCP port the webhook and health server listens on."""
    value = env.get("WEBHOOK_PORT", "").strip() or "8080"
    if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= 65535:
        raise ConfigError(
            f"WEBHOOK_PORT is malformed: expected a port number from 1 to 65535, like 8080"
            f" (got {value!r})"
        )
    return int(value)


def load_config(env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Config:
    """Read the configuration; environment variables win over the .env file."""
    if env is None:
        values = {}
        if dotenv is not None and dotenv.is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ)
        env = values
    database = env.get("DATABASE_PATH", "").strip() or "data/kapstok.sqlite3"
    return Config(
        bot_token=_bot_token(env),
        liaison_chat_id=_liaison_chat_id(env),
        admin_ids=_admin_ids(env),
        database_path=Path(database),
        default_language=_language(env),
        timezone=_timezone(env),
        base_url=_url(env, "TELEGRAM_BASE_URL", DEFAULT_BASE_URL),
        base_file_url=_url(env, "TELEGRAM_BASE_FILE_URL", DEFAULT_BASE_FILE_URL),
        nudge_working_hours=_nudge_hours(env),
        webhook_url=(webhook_url := _webhook_url(env)),
        webhook_secret=_webhook_secret(env, webhook_url),
        webhook_listen=_webhook_listen(env),
        webhook_port=_webhook_port(env),
    )
