"""Fill empty translations of the nl and fr catalogs from JSON files (run update_catalogs first).

    python -m scripts.fill_translations FILE.json [FILE.json ...]

Each file holds, per language, a list of entries:
    {"nl": [{"msgid": "...", "context": null, "string": "..." or ["one", "many"]}], "fr": [...]}
(French plurals take three forms, as the catalog's Plural-Forms says.) Translations that are
already filled are left alone; a msgid the catalogs do not have is reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = {"nl": "nl_BE", "fr": "fr_BE"}
ROOT = Path(__file__).resolve().parent.parent


def fill(paths: list[str]) -> int:
    missing = 0
    for language, locale in LOCALES.items():
        path = ROOT / "locales" / language / "LC_MESSAGES" / "kapstok.po"
        with path.open("rb") as file:
            catalog = read_po(file, locale=locale)
        for source in paths:
            for entry in json.loads(Path(source).read_text(encoding="utf-8")).get(language, []):
                msgid, context = entry["msgid"], entry.get("context")
                if isinstance(msgid, list):  # a plural: its singular names it
                    msgid = msgid[0]
                found = next(
                    (
                        m
                        for m in catalog
                        if (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid
                        and m.context == context
                    ),
                    None,
                )
                if found is None:
                    print(f"{language}: not in the catalog: {msgid!r}", file=sys.stderr)
                    missing += 1
                    continue
                strings = found.string if isinstance(found.string, tuple) else (found.string,)
                if all(strings):
                    continue
                string = entry["string"]
                found.string = tuple(string) if isinstance(string, list) else string
        with path.open("wb") as file:
            write_po(file, catalog, width=100, sort_output=True)
    return missing


if __name__ == "__main__":
    sys.exit(1 if fill(sys.argv[1:]) else 0)
