"""Association names compared loosely, invite codes as typed, and what a redemption allows."""

from __future__ import annotations

import pytest

from bot.domain.associations import (
    INVITE_CODE_ALPHABET,
    INVITE_CODE_LENGTH,
    Redemption,
    RedemptionOutcome,
    name_key,
    normalize_invite_code,
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("KSA Sint-Jan", "ksa sint jan"),
        ("Chiro Élan", "chiro elan"),
        ("  VC  De Ster! ", "vc de ster"),
        ("Scouts & Gidsen", "scouts gidsen"),
        ("Straße", "strasse"),
        ("Ｋｓａ", "ksa"),
    ],
)
def test_names_that_differ_in_case_accents_spaces_or_punctuation_share_a_key(one, other):
    assert name_key(one) == name_key(other)


def test_a_name_key_keeps_letters_digits_and_symbols_only():
    assert name_key("KSA Sint-Jan") == "ksasintjan"
    assert name_key("Chiro Élan") == "chiroelan"
    assert name_key(" !?., ") == ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("KSA Sint-Jan", "KSA Sint-Jozef"),
        ("VC 1", "VC 2"),
        ("Спорт", "Футбол"),
        ("Спорт", "東京クラブ"),
        ("Спорт", "جمعية الأمل"),
        ("Chiro 🎉", "Chiro 😀"),
    ],
)
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (" abcd-2345 ", "ABCD2345"),
        ("ABCD2345", "ABCD2345"),
        ("abcd 2345", "ABCD2345"),
        ("ab-cd\t23\n45", "ABCD2345"),
        ("", ""),
    ],
)
def test_a_typed_invite_code_becomes_capitals_without_spaces_or_dashes(typed, code):
    assert normalize_invite_code(typed) == code


def test_the_invite_code_alphabet_has_no_characters_that_look_alike():
    assert len(set(INVITE_CODE_ALPHABET)) == len(INVITE_CODE_ALPHABET)
    assert not set("01IO") & set(INVITE_CODE_ALPHABET)
    assert INVITE_CODE_LENGTH == 8
    assert normalize_invite_code(INVITE_CODE_ALPHABET) == INVITE_CODE_ALPHABET


@pytest.mark.parametrize(
    ("outcome", "may_try_again"),
    [
        (RedemptionOutcome.JOINED, False),
        (RedemptionOutcome.UNKNOWN, True),
        (RedemptionOutcome.USED, True),
        (RedemptionOutcome.EXPIRED, True),
        (RedemptionOutcome.LOCKED, False),
        (RedemptionOutcome.ALREADY_MEMBER, False),
        (RedemptionOutcome.ASSOCIATION_CLOSED, False),
    ],
)
def test_only_a_typo_a_used_or_an_expired_code_lets_the_user_send_another(outcome, may_try_again):
    assert Redemption(outcome).may_try_again is may_try_again


def test_every_redemption_outcome_says_whether_the_user_may_try_again():
    assert {outcome for outcome in RedemptionOutcome if Redemption(outcome).may_try_again} == {
        RedemptionOutcome.UNKNOWN,
        RedemptionOutcome.USED,
        RedemptionOutcome.EXPIRED,
    }
