"""The FAQ search: word forms per language, ranking, and the entries offered before asking."""

from __future__ import annotations

import pytest

from bot.domain.textsearch import best_matches, fold, rank, terms


def as_is(entry: tuple[str, str, str]) -> tuple[str, str, str]:
    """Entries in these tests are already (title, body, language)."""
    return entry


@pytest.mark.parametrize(
    ("query", "title", "language"),
    [
        ("VERGUNNINGEN", "Hoe vraag ik een vergunning aan?", "nl"),
        ("fêtes", "Organiser une fete de quartier", "fr"),
        ("autorisations", "Demander une autorisation", "fr"),
        ("permits", "How to get a permit", "en"),
        ("subsidie", "Welke subsidies bestaan er?", "nl"),
        ("zalen huren", "Hoe huur ik een zaal?", "nl"),
        ("réservations", "Réserver une salle", "fr"),
        ("bénévoles", "Devenir bénévole", "fr"),
        ("volunteering", "Become a volunteer", "en"),
        ("registrations", "Register your association", "en"),
    ],
)
def test_words_match_whatever_their_case_accents_or_endings(query, title, language):
    entry = (title, "", language)
    assert rank(query, language, [entry], as_is) == [entry]


def test_the_stemmer_follows_the_language_of_the_text():
    assert terms("Hoe huur ik een zaal?", "nl") == terms("zalen huren", "nl") == {"huur", "zaal"}
    assert terms("Réservations de salles", "fr") == {"reserv", "sall"}
    assert terms("Réservations de salles", "nl") != terms("Réservations de salles", "fr")


def test_an_entry_in_french_is_read_as_french_whatever_the_language_of_the_query():
    french = ("Réservations de salles", "", "fr")
    same_text_taken_for_dutch = ("Réservations de salles", "", "nl")
    assert rank("reserveren", "nl", [french], as_is) == [french]
    assert rank("reserveren", "nl", [same_text_taken_for_dutch], as_is) == []


def test_stop_words_and_short_words_are_left_out_but_numbers_are_kept():
    assert terms("Hoe kan ik de zaal op 12 mei huren?", "nl") == {"zaal", "12", "mei", "huur"}
    assert terms("Comment et quand", "fr") == set()
    assert terms("How can we do it", "en") == set()


def test_accents_and_case_are_folded():
    assert fold("Élève À L'ÉCOLE") == "eleve a l'ecole"


def test_an_unknown_language_is_read_as_dutch():
    assert terms("zalen huren", "de") == terms("zalen huren", "nl")
    entry = ("Hoe huur ik een zaal?", "", "xx")
    assert rank("zalen", "??", [entry], as_is) == [entry]


def test_ranking_puts_title_matches_first_and_drops_unrelated_entries():
    entries = [
        ("Zalen huren", "Over de vergunning voor muziek lees je elders.", "nl"),
        ("Vergunning voor een evenement", "Vraag ze aan via het e-loket.", "nl"),
        ("Uitleendienst", "Tenten en stoelen lenen.", "nl"),
    ]
    found = rank("vergunning evenement", "nl", entries, as_is)
    assert found[0] == entries[1]
    assert entries[2] not in found


def test_a_query_without_meaningful_words_finds_nothing():
    assert rank("hoe kan ik", "nl", [("Hoe kan ik helpen?", "", "nl")], as_is) == []


def test_only_clear_matches_are_offered_before_a_question_is_sent():
    entries = [
        ("Vergunning voor een evenement", "Via het e-loket.", "nl"),
        ("Zalen", "Zie de lijst.", "nl"),
    ]
    question = "Hebben we een vergunning nodig voor ons evenement?"
    assert best_matches(question, "nl", entries, as_is) == [entries[0]]
    assert best_matches("Wanneer is de volgende vergadering?", "nl", entries, as_is) == []
