"""Every text the code can show exists, translated and compiling, in nl, fr and en."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot import i18n
from bot.config import LANGUAGES
from scripts.update_catalogs import extract

PLACEHOLDER = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?\w+>")


def _catalog(language):
    path = i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=i18n.BABEL_LOCALES[language])


@pytest.fixture(scope="module")
def code_messages():
    return {(message.context, message.id) for message in extract() if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles(language):
    i18n.compile_catalog(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_every_message_of_the_code(language, code_messages):
    catalog = _catalog(language)
    missing = []
    for context, msgid in sorted(code_messages, key=str):
        message = catalog.get(msgid, context=context)
        strings = (
            ()
            if message is None
            else (message.string if isinstance(message.string, tuple) else (message.string,))
        )
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    assert not missing, f"{language} lacks {len(missing)} translations, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language):
    wrong = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):
            if set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0], string))
            if sorted(TAG.findall(string)) != sorted(TAG.findall(ids[0])):
                wrong.append((ids[0], string))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize(
    "content",
    [
        'msgid "Hello"\nmsgstr "Hallo"\nthis line is no gettext\n',
        'msgid "Hello {name}"\nmsgstr "Hallo {naam}"\n',
    ],
)
def test_a_broken_catalog_stops_the_start(tmp_path, content):
    broken = tmp_path / "nl" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    (broken / "kapstok.po").write_text(content, encoding="utf-8")
    with pytest.raises(i18n.CatalogError, match="does not compile"):
        i18n.compile_catalog("nl", tmp_path)


def test_a_missing_catalog_stops_the_start(tmp_path):
    with pytest.raises(i18n.CatalogError, match="missing"):
        i18n.compile_catalog("fr", tmp_path)
