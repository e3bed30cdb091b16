"""The pure helpers behind the FAQ search and the response-time reminder."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.textsearch import best_matches, rank
from bot.workinghours import working_hours_between
from handlers.relay import split_text

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("VERGUNNINGEN", "Hoe vraag ik een vergunning aan?"),
        ("fêtes", "Organiser une fete de quartier"),
        ("autorisations", "Demander une autorisation"),
        ("permits", "How to get a permit"),
        ("subsidie", "Welke subsidies bestaan er?"),
    ],
)
def test_words_match_whatever_their_case_accents_or_endings(query, text):
    assert rank(query, [(text, "")], lambda entry: entry)


def test_ranking_puts_title_matches_first_and_drops_unrelated_entries():
    entries = [
        ("Zalen huren", "Over de vergunning voor muziek lees je elders."),
        ("Vergunning voor een evenement", "Vraag ze aan via het e-loket."),
        ("Uitleendienst", "Tenten en stoelen lenen."),
    ]
    found = rank("vergunning evenement", entries, lambda entry: entry)
    assert found[0][0] == "Vergunning voor een evenement"
    assert ("Uitleendienst", "Tenten en stoelen lenen.") not in found


def test_only_clear_matches_are_offered_before_a_question_is_sent():
    entries = [("Vergunning voor een evenement", "Via het e-loket."), ("Zalen", "Zie de lijst.")]
    assert best_matches(
        "Hebben we een vergunning nodig voor ons evenement?", entries, lambda e: e
    ) == [entries[0]]
    assert best_matches("Wanneer is de volgende vergadering?", entries, lambda e: e) == []


def test_weekend_hours_do_not_count():
    friday_afternoon = datetime(2026, 12, 4, 15, 0, tzinfo=BRUSSELS)
    monday_morning = datetime(2026, 12, 7, 9, 0, tzinfo=BRUSSELS)
    assert working_hours_between(friday_afternoon, monday_morning, BRUSSELS) == 18


def test_a_night_between_two_weekdays_counts():
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS)
    assert working_hours_between(tuesday, tuesday.replace(day=2, hour=1), BRUSSELS) == 16


def test_daylight_saving_time_changes_nothing_on_a_weekend():
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)
    monday = datetime(2026, 3, 30, 1, 0, tzinfo=BRUSSELS)
    assert working_hours_between(saturday, monday, BRUSSELS) == 1


def test_long_texts_are_split_without_losing_a_character():
    text = ("Een lange zin over de samenwerking. " * 300).strip()
    pieces = split_text(text, 4000)
    assert all(len(piece) <= 4000 for piece in pieces)
    assert " ".join(pieces) == text
    unbroken = "x" * 9000
    assert "".join(split_text(unbroken, 4000)) == unbroken
