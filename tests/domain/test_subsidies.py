"""Subsidy types' deadlines, names in a language, and which reminders fall due."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.subsidies import (
    Candidate,
    Deadline,
    SubsidyType,
    attachment_labels,
    due_reminders,
    next_deadlines,
    parse_deadlines,
    previous_deadline,
    reminder_due,
    too_big,
)

SPRING, AUTUMN = Deadline(3, 31), Deadline(9, 30)


def a_type(**changes) -> SubsidyType:
    fields = {
        "type_id": 7,
        "name_nl": "Werking",
        "max_cents": 100000,
        "deadlines": (SPRING, AUTUMN),
    }
    return SubsidyType(**{**fields, **changes})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/03", (SPRING,)),
        ("31-3", (SPRING,)),
        ("30.9, 31/03", (SPRING, AUTUMN)),
        ("31/03 31-3\n30/09;", (SPRING, AUTUMN)),
        ("29/02", (Deadline(2, 29),)),
    ],
)
def test_deadlines_are_read_as_day_and_month(typed, expected):
    assert parse_deadlines(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "31/04", "0/3", "12/13", "31", "31/03/2027", "maart", "1/1 x"]
)
def test_what_is_no_deadline_is_refused(typed):
    assert parse_deadlines(typed) is None


def test_the_next_deadlines_come_back_every_year():
    deadlines = (SPRING, AUTUMN)
    assert next_deadlines(deadlines, date(2027, 3, 31)) == [date(2027, 3, 31)]
    assert next_deadlines(deadlines, date(2027, 4, 1), 3) == [
        date(2027, 9, 30),
        date(2028, 3, 31),
        date(2028, 9, 30),
    ]
    assert next_deadlines((), date(2027, 4, 1)) == []
    assert next_deadlines((Deadline(2, 29),), date(2027, 1, 1)) == [date(2027, 2, 28)]
    assert previous_deadline(deadlines, date(2027, 3, 31)) == date(2026, 9, 30)
    assert previous_deadline(deadlines, date(2027, 4, 1)) == date(2027, 3, 31)
    assert previous_deadline((), date(2027, 4, 1)) is None


def test_a_type_speaks_the_language_or_dutch():
    kind = a_type(name_fr="Fonctionnement", description_nl="Uitleg", description_en="Explained")
    assert kind.name("fr") == "Fonctionnement" and kind.name("en") == "Werking"
    assert kind.description("en") == "Explained" and kind.description("fr") == "Uitleg"
    assert str(kind.maximum) == "1000.00"


def test_attachment_labels_are_one_a_line():
    assert attachment_labels("Verslag\n\n Facturen \n") == ("Verslag", "Facturen")
    assert attachment_labels("x" * 101) is None
    assert attachment_labels("\n".join("abcdefghijk")) is None


def test_a_file_over_20_mb_is_too_big():
    assert too_big(20 * 1024 * 1024 + 1) and not too_big(20 * 1024 * 1024) and not too_big(None)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 28), None),  # 31 days before
        (date(2027, 3, 1), 30),
        (date(2027, 3, 23), 30),
        (date(2027, 3, 24), 7),
        (date(2027, 3, 31), 7),  # the deadline itself
        (date(2027, 4, 1), None),
    ],
)
def test_the_30_and_7_day_reminders(today, expected):
    assert reminder_due(date(2027, 3, 31), today) == expected


def test_reminders_go_to_eligible_associations_that_did_not_ask_since_the_last_deadline():
    kind = a_type(needs_recognition=True)
    candidates = [
        Candidate(1, recognised=True),
        Candidate(2, recognised=False),  # not recognised: the type requires it
        Candidate(3, recognised=True, last_requested=date(2027, 1, 5)),  # asked already
        Candidate(4, recognised=True, last_requested=date(2026, 9, 30)),  # for the last one
    ]
    due = due_reminders(kind, date(2027, 3, 1), candidates)
    assert [(r.association_id, r.deadline, r.days, r.days_left) for r in due] == [
        (1, date(2027, 3, 31), 30, 30),
        (4, date(2027, 3, 31), 30, 30),
    ]
    assert {r.association_id for r in due_reminders(a_type(), date(2027, 3, 1), candidates)} == {
        1,
        2,
        4,
    }
    assert due_reminders(kind, date(2027, 2, 1), candidates) == []
    assert due_reminders(a_type(active=False), date(2027, 3, 1), candidates) == []
    assert due_reminders(a_type(deadlines=()), date(2027, 3, 1), candidates) == []
