"""The rules of the public profile and of finding associations in the directory."""

from __future__ import annotations

import pytest

from bot.domain.profiles import (
    MAX_DESCRIPTION,
    NAME_THRESHOLD,
    NO_CONTACT,
    NO_DESCRIPTION,
    AssociationProfile,
    ContactKind,
    Offer,
    Side,
    email_address,
    find,
    listing_problems,
    name_score,
    phone_number,
)

NAMES = [
    "Voetbalclub Sint-Jan",
    "Jeugdhuis 't Leeuwke",
    "Chiro",
    "KSA Sint-Pieter",
    "Korfbal Kontich",
    "Koor Cantate",
    "Fanfare De Eendracht",
    "Scouts Ekeren",
]


def found_by(words: str) -> list[str]:
    return [name for name in NAMES if name_score(words, name) >= NAME_THRESHOLD]


# --- a phone number, an e-mail address ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0470 12 34 56", "0470 12 34 56"),
        ("+32 470 12 34 56", "+32 470 12 34 56"),
        ("+32 470/12.34.56", "+32 470/12.34.56"),
        ("014/21.21.21", "014/21.21.21"),
        ("0470-12-34-56", "0470-12-34-56"),
        ("  0470   123456 ", "0470 123456"),
        ("003214212121", "003214212121"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_a_phone_number_is_kept_as_typed_tidied(typed, kept):
    assert phone_number(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "12345678",  # 8 digits
        "+1234567890123456",  # 16 digits
        "0470 12 34 5x",
        "++32 470 12 34 56",
        "32+470123456",
        "+32 (0)470 12 34 56",
        "0470..12..34",
        "tel 0470 12 34 56",
        "٠٤٧٠١٢٣٤٥٦",  # Arabic-Indic digits
        "０４７０１２３４５６",  # full width
        "0470 12 34 56\n0470 12 34 57",
        "",
        " ",
        "/0470123456",
        "0470123456/",
    ],
)
def test_what_is_no_phone_number_is_refused(typed):
    assert phone_number(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "info@chiro-sint-jan.be",
        "jan.peeters+kapstok@gmail.com",
        "a@b.co",
        "Secretariaat@Voetbal.Kontich.be",
        "bestuur_2024@ksa.org",
    ],
)
def test_an_email_address_is_kept(typed):
    assert email_address(f"  {typed} ") == typed


@pytest.mark.parametrize(
    "typed",
    [
        "info@chiro",
        "info@chiro.b",
        "@chiro.be",
        "info@",
        "info chiro@x.be",
        "info@@chiro.be",
        "in..fo@chiro.be",
        ".info@chiro.be",
        "info.@chiro.be",
        "info@-chiro.be",
        "info@chiro-.be",
        "info@chiro..be",
        "info@chiro.be.",
        "jöns@chiro.be",
        "info@chirö.be",
        "<info@chiro.be>",
        "info@chiro.be, jan@chiro.be",
        "a" * 65 + "@chiro.be",
        "a@" + "b" * 250 + ".be",
        "",
    ],
)
def test_what_is_no_email_address_is_refused(typed):
    assert email_address(typed) is None


# --- listing ---------------------------------------------------------------------------------


def profile(**changes) -> AssociationProfile:
    fields = {
        "association_id": 1,
        "listed": False,
        "description": "We spelen elke zondag.",
        "offers": frozenset({Offer.GEAR}),
        "needs": frozenset(),
        "contact_kind": ContactKind.PHONE,
        "contact_user_id": None,
        "contact_text": "0470 12 34 56",
    }
    return AssociationProfile(**{**fields, **changes})


def test_a_profile_with_a_description_and_a_contact_may_be_listed():
    assert listing_problems(profile()) == []
    member = profile(contact_kind=ContactKind.MEMBER, contact_user_id=5, contact_text=None)
    assert listing_problems(member) == []


def test_listing_needs_a_description_and_a_contact():
    assert listing_problems(AssociationProfile.empty(1)) == [NO_DESCRIPTION, NO_CONTACT]
    assert listing_problems(profile(description="  ")) == [NO_DESCRIPTION]
    assert listing_problems(profile(contact_kind=None, contact_text=None)) == [NO_CONTACT]
    gone = profile(contact_kind=ContactKind.MEMBER, contact_user_id=None, contact_text=None)
    assert listing_problems(gone) == [NO_CONTACT]


def test_a_profile_gives_each_side_of_its_offers():
    both = profile(offers=frozenset({Offer.GEAR}), needs=frozenset({Offer.VENUE}))
    assert both.side(Side.OFFERS) == {Offer.GEAR}
    assert both.side(Side.NEEDS) == {Offer.VENUE}
    assert MAX_DESCRIPTION == 500


# --- names, loosely ----------------------------------------------------------------------------


def test_a_word_finds_the_names_it_begins_or_stands_in():
    assert found_by("voetbal") == ["Voetbalclub Sint-Jan"]
    assert found_by("jeugdhuis") == ["Jeugdhuis 't Leeuwke"]
    assert found_by("leeuwke") == ["Jeugdhuis 't Leeuwke"]
    assert found_by("club") == ["Voetbalclub Sint-Jan"]
    assert found_by("sint") == ["Voetbalclub Sint-Jan", "KSA Sint-Pieter"]
    assert found_by("sintjan") == ["Voetbalclub Sint-Jan"]


def test_typos_accents_and_capitals_do_not_matter():
    assert found_by("chirro") == ["Chiro"]
    assert found_by("CHIRÓ") == ["Chiro"]
    assert found_by("chiro") == ["Chiro"]
    assert found_by("voetbl") == ["Voetbalclub Sint-Jan"]
    assert found_by("jeugdhuiz") == ["Jeugdhuis 't Leeuwke"]
    assert found_by("Jeugdhuis ’t Leeuwke") == ["Jeugdhuis 't Leeuwke"]
    assert found_by("fanfáre") == ["Fanfare De Eendracht"]


def test_short_words_must_match_as_they_are():
    assert found_by("koor") == ["Koor Cantate"]  # not Korfbal, one letter away
    assert found_by("ksa") == ["KSA Sint-Pieter"]
    assert found_by("xyz") == []
    assert found_by("") == []
    assert found_by("!!!") == []


def test_every_word_counts():
    assert found_by("voetbal sint jan") == ["Voetbalclub Sint-Jan"]
    assert found_by("scouts ekeren") == ["Scouts Ekeren"]
    assert found_by("scouts zwijndrecht") == []


# --- finding: names first, then descriptions ----------------------------------------------------

ITEMS = [
    ("Voetbalclub Sint-Jan", "Wij spelen voetbal met jongeren en hebben een grote kantine.", "nl"),
    ("Fanfare De Eendracht", "Nous jouons de la musique et prêtons nos pupitres.", "fr"),
    ("Chiro", "Jeugdbeweging voor kinderen, met tenten en kookmateriaal.", "nl"),
    ("Buurtcomité Zuid", "Wij organiseren een buurtfeest en lenen tenten uit.", "nl"),
    ("Scouts Ekeren", "Elk jaar op kamp, samen met de Chiro.", "nl"),
]


def names(found) -> list[str]:
    return [item[0] for item in found]


def test_find_by_name_then_by_description():
    fields = lambda item: item  # noqa: E731
    assert names(find("chirro", "nl", ITEMS, fields)) == ["Chiro"]
    assert names(find("voetbal", "nl", ITEMS, fields)) == ["Voetbalclub Sint-Jan"]
    # A description's words, in other forms (stems): the order of the list for ties.
    assert names(find("tent", "nl", ITEMS, fields)) == ["Chiro", "Buurtcomité Zuid"]
    assert names(find("kantines", "nl", ITEMS, fields)) == ["Voetbalclub Sint-Jan"]
    assert names(find("musique", "fr", ITEMS, fields)) == ["Fanfare De Eendracht"]
    # More words found first; a name that matches before descriptions that do.
    assert names(find("buurtfeest tenten", "nl", ITEMS, fields)) == [
        "Buurtcomité Zuid",
        "Chiro",
    ]
    assert names(find("chiro", "nl", ITEMS, fields)) == ["Chiro", "Scouts Ekeren"]
    assert find("zwembad", "nl", ITEMS, fields) == []
    assert find("voetbal", "nl", [], fields) == []
