"""Schedules: the next run of a monthly, quarterly or once-rule, across both clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedules import (
    MAX_LATE,
    CatchUp,
    Rule,
    catch_up,
    local_moment,
    next_run,
    parse_time,
    validate,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
SPRING_FORWARD = date(2027, 3, 28)  # 02:00 CET → 03:00 CEST, at 01:00 UTC
FALL_BACK = date(2027, 10, 31)  # 03:00 CEST → 02:00 CET, at 01:00 UTC
HALF_PAST_TWO = time(2, 30)
MICROSECOND = timedelta(microseconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def exists(day: date, at: time, zone: ZoneInfo) -> bool:
    """Whether the wall time is shown on the clocks of the zone that day."""
    wall = datetime.combine(day, at, tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None)


def runs(rule: Rule, start: datetime, end: datetime) -> list[datetime]:
    """Every run from start up to end, by stepping next_run."""
    found, moment = [], next_run(rule, start, BRUSSELS)
    while moment is not None and moment < end:
        found.append(moment)
        moment = next_run(rule, moment, BRUSSELS)
    return found


# parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", time(14, 0)),
        ("14u", time(14, 0)),
        ("14h", time(14, 0)),
        ("14.30", time(14, 30)),
        ("9:05", time(9, 5)),
        ("09:05", time(9, 5)),
        ("14u30", time(14, 30)),
        ("14h30", time(14, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 14H30 ", time(14, 30)),
    ],
)
def test_parse_time_accepts_the_usual_ways_to_write_a_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "14", "24:00", "14:60", "14:5", "14:000", "14u3", "2pm", "14:00:00", "14 u", "14u30x",
     "-1:00", "114:00", "14,30", "١٤:٠٠", "14:"],
)  # fmt: skip
def test_parse_time_refuses_anything_else(text):
    assert parse_time(text) is None


# Monthly, quarterly, once


def test_monthly_runs_on_its_day_every_month():
    rule = Rule("monthly", time(9, 0), day=15)
    assert runs(rule, local(2027, 1, 20), local(2027, 5, 1)) == [
        local(2027, 2, 15, 9, 0),  # winter: 08:00 UTC
        local(2027, 3, 15, 9, 0),
        local(2027, 4, 15, 9, 0),  # summer: 07:00 UTC
    ]
    assert next_run(rule, local(2027, 2, 15, 9, 0), BRUSSELS) == utc(2027, 3, 15, 8, 0)
    assert next_run(rule, local(2027, 4, 15, 8, 59), BRUSSELS) == utc(2027, 4, 15, 7, 0)


def test_monthly_crosses_the_new_year():
    rule = Rule("monthly", time(9, 0), day=15)
    assert next_run(rule, local(2027, 12, 15, 9, 0), BRUSSELS) == utc(2028, 1, 15, 8, 0)


def test_a_run_is_strictly_after_the_given_moment():
    rule = Rule("monthly", time(9, 0), day=15)
    due = local(2027, 3, 15, 9, 0)
    assert next_run(rule, due - MICROSECOND, BRUSSELS) == due
    assert next_run(rule, due, BRUSSELS) == local(2027, 4, 15, 9, 0)


def test_after_may_be_in_any_time_zone():
    rule = Rule("monthly", time(9, 0), day=15)
    new_york = datetime(2027, 3, 15, 3, 59, tzinfo=ZoneInfo("America/New_York"))  # 08:59 CET
    assert next_run(rule, new_york, BRUSSELS) == utc(2027, 3, 15, 8, 0)


def test_a_run_early_on_the_first_counts_in_local_time():
    rule = Rule("monthly", time(0, 30), day=1)
    # 23:00 UTC on 31 January is already 1 February in Brussels, before 00:30.
    assert next_run(rule, utc(2027, 1, 31, 23, 0), BRUSSELS) == utc(2027, 1, 31, 23, 30)


def test_quarterly_runs_in_january_april_july_october():
    rule = Rule("quarterly", time(9, 0), day=5)
    assert next_run(rule, local(2027, 2, 10), BRUSSELS) == local(2027, 4, 5, 9, 0)
    assert runs(rule, local(2027, 2, 10), local(2028, 2, 10)) == [
        local(2027, 4, 5, 9, 0),
        local(2027, 7, 5, 9, 0),
        local(2027, 10, 5, 9, 0),
        local(2028, 1, 5, 9, 0),
    ]


def test_quarterly_runs_later_the_same_day():
    rule = Rule("quarterly", time(9, 0), day=5)
    assert next_run(rule, local(2027, 7, 5, 8, 0), BRUSSELS) == local(2027, 7, 5, 9, 0)


def test_once_runs_once_in_the_future():
    rule = Rule("once", time(14, 0), on=date(2027, 6, 1))
    assert next_run(rule, local(2027, 5, 1), BRUSSELS) == utc(2027, 6, 1, 12, 0)
    assert next_run(rule, local(2027, 6, 1, 13, 59), BRUSSELS) == utc(2027, 6, 1, 12, 0)


def test_once_in_the_past_never_runs():
    rule = Rule("once", time(14, 0), on=date(2027, 6, 1))
    assert next_run(rule, local(2027, 6, 1, 14, 0), BRUSSELS) is None
    assert next_run(rule, local(2028, 1, 1), BRUSSELS) is None


def test_results_are_in_utc():
    rule = Rule("monthly", time(9, 0), day=15)
    assert next_run(rule, local(2027, 1, 1), BRUSSELS).tzinfo is UTC


def test_next_run_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="aware"):
        next_run(Rule("monthly", time(9, 0), day=15), datetime(2027, 1, 1), BRUSSELS)


@pytest.mark.parametrize(
    "rule",
    [
        Rule("monthly", time(9, 0)),
        Rule("monthly", time(9, 0), day=29),
        Rule("quarterly", time(9, 0), day=0),
        Rule("once", time(9, 0)),
        Rule("weekly", time(9, 0), day=1),
    ],
)
def test_next_run_refuses_an_invalid_rule(rule):
    with pytest.raises(ValueError):
        next_run(rule, utc(2027, 1, 1), BRUSSELS)


# Daylight saving time in 2027


def test_a_wall_time_skipped_in_spring_runs_when_the_gap_ends():
    moment = local_moment(SPRING_FORWARD, HALF_PAST_TWO, BRUSSELS)
    assert moment == utc(2027, 3, 28, 1, 0)
    assert moment.astimezone(BRUSSELS).time() == time(3, 0)  # not 03:30


def test_the_edges_of_the_spring_gap():
    assert local_moment(SPRING_FORWARD, time(1, 59), BRUSSELS) == utc(2027, 3, 28, 0, 59)
    assert local_moment(SPRING_FORWARD, time(2, 0), BRUSSELS) == utc(2027, 3, 28, 1, 0)
    assert local_moment(SPRING_FORWARD, time(2, 59), BRUSSELS) == utc(2027, 3, 28, 1, 0)
    assert local_moment(SPRING_FORWARD, time(3, 0), BRUSSELS) == utc(2027, 3, 28, 1, 0)
    assert local_moment(SPRING_FORWARD, time(3, 1), BRUSSELS) == utc(2027, 3, 28, 1, 1)


def test_a_wall_time_twice_in_autumn_is_the_first_of_the_two():
    moment = local_moment(FALL_BACK, HALF_PAST_TWO, BRUSSELS)
    assert moment == utc(2027, 10, 31, 0, 30)  # 02:30 CEST, not 02:30 CET (01:30 UTC)


def test_the_spring_forward_day_runs_once_at_three():
    rule = Rule("once", HALF_PAST_TWO, on=SPRING_FORWARD)
    assert runs(rule, local(2027, 3, 27), local(2027, 3, 30)) == [utc(2027, 3, 28, 1, 0)]


def test_the_fall_back_day_runs_exactly_once():
    rule = Rule("once", HALF_PAST_TWO, on=FALL_BACK)
    assert runs(rule, local(2027, 10, 30), local(2027, 11, 2)) == [utc(2027, 10, 31, 0, 30)]
    # Asked during the second 02:30, the run has already been made.
    assert next_run(rule, utc(2027, 10, 31, 1, 15), BRUSSELS) is None


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
def test_asking_every_five_minutes_around_a_clock_change_finds_one_run(day):
    rule = Rule("once", HALF_PAST_TWO, on=day)
    start = datetime.combine(day, time(0, 0), tzinfo=UTC) - timedelta(hours=3)
    askings = [start + timedelta(minutes=5 * step) for step in range(12 * 8)]
    found = {next_run(rule, after, BRUSSELS) for after in askings} - {None}
    assert found == {local_moment(day, HALF_PAST_TWO, BRUSSELS)}


def test_monthly_on_the_28th_at_half_past_two_runs_once_a_month_through_2027():
    rule = Rule("monthly", HALF_PAST_TWO, day=28)
    found = runs(rule, local(2027, 1, 1), local(2028, 1, 1))
    assert [moment.astimezone(BRUSSELS).date() for moment in found] == [
        date(2027, month, 28) for month in range(1, 13)
    ]
    assert found == sorted(set(found))
    assert found[2] == utc(2027, 3, 28, 1, 0)  # 03:00 local on the spring-forward day
    assert found[9] == utc(2027, 10, 28, 0, 30)  # a plain summer-time Thursday


def test_stepping_through_2027_with_rules_on_both_clock_changes():
    rules = [
        Rule("monthly", HALF_PAST_TWO, day=28),
        Rule("once", HALF_PAST_TWO, on=FALL_BACK),
        Rule("once", HALF_PAST_TWO, on=SPRING_FORWARD),
    ]
    found = [run for rule in rules for run in runs(rule, local(2027, 1, 1), local(2028, 1, 1))]
    assert len(found) == 14
    assert len(set(found)) == 13  # the once-rule on 28 March and the monthly rule coincide
    assert sorted(found).count(utc(2027, 10, 31, 0, 30)) == 1


# Properties

ZONES = st.sampled_from(
    [
        ZoneInfo(name)
        for name in (
            "UTC",
            "Europe/Brussels",
            "America/New_York",
            "America/Santiago",  # clocks change at midnight
            "Australia/Lord_Howe",  # half-hour shift
            "Asia/Kathmandu",  # +05:45
        )
    ]
)
RULES = st.one_of(
    st.builds(
        Rule,
        frequency=st.sampled_from(["monthly", "quarterly"]),
        at=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
        day=st.integers(1, 28),
    ),
    st.builds(
        Rule,
        frequency=st.just("once"),
        at=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
        on=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    ),
)
AFTER = st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=ZONES)


@given(rule=RULES, after=AFTER, zone=ZONES)
def test_next_run_is_strictly_after_and_the_same_a_microsecond_before(rule, after, zone):
    moment = next_run(rule, after, zone)
    if moment is None:
        assert rule.frequency == "once"
        assert local_moment(rule.on, rule.at, zone) <= after
        return
    assert moment > after
    assert moment.tzinfo is UTC
    assert next_run(rule, moment - MICROSECOND, zone) == moment
    assert next_run(rule, after, zone) <= next_run(rule, moment - MICROSECOND, zone)


@given(rule=RULES.filter(lambda rule: rule.frequency != "once"), after=AFTER, zone=ZONES)
def test_a_repeating_rule_runs_on_its_day_at_its_time_or_just_after_a_gap(rule, after, zone):
    moment = next_run(rule, after, zone)
    wall = moment.astimezone(zone)
    assert wall.day == rule.day
    assert wall.time() >= rule.at
    assert wall.time() == rule.at or not exists(wall.date(), rule.at, zone)
    following = next_run(rule, moment, zone)
    months = 1 if rule.frequency == "monthly" else 3
    assert (following.astimezone(zone).month - wall.month) % 12 == months


@given(day=st.dates(date(2020, 1, 1), date(2035, 12, 31)), zone=ZONES)
def test_local_moments_never_go_backwards_within_a_day(day, zone):
    moments = [
        local_moment(day, time(hour, minute), zone) for hour in range(24) for minute in (0, 30)
    ]
    assert moments == sorted(moments)


# validate


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (Rule("monthly", time(9, 0), day=15), None),
        (Rule("monthly", time(9, 0), day=1), None),
        (Rule("quarterly", time(9, 0), day=28), None),
        (Rule("monthly", time(9, 0), day=0), "day"),
        (Rule("monthly", time(9, 0), day=29), "day"),
        (Rule("quarterly", time(9, 0), day=31), "day"),
        (Rule("monthly", time(9, 0)), "missing"),
        (Rule("quarterly", time(9, 0)), "missing"),
        (Rule("once", time(9, 0)), "missing"),
        (Rule("once", time(9, 0), on=date(2027, 6, 2)), None),
        (Rule("once", time(9, 0), on=date(2027, 6, 1)), "past"),  # exactly now
        (Rule("once", time(8, 59), on=date(2027, 6, 1)), "past"),
        (Rule("once", time(9, 1), on=date(2027, 6, 1)), None),
        (Rule("weekly", time(9, 0), day=1), "frequency"),
    ],
)
def test_validate(rule, reason):
    assert validate(rule, local(2027, 6, 1, 9, 0), BRUSSELS) == reason


# catch_up


def test_a_run_missed_by_less_than_six_hours_is_made_now():
    due = utc(2027, 6, 1, 7, 0)
    assert catch_up(due, due + timedelta(hours=5, minutes=59)) == CatchUp(
        run=True, late=timedelta(hours=5, minutes=59)
    )
    assert catch_up(due, due).run


def test_a_run_missed_by_six_hours_or_more_is_skipped():
    due = utc(2027, 6, 1, 7, 0)
    assert catch_up(due, due + timedelta(hours=6, minutes=1)) == CatchUp(
        run=False, late=timedelta(hours=6, minutes=1)
    )
    assert not catch_up(due, due + MAX_LATE).run


def test_a_run_not_yet_due_is_not_caught_up():
    due = utc(2027, 6, 1, 7, 0)
    assert not catch_up(due, due - timedelta(minutes=1)).run
