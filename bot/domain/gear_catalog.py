"""The lending service's catalog as liaison officers keep it: the values they type for an item,
the catalog as a CSV file in and out, and which approved reservations a lower stock no longer
holds.

The CSV file has a header row naming its columns (COLUMNS; only name_nl, category and stock are
required, a column left out keeps an existing item's value, or the default for a new one);
cells are separated by `;` (as Belgian Excel writes them) or `,`, in UTF-8 with or without a
byte order mark. A row whose Dutch name is already in the catalog (in any case) updates that
item; any other row adds one. The import is all or nothing: one wrong cell and the file is
refused with every problem found, by row (the header is row 1) and column.

Cells: stock and days are whole numbers (stock 0 or more, loan days 1 or more); the deposit is
euros with an optional decimal comma or point and at most two decimals (`50`, `12,50`, `12.50`,
`€ 12,50`; no thousands separator); kinds are association kinds (youth, sport, ...) separated by
commas, spaces or `|`, empty for every kind; needs_recognition is yes or no (also ja/nee,
oui/non, 1/0, true/false; empty is no). The export writes `;`, a BOM, the deposit with a
decimal comma, kinds with commas and recognition as yes/no: what the import reads back.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from bot.domain.lending import Reservation, free

COLUMNS = (
    "name_nl",
    "name_fr",
    "name_en",
    "category",
    "stock",
    "unit",
    "deposit",
    "min_lead_days",
    "max_lead_days",
    "max_loan_days",
    "kinds",
    "needs_recognition",
    "note",
    "pick_up_info",
)
REQUIRED = ("name_nl", "category", "stock")
KINDS = tuple(kind.value for kind in AssociationKind)

MAX_NAME = 100
MAX_CATEGORY = 60
MAX_UNIT = 30
MAX_TEXT = 1000  # the note, and where and when it is picked up
MAX_STOCK = 100_000
MAX_DAYS = 3650  # lead times and loan lengths
MAX_DEPOSIT_CENTS = 100_000_00
MAX_ROWS = 2000
DEFAULT = GearItem(item_id=0, name_nl="", category="", stock=0)

_ENCODING_WITH_BOM = "utf-8-sig"
_DELIMITERS = (";", ",")
_AMOUNT = re.compile(r"(?:€|eur)?\s*([0-9]+)(?:[.,]([0-9]{1,2}))?\s*(?:€|eur)?", re.IGNORECASE)
_KIND_SEPARATORS = re.compile(r"[\s,;|]+")
_YES = frozenset({"yes", "y", "ja", "j", "oui", "o", "1", "true", "waar", "vrai", "x"})
_NO = frozenset({"no", "n", "nee", "non", "0", "false", "onwaar", "faux", ""})


# --- one value, as typed or as a cell ---------------------------------------------------------


class Wrong(enum.Enum):
    """What is wrong with a value typed for an item, or with a cell of the CSV."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_WHOLE = "not_whole"  # not a whole number
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_SHORT_LOAN = "too_short_loan"  # a loan of 0 days
    AMOUNT = "amount"  # a deposit that cannot be read
    KIND = "kind"  # an association kind we do not know
    YES_NO = "yes_no"
    LEAD_ORDER = "lead_order"  # the maximum lead time below the minimum
    DUPLICATE = "duplicate"  # a name twice in the file, or one the catalog already has


def clean_text(text: str) -> str:
    """A typed text without surrounding white space, its inner runs of white space single."""
    return " ".join(text.split())


def read_text(text: str, limit: int, *, required: bool = True) -> str | Wrong:
    """A name, a category, a unit, a note: trimmed, at most `limit` characters."""
    cleaned = clean_text(text)
    if not cleaned and required:
        return Wrong.EMPTY
    if len(cleaned) > limit:
        return Wrong.TOO_LONG
    return cleaned


def read_whole(text: str, *, minimum: int = 0, maximum: int) -> int | Wrong:
    """A whole number between minimum and maximum: a stock, a number of days."""
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        return Wrong.EMPTY
    if re.fullmatch(r"-\s*[0-9]+", cleaned):
        return Wrong.NEGATIVE
    if not re.fullmatch(r"\+?[0-9]{1,9}", cleaned):
        return Wrong.NOT_WHOLE
    value = int(cleaned)
    if value > maximum:
        return Wrong.TOO_LARGE
    if value < minimum:
        return Wrong.TOO_SHORT_LOAN if minimum == 1 else Wrong.NEGATIVE
    return value


def read_cents(text: str) -> int | Wrong:
    """A deposit cell in euros (`12,50`, `12.50`, `€ 12`, empty for none), in cents."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if cleaned.startswith(("-", "\u2212")):
        return Wrong.NEGATIVE
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        return Wrong.AMOUNT
    try:
        cents = int(Decimal(f"{match.group(1)}.{match.group(2) or '0'}") * 100)
    except InvalidOperation:  # pragma: no cover - the pattern reads only digits
        return Wrong.AMOUNT
    return Wrong.TOO_LARGE if cents > MAX_DEPOSIT_CENTS else cents


def read_kinds(text: str) -> frozenset[str] | Wrong:
    """Association kinds separated by commas, spaces or `|`; none is every kind."""
    words = [word.lower() for word in _KIND_SEPARATORS.split(text.strip()) if word]
    if any(word not in KINDS for word in words):
        return Wrong.KIND
    return frozenset(words)


def read_yes_no(text: str) -> bool | Wrong:
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return Wrong.YES_NO


def lead_problem(item: GearItem) -> Wrong | None:
    """What is wrong with the item's rules as a whole: the lead times out of order."""
    return Wrong.LEAD_ORDER if item.max_lead_days < item.min_lead_days else None


# --- the CSV file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvProblem:
    """A problem of the file: a row (None: the whole file) and a column (None: the row)."""

    row: int | None
    column: str | None
    wrong: Wrong | str  # a Wrong, or one of 'not_utf8', 'no_header', 'no_rows', 'too_many'
    value: str = ""


@dataclass(frozen=True)
class CatalogRow:
    """A row of the file: its number, and the values of the columns it has."""

    row: int
    values: Mapping[str, object]

    @property
    def name(self) -> str:
        return str(self.values["name_nl"])


@dataclass(frozen=True)
class ImportPlan:
    """What an import does: the items to add, and the items to update (with their id)."""

    added: tuple[GearItem, ...]
    updated: tuple[GearItem, ...]


def _cell_value(column: str, cell: str) -> object:
    """The value of one cell, or a Wrong."""
    match column:
        case "name_nl":
            return read_text(cell, MAX_NAME)
        case "name_fr" | "name_en":
            return read_text(cell, MAX_NAME, required=False) or None
        case "category":
            return read_text(cell, MAX_CATEGORY)
        case "unit":
            return read_text(cell, MAX_UNIT, required=False)
        case "note" | "pick_up_info":
            return read_text(cell, MAX_TEXT, required=False)
        case "stock":
            return read_whole(cell, maximum=MAX_STOCK)
        case "min_lead_days" | "max_lead_days":
            return read_whole(cell, maximum=MAX_DAYS) if cell.strip() else None
        case "max_loan_days":
            return read_whole(cell, minimum=1, maximum=MAX_DAYS) if cell.strip() else None
        case "deposit":
            return read_cents(cell)
        case "kinds":
            return read_kinds(cell)
        case "needs_recognition":
            return read_yes_no(cell)
    raise KeyError(column)  # pragma: no cover


_FIELD_OF = {"deposit": "deposit_cents"}


def _decode(data: bytes) -> str | None:
    try:
        return data.decode(_ENCODING_WITH_BOM)
    except UnicodeDecodeError:
        return None


def _reader_past_header(text: str):
    """A reader past the header and the columns it names (by position), for the delimiter
    whose header names the required columns; None when neither does."""
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [cell.strip().lower().lstrip("\ufeff") for cell in next(reader, [])]
        if set(REQUIRED) <= set(header):
            return reader, {column: header.index(column) for column in COLUMNS if column in header}
    return None


def parse_catalog_csv(data: bytes) -> tuple[list[CatalogRow], list[CsvProblem]]:
    """The rows of a catalog CSV file, and every problem of it (rows only when none)."""
    text = _decode(data)
    if text is None:
        return [], [CsvProblem(None, None, "not_utf8")]
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    past_header = _reader_past_header(text)
    if past_header is None:
        return [], [CsvProblem(1, None, "no_header")]
    reader, positions = past_header
    rows: list[CatalogRow] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    try:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # spreadsheets leave empty rows at the end
            if len(rows) + 1 > MAX_ROWS:
                return [], [CsvProblem(number, None, "too_many")]
            values: dict[str, object] = {}
            for column, position in positions.items():
                cell = record[position] if position < len(record) else ""
                value = _cell_value(column, cell)
                if isinstance(value, Wrong):
                    problems.append(CsvProblem(number, column, value, cell.strip()[:40]))
                elif value is not None:
                    values[_FIELD_OF.get(column, column)] = value
            name = values.get("name_nl")
            if isinstance(name, str):
                if name.casefold() in seen:
                    problems.append(CsvProblem(number, "name_nl", Wrong.DUPLICATE, name[:40]))
                seen.setdefault(name.casefold(), number)
            rows.append(CatalogRow(number, values))
    except csv.Error:
        return [], [CsvProblem(None, None, "not_csv")]
    if not rows and not problems:
        return [], [CsvProblem(None, None, "no_rows")]
    return (rows if not problems else []), problems


def plan_import(
    rows: Iterable[CatalogRow], catalog: Iterable[GearItem]
) -> ImportPlan | list[CsvProblem]:
    """The items the rows add and update against the catalog (matched by Dutch name, in any
    case), or the problems of the items they make (lead times out of order)."""
    by_name = {item.name_nl.casefold(): item for item in catalog}
    added, updated, problems = [], [], []
    for row in rows:
        existing = by_name.get(row.name.casefold())
        base = existing or DEFAULT
        item = replace(base, **dict(row.values))
        if lead_problem(item) is not None:
            problems.append(
                CsvProblem(row.row, "max_lead_days", Wrong.LEAD_ORDER, str(item.max_lead_days))
            )
            continue
        (updated if existing is not None else added).append(item)
    if problems:
        return problems
    return ImportPlan(tuple(added), tuple(updated))


def _amount_cell(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d}"


def catalog_row(item: GearItem) -> list[str]:
    """The cells of one item, in COLUMNS' order."""
    return [
        item.name_nl,
        item.name_fr or "",
        item.name_en or "",
        item.category,
        str(item.stock),
        item.unit,
        _amount_cell(item.deposit_cents),
        str(item.min_lead_days),
        str(item.max_lead_days),
        str(item.max_loan_days),
        ",".join(sorted(item.kinds)),
        "yes" if item.needs_recognition else "no",
        item.note,
        item.pick_up_info,
    ]


def write_catalog_csv(items: Iterable[GearItem], delimiter: str = ";") -> bytes:
    """The items as a CSV file with a header row, `;`-separated, UTF-8 with a BOM for Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow(catalog_row(item))
    return buffer.getvalue().encode(_ENCODING_WITH_BOM)


# --- a lower stock ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """An approved or picked-up request's quantity of one item, with whose it is."""

    request_id: int
    association: str
    reservation: Reservation


@dataclass(frozen=True)
class Misfit:
    """A reservation the stock no longer holds in full: `short` of its quantity are missing."""

    request_id: int
    association: str
    pick_up: date
    return_on: date
    quantity: int
    short: int


def misfits(stock: int, held: Iterable[Held]) -> list[Misfit]:
    """Which reservations of one item no longer fit `stock`, and by how many.

    Nothing is cancelled: the reservations are placed one by one, what was picked up first (it
    is out of the door), then by request number (the first asked keeps its place); each gets
    what is free for its whole period beside those placed before it (lending.free), and is
    short of the rest. So the shortages add up to what must be found, and a stock that still
    holds everything gives none."""
    order = sorted(held, key=lambda h: (h.reservation.state != "picked_up", h.request_id))
    placed: list[Reservation] = []
    found = []
    for one in order:
        reservation = one.reservation
        if not reservation.holds_stock or reservation.quantity == 0:
            continue
        available = free(stock, placed, reservation.pick_up, reservation.return_on)
        fits = max(0, min(reservation.quantity, available))
        if fits < reservation.quantity:
            found.append(
                Misfit(
                    one.request_id,
                    one.association,
                    reservation.pick_up,
                    reservation.return_on,
                    reservation.quantity,
                    reservation.quantity - fits,
                )
            )
        placed.append(replace(reservation, quantity=fits))
    return sorted(found, key=lambda misfit: (misfit.pick_up, misfit.request_id))
