"""The catalog as liaisons keep it: typed values, the CSV file in and out, and which approved
reservations a lower stock no longer holds."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.gear import GearItem
from bot.domain.gear_catalog import (
    COLUMNS,
    KINDS,
    MAX_DAYS,
    CsvProblem,
    Held,
    ImportPlan,
    Misfit,
    Wrong,
    misfits,
    parse_catalog_csv,
    plan_import,
    read_cents,
    read_kinds,
    read_text,
    read_whole,
    read_yes_no,
    write_catalog_csv,
)
from bot.domain.lending import Reservation

HEADER = ";".join(COLUMNS) + "\r\n"


def test_typed_values():
    assert read_whole("12", maximum=100) == 12
    assert read_whole(" 0 ", maximum=100) == 0
    assert read_whole("-3", maximum=100) is Wrong.NEGATIVE
    assert read_whole("abc", maximum=100) is Wrong.NOT_WHOLE
    assert read_whole("1,5", maximum=100) is Wrong.NOT_WHOLE
    assert read_whole("", maximum=100) is Wrong.EMPTY
    assert read_whole("101", maximum=100) is Wrong.TOO_LARGE
    assert read_whole("0", minimum=1, maximum=100) is Wrong.TOO_SHORT_LOAN
    assert read_text("  Tent   6x3 ", 100) == "Tent 6x3"
    assert read_text("   ", 100) is Wrong.EMPTY
    assert read_text("", 100, required=False) == ""
    assert read_text("x" * 101, 100) is Wrong.TOO_LONG
    assert read_cents("12,50") == 1250
    assert read_cents("12.5") == 1250
    assert read_cents("€ 7") == 700
    assert read_cents("") == 0
    assert read_cents("1.250,50") is Wrong.AMOUNT
    assert read_cents("abc") is Wrong.AMOUNT
    assert read_cents("-5") is Wrong.NEGATIVE
    assert read_kinds("youth, sport|culture") == frozenset({"youth", "sport", "culture"})
    assert read_kinds("") == frozenset()
    assert read_kinds("youth, pirates") is Wrong.KIND
    assert read_yes_no("Ja") is True
    assert read_yes_no("non") is False
    assert read_yes_no("") is False
    assert read_yes_no("misschien") is Wrong.YES_NO


def test_a_semicolon_file_with_a_bom_adds_and_updates_by_dutch_name():
    data = (
        "\ufeffname_nl;category;stock;deposit;kinds;needs_recognition\r\n"
        "Tent 6x3;Tenten;4;50,00;youth,sport;ja\r\n"
        "stoel;Meubilair;100;;;\r\n"
    ).encode()
    rows, problems = parse_catalog_csv(data)
    assert problems == []
    existing = GearItem(7, "Stoel", "Meubilair", 80, unit="stuks", max_loan_days=5)
    plan = plan_import(rows, [existing])
    assert isinstance(plan, ImportPlan)
    assert [item.name_nl for item in plan.added] == ["Tent 6x3"]
    tent = plan.added[0]
    assert (tent.stock, tent.deposit_cents, tent.needs_recognition) == (4, 5000, True)
    assert tent.kinds == frozenset({"youth", "sport"})
    # The update keeps what the file does not name (the unit, the loan length); the file's
    # spelling of the name is the new one.
    assert plan.updated == (replace(existing, name_nl="stoel", stock=100),)


def test_a_comma_file_without_bom_is_read():
    rows, problems = parse_catalog_csv(
        b'name_nl,category,stock,kinds\r\nPodium,Podia,1,"youth,culture"\r\n'
    )
    assert problems == []
    assert rows[0].values["kinds"] == frozenset({"youth", "culture"})


def test_every_wrong_cell_is_named_by_row_and_column_and_nothing_is_kept():
    rows, problems = parse_catalog_csv(
        b"name_nl,category,stock,deposit,kinds,needs_recognition,max_loan_days\r\n"
        b",Tenten,4,,,,\r\n"
        b"Tent,Tenten,abc,,,,\r\n"
        b"Stoel,Meubilair,3,veel,pirates,misschien,\r\n"
        b"Tent,Tenten,2,,,,0\r\n"
    )
    assert rows == []
    assert [(p.row, p.column, p.wrong) for p in problems] == [
        (2, "name_nl", Wrong.EMPTY),
        (3, "stock", Wrong.NOT_WHOLE),
        (4, "deposit", Wrong.AMOUNT),
        (4, "kinds", Wrong.KIND),
        (4, "needs_recognition", Wrong.YES_NO),
        (5, "max_loan_days", Wrong.TOO_SHORT_LOAN),
        (5, "name_nl", Wrong.DUPLICATE),
    ]


def test_files_that_are_not_a_catalog():
    assert parse_catalog_csv(b"\xff\xfe") == ([], [CsvProblem(None, None, "not_utf8")])
    assert parse_catalog_csv(b"naam;stock\r\nTent;3\r\n")[1] == [CsvProblem(1, None, "no_header")]
    assert parse_catalog_csv(HEADER.encode())[1] == [CsvProblem(None, None, "no_rows")]


def test_lead_times_out_of_order_are_refused_after_merging():
    rows, _ = parse_catalog_csv(b"name_nl;category;stock;max_lead_days\r\nStoel;M;3;5\r\n")
    existing = GearItem(7, "Stoel", "M", 80, min_lead_days=14)
    assert plan_import(rows, [existing]) == [CsvProblem(2, "max_lead_days", Wrong.LEAD_ORDER, "5")]


NAMES = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=20
)
TEXTS = st.lists(NAMES, max_size=4).map(" ".join)


@st.composite
def items(draw):
    min_lead = draw(st.integers(0, 60))
    return GearItem(
        item_id=0,
        name_nl=draw(NAMES),
        name_fr=draw(st.none() | NAMES),
        name_en=draw(st.none() | NAMES),
        category=draw(NAMES),
        stock=draw(st.integers(0, 10_000)),
        unit=draw(TEXTS.filter(lambda text: len(text) <= 30)),
        deposit_cents=draw(st.integers(0, 1_000_000)),
        min_lead_days=min_lead,
        max_lead_days=draw(st.integers(min_lead, MAX_DAYS)),
        max_loan_days=draw(st.integers(1, MAX_DAYS)),
        kinds=draw(st.frozensets(st.sampled_from(KINDS))),
        needs_recognition=draw(st.booleans()),
        note=draw(TEXTS),
        pick_up_info=draw(TEXTS),
    )


@settings(max_examples=200)
@given(st.lists(items(), max_size=8, unique_by=lambda item: item.name_nl.casefold()))
def test_an_export_imports_back_as_it_was(catalog):
    for delimiter in (";", ","):
        rows, problems = parse_catalog_csv(write_catalog_csv(catalog, delimiter))
        if not catalog:
            assert problems == [CsvProblem(None, None, "no_rows")]
            continue
        assert problems == []
        plan = plan_import(rows, [])
        assert plan == ImportPlan(tuple(catalog), ())
        # Imported over itself, every item is an update that changes nothing.
        numbered = [replace(item, item_id=n) for n, item in enumerate(catalog, 1)]
        assert plan_import(rows, numbered) == ImportPlan((), tuple(numbered))


def test_the_export_is_semicolon_separated_with_a_bom_and_a_decimal_comma():
    data = write_catalog_csv([GearItem(1, "Tent", "Tenten", 4, deposit_cents=5050)])
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(header) == COLUMNS
    assert row[COLUMNS.index("deposit")] == "50,50"


# --- a lower stock ----------------------------------------------------------------------------


def held(request_id, quantity, pick_up, return_on, state="approved", association="KSA"):
    return Held(
        request_id,
        association,
        Reservation(1, quantity, date(2027, 5, pick_up), date(2027, 5, return_on), state),
    )


def test_a_stock_that_still_holds_everything_leaves_no_misfit():
    assert misfits(10, [held(1, 6, 1, 3), held(2, 4, 2, 5)]) == []


def test_the_later_request_is_short_by_what_is_missing():
    found = misfits(8, [held(2, 4, 2, 5, association="Chiro"), held(1, 6, 1, 3)])
    assert found == [Misfit(2, "Chiro", date(2027, 5, 2), date(2027, 5, 5), 4, 2)]


def test_picked_up_gear_keeps_its_place_and_separate_periods_do_not_clash():
    found = misfits(
        5,
        [
            held(1, 5, 1, 3),
            held(2, 5, 2, 4, state="picked_up"),
            held(3, 5, 10, 12),
            held(4, 5, 4, 6),  # returned on the 4th of request 2 frees it the same day
        ],
    )
    assert [(m.request_id, m.short) for m in found] == [(1, 5)]


def test_a_stock_of_zero_leaves_every_reservation_short_by_its_quantity():
    found = misfits(0, [held(1, 2, 1, 1), held(2, 3, 1, 1, state="partly_approved")])
    assert [(m.request_id, m.short) for m in found] == [(1, 2), (2, 3)]
