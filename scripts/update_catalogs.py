"""Extract the msgids from the code and update locales/<lang>/LC_MESSAGES/kapstok.po.

New msgids arrive empty in nl and fr (to be translated), and as themselves in en.
Run: python scripts/update_catalogs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers")
LANGUAGES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}


def extract() -> Catalog:
    template = Catalog(project="Kapstok", charset="utf-8")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source, method_map=[("**.py", "python")]
        ):
            template.add(
                message,
                None,
                [(f"{source}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def update(template: Catalog) -> None:
    for language, locale in LANGUAGES.items():
        path = ROOT / "locales" / language / "LC_MESSAGES" / "kapstok.po"
        if path.exists():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="Kapstok", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.project, catalog.version = "Kapstok", "0.1"
        catalog.copyright_holder = "Kapstok"
        catalog.msgid_bugs_address = ""
        if language == "en":
            for message in catalog:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and not all(strings):
                    message.string = message.id
        with path.open("wb") as po_file:
            write_po(po_file, catalog, width=100, sort_output=True)
        missing = sum(
            1
            for message in catalog
            if message.id
            and not all(message.string if isinstance(message.string, tuple) else (message.string,))
        )
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")


if __name__ == "__main__":
    update(extract())
    sys.exit(0)
