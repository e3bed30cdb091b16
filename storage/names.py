"""How association names are compared: case, accents and punctuation do not count."""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """'KSA Sint-Jan' and 'ksa sint jan' give the same key."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", without_accents).strip()
