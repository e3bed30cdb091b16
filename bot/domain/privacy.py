"""What Kapstok stores about one person, as /mydata shows it; what forgetting them leaves to be
drawn again; and how their traces are found and blanked in texts Kapstok keeps (queued
messages, received updates)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from bot.domain.associations import Association, InviteCode
from bot.domain.people import full_name

# A number in a text is taken for the person's user id only from this many digits on: a
# shorter one is more likely a count, a time or a question's number.
MIN_ID_DIGITS = 6
# What stands where a forgotten person's name stood, when no translation is given.
ERASED = "(erased)"


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Everything stored about one user."""

    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    first_contact: datetime
    association: Association | None
    joined_at: datetime | None
    registered_associations: tuple[str, ...]
    invite_codes: tuple[InviteCode, ...]
    wrong_code_attempts: int
    liaison_since: datetime | None
    thread_messages: int = 0
    threads: int = 0
    threads_closed: int = 0
    threads_owned: int = 0
    decided_associations: tuple[str, ...] = ()
    snippets: int = 0
    liaisons_appointed: int = 0
    messages_off: tuple[str, ...] = ()  # kinds of optional message turned off
    paused_until: date | None = None
    barometer_answers: int = 0  # barometer answers sent for the association
    broadcasts: int = 0  # broadcasts written (liaisons)
    schedules: int = 0  # schedules made (liaisons)
    contact_typed: str | None = None  # a phone number or e-mail typed into a profile
    introductions: int = 0  # introductions asked for the association
    calls: int = 0  # calls published for the association
    call_answers: int = 0  # answers to other associations' calls
    activities: int = 0  # activities planned for the association
    activity_answers: int = 0  # partner answers given for the association

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @property
    def something_stays(self) -> bool:
        """Whether forgetting them leaves anything, without their name (see README)."""
        return bool(
            self.thread_messages
            or self.registered_associations
            or self.decided_associations
            or self.snippets
            or self.barometer_answers
            or self.broadcasts
            or self.schedules
            or self.for_the_association
        )

    @property
    def for_the_association(self) -> int:
        """What they did in their association's name with other associations."""
        return (
            self.introductions
            + self.calls
            + self.call_answers
            + self.activities
            + self.activity_answers
        )


# --- what forgetting leaves to be drawn again ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentText:
    """A message Kapstok sent (from its outbox) whose text named the person, and that text
    without them: the message can be edited to it."""

    chat_id: int
    message_id: int
    kind: str
    text: str
    keyboard: dict | None = None


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What showed a person who is now forgotten: to be drawn again, without them."""

    messages: tuple[int, ...] = ()  # thread messages they wrote (each copy is headed by a name)
    threads: tuple[int, ...] = ()  # threads whose card named them (who asked, who owns it)
    associations: tuple[int, ...] = ()  # associations whose card named them (registered, decided)
    sent_texts: tuple[SentText, ...] = field(default=())


# --- a person's traces in texts -----------------------------------------------------------------


def _word(text: str) -> str:
    """A pattern for `text` as a whole word (not inside a longer name or word)."""
    return rf"(?<!\w){re.escape(text)}(?!\w)"


@dataclass(frozen=True)
class Traces:
    """How a person shows in a text: their names, their username and their user id.

    `scrub` replaces each with a placeholder; `found_in` says whether a text or an update
    holds any; `needles` are the substrings a stored text holds when it may name the person
    (plain, HTML-escaped and JSON-escaped), for a first cheap search in SQL.
    """

    user_id: int
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Longest first: the full name is replaced as a whole before its parts."""
        found = []
        if self.first_name and self.last_name:
            found.append(full_name(self.first_name, self.last_name))
        found += [name for name in (self.last_name, self.first_name) if name]
        return tuple(dict.fromkeys(name.strip() for name in found if name.strip()))

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        patterns = [
            # A mention (<a href="tg://user?id=…">name</a>), whatever name it shows.
            re.compile(rf'<a href="tg://user\?id={self.user_id}">.*?</a>', re.DOTALL),
            re.compile(rf"tg://user\?id={self.user_id}(?!\d)"),
        ]
        for name in self.names:
            variants = dict.fromkeys((name, html.escape(name, quote=False)))
            patterns.append(re.compile("|".join(_word(variant) for variant in variants)))
        if self.username:
            patterns.append(re.compile(rf"@?{_word(self.username)}", re.IGNORECASE))
        if len(str(self.user_id)) >= MIN_ID_DIGITS:
            patterns.append(re.compile(rf"(?<!\d){self.user_id}(?!\d)"))
        return tuple(patterns)

    def needles(self) -> tuple[str, ...]:
        """Substrings of which a stored text that names the person holds at least one, once
        its ASCII letters are lowercased (as SQLite's lower() does)."""
        found = [str(self.user_id)]
        for name in (*self.names, self.username):
            if not name:
                continue
            for variant in (name, html.escape(name, quote=False)):
                found += [variant, json.dumps(variant)[1:-1]]
        return tuple(dict.fromkeys(_ascii_lower(needle) for needle in found))

    def scrub(self, text: str, erased: str) -> str:
        """The text with every trace of the person replaced by `erased`."""
        for pattern in self._patterns:
            text = pattern.sub(lambda _match: erased, text)
        return text

    def scrub_json(self, value: object, erased: str) -> object:
        """A JSON value (an update, a payload) with every trace of the person replaced: in
        its texts, and in a Telegram user or chat that is theirs (names gone, id 0)."""
        if isinstance(value, str):
            return self.scrub(value, erased)
        if isinstance(value, list):
            return [self.scrub_json(item, erased) for item in value]
        if isinstance(value, dict):
            if value.get("id") == self.user_id and "first_name" in value:
                value = {
                    key: item for key, item in value.items() if key not in ("last_name", "username")
                }
                value.update(id=0, first_name=erased)
            return {key: self.scrub_json(item, erased) for key, item in value.items()}
        return value

    def found_in(self, value: object) -> bool:
        """Whether a JSON value holds the person's names, username or user id (as a number,
        or as digits in a text)."""
        digits = re.compile(rf"(?<!\d){self.user_id}(?!\d)")
        for item in _leaves(value):
            if isinstance(item, bool):
                continue
            if isinstance(item, int) and item == self.user_id:
                return True
            if isinstance(item, str) and (digits.search(item) or self.scrub(item, "") != item):
                return True
        return False


def _ascii_lower(text: str) -> str:
    return "".join(char.lower() if char.isascii() else char for char in text)


def _leaves(value: object) -> Iterator[object]:
    """Every string and number in a JSON value, keys of objects included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value
