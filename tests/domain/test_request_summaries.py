"""The rules of following requests: amounts for a spreadsheet, periods of an export, how long a
request waited, which evidence is too large."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.request_summaries import (
    MAX_EVIDENCE_BYTES,
    ItemLine,
    PeriodProblem,
    RequestSummary,
    evidence_too_large,
    last_year,
    period_problem,
    plain_amount,
    this_month,
    this_year,
    waited,
)
from bot.domain.requests import RequestKind, Status, SupportRequest

T0 = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)


def request(kind=RequestKind.SUBSIDY) -> SupportRequest:
    return SupportRequest(1, kind, 7, Status.REQUESTED, T0, T0)


def test_amounts_for_a_spreadsheet_are_plain_decimals():
    assert plain_amount(125_050) == "1250,50"
    assert plain_amount(5) == "0,05"
    assert plain_amount(100) == "1,00"
    assert plain_amount(None) == ""


def test_a_period_to_export():
    assert period_problem(date(2027, 1, 1), date(2027, 6, 30)) is None
    assert period_problem(date(2027, 1, 1), date(2027, 1, 1)) is None
    assert period_problem(date(2027, 6, 30), date(2027, 1, 1)) is PeriodProblem.ORDER
    assert period_problem(None, date(2027, 1, 1)) is PeriodProblem.UNREADABLE
    assert period_problem(date(2020, 1, 1), date(2030, 1, 1)) is PeriodProblem.TOO_LONG


def test_this_month_this_year_and_last_year():
    assert this_month(date(2027, 2, 14)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert this_month(date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert this_month(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert this_year(date(2027, 5, 5)) == (date(2027, 1, 1), date(2027, 12, 31))
    assert last_year(date(2027, 5, 5)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_how_long_a_request_waited():
    assert waited(request(), T0 + timedelta(days=3)) == timedelta(days=3)
    assert waited(request(), T0 - timedelta(hours=1)) == timedelta(0)  # a clock set back


def test_evidence_up_to_twenty_megabytes():
    assert not evidence_too_large(MAX_EVIDENCE_BYTES)
    assert evidence_too_large(MAX_EVIDENCE_BYTES + 1)
    assert not evidence_too_large(None)


def test_names_in_the_readers_language_or_in_dutch():
    summary = RequestSummary(request(), "KSA", type_names=("Jeugdwerking", "Jeunesse", None))
    assert summary.type_name("fr") == "Jeunesse"
    assert summary.type_name("en") == "Jeugdwerking"
    assert RequestSummary(request(RequestKind.GEAR), "KSA").type_name("nl") == ""
    line = ItemLine("Tent", 4, name_en="Tent (6x3)")
    assert line.name("en") == "Tent (6x3)" and line.name("fr") == "Tent"
