"""The FAQ CSV format: what Excel and other spreadsheets write, and what they can read back."""

from __future__ import annotations

import codecs

import pytest

from bot.domain.faq import MAX_ANSWER as FAQ_ANSWER
from bot.domain.faq import MAX_IMPORT
from bot.domain.faq import MAX_QUESTION as FAQ_QUESTION
from bot.domain.faqcsv import (
    COLUMNS,
    CsvProblem,
    FaqRow,
    Problem,
    parse_faq_csv,
    write_faq_csv,
)

MAX_QUESTION = 300
MAX_ANSWER = 3000
HEADER = "kapstok,language,question,answer\r\n"


def parse(text: str | bytes) -> tuple[list[FaqRow], list[CsvProblem]]:
    """The rows and problems of a CSV file given as text (UTF-8, no BOM) or as bytes."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_faq_csv(data, MAX_QUESTION, MAX_ANSWER)


def problems_of(text: str | bytes) -> list[tuple[int | None, Problem]]:
    """The problems of a CSV file as (line, problem) pairs."""
    return [(found.line, found.problem) for found in parse(text)[1]]


def test_a_comma_separated_file_is_read():
    rows, problems = parse(
        HEADER + '1,nl,Hoe huur ik een zaal?,"Via het e-loket, of aan de balie."\r\n'
        "3,FR,Une question ; deux points ?,Oui; sans guillemets\r\n"
    )
    assert rows == [
        FaqRow(1, "nl", "Hoe huur ik een zaal?", "Via het e-loket, of aan de balie."),
        FaqRow(3, "fr", "Une question ; deux points ?", "Oui; sans guillemets"),
    ]
    assert problems == []


def test_a_semicolon_separated_file_from_excel_is_read_even_with_commas_in_the_answers():
    rows, problems = parse(
        "kapstok;language;question;answer\r\n"
        "2;en;Can we borrow chairs?;Yes, tables, chairs, and tents, for free.\r\n"
        '4;nl;"Wat; en hoe?";"Zo, zo; en ""zo""."\r\n'
    )
    assert rows == [
        FaqRow(
            2,
            "en",
            "Can we borrow chairs?",
            "Yes, tables, chairs, and tents, for free.",
        ),
        FaqRow(4, "nl", "Wat; en hoe?", 'Zo, zo; en "zo".'),
    ]
    assert problems == []


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_file_is_read_with_or_without_a_byte_order_mark(bom, delimiter):
    lines = [delimiter.join(COLUMNS), delimiter.join(["5", "fr", "Où ?", "À la maison communale."])]
    rows, problems = parse(bom + "\r\n".join(lines).encode("utf-8"))
    assert rows == [FaqRow(5, "fr", "Où ?", "À la maison communale.")]
    assert problems == []


def test_the_header_may_differ_in_case_order_spacing_and_extra_columns():
    rows, problems = parse(" Question ;Answer;Kapstok;Language;note\n Waar? ;Hier.;1; NL ;x\n")
    assert rows == [FaqRow(1, "nl", "Waar?", "Hier.")]
    assert problems == []


def test_empty_lines_that_spreadsheets_leave_are_skipped_but_still_counted():
    rows, problems = parse("kapstok;language;question;answer\n1;nl;A?;B.\n;;;\n\n6;nl;C?;D.\n;;;\n")
    assert rows == [FaqRow(1, "nl", "A?", "B.")]
    assert [(found.line, found.problem) for found in problems] == [(5, Problem.BAD_KAPSTOK)]


def test_a_file_that_is_not_utf8_is_refused_as_a_whole():
    data = (HEADER + "1,fr,Où ?,Là.\r\n").encode("cp1252")
    assert problems_of(data) == [(None, Problem.NOT_UTF8)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1,nl,Vraag?,Antwoord.\n",
        "kapstok,language,question\n1,nl,Vraag?\n",
        "kapstok\tlanguage\tquestion\tanswer\n",
    ],
)
def test_a_file_without_the_header_is_refused_at_line_1(text):
    assert problems_of(text) == [(1, Problem.NO_HEADER)]


def test_each_faulty_line_is_reported_with_its_number_and_the_rest_is_imported():
    long_question, long_answer = "q" * (MAX_QUESTION + 1), "a" * (MAX_ANSWER + 1)
    text = HEADER + "\r\n".join(
        [
            "6,nl,Vraag?,Antwoord.",  # 2
            "een,nl,Vraag?,Antwoord.",  # 3
            "1,de,Frage?,Antwort.",  # 4
            '1,nl,"Een vraag over\ntwee regels?",Ja.',  # 5: one record, as in Excel
            "1,nl,   ,Antwoord.",  # 6
            "1,nl,Vraag?,",  # 7
            "1,nl",  # 8
            f"1,nl,{long_question},Antwoord.",  # 9
            f"1,nl,Vraag?,{long_answer}",  # 10
            f"1,nl,{'q' * MAX_QUESTION},{'a' * MAX_ANSWER}",  # 11: just within the limits
        ]
    )
    rows, problems = parse(text)
    assert [(found.line, found.problem) for found in problems] == [
        (2, Problem.BAD_KAPSTOK),
        (3, Problem.BAD_KAPSTOK),
        (4, Problem.BAD_LANGUAGE),
        (6, Problem.EMPTY),
        (7, Problem.EMPTY),
        (8, Problem.EMPTY),
        (9, Problem.TOO_LONG),
        (10, Problem.TOO_LONG),
    ]
    assert [row.question for row in rows] == ["Een vraag over\ntwee regels?", "q" * MAX_QUESTION]


def test_a_field_beyond_the_csv_modules_own_limit_is_just_too_long():
    huge = "x" * 200_000
    text = HEADER + f'1,nl,Vraag?,"{huge}\r\n{huge}"\r\n2,nl,Tweede vraag?,Antwoord.\r\n'
    rows, problems = parse(text)
    assert problems == [CsvProblem(2, Problem.TOO_LONG)]
    assert rows == [FaqRow(2, "nl", "Tweede vraag?", "Antwoord.")]


def test_the_export_starts_with_a_byte_order_mark_and_the_header():
    exported = write_faq_csv([FaqRow(1, "nl", "Waar?", "Hier.")])
    assert exported.startswith(codecs.BOM_UTF8)
    assert exported.decode("utf-8-sig").splitlines() == [
        "kapstok,language,question,answer",
        "1,nl,Waar?,Hier.",
    ]


def test_an_empty_faq_exports_just_the_header():
    assert write_faq_csv([]) == codecs.BOM_UTF8 + b"kapstok,language,question,answer\r\n"


def test_what_is_exported_imports_as_the_same_rows():
    rows = [
        FaqRow(
            1, "nl", "Hoe huur ik een zaal?", "Via het e-loket; of, als het moet, aan de balie."
        ),
        FaqRow(2, "fr", "Où réserver « une salle » ?", 'Réponse : "oui", à l\'hôtel de ville.'),
        FaqRow(5, "en", "What, exactly?", 'Line one,\nline two;\r\nline "three".\n\n- a list'),
    ]
    assert parse(write_faq_csv(rows)) == (rows, [])


# --- how much one file may bring ----------------------------------------------------------------


def rows_text(count: int) -> str:
    return HEADER + "".join(f"2,nl,Vraag {n}?,Antwoord {n}.\r\n" for n in range(1, count + 1))


def test_a_file_of_at_most_a_thousand_entries_imports_whole():
    rows, problems = parse_faq_csv(rows_text(MAX_IMPORT).encode(), MAX_QUESTION, MAX_ANSWER)
    assert len(rows) == MAX_IMPORT == 1000
    assert problems == []


def test_a_file_of_more_entries_gives_nothing_and_names_the_first_line_too_many():
    rows, problems = parse_faq_csv(rows_text(20_023).encode(), MAX_QUESTION, MAX_ANSWER)
    assert rows == []
    # The header is line 1, entry 1,001 is on line 1,002.
    assert problems == [CsvProblem(1002, Problem.TOO_MANY)]


def test_faulty_lines_count_as_entries_and_empty_lines_do_not():
    text = HEADER + "9,nl,Fout?,Ja.\r\n" + ",,,\r\n\r\n" + rows_text(3)[len(HEADER) :]
    rows, problems = parse_faq_csv(text.encode(), MAX_QUESTION, MAX_ANSWER, max_entries=3)
    assert rows == []
    assert problems == [CsvProblem(7, Problem.TOO_MANY)]
    rows, problems = parse_faq_csv(text.encode(), MAX_QUESTION, MAX_ANSWER, max_entries=4)
    assert len(rows) == 3
    assert problems == [CsvProblem(2, Problem.BAD_KAPSTOK)]


def test_the_limits_of_the_faq_are_a_question_of_300_and_an_answer_of_4000_characters():
    assert (FAQ_QUESTION, FAQ_ANSWER) == (300, 4000)
    text = HEADER + "\r\n".join(
        [
            f"1,nl,{'q' * FAQ_QUESTION},{'a' * FAQ_ANSWER}",
            f"1,nl,{'q' * (FAQ_QUESTION + 1)},Antwoord.",
            f"1,nl,Vraag?,{'a' * (FAQ_ANSWER + 1)}",
        ]
    )
    rows, problems = parse_faq_csv(text.encode(), FAQ_QUESTION, FAQ_ANSWER)
    assert [(len(row.question), len(row.answer)) for row in rows] == [(300, 4000)]
    assert problems == [CsvProblem(3, Problem.TOO_LONG), CsvProblem(4, Problem.TOO_LONG)]


@pytest.mark.parametrize("blank", ["\u200b", " \u00a0 ", "\u2063\u200d", "\t"])
def test_a_question_or_answer_that_shows_nothing_is_empty(blank):
    text = HEADER + f"1,nl,{blank},Antwoord.\r\n1,nl,Vraag?,{blank}\r\n"
    assert problems_of(text) == [(2, Problem.EMPTY), (3, Problem.EMPTY)]
