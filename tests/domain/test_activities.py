"""The rules of activities: typed moments, when an activity may be, clashes, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.activities import (
    Activity,
    ActivityState,
    ClashKind,
    Partner,
    PartnerStatus,
    Plan,
    WhenProblem,
    clashes,
    evaluation_due,
    last_day_ahead,
    local_days,
    match_names,
    may_edit,
    may_see,
    month_of,
    parse_end,
    parse_typed_moment,
    place_key,
    reminder_due,
    week_of,
    when_problem,
    window,
)
from bot.domain.associations import AssociationKind

ZONE = ZoneInfo("Europe/Brussels")
TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OTHERS = ("nl_BE", "fr_BE", "en_BE")


def at(day: str, clock: str = "14:00") -> datetime:
    """A local moment in Brussels, as UTC."""
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(date.fromisoformat(day), time(hour, minute), ZONE).astimezone(UTC)


def activity(
    number: int = 1,
    association: int = 1,
    kind: AssociationKind = AssociationKind.YOUTH,
    start: datetime | None = None,
    end: datetime | None = None,
    place: str = "Zaal De Kroon",
    public: bool = False,
    cancelled: bool = False,
    partners: tuple[Partner, ...] = (),
    created: datetime = NOW,
) -> Activity:
    start = start or at("2027-03-12", "14:00")
    return Activity(
        activity_id=number,
        association_id=association,
        association_name=f"Vereniging {association}",
        association_kind=kind,
        title=f"Activiteit {number}",
        starts_at=start,
        ends_at=end or start + timedelta(hours=3),
        place=place,
        description="",
        public=public,
        state=ActivityState.CANCELLED if cancelled else ActivityState.PLANNED,
        sequence=0,
        uid=f"uid-{number}",
        created_at=created,
        updated_at=created,
        partners=partners,
    )


# --- typed moments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("12/03/2027 14:00", "nl_BE", (date(2027, 3, 12), time(14, 0))),
        ("12-3-2027 14u", "nl_BE", (date(2027, 3, 12), time(14, 0))),
        ("12.3.27 14u30", "nl_BE", (date(2027, 3, 12), time(14, 30))),
        ("2027-03-12 14h", "fr_BE", (date(2027, 3, 12), time(14, 0))),
        ("12 mars 2027 14h", "fr_BE", (date(2027, 3, 12), time(14, 0))),
        ("1er avril 2027 à 9h30", "fr_BE", (date(2027, 4, 1), time(9, 30))),
        ("mar. 12 févr. 2027 14:00", "fr_BE", (date(2027, 2, 12), time(14, 0))),
        ("zaterdag 12 maart 2027 om 14u", "nl_BE", (date(2027, 3, 12), time(14, 0))),
        ("12 mrt 2027 14:00", "nl_BE", (date(2027, 3, 12), time(14, 0))),
        ("March 12, 2027 2:00", "en_BE", (date(2027, 3, 12), time(2, 0))),
        ("12 maart 14u", "nl_BE", (date(2027, 3, 12), time(14, 0))),  # the next 12 March
        ("1 december 10:00", "nl_BE", (date(2026, 12, 1), time(10, 0))),
        ("30 november 10:00", "nl_BE", (date(2027, 11, 30), time(10, 0))),
        ("12 mars 2027 14h", "nl_BE", (date(2027, 3, 12), time(14, 0))),  # French words too
    ],
)
def test_a_moment_is_read_as_people_type_it(text, locale, expected):
    assert parse_typed_moment(text, locale, TODAY, OTHERS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "14:00",
        "morgen 14:00",
        "31/02/2027 14:00",
        "31 februari 2027 14:00",
        "12 maart 2027",
        "12 maart 2027 25:00",
        "12 maart maart 2027 14:00",
        "12 13 maart 2027 14:00",
        "😀 14:00",
    ],
)
def test_what_is_not_a_moment_is_none(text):
    assert parse_typed_moment(text, "nl_BE", TODAY, OTHERS) is None


def test_an_end_is_a_time_on_the_day_it_starts_or_a_moment():
    start = date(2027, 3, 12)
    assert parse_end("17:00", "nl_BE", start, TODAY) == (start, time(17, 0))
    assert parse_end("om 17u", "nl_BE", start, TODAY) == (start, time(17, 0))
    assert parse_end("13/03/2027 2u", "nl_BE", start, TODAY) == (date(2027, 3, 13), time(2, 0))
    assert parse_end("straks", "nl_BE", start, TODAY) is None


# --- when ---------------------------------------------------------------------------------------


def test_an_activity_ends_after_it_starts_in_the_future_within_two_years():
    start = at("2027-03-12", "14:00")
    assert when_problem(start, start + timedelta(hours=1), NOW, ZONE) is None
    assert when_problem(start, start, NOW, ZONE) is WhenProblem.ORDER
    assert when_problem(start, start - timedelta(hours=1), NOW, ZONE) is WhenProblem.ORDER
    past = NOW - timedelta(minutes=1)
    assert when_problem(past, past + timedelta(hours=1), NOW, ZONE) is WhenProblem.PAST
    last = at("2028-12-01", "23:00")
    assert when_problem(last, last + timedelta(hours=1), NOW, ZONE) is None
    far = at("2028-12-02", "10:00")
    assert when_problem(far, far + timedelta(hours=1), NOW, ZONE) is WhenProblem.FAR
    assert last_day_ahead(date(2028, 2, 29)) == date(2030, 2, 28)


# --- clashes ------------------------------------------------------------------------------------


def plan(**changes) -> Plan:
    values = dict(
        association_id=1,
        kind=AssociationKind.YOUTH,
        starts_at=at("2027-03-12", "15:00"),
        ends_at=at("2027-03-12", "18:00"),
        place="zaal  de-KROON",
    )
    values.update(changes)
    return Plan(**values)


def test_places_are_compared_loosely():
    assert place_key("Zaal De Kroon") == place_key("zaal de kroon") == place_key("Zaal de-Kroon!")
    assert place_key("Zaal Dé Kroon") == place_key("zaal de kroon")
    assert place_key("Zaal De Kroon") != place_key("Zaal De Kroon 2")


def test_an_overlap_at_the_same_place_clashes_and_shows_only_what_the_organiser_may_see():
    other = activity(2, association=2, kind=AssociationKind.SPORT)
    found = clashes(plan(), [other], ZONE)
    assert [(c.kind, c.activity.activity_id, c.visible) for c in found] == [
        (ClashKind.PLACE, 2, False)
    ]
    public = activity(3, association=2, kind=AssociationKind.SPORT, public=True)
    partnered = activity(
        4, association=3, partners=(Partner(1, "Vereniging 1", PartnerStatus.INVITED),)
    )
    found = clashes(plan(), [public, partnered], ZONE)
    assert [(c.activity.activity_id, c.visible) for c in found] == [(3, True), (4, True)]


def test_no_clash_one_after_the_other_elsewhere_cancelled_or_itself():
    before = activity(2, association=2, end=at("2027-03-12", "15:00"))  # ends when it starts
    elsewhere = activity(3, association=2, place="Zaal De Kroon 2")
    cancelled = activity(4, association=2, cancelled=True)
    itself = activity(5, association=1)
    assert clashes(plan(activity_id=5), [before, elsewhere, cancelled, itself], ZONE) == []


def test_a_public_activity_of_the_same_kind_the_same_day_clashes_anywhere():
    same_kind = activity(
        2, association=2, start=at("2027-03-12", "09:00"), place="Sporthal", public=True
    )
    other_kind = activity(
        3, association=3, kind=AssociationKind.SPORT, place="Sporthal", public=True
    )
    not_public = activity(4, association=4, place="Sporthal")
    next_day = activity(5, association=5, start=at("2027-03-13", "00:00"), place="x", public=True)
    own = activity(6, association=1, place="Sporthal", public=True)
    found = clashes(plan(), [same_kind, other_kind, not_public, next_day, own], ZONE)
    assert [(c.kind, c.activity.activity_id) for c in found] == [(ClashKind.DAY, 2)]


def test_days_are_local_days():
    late = at("2027-03-12", "23:30")
    assert local_days(late, late + timedelta(hours=1), ZONE) == {
        date(2027, 3, 12),
        date(2027, 3, 13),
    }
    assert local_days(at("2027-03-12", "20:00"), at("2027-03-13", "00:00"), ZONE) == {
        date(2027, 3, 12)
    }


# --- who sees and edits -------------------------------------------------------------------------


def test_the_organiser_edits_partners_and_the_public_see():
    shared = activity(partners=(Partner(2, "B", PartnerStatus.CONFIRMED),))
    assert may_edit(shared, 1) and not may_edit(shared, 2) and not may_edit(shared, None)
    assert may_see(shared, 1) and may_see(shared, 2) and not may_see(shared, 3)
    assert may_see(activity(public=True), 3)


# --- the calendar, reminders, afterwards --------------------------------------------------------


def test_windows_weeks_and_months():
    start, end = window(NOW, 7, ZONE)
    assert start == NOW and end == at("2026-12-08", "00:00")
    assert week_of(date(2027, 3, 12)) == (date(2027, 3, 8), date(2027, 3, 15))
    assert month_of(date(2027, 12, 31)) == (date(2027, 12, 1), date(2028, 1, 1))


def test_a_reminder_is_due_the_day_before_from_nine_once():
    planned = activity(start=at("2027-03-12", "14:00"))
    assert not reminder_due(planned, False, at("2027-03-11", "08:59"), ZONE)
    assert reminder_due(planned, False, at("2027-03-11", "09:00"), ZONE)
    assert reminder_due(planned, False, at("2027-03-12", "13:59"), ZONE)
    assert not reminder_due(planned, False, at("2027-03-12", "14:00"), ZONE)
    assert not reminder_due(planned, True, at("2027-03-11", "10:00"), ZONE)
    late = activity(start=at("2027-03-12", "14:00"), created=at("2027-03-11", "12:00"))
    assert not reminder_due(late, False, at("2027-03-11", "13:00"), ZONE)
    assert not reminder_due(activity(cancelled=True), False, at("2027-03-11", "10:00"), ZONE)


def test_the_board_is_asked_the_day_after_it_ended():
    planned = activity(start=at("2027-03-12", "14:00"))
    assert not evaluation_due(planned, False, at("2027-03-13", "08:59"), ZONE)
    assert evaluation_due(planned, False, at("2027-03-13", "09:00"), ZONE)
    assert not evaluation_due(planned, True, at("2027-03-13", "09:00"), ZONE)
    assert not evaluation_due(planned, False, at("2027-03-27", "09:00"), ZONE)


def test_partners_are_found_by_name_despite_typos():
    names = [(1, "Chiro Sint-Pieter"), (2, "KSA Sint-Jan"), (3, "Voetbalclub Sint-Jan")]
    assert match_names("chirro", names)[0] == 1
    assert match_names("voetbal", names)[0] == 3
    assert match_names("zzzz", names) == []
    assert match_names("  ", names) == []
