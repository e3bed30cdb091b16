"""Euro amounts typed and shown in the user's language, read and written with Babel.

Dutch and French write `1.250,50` or `1 250,50` (a normal, no-break or narrow no-break space);
English writes `1,250.50`. CLDR's en_BE uses a decimal comma (`1.250,50 €`), which is not what
an English-speaking user types, so English reads and writes amounts as en_IE does (`€1,250.50`):
a euro locale with a decimal point. A language code (`nl`) or a Babel locale (`nl_BE`) both work;
only the language counts.

Parsing is Babel's strict parse_decimal in the user's convention, with an optional € or EUR
before or after the number and an optional minus sign. What the other convention (decimal comma
versus decimal point) reads differently is refused as ambiguous rather than guessed:

- the user's reading fails but the other one works: `1.25` or `1250.50` in Dutch, `1,5` or
  `1.250,50` in English;
- the user's reading has more than two decimals but the other one is an amount: `12,345` in
  Dutch (12.345 or 12345?), `1.250` in English (1.25 or 1250?).

So `1.250` is 1250 in Dutch and French (a dot there is only ever a group separator), and
`1,250` is 1250 in English. More than two decimals that no reading makes sense of (`1,2345` in
Dutch) is 'too_many_decimals', unless they are zeros (`1,5000`); a misplaced separator in both
readings (`1.2.3`) is 'unreadable'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import numbers as _numbers

# parse_amount's reasons, in the order it checks them
REASONS = (
    "empty",
    "unreadable",
    "ambiguous",
    "too_many_decimals",
    "zero",
    "negative",
    "over_maximum",
)
CENT = Decimal("0.01")
LIMIT = Decimal("999999999999.99")  # the largest amount read when no maximum is given
EXAMPLE = Decimal("1250.50")


@dataclass(frozen=True, slots=True)
class Convention:
    """How one language writes numbers: the Babel locale, and what stands for its group sign."""

    locale: str
    group: str  # the Babel locale's group symbol
    group_like: str  # characters the user may type for it, besides whitespace


_COMMA = {
    "nl": Convention("nl_BE", ".", "."),
    "fr": Convention("fr_BE", "\u202f", "."),
}
_POINT = Convention("en_IE", ",", ",")  # en_BE has a decimal comma; see the module docstring
_CONVENTIONS = {**_COMMA, "en": _POINT}

_SIGN = re.compile(r"[-\u2212]\s*")
_CURRENCY_BEFORE = re.compile(r"(?:€|eur)\s*", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:€|eur)$", re.IGNORECASE)
_NUMBER = re.compile(r"[0-9.,]+(?:\s[0-9.,]+)*")  # a single space between digit groups
_WHITESPACE = re.compile(r"\s")


def convention(locale: str) -> Convention:
    """The number convention of a language code or Babel locale; ValueError if unknown."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    try:
        return _CONVENTIONS[language]
    except KeyError:
        raise ValueError(f"no amount convention for locale {locale!r}") from None


def parse_amount(text: str, locale: str, maximum: Decimal | None = None) -> Decimal | str:
    """The positive amount typed, rounded to cents, or one of REASONS if it is refused."""
    own = convention(locale)
    other = _POINT if own is not _POINT else _COMMA["nl"]
    body, negative = _strip(text)
    if body is None:
        return "unreadable"
    if not body:
        return "empty"
    if not _NUMBER.fullmatch(body) or not any(char.isdigit() for char in body):
        return "unreadable"
    value = _read(body, own)
    if value is None or _decimals(value) > 2:
        alternative = _read(body, other)
        if alternative is not None and _decimals(alternative) <= 2:
            return "ambiguous"
        if value is None:
            return "unreadable"
        if value != value.quantize(CENT):
            return "too_many_decimals"
    if value == 0:
        return "zero"
    if negative:
        return "negative"
    limit = LIMIT if maximum is None else min(maximum, LIMIT)
    if value > limit:
        return "over_maximum"
    return value.quantize(CENT)


def format_amount(value: Decimal, locale: str) -> str:
    """The amount in euros as the language shows it: `€ 1.250,50`, `1 250,50 €`, `€1,250.50`."""
    return _numbers.format_currency(value, "EUR", locale=convention(locale).locale)


def example_amount(locale: str) -> str:
    """An amount as the language types it, to show with a refusal: `1.250,50`, `1,250.50`."""
    return _numbers.format_decimal(EXAMPLE, "#,##0.00", locale=convention(locale).locale)


def _strip(text: str) -> tuple[str | None, bool]:
    """The number without its sign and currency, and whether it was negative; None if garbled."""
    rest = text.strip()
    negative = False
    currency = False
    for _ in range(2):  # the sign and the currency sign come in either order: `-€ 5`, `€ -5`
        if not negative and (match := _SIGN.match(rest)):
            negative, rest = True, rest[match.end() :]
        if not currency and (match := _CURRENCY_BEFORE.match(rest)):
            currency, rest = True, rest[match.end() :]
    if match := _CURRENCY_AFTER.search(rest):
        if currency:
            return None, negative
        rest = rest[: match.start()]
    if not rest and negative:
        return None, negative
    return rest, negative


def _read(body: str, number_convention: Convention) -> Decimal | None:
    """Babel's strict reading of the number in a convention, or None if it refuses it."""
    canonical = _WHITESPACE.sub(number_convention.group, body)
    for char in number_convention.group_like:
        canonical = canonical.replace(char, number_convention.group)
    try:
        return _numbers.parse_decimal(canonical, locale=number_convention.locale, strict=True)
    except _numbers.NumberFormatError:
        return None


def _decimals(value: Decimal) -> int:
    """How many decimals were typed: 2 for `12,50`, 3 for `12,500`."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
