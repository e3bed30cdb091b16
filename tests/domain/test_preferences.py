"""Preferences: which kinds of message a member wants, and reading the date a pause ends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.preferences import (
    MAX_PAUSE_DAYS,
    OPTIONAL,
    Kind,
    Preferences,
    parse_pause,
    wants,
)

TODAY = date(2027, 6, 1)
EVERYTHING_OFF = Preferences(off=frozenset(OPTIONAL))


def test_optional_kinds_are_all_but_essential_in_menu_order():
    assert OPTIONAL == (Kind.NEWS, Kind.CHECKINS, Kind.CALLS, Kind.REMINDERS)
    assert set(Kind) - set(OPTIONAL) == {Kind.ESSENTIAL}
    assert [kind.value for kind in Kind] == ["news", "checkins", "calls", "reminders", "essential"]
    assert Kind("calls") is Kind.CALLS


@pytest.mark.parametrize("kind", list(Kind))
def test_by_default_every_kind_is_wanted(kind):
    assert wants(Preferences(), kind, TODAY)


@pytest.mark.parametrize("kind", OPTIONAL)
def test_a_kind_turned_off_is_not_wanted_and_the_others_still_are(kind):
    preferences = Preferences(off=frozenset({kind}))
    assert not wants(preferences, kind, TODAY)
    assert all(wants(preferences, other, TODAY) for other in Kind if other is not kind)


def test_essential_is_wanted_whatever_else():
    stubborn = Preferences(off=frozenset(Kind), paused_until=TODAY, unreachable=True)
    assert wants(stubborn, Kind.ESSENTIAL, TODAY)
    assert wants(EVERYTHING_OFF, Kind.ESSENTIAL, TODAY)


@pytest.mark.parametrize("kind", OPTIONAL)
def test_a_pause_lasts_through_its_last_day(kind):
    preferences = Preferences(paused_until=TODAY)
    assert not wants(preferences, kind, TODAY - timedelta(days=30))
    assert not wants(preferences, kind, TODAY)
    assert wants(preferences, kind, TODAY + timedelta(days=1))


def test_a_pause_holds_back_no_essential_messages():
    assert wants(Preferences(paused_until=TODAY), Kind.ESSENTIAL, TODAY)


@pytest.mark.parametrize("kind", OPTIONAL)
def test_nothing_optional_for_someone_who_blocked_the_bot(kind):
    assert not wants(Preferences(unreachable=True), kind, TODAY)


@given(
    off=st.frozensets(st.sampled_from(OPTIONAL)),
    paused_until=st.none() | st.dates(date(2026, 1, 1), date(2029, 1, 1)),
    unreachable=st.booleans(),
    kind=st.sampled_from(OPTIONAL),
    today=st.dates(date(2026, 1, 1), date(2029, 1, 1)),
)
def test_an_optional_kind_is_wanted_only_when_nothing_holds_it_back(
    off, paused_until, unreachable, kind, today
):
    preferences = Preferences(off=off, paused_until=paused_until, unreachable=unreachable)
    held_back = unreachable or kind in off or (paused_until is not None and today <= paused_until)
    assert wants(preferences, kind, today) is not held_back


# parse_pause


@pytest.mark.parametrize(
    "text", ["15/08/2027", "15-8-2027", "15.8.2027", "15/8/27", "2027-08-15", " 15/08/2027 "]
)
@pytest.mark.parametrize("locale", ["nl", "fr", "en", "nl_BE"])
def test_unambiguous_dates_read_the_same_everywhere(text, locale):
    assert parse_pause(text, TODAY, locale) == date(2027, 8, 15)


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_month_first_when_the_day_comes_second_and_exceeds_twelve(locale):
    # Babel swaps day and month when the locale's order gives a month above 12.
    assert parse_pause("8/15/2027", TODAY, locale) == date(2027, 8, 15)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nl", date(2027, 9, 7)),  # Dutch: day first
        ("fr", date(2027, 9, 7)),  # French: day first
        ("en_GB", date(2027, 9, 7)),
        ("en", date(2027, 7, 9)),  # Babel's 'en' is en_US, M/d/yy: month first
    ],
)
def test_an_ambiguous_date_follows_the_locale(locale, expected):
    assert parse_pause("7/9/2027", TODAY, locale) == expected
    assert parse_pause("07-09-27", TODAY, locale) == expected


def test_today_and_a_year_and_a_day_ahead_are_the_limits():
    assert parse_pause("1/6/2027", TODAY, "nl") == TODAY
    last = TODAY + timedelta(days=MAX_PAUSE_DAYS)
    assert parse_pause(last.isoformat(), TODAY, "nl") == last
    assert parse_pause((last + timedelta(days=1)).isoformat(), TODAY, "nl") is None


@pytest.mark.parametrize("text", ["31/5/2027", "2027-05-31", "15/08/2026", "1/1/27"])
def test_a_date_in_the_past_is_refused(text):
    assert parse_pause(text, TODAY, "nl") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "tomorrow",
        "15 augustus 2027",
        "15 août 2027",
        "Aug 15, 2027",
        "15/08",
        "15082027",
        "31/02/2028",
        "32/1/2028",
        "13/13/2027",
        "0/1/2028",
        "15/08/2027 x",
        "-15/08/2027",
        "15/08-2027",
        "15/08/027",
        "15/08/20277",
        "2027/08/15",
        "١٥/٠٨/٢٠٢٧",
    ],
)
@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_garbage_is_refused(text, locale):
    assert parse_pause(text, TODAY, locale) is None


def test_an_unknown_locale_is_a_bug_not_a_bad_date():
    with pytest.raises(ValueError):
        parse_pause("15/08/2027", TODAY, "nl-BE")


@given(
    until=st.dates(TODAY, TODAY + timedelta(days=MAX_PAUSE_DAYS)),
    locale=st.sampled_from(["nl", "fr", "en"]),
    style=st.sampled_from(["iso", "d/m/Y", "d-m-y", "d.m.Y"]),
)
def test_every_date_in_range_reads_back(until, locale, style):
    day, month = until.day, until.month
    if locale == "en":  # month first
        day, month = month, day
    text = {
        "iso": until.isoformat(),
        "d/m/Y": f"{day}/{month}/{until.year}",
        "d-m-y": f"{day:02}-{month:02}-{until.year % 100:02}",
        "d.m.Y": f"{day}.{month}.{until.year}",
    }[style]
    assert parse_pause(text, TODAY, locale) == until
