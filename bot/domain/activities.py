"""Activities (kapstok 4): their limits, when they may take place, moments typed with month
names, and the clashes an organiser is warned about."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_day_names, get_month_names
from rapidfuzz import fuzz, process

from bot.domain.associations import AssociationKind, name_key
from bot.domain.dates import moment_of, parse_day
from bot.domain.schedules import parse_time

MAX_TITLE = 100
MAX_PLACE = 200
MAX_DESCRIPTION = 1000
MAX_COMMENT = 1000
MAX_PARTNERS = 10
YEARS_AHEAD = 2
REMIND_AT = time(9, 0)  # the day before an activity, from this local time on
ASK_AT = time(9, 0)  # the day after it ended, from this local time on
ASK_AT_MOST_LATE = timedelta(days=14)  # a question older than this is no longer asked
LOW_SCORE = 2  # how it went: this or lower opens a thread for the municipality


class PartnerStatus(enum.StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class ActivityState(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Partner:
    association_id: int
    name: str
    status: PartnerStatus
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    activity_id: int
    association_id: int  # the organiser
    association_name: str
    association_kind: AssociationKind
    title: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    place: str
    description: str
    public: bool
    state: ActivityState
    sequence: int  # goes up with every change, for calendars (iCalendar SEQUENCE)
    uid: str
    created_at: datetime
    updated_at: datetime
    partners: tuple[Partner, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.state is ActivityState.CANCELLED

    def partner(self, association_id: int | None) -> Partner | None:
        return next((p for p in self.partners if p.association_id == association_id), None)

    def involves(self, association_id: int | None) -> bool:
        """Organised by the association, or it is one of the partners (in any state)."""
        return association_id == self.association_id or self.partner(association_id) is not None

    def confirmed_partners(self) -> tuple[Partner, ...]:
        return tuple(p for p in self.partners if p.status is PartnerStatus.CONFIRMED)


def may_see(activity: Activity, association_id: int | None) -> bool:
    """A public activity is for every association to see; another only for those in it."""
    return activity.public or activity.involves(association_id)


def may_edit(activity: Activity, association_id: int | None) -> bool:
    """Only the organiser's board edits or cancels: never a partner."""
    return association_id is not None and association_id == activity.association_id


# --- when ----------------------------------------------------------------------------------------


class WhenProblem(enum.StrEnum):
    ORDER = "order"  # the end is not after the start
    PAST = "past"  # the start has passed
    FAR = "far"  # more than two years ahead


def last_day_ahead(today: date) -> date:
    """The last day an activity may start: two years from today."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def when_problem(
    starts_at: datetime, ends_at: datetime, now: datetime, zone: ZoneInfo
) -> WhenProblem | None:
    """Why an activity cannot take place then, or None."""
    if ends_at <= starts_at:
        return WhenProblem.ORDER
    if starts_at <= now:
        return WhenProblem.PAST
    if starts_at.astimezone(zone).date() > last_day_ahead(now.astimezone(zone).date()):
        return WhenProblem.FAR
    return None


# --- moments as people type them ----------------------------------------------------------------

_ORDINAL = re.compile(r"([0-9]{1,2})(?:er|re|e|ste|de|st|nd|rd|th)?", re.IGNORECASE)
_YEAR = re.compile(r"[0-9]{4}|[0-9]{2}")
_SPLIT = re.compile(r"[\s,]+")
# Words people put between a date and a time, or before a date: left out.
_FILLERS = frozenset({"om", "a", "at", "le", "on", "the", "van", "vanaf", "from", "de", "du", "op"})


def _plain(word: str) -> str:
    """A word without case, accents or a final full stop ('Févr.' → 'fevr')."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).rstrip(".")


def month_words(locales: Iterable[str | Locale]) -> dict[str, int]:
    """Every way these locales name a month (wide and abbreviated), plain, to its number."""
    words: dict[str, int] = {}
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    words.setdefault(_plain(name), number)
    return words


def day_words(locales: Iterable[str | Locale]) -> frozenset[str]:
    """The names of the days of the week (left out of a typed date: 'zaterdag 12 maart')."""
    words = set()
    for locale in locales:
        for width in ("wide", "abbreviated"):
            words.update(_plain(name) for name in get_day_names(width, "format", locale).values())
    return frozenset(words)


def _words_date(tokens: Sequence[str], today: date, locales: Sequence[str]) -> date | None:
    """'12 mars 2027', 'March 12 2027', '1er avril', '12 maart' (the next 12 March)."""
    months, days = month_words(locales), day_words(locales)
    month = day = year = None
    for token in tokens:
        plain = _plain(token)
        if plain in months and month is None:
            month = months[plain]
        elif plain in days:
            continue
        elif day is None and (found := _ORDINAL.fullmatch(token)):
            day = int(found[1])
        elif year is None and day is not None and _YEAR.fullmatch(token):
            year = int(token) if len(token) == 4 else 2000 + int(token)
        else:
            return None
    if month is None or day is None:
        return None
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def parse_typed_moment(
    text: str, locale: str, today: date, others: Sequence[str] = ()
) -> tuple[date, time] | None:
    """A date and a time as typed: '12/03/2027 14:00', '12-3-2027 14u', '2027-03-12 14h30',
    '12 mars 2027 14h', 'zaterdag 12 maart 2027 om 14u', '12 maart 14u' (the next one). Month
    and day names are read in the locale first, then in `others`; numbers in the locale's
    order (dates.parse_day)."""
    tokens = [t for t in _SPLIT.split(text.strip()) if t and _plain(t) not in _FILLERS]
    if len(tokens) < 2:
        return None
    at = parse_time(tokens[-1])
    if at is None:
        return None
    rest = tokens[:-1]
    day = parse_day(rest[0], locale) if len(rest) == 1 else None
    if day is None:  # the locale's own words first: 'mar.' is a Tuesday in French
        day = _words_date(rest, today, [locale]) or _words_date(rest, today, [locale, *others])
    return (day, at) if day is not None else None


def parse_end(
    text: str, locale: str, start_day: date, today: date, others: Sequence[str] = ()
) -> tuple[date, time] | None:
    """An end as typed: a time alone is on the start's day ('17:00'), else a date and a time."""
    tokens = [t for t in _SPLIT.split(text.strip()) if t and _plain(t) not in _FILLERS]
    if len(tokens) == 1:
        at = parse_time(tokens[0])
        return (start_day, at) if at is not None else None
    return parse_typed_moment(text, locale, today, others)


def moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment a local date and time mean."""
    return moment_of(day, at, zone)


# --- clashes -------------------------------------------------------------------------------------


def place_key(place: str) -> str:
    """Places are compared loosely: 'Zaal De Kroon' = 'zaal de kroon' = 'Zaal de-Kroon'."""
    return name_key(place)


class ClashKind(enum.StrEnum):
    PLACE = "place"  # overlaps at the same place
    DAY = "day"  # a public activity of an association of the same kind, the same day


@dataclass(frozen=True, slots=True)
class Plan:
    """What an organiser is about to plan (a new activity, or one being moved)."""

    association_id: int
    kind: AssociationKind
    starts_at: datetime
    ends_at: datetime
    place: str
    activity_id: int | None = None  # the activity being moved, not a clash with itself


@dataclass(frozen=True, slots=True)
class Clash:
    kind: ClashKind
    activity: Activity
    visible: bool  # False: "another activity is planned there then", no more


def local_days(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> set[date]:
    """The local dates an activity covers (one that ends at midnight does not cover the next)."""
    first = starts_at.astimezone(zone).date()
    last = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def clashes(plan: Plan, others: Iterable[Activity], zone: ZoneInfo) -> list[Clash]:
    """The activities a plan clashes with, in time order: one that overlaps it at the same
    place, or a public one of an association of the same kind (not the organiser) on one of
    its days. Cancelled activities and the one being moved do not count. What the organiser
    may not see of another's activity (not public, not theirs) is only marked not visible."""
    key, days = place_key(plan.place), local_days(plan.starts_at, plan.ends_at, zone)
    found = []
    for other in sorted(others, key=lambda a: (a.starts_at, a.activity_id)):
        if other.cancelled or other.activity_id == plan.activity_id:
            continue
        visible = may_see(other, plan.association_id)
        overlaps = other.starts_at < plan.ends_at and plan.starts_at < other.ends_at
        if overlaps and key and place_key(other.place) == key:
            found.append(Clash(ClashKind.PLACE, other, visible))
        elif (
            other.public
            and other.association_kind == plan.kind
            and other.association_id != plan.association_id
            and days & local_days(other.starts_at, other.ends_at, zone)
        ):
            found.append(Clash(ClashKind.DAY, other, True))
    return found


# --- what changed --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One field of an activity, before and after an edit."""

    field: str  # 'when', 'place' or 'description'
    old: str
    new: str


# --- the calendar --------------------------------------------------------------------------------


def window(now: datetime, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From now to the end of the `days`-th local day (today counts as the first)."""
    last = now.astimezone(zone).date() + timedelta(days=days)
    return now, moment(last, time(0, 0), zone)


def week_of(day: date) -> tuple[date, date]:
    """The Monday a week starts on and the Monday after it."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def month_of(day: date) -> tuple[date, date]:
    """The first day of the month and the first day of the next."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def reminder_due(activity: Activity, reminded: bool, now: datetime, zone: ZoneInfo) -> bool:
    """The day before it starts, from REMIND_AT on, until it starts; once; not for one that
    was planned after that moment (its people just heard of it), nor a cancelled one."""
    if reminded or activity.cancelled:
        return False
    day_before = activity.starts_at.astimezone(zone).date() - timedelta(days=1)
    due = moment(day_before, REMIND_AT, zone)
    return activity.created_at < due <= now < activity.starts_at


def evaluation_due(activity: Activity, asked: bool, now: datetime, zone: ZoneInfo) -> bool:
    """The day after it ended, from ASK_AT on (for two weeks); once; not a cancelled one."""
    if asked or activity.cancelled:
        return False
    day_after = activity.ends_at.astimezone(zone).date() + timedelta(days=1)
    due = moment(day_after, ASK_AT, zone)
    return due <= now < due + ASK_AT_MOST_LATE


def low_score(score: int) -> bool:
    return score <= LOW_SCORE


# --- partners by name ----------------------------------------------------------------------------


def _fuzzy_form(name: str) -> str:
    """A name for fuzzy comparison: no case, no accents, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LNS" else " "
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


def match_names(
    query: str, candidates: Sequence[tuple[int, str]], limit: int = 5, cutoff: float = 75
) -> list[int]:
    """The ids of the names most like the query, best first ('chiro sint pieterr' finds
    'Chiro Sint-Pieter'); typos, case, accents and punctuation do not matter."""
    wanted = _fuzzy_form(query)
    if not wanted:
        return []
    choices = {number: _fuzzy_form(name) for number, name in candidates}
    found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [number for _form, _score, number in found]
