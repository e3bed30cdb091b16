"""Translations and locale formats; the language is held per update in a ContextVar."""

from __future__ import annotations

import gettext as _gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import dates as _dates
from babel import numbers as _numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.config import LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "kapstok"
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


class CatalogError(Exception):
    """A translation catalog is missing or does not compile."""


_PLACEHOLDER = re.compile(r"\{\w*\}")
_catalogs: dict[str, _gettext.GNUTranslations] = {}
_default_language = "nl"
_timezone: tzinfo = ZoneInfo("Europe/Brussels")
_language: ContextVar[str | None] = ContextVar("kapstok_language", default=None)


def compile_catalog(language: str, directory: Path = LOCALES_DIR) -> _gettext.GNUTranslations:
    """Compile locales/<language>/LC_MESSAGES/kapstok.po in memory; fail loudly if it cannot."""
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        raise CatalogError(f"translation catalog {path} is missing")
    try:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=BABEL_LOCALES[language], abort_invalid=True)
        _check_placeholders(catalog)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    except Exception as error:
        raise CatalogError(f"translation catalog {path} does not compile: {error}") from error


def _check_placeholders(catalog) -> None:
    """A translation must use exactly the {placeholders} of its msgid, or formatting breaks."""
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):
            if set(_PLACEHOLDER.findall(string)) != wanted:
                raise ValueError(
                    f"the translation of {ids[0]!r} has other placeholders: {string!r}"
                )


def setup(default_language: str, timezone: tzinfo) -> None:
    """Load every catalog (once) and set the defaults used outside a user's update."""
    global _default_language, _timezone
    if not _catalogs:
        for language in LANGUAGES:
            _catalogs[language] = compile_catalog(language)
    _default_language = default_language
    _timezone = timezone


def default_language() -> str:
    return _default_language


def current_language() -> str:
    return _language.get() or _default_language


def set_language(language: str) -> None:
    """Speak this language for the rest of the current update."""
    _language.set(language if language in LANGUAGES else _default_language)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Speak another language for a moment, e.g. to write to another user."""
    token = _language.set(language if language in LANGUAGES else _default_language)
    try:
        yield
    finally:
        _language.reset(token)


def language_from_telegram(code: str | None, fallback: str) -> str:
    """Map Telegram's language_code ('nl', 'fr-BE', 'en-US', …) to one we speak."""
    if code:
        base = code.split("-")[0].split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return fallback


def _translations() -> _gettext.NullTranslations:
    return _catalogs.get(current_language()) or _gettext.NullTranslations()


def _(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for extraction; translate it later with _()."""
    return message


def babel_locale() -> str:
    return BABEL_LOCALES[current_language()]


def format_datetime(moment: datetime) -> str:
    """A date with hours and minutes, in the municipality's time zone and the user's locale."""
    local = moment.astimezone(_timezone)
    locale = babel_locale()
    pattern = _dates.get_datetime_format("medium", locale=locale)
    date = _dates.format_date(local, "medium", locale=locale)
    time = _dates.format_time(local, "short", locale=locale)
    return pattern.replace("{1}", date).replace("{0}", time)


def format_date(moment: datetime) -> str:
    return _dates.format_date(moment.astimezone(_timezone), "long", locale=babel_locale())


def format_age(delta: timedelta) -> str:
    """How long ago, roughly: '3 hours', '2 days'."""
    return _dates.format_timedelta(delta, threshold=1.5, locale=babel_locale())


def format_decimal(value: float, pattern: str | None = None) -> str:
    """A number in the user's locale (3,5 in Dutch and French, 3.5 in English)."""
    return _numbers.format_decimal(value, format=pattern, locale=babel_locale())


def format_percent(value: float) -> str:
    return _numbers.format_percent(value, locale=babel_locale())


def format_day(day: date) -> str:
    """A calendar date (no time, no time zone) in the user's locale."""
    return _dates.format_date(day, "long", locale=babel_locale())
