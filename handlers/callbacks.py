"""Every callback-data prefix of Kapstok's buttons, declared once, each with its parser.

A button's data is its prefix, then its values separated by ':'. A number is ASCII digits
within SQLite's integer range; a choice is one of a fixed set. Data that does not parse matches
no handler, so the last resort answers "this button is no longer valid".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.domain.kapstokken import ASKING, NUMBERS

SQLITE_MAX_INTEGER = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


@dataclass(frozen=True)
class Number:
    """A positive whole number, as ids are."""

    def parse(self, text: str) -> int | None:
        if not _DIGITS.fullmatch(text):
            return None
        value = int(text)
        return value if 0 < value <= SQLITE_MAX_INTEGER else None


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words."""

    values: Collection[str]

    def parse(self, text: str) -> str | None:
        return text if text in self.values else None


NUMBER = Number()


class Where(enum.Enum):
    """The kind of chat a button is made for, and so the only kind it acts in."""

    PRIVATE = "a private chat with the bot"
    LIAISON = "the liaison group, or a liaison officer's private chat"


@dataclass(frozen=True)
class Button:
    """The data of one kind of button: a prefix and the values that follow it."""

    prefix: str
    fields: tuple[Number | Choice, ...] = ()
    where: Where = Where.PRIVATE

    def data(self, *values: object) -> str:
        if len(values) != len(self.fields):
            raise ValueError(f"{self.prefix} takes {len(self.fields)} values")
        return ":".join([self.prefix, *(str(value) for value in values)])

    def parse(self, data: object) -> tuple | None:
        """The values of this button's data, or None when the data is not this button's."""
        if not isinstance(data, str):
            return None
        pieces = data.split(":")
        head = self.prefix.split(":")
        if pieces[: len(head)] != head or len(pieces) != len(head) + len(self.fields):
            return None
        values = tuple(
            field.parse(piece)
            for field, piece in zip(self.fields, pieces[len(head) :], strict=True)
        )
        return None if any(value is None for value in values) else values

    def matches(self, data: object) -> bool:
        """For CallbackQueryHandler(pattern=…): only data that parses reaches the handler."""
        return self.parse(data) is not None

    def claims(self, data: object) -> bool:
        """Data of this button, whether or not its values parse: for handlers that check who
        presses first and then refuse a value that does not parse (`value()` gives None)."""
        if not isinstance(data, str):
            return False
        pieces, head = data.split(":"), self.prefix.split(":")
        return pieces[: len(head)] == head and len(pieces) == len(head) + len(self.fields)

    def value(self, data: str):
        """The one value of a button that carries one, from data that matched."""
        values = self.parse(data)
        return values[0] if values else None


LANGUAGE_CODES = Choice(("nl", "fr", "en"))
KAPSTOK_NUMBERS = Choice(tuple(str(number) for number in sorted(NUMBERS)))
ASKING_KAPSTOKKEN = Choice(tuple(str(number) for number in sorted(ASKING)))
YES_NO = Choice(("yes", "no"))
KINDS = Choice(("youth", "sport", "culture", "welfare", "neighbourhood", "education", "other"))
OPTIONAL_MESSAGES = Choice(("news", "checkins", "calls", "reminders"))
SCORES = Choice(("1", "2", "3", "4", "5"))

# --- common -----------------------------------------------------------------------------------
MENU = Button("menu")
KAPSTOK_PAGE = Button("k", (KAPSTOK_NUMBERS,))
LANGUAGE_PAGE = Button("lang:page")
LANGUAGE = Button("lang", (LANGUAGE_CODES,))
FORGET_CONFIRM = Button("forget:yes")
FORGET_KEEP = Button("forget:no")

# --- associations -----------------------------------------------------------------------------
REGISTER = Button("onb:register")
ENTER_CODE = Button("onb:code")
KIND = Button("kind", (KINDS,))
ASSOCIATION_PAGE = Button("assn:page")
INVITE = Button("assn:invite")
MEMBERS = Button("assn:members")
LEAVE = Button("assn:leave")
LEAVE_CONFIRM = Button("assn:leave:yes")
LEAVE_KEEP = Button("assn:leave:no")
APPROVE = Button("assoc:approve", (NUMBER,), where=Where.LIAISON)
REJECT = Button("assoc:reject", (NUMBER,), where=Where.LIAISON)

# --- threads: the board's side ----------------------------------------------------------------
ASK = Button("ask", (ASKING_KAPSTOKKEN,))
ASK_SUBJECT = Button("ask:subject", (NUMBER,))
ASK_FAQ_HELPED = Button("ask:faq:yes")
ASK_FAQ_NOT_HELPED = Button("ask:faq:no")
MY_THREADS = Button("mt:list")
MY_THREAD = Button("mt:view", (NUMBER,))
MY_THREAD_ADD = Button("mt:add", (NUMBER,))
MY_THREAD_CLOSE = Button("mt:close", (NUMBER,))
MY_THREAD_SOLVED = Button("mt:solved", (NUMBER,))
MY_THREAD_NOT_SOLVED = Button("mt:unsolved", (NUMBER,))

# --- threads: the liaison's side --------------------------------------------------------------
THREAD_TAKE = Button("th:take", (NUMBER,), where=Where.LIAISON)
THREAD_CLOSE = Button("th:close", (NUMBER,), where=Where.LIAISON)
THREAD_REOPEN = Button("th:reopen", (NUMBER,), where=Where.LIAISON)
THREAD_VIEW = Button("th:view", (NUMBER,), where=Where.LIAISON)
THREAD_REPLY = Button("th:reply", (NUMBER,), where=Where.LIAISON)

# --- the FAQ ----------------------------------------------------------------------------------
FAQ_KAPSTOK = Button("faq:k", (KAPSTOK_NUMBERS,))
FAQ_ENTRY = Button("faq:e", (NUMBER,))
FAQ_ADD_KAPSTOK = Button("faqadd:k", (KAPSTOK_NUMBERS,), where=Where.LIAISON)
FAQ_ADD_LANGUAGE = Button("faqadd:l", (LANGUAGE_CODES,), where=Where.LIAISON)
FAQ_LIST_PAGE = Button("faqlist:p", (NUMBER,), where=Where.LIAISON)


# --- /settings: fewer messages ----------------------------------------------------------------
SETTINGS = Button("set:page")
SETTINGS_TOGGLE = Button("set:t", (OPTIONAL_MESSAGES,))
SETTINGS_PAUSE = Button("set:pause")
SETTINGS_RESUME = Button("set:resume")
FEWER = Button("fewer", (OPTIONAL_MESSAGES,))  # 🔕 under an optional message

# --- broadcasts -------------------------------------------------------------------------------
BROADCAST_ALL = Button("bc:all", where=Where.LIAISON)
BROADCAST_KIND = Button("bc:kind", (KINDS,), where=Where.LIAISON)
BROADCAST_LANGUAGE = Button("bc:lang", (LANGUAGE_CODES,), where=Where.LIAISON)
BROADCAST_OPEN_THREAD = Button("bc:open", where=Where.LIAISON)
BROADCAST_AUDIENCE_DONE = Button("bc:aud", where=Where.LIAISON)
BROADCAST_SEND = Button("bc:send", where=Where.LIAISON)
BROADCAST_SCHEDULE = Button("bc:sched", where=Where.LIAISON)
BROADCAST_CANCEL = Button("bc:cancel", where=Where.LIAISON)
BROADCAST_STOP = Button("bc:stop", (NUMBER,), where=Where.LIAISON)
BROADCAST_LIST_PAGE = Button("bc:list", (NUMBER,), where=Where.LIAISON)

# --- schedules --------------------------------------------------------------------------------
SCHEDULE_NEW = Button("sc:new", where=Where.LIAISON)
SCHEDULE_CONTENT = Button("sc:content", (Choice(("barometer", "checkin")),), where=Where.LIAISON)
SCHEDULE_FREQUENCY = Button(
    "sc:freq", (Choice(("monthly", "quarterly", "once")),), where=Where.LIAISON
)
SCHEDULE_ALL = Button("sc:all", where=Where.LIAISON)
SCHEDULE_KIND = Button("sc:kind", (KINDS,), where=Where.LIAISON)
SCHEDULE_AUDIENCE_DONE = Button("sc:aud", where=Where.LIAISON)
SCHEDULE_NO_PHOTO = Button("sc:nophoto", where=Where.LIAISON)
SCHEDULE_USUAL_DAYS = Button("sc:days", where=Where.LIAISON)  # a round open the usual 14 days
SCHEDULE_CONFIRM = Button("sc:confirm", where=Where.LIAISON)
SCHEDULE_DISCARD = Button("sc:discard", where=Where.LIAISON)
SCHEDULE_PAUSE = Button("sc:pause", (NUMBER,), where=Where.LIAISON)
SCHEDULE_RESUME = Button("sc:resume", (NUMBER,), where=Where.LIAISON)
SCHEDULE_DELETE = Button("sc:del", (NUMBER,), where=Where.LIAISON)
SCHEDULE_DELETE_CONFIRM = Button("sc:del:yes", (NUMBER,), where=Where.LIAISON)

# --- the barometer ----------------------------------------------------------------------------
BAROMETER_SCORE = Button("bar:s", (NUMBER, KAPSTOK_NUMBERS, SCORES))  # round, kapstok, score
BAROMETER_COMMENT = Button("bar:c", (NUMBER,))
BAROMETER_SUBMIT = Button("bar:send", (NUMBER,))
OUR_BAROMETER = Button("bar:ours")
YOU_SAID = Button("bar:ys", (NUMBER,), where=Where.LIAISON)
YOU_SAID_SEND = Button("bar:ys:send", (NUMBER,), where=Where.LIAISON)

# --- introductions between associations -------------------------------------------------------
INTRO_ASK = Button("intro:ask", (NUMBER,))  # the association to be introduced to
INTRO_ACCEPT = Button("intro:yes", (NUMBER,))  # the request
INTRO_DECLINE = Button("intro:no", (NUMBER,))

# --- calls (oproepen) -------------------------------------------------------------------------
CALL_PURPOSES = Choice(("partners", "volunteers", "borrow", "lend", "venue"))
CALL_DAY_CHOICES = Choice(("7", "30", "90"))
CALL_NEW = Button("call:new")
CALL_PURPOSE = Button("call:for", (CALL_PURPOSES,))
CALL_KIND = Button("call:kind", (KINDS,))
CALL_ALL_KINDS = Button("call:all")
CALL_KINDS_DONE = Button("call:kinds")
CALL_DAYS = Button("call:days", (CALL_DAY_CHOICES,))
CALL_PUBLISH = Button("call:publish")
CALL_DISCARD = Button("call:discard")
CALL_RESPOND = Button("call:re", (NUMBER,))
CALL_ANSWER_SEND = Button("call:answer", (YES_NO,))  # yes: with our contact
CALL_LIST = Button("call:list")
CALL_VIEW = Button("call:view", (NUMBER,))
CALL_CLOSE = Button("call:close", (NUMBER,))
CALL_WITHDRAW = Button("call:wd", (NUMBER,), where=Where.LIAISON)

# --- kapstok 3: the association's public profile, and the directory ----------------------------
SIDES = Choice(("offers", "needs"))
OFFERS = Choice(("volunteers", "gear", "venue", "know_how", "co_organising"))
PROFILE = Button("pr:page")
PROFILE_DESCRIPTION = Button("pr:desc")
PROFILE_OFFERS = Button("pr:offers", (SIDES,))  # what it offers, or looks for
PROFILE_TOGGLE = Button("pr:t", (SIDES, OFFERS))
PROFILE_CONTACT = Button("pr:contact")
PROFILE_CONTACT_MEMBER = Button("pr:cm", (NUMBER,))  # a board member's user id
PROFILE_PHONE = Button("pr:phone")
PROFILE_EMAIL = Button("pr:email")
PROFILE_LIST = Button("pr:list", (YES_NO,))  # listed in the directory, or not
DIRECTORY = Button("dir:page")
DIRECTORY_ALL = Button("dir:all", (NUMBER,))  # page
DIRECTORY_KIND = Button("dir:kind", (KINDS, NUMBER))  # kind, page
DIRECTORY_BY = Button("dir:by", (SIDES,))  # choose what they offer, or look for
DIRECTORY_OFFER = Button("dir:o", (SIDES, OFFERS, NUMBER))  # side, offer, page
DIRECTORY_SEARCH = Button("dir:search")
DIRECTORY_WORDS = Button("dir:w", (NUMBER,))  # page of the last search by words
DIRECTORY_ENTRY = Button("dir:e", (NUMBER,))  # an association


# --- activities (kapstok 4) -------------------------------------------------------------------
ACTIVITY_FIELDS = Choice(("when", "place", "description"))
CALENDAR_SCOPES = Choice(("7", "30", "ours"))
ICS_SCOPES = Choice(("ours", "public"))
HALF_HOURS = Choice(tuple(f"{hour:02d}{minute:02d}" for hour in range(24) for minute in (0, 30)))
ACTIVITY_NEW = Button("act:new")
ACTIVITY_WITH = Button("act:with", (NUMBER,))  # a new activity with this partner (directory)
ACTIVITY_NO_DESCRIPTION = Button("act:nodesc")
ACTIVITY_PUBLIC = Button("act:pub", (YES_NO,))
ACTIVITY_PARTNER = Button("act:partner", (NUMBER,))  # a partner suggested for a typed name
ACTIVITY_PARTNERS_DONE = Button("act:pdone")
ACTIVITY_SAVE = Button("act:save")
ACTIVITY_REDATE = Button("act:redate")  # after a clash warning: another date
ACTIVITY_DISCARD = Button("act:discard")
ACTIVITY_VIEW = Button("act:view", (NUMBER,))
ACTIVITY_CONFIRM = Button("act:yes", (NUMBER,))  # a partner's board takes part
ACTIVITY_DECLINE = Button("act:no", (NUMBER,))
ACTIVITY_EDIT = Button("act:edit", (NUMBER, ACTIVITY_FIELDS))
ACTIVITY_CANCEL = Button("act:cancel", (NUMBER,))
ACTIVITY_CANCEL_CONFIRM = Button("act:cancel:yes", (NUMBER,))
ACTIVITY_SCORE = Button("act:score", (NUMBER, SCORES))  # how it went, the day after
ACTIVITY_GEAR = Button("act:gear", (NUMBER, YES_NO))  # everything borrowed is back
ACTIVITY_COMMENT = Button("act:comment", (NUMBER,))
CALENDAR = Button("cal:v", (CALENDAR_SCOPES, NUMBER))  # scope, page
CALENDAR_EXPORT = Button("cal:ics", (ICS_SCOPES,))
CALENDAR_PICK = Button("cal:pick")  # the month calendar instead of typing a date
CALENDAR_MONTH = Button("cal:m", (NUMBER,))  # yyyymm
CALENDAR_DAY = Button("cal:d", (NUMBER,))  # yyyymmdd
CALENDAR_TIME = Button("cal:t", (HALF_HOURS,))  # hhmm
ACTIVITIES_WEEK = Button("act:lw", (NUMBER,), where=Where.LIAISON)  # the Monday, yyyymmdd
ACTIVITIES_MONTH = Button("act:lm", (NUMBER,), where=Where.LIAISON)  # yyyymm


# --- recognition (kapstok 5) ------------------------------------------------------------------
RECOGNITION_STATUSES = Choice(("none", "applied", "suspended", "expired"))
RECOGNITION_SET = Button("rec:s", (NUMBER, RECOGNITION_STATUSES), where=Where.LIAISON)
RECOGNITION_RECOGNISED = Button("rec:r", (NUMBER,), where=Where.LIAISON)  # asks for the date


# --- requests for support (kapstok 5): shared by gear and subsidy requests --------------------
REQUEST_ASK = Button("rq:ask", (NUMBER,), where=Where.LIAISON)  # a question opens a thread

# --- the lending service's desk (kapstok 5): a gear request's card in the liaison group -------
STEPS = Choice(("down", "up"))
DEPOSIT_KEPT = Choice(("none", "part", "all"))
GEAR_APPROVE = Button("gd:ok", (NUMBER,), where=Where.LIAISON)  # everything asked
GEAR_PARTLY = Button("gd:part", (NUMBER,), where=Where.LIAISON)  # a quantity per item
GEAR_QUANTITY = Button("gd:q", (NUMBER, NUMBER, STEPS), where=Where.LIAISON)  # request, item
GEAR_PARTLY_CONFIRM = Button("gd:pok", (NUMBER,), where=Where.LIAISON)
GEAR_CARD = Button("gd:card", (NUMBER,), where=Where.LIAISON)  # back to the card
GEAR_REJECT = Button("gd:no", (NUMBER,), where=Where.LIAISON)  # asks for the reason
GEAR_PICKED_UP = Button("gd:pu", (NUMBER,), where=Where.LIAISON)  # asks about the deposit
GEAR_DEPOSIT = Button("gd:dep", (NUMBER, YES_NO), where=Where.LIAISON)  # received or not
GEAR_RETURNED = Button("gd:ret", (NUMBER,), where=Where.LIAISON)  # in order, or a note
GEAR_IN_ORDER = Button("gd:ro", (NUMBER, YES_NO), where=Where.LIAISON)  # no: a note, a photo
GEAR_NO_PHOTO = Button("gd:nophoto", (NUMBER,), where=Where.LIAISON)
GEAR_KEEP = Button("gd:keep", (NUMBER, DEPOSIT_KEPT), where=Where.LIAISON)  # of the deposit

# --- borrowing gear (kapstok 5): the board's side ------------------------------------------
BORROW = Button("bo:new")  # *Borrow gear* on kapstok 5's page
BORROW_PICK = Button("bo:pick")  # the month calendar instead of typing a date
BORROW_MONTH = Button("bo:m", (NUMBER,))  # yyyymm
BORROW_DAY = Button("bo:d", (NUMBER,))  # yyyymmdd
BORROW_VIEW = Button("bo:v", (NUMBER,))  # a page of the catalog (a category, or part of one)
BORROW_ITEM = Button("bo:i", (NUMBER,))  # an item's details
BORROW_LESS = Button("bo:less", (NUMBER,))  # − one of an item
BORROW_MORE = Button("bo:more", (NUMBER,))  # + one of an item
BORROW_DATES = Button("bo:dates")  # other dates
BORROW_BASKET = Button("bo:basket")  # the basket's summary
BORROW_BACK = Button("bo:back")  # from the summary back to the catalog
BORROW_ACTIVITY = Button("bo:act", (NUMBER,))  # link one of the association's activities
BORROW_NO_ACTIVITY = Button("bo:noact")
BORROW_NO_NOTE = Button("bo:nonote")
BORROW_SUBMIT = Button("bo:send")
BORROW_DISCARD = Button("bo:discard")
BORROW_CANCEL = Button("bo:cancel", (NUMBER,))  # a submitted request: asks to confirm
BORROW_CANCEL_CONFIRM = Button("bo:cancel:yes", (NUMBER,))
BORROW_KEEP = Button("bo:keep", (NUMBER,))


# --- following requests to their end (kapstok 5): /requests, and activities' dossiers ---------
EXPORT_PERIODS = Choice(("month", "year", "lastyear"))
REQUESTS_PAGE = Button("rq:l", (NUMBER,))  # the board's requests, a page
REQUEST_VIEW = Button("rq:v", (NUMBER,), where=Where.LIAISON)  # with its history; board or liaison
REQUESTS_CSV = Button("rq:csv", (EXPORT_PERIODS,), where=Where.LIAISON)
DOSSIER = Button("dos:v", (NUMBER,), where=Where.LIAISON)  # an activity's dossier; board or liaison
DOSSIER_FILES = Button("dos:f", (NUMBER,), where=Where.LIAISON)  # send its evidence
DOSSIER_ADD = Button("dos:add", (NUMBER,))  # the board adds photos, flyers, documents
DOSSIER_DONE = Button("dos:done")


# --- subsidies (kapstok 5): types kept by liaison officers (st:), a board's request (su:), the
# decisions on its card (sd:) ------------------------------------------------------------------
SUBSIDY_TYPES = Button("st:list", where=Where.LIAISON)
SUBSIDY_TYPE_NEW = Button("st:new", where=Where.LIAISON)
SUBSIDY_TYPE_VIEW = Button("st:view", (NUMBER,), where=Where.LIAISON)
SUBSIDY_TYPE_EDIT = Button("st:edit", (NUMBER,), where=Where.LIAISON)
SUBSIDY_TYPE_OFF = Button("st:off", (NUMBER,), where=Where.LIAISON)  # deactivate
SUBSIDY_TYPE_SKIP = Button("st:skip", where=Where.LIAISON)  # an optional field left empty
SUBSIDY_TYPE_KEEP = Button("st:keep", where=Where.LIAISON)  # editing: the field as it was
SUBSIDY_TYPE_RECOGNITION = Button("st:rec", (YES_NO,), where=Where.LIAISON)
SUBSIDY_TYPE_SAVE = Button("st:save", where=Where.LIAISON)
SUBSIDY_TYPE_DISCARD = Button("st:discard", where=Where.LIAISON)
SUBSIDY_NEW = Button("su:new")
SUBSIDY_TYPE = Button("su:type", (NUMBER,))
SUBSIDY_FILES_DONE = Button("su:done")
SUBSIDY_ACTIVITY = Button("su:act", (NUMBER,))
SUBSIDY_NO_ACTIVITY = Button("su:noact")
SUBSIDY_SUBMIT = Button("su:send")
SUBSIDY_DISCARD = Button("su:discard")
SUBSIDY_CANCEL = Button("su:cancel", (NUMBER,))  # the request: asks to confirm
SUBSIDY_CANCEL_CONFIRM = Button("su:cancel:yes", (NUMBER,))
SUBSIDY_KEEP = Button("su:keep", (NUMBER,))  # not cancelled after all
SUBSIDY_APPROVE = Button("sd:ok", (NUMBER,), where=Where.LIAISON)  # asks the granted amount
SUBSIDY_REJECT = Button("sd:no", (NUMBER,), where=Where.LIAISON)  # asks the reason
SUBSIDY_PAID = Button("sd:paid", (NUMBER,), where=Where.LIAISON)  # asks the date
SUBSIDY_PAID_TODAY = Button("sd:today", (NUMBER,), where=Where.LIAISON)


# --- the lending service's catalog (kapstok 5), kept by liaison officers -----------------------
GEAR_FIELDS = Choice(
    (
        "name_nl",
        "name_fr",
        "name_en",
        "category",
        "stock",
        "unit",
        "deposit",
        "min_lead",
        "max_lead",
        "max_loan",
        "kinds",
        "recognition",
        "note",
        "pick_up",
        "photo",
    )
)
GEAR_PAGE = Button("gi:p", (NUMBER,), where=Where.LIAISON)  # a page of /gear
GEAR_ITEM = Button("gi:i", (NUMBER,), where=Where.LIAISON)
GEAR_ADD = Button("gi:add", where=Where.LIAISON)
GEAR_EDIT = Button("gi:e", (NUMBER,), where=Where.LIAISON)  # which field?
GEAR_FIELD = Button("gi:f", (NUMBER, GEAR_FIELDS), where=Where.LIAISON)  # item, field to edit
GEAR_KIND = Button("gi:k", (KINDS,), where=Where.LIAISON)  # toggles a kind that may borrow it
GEAR_KINDS_DONE = Button("gi:kd", where=Where.LIAISON)
GEAR_RECOGNITION = Button("gi:rec", (YES_NO,), where=Where.LIAISON)  # recognition required
GEAR_PHOTO = Button("gi:ph", (NUMBER,), where=Where.LIAISON)
GEAR_REMOVE = Button("gi:rm", (NUMBER,), where=Where.LIAISON)
GEAR_REMOVE_CONFIRM = Button("gi:rmy", (NUMBER,), where=Where.LIAISON)
GEAR_EXPORT = Button("gi:exp", where=Where.LIAISON)
GEAR_IMPORT = Button("gi:imp", where=Where.LIAISON)


def button_of(data: object) -> Button | None:
    """The declared button whose data this is (values parsed or not), if any."""
    buttons = all_buttons().values()
    exact = next((button for button in buttons if button.matches(data)), None)
    return exact or next((button for button in buttons if button.claims(data)), None)


def is_malformed(data: object) -> bool:
    """Data that names one of our buttons but does not parse: forged, or from an old version."""
    if not isinstance(data, str):
        return False
    # A language we do not speak (yet) gets the menu instead, as any stale button does.
    buttons = [b for b in all_buttons().values() if b not in (LANGUAGE, LANGUAGE_PAGE)]
    if any(button.matches(data) for button in buttons):
        return False
    return any(data.split(":")[0] == button.prefix.split(":")[0] for button in buttons)


def all_buttons() -> dict[str, Button]:
    """Every declared button by its name here, for the tests that walk all of them."""
    return {name: value for name, value in globals().items() if isinstance(value, Button)}
