"""The FAQ as a CSV file: one entry a line, comma- or semicolon-separated, in UTF-8."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.domain.faq import MAX_IMPORT, is_blank
from bot.domain.kapstokken import NUMBERS

COLUMNS = ("kapstok", "language", "question", "answer")
_KAPSTOKKEN = frozenset(str(number) for number in NUMBERS)
_LANGUAGES = frozenset({"nl", "fr", "en"})
# Belgian Excel separates with semicolons; everything else with commas.
_DELIMITERS = (";", ",")
_ENCODING_WITH_BOM = "utf-8-sig"


class Problem(enum.Enum):
    NOT_UTF8 = enum.auto()
    NO_HEADER = enum.auto()
    BAD_KAPSTOK = enum.auto()
    BAD_LANGUAGE = enum.auto()
    EMPTY = enum.auto()
    TOO_LONG = enum.auto()
    # More entries than one import takes: its line is the first one too many, and the whole
    # file is refused (split, it imports part by part without doubles).
    TOO_MANY = enum.auto()


@dataclass(frozen=True)
class CsvProblem:
    line: int | None
    problem: Problem


@dataclass(frozen=True)
class FaqRow:
    kapstok: int
    language: str
    question: str
    answer: str


def _reader_past_header(text: str) -> tuple[Iterator[list[str]], dict[str, int]] | None:
    """A reader past the header, and where each column is, for the delimiter whose header
    names the columns; None when neither delimiter's does."""
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [cell.strip().lower() for cell in next(reader, [])]
        if set(COLUMNS) <= set(header):
            return reader, {column: header.index(column) for column in COLUMNS}
    return None


def _allow_fields_as_long_as(text: str) -> None:
    """Raise the csv module's field size limit, process-wide, to the length of the text."""
    # The limit guards streamed input; this text is in memory already, and a field past the
    # limit would make the reader stop, or resume in the middle of a quoted field.
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)


def _row_or_problem(cells: dict[str, str], max_question: int, max_answer: int) -> FaqRow | Problem:
    """The FAQ row the cells of a record give, or the first thing wrong with them."""
    kapstok = cells["kapstok"].strip()
    language = cells["language"].strip().lower()
    question, answer = cells["question"].strip(), cells["answer"].strip()
    if kapstok not in _KAPSTOKKEN:
        return Problem.BAD_KAPSTOK
    if language not in _LANGUAGES:
        return Problem.BAD_LANGUAGE
    if is_blank(question) or is_blank(answer):
        return Problem.EMPTY
    if len(question) > max_question or len(answer) > max_answer:
        return Problem.TOO_LONG
    return FaqRow(int(kapstok), language, question, answer)


def parse_faq_csv(
    data: bytes, max_question: int, max_answer: int, max_entries: int = MAX_IMPORT
) -> tuple[list[FaqRow], list[CsvProblem]]:
    """The valid rows of a FAQ CSV file, and a problem per line that is not valid.

    Lines are records, as a spreadsheet numbers its rows: the header is line 1, and an answer
    over several lines still makes one. A file of more than `max_entries` entries (lines that
    are not empty, valid or not) gives no rows and one problem, TOO_MANY, at the first line too
    many; what follows it is not read.
    """
    try:
        text = data.decode(_ENCODING_WITH_BOM)
    except UnicodeDecodeError:
        return [], [CsvProblem(None, Problem.NOT_UTF8)]
    _allow_fields_as_long_as(text)
    past_header = _reader_past_header(text)
    if past_header is None:
        return [], [CsvProblem(1, Problem.NO_HEADER)]
    reader, positions = past_header
    rows, problems = [], []
    entries = 0
    for line, record in enumerate(reader, start=2):
        if not any(value.strip() for value in record):
            continue  # Spreadsheets leave empty lines, or lines of bare delimiters, at the end.
        entries += 1
        if entries > max_entries:
            return [], [CsvProblem(line, Problem.TOO_MANY)]
        cells = {
            column: record[position] if position < len(record) else ""
            for column, position in positions.items()
        }
        outcome = _row_or_problem(cells, max_question, max_answer)
        if isinstance(outcome, Problem):
            problems.append(CsvProblem(line, outcome))
        else:
            rows.append(outcome)
    return rows, problems


def write_faq_csv(rows: Iterable[FaqRow]) -> bytes:
    """The rows as a comma-separated CSV file, header first, in UTF-8 with a BOM for Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.kapstok, row.language, row.question, row.answer])
    return buffer.getvalue().encode(_ENCODING_WITH_BOM)
