"""Euro amounts typed and shown in Dutch, French and English: the forms, refusals, round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.amounts import (
    REASONS,
    convention,
    example_amount,
    format_amount,
    parse_amount,
)

NBSP, NNBSP = "\u00a0", "\u202f"
LANGUAGES = ("nl", "fr", "en")
AMOUNT = Decimal("1250.50")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "1.250,50"),
        ("nl", "1 250,50"),
        ("nl", f"1{NBSP}250,50"),
        ("nl", f"1{NNBSP}250,50"),
        ("nl", "1250,50"),
        ("nl", "1250,5"),
        ("fr", "1.250,50"),
        ("fr", "1 250,50"),
        ("fr", f"1{NBSP}250,50"),
        ("fr", f"1{NNBSP}250,50"),
        ("fr", "1250,50"),
        ("en", "1,250.50"),
        ("en", "1250.50"),
        ("en", "1250.5"),
        ("en", "1 250.50"),
    ],
)
def test_the_forms_of_the_issue_are_read(language: str, text: str) -> None:
    assert parse_amount(text, language) == AMOUNT


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "€ 1.250,50"),
        ("nl", "€1.250,50"),
        ("nl", f"€{NBSP}1.250,50"),
        ("nl", "1.250,50 €"),
        ("nl", "EUR 1.250,50"),
        ("nl", "1.250,50 eur"),
        ("fr", f"1{NNBSP}250,50{NBSP}€"),
        ("fr", "1 250,50€"),
        ("en", "€1,250.50"),
        ("en", "EUR 1,250.50"),
        ("en", "  1,250.50 EUR  "),
    ],
)
def test_a_euro_sign_or_eur_before_or_after_is_allowed(language: str, text: str) -> None:
    assert parse_amount(text, language) == AMOUNT


def test_a_babel_locale_works_as_well_as_a_language_code() -> None:
    assert parse_amount("1.250,50", "nl_BE") == AMOUNT
    assert parse_amount("1 250,50", "fr_BE") == AMOUNT
    assert parse_amount("1,250.50", "en_BE") == AMOUNT  # English reads a decimal point
    assert convention("en_BE").locale == "en_IE"


def test_an_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_amount("5", "de")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("nl", "1.250", Decimal("1250.00")),  # a dot is only ever a group separator here
        ("fr", "1.250", Decimal("1250.00")),
        ("en", "1,250", Decimal("1250.00")),
        ("nl", "1.000.000", Decimal("1000000.00")),
        ("en", "1,000,000", Decimal("1000000.00")),
        ("fr", "1 000 000,00", Decimal("1000000.00")),
        ("nl", "12,3", Decimal("12.30")),
        ("en", "12.3", Decimal("12.30")),
        ("nl", "0,01", Decimal("0.01")),
        ("nl", "1,5000", Decimal("1.50")),  # zeros past the cents change nothing
        ("nl", "25", Decimal("25.00")),
    ],
)
def test_amounts_are_read_to_cents(language: str, text: str, expected: Decimal) -> None:
    result = parse_amount(text, language)
    assert result == expected
    assert isinstance(result, Decimal) and result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("nl", "", "empty"),
        ("en", "   ", "empty"),
        ("nl", "€", "empty"),
        ("nl", "abc", "unreadable"),
        ("nl", "1.2.3", "unreadable"),
        ("fr", "1.2.3", "unreadable"),
        ("en", "1.2.3", "unreadable"),
        ("nl", "1,2,3", "unreadable"),
        ("nl", "-", "unreadable"),
        ("nl", "€ 5 €", "unreadable"),
        ("nl", "1e3", "unreadable"),
        ("nl", "NaN", "unreadable"),
        ("nl", "Infinity", "unreadable"),
        ("nl", "1_000", "unreadable"),
        ("nl", "1  250", "unreadable"),
        ("nl", "٣", "unreadable"),  # only ASCII digits
        ("nl", "1.25", "ambiguous"),  # a group of two: meant 1,25?
        ("nl", "1250.50", "ambiguous"),
        ("fr", "12.50", "ambiguous"),
        ("nl", "1,250.50", "ambiguous"),
        ("nl", "12,345", "ambiguous"),  # 12,345 euros or 12345?
        ("nl", "1,250", "ambiguous"),
        ("en", "1.250", "ambiguous"),  # 1.25 or 1250?
        ("en", "1,5", "ambiguous"),
        ("en", "1.250,50", "ambiguous"),
        ("en", "1250,50", "ambiguous"),
        ("nl", "1,2345", "too_many_decimals"),
        ("en", "1.2345", "too_many_decimals"),
        ("nl", "0,001", "too_many_decimals"),
        ("nl", "0", "zero"),
        ("nl", "0,00", "zero"),
        ("en", "€0.00", "zero"),
        ("nl", "-0", "zero"),
        ("nl", "-5", "negative"),
        ("nl", "€ -5", "negative"),
        ("nl", "-€ 5", "negative"),
        ("fr", "-5 €", "negative"),
        ("en", "−5", "negative"),  # a minus sign
        ("en", "-€1,250.50", "negative"),
        ("nl", "9" * 40, "over_maximum"),
    ],
)
def test_refusals_give_a_reason(language: str, text: str, reason: str) -> None:
    assert reason in REASONS
    assert parse_amount(text, language) == reason


def test_an_amount_over_the_maximum_is_refused() -> None:
    assert parse_amount("1.000,01", "nl", maximum=Decimal("1000")) == "over_maximum"
    assert parse_amount("1.000,00", "nl", maximum=Decimal("1000")) == Decimal("1000.00")
    assert parse_amount("€ 999,99", "nl", maximum=Decimal("1000")) == Decimal("999.99")


def test_an_ambiguous_amount_is_refused_before_the_maximum() -> None:
    assert parse_amount("12,345", "nl", maximum=Decimal("10")) == "ambiguous"


def test_amounts_are_shown_in_the_users_locale() -> None:
    assert format_amount(AMOUNT, "nl") == f"€{NBSP}1.250,50"
    assert format_amount(AMOUNT, "fr") == f"1{NNBSP}250,50{NBSP}€"
    assert format_amount(AMOUNT, "en") == "€1,250.50"
    assert format_amount(Decimal("5"), "nl_BE") == f"€{NBSP}5,00"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_example_is_an_amount_the_language_reads(language: str) -> None:
    example = example_amount(language)
    assert parse_amount(example, language) == AMOUNT


def test_the_examples() -> None:
    assert example_amount("nl") == "1.250,50"
    assert example_amount("fr") == f"1{NNBSP}250,50"
    assert example_amount("en") == "1,250.50"


cents = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)


@given(value=cents, language=st.sampled_from(LANGUAGES))
def test_a_shown_amount_reads_back(value: Decimal, language: str) -> None:
    assert parse_amount(format_amount(value, language), language) == value


@given(value=cents, language=st.sampled_from(LANGUAGES))
def test_a_shown_negative_amount_is_refused(value: Decimal, language: str) -> None:
    assert parse_amount(format_amount(-value, language), language) == "negative"
