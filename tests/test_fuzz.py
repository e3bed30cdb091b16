"""Generated tests against the real application: arbitrary texts at every text step of every
conversation (tests/steps.py), and arbitrary callback data from every role in a private chat and
in the liaison group.

Every example fails on an exception that reaches the error handler, on a Bot API call the offline
Telegram refuses (Kapstok sent something invalid: a message over 4,096 characters, HTML that does
not parse, an edit of a message that does not exist, ...) or does not know, on silence (a text or
a press nobody answers), and, for a role that may change nothing, on a change of the database.

How it runs: hypothesis's @given on async tests, which pytest-asyncio runs example by example in
the test's event loop. A Kapstok (the application and its SQLite file) is made once per test
function, by a function-scoped fixture that every example of that test shares (hence the
suppressed `function_scoped_fixture` health check); each example brings a fresh person (a new
user id) into its step, or recasts a role whose person a press made leave or forget.

Examples per step: KAPSTOK_FUZZ_EXAMPLES (default 100, about a minute and a half on two cores; a
nightly run takes thousands, e.g. KAPSTOK_FUZZ_EXAMPLES=2000).

A fault found here is pinned as its own test (section 4), marked xfail(strict=True) while the
application is wrong, and kept out of the random run meanwhile with hypothesis's assume(), so that
the run stays green until the fault is fixed and the fix is noticed (the pinned test then passes,
which strict xfail reports); once fixed, the pinned test stays as a regression test.
"""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import COMMANDS
from handlers import callbacks
from handlers.callbacks import SQLITE_MAX_INTEGER, Choice
from tests import steps
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person
from tests.fake_telegram import BOT_USERNAME
from tests.steps import GROUP_STEPS, ROLES, STEPS, Probe, answered_in

EXAMPLES = int(os.environ.get("KAPSTOK_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
PERSON_IDS = itertools.count(10_000)


# The fake Telegram looks messages up by sorting all it keeps: a Kapstok that has sent this many is
# replaced by a fresh one between examples, so that a long run stays linear.
RENEW_AFTER_MESSAGES = 3000


class Rig:
    """A Kapstok, its probe and (for the presses) its cast, shared by the examples of a test;
    short in hypothesis's reports."""

    def __init__(self, tmp_path, with_cast: bool) -> None:
        self.tmp_path, self.with_cast = tmp_path, with_cast
        self.made = itertools.count()
        self.kapstok: Kapstok | None = None
        self.probe: Probe | None = None
        self.cast: steps.Cast | None = None

    def __repr__(self) -> str:
        return f"Rig({self.probe!r}, {self.cast!r})"

    async def start(self) -> Rig:
        self.kapstok = Kapstok(self.tmp_path / f"kapstok-{next(self.made)}")
        await self.kapstok.start()
        self.probe = Probe(self.kapstok)
        if self.with_cast:
            start = self.probe.mark()
            self.cast = await steps.cast(self.kapstok)
            assert not self.probe.problems(start), self.probe.problems(start)
        return self

    async def renew_when_big(self) -> None:
        if len(self.kapstok.telegram.messages) > RENEW_AFTER_MESSAGES:
            await self.stop()
            await self.start()

    async def stop(self) -> None:
        await self.kapstok.stop()


@pytest.fixture
async def bot(tmp_path):
    """One Kapstok for all examples of a test function."""
    rig = await Rig(tmp_path, with_cast=False).start()
    yield rig
    await rig.stop()


@pytest.fixture
async def cast_bot(tmp_path):
    """One Kapstok with its cast of roles for all examples of a test function."""
    rig = await Rig(tmp_path, with_cast=True).start()
    yield rig
    await rig.stop()


# --- texts -----------------------------------------------------------------------------------

# Every code point but NUL and the surrogates (which no UTF-8 update can carry).
ANY_CHARACTER = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
PIECES = [
    *("😀", "👨‍👩‍👧‍👦", "🇧🇪", "🏳️‍🌈", "1️⃣", "🫶🏽"),  # emoji: astral, joined, flags, keycaps
    *("مرحبا بكم", "שלום", "\u202e", "\u200f", "\u061c", "١٢٣"),  # right to left
    *("e\u0301", "\u0301\u0301\u0301", "Z\u0351\u0352\u0353\u0354", "\u200b", "\u200d", "\ufeff"),
    *("<b>", "</b>", "</i>", "<i>", '<a href="tg://user?id=1">', "</a>", "<tg-spoiler>", "<br>"),
    *("&", "&amp;", "&lt;", "&#0;", "&#x110000;", "<", ">", '"', "'", "<<>>", "&&"),
    *("{", "}", "{0}", "{name}", "{association}", "%s", "%(name)s", "\\", "\\n"),
    *("\n", "\r\n", "\t", " ", "\u00a0", "\u2028", "\u3000", "\x1b[31m", "\x7f", "\x85"),
    *("ﷺ", "𒐫", "ǅ", "ß", "İ", "ﬃ", "Ⅻ", "²", "١", "𝟘"),  # case and width traps
    *("/", "//", "/start", "@", "#1", "#", "-", ":", "|", "*", "_", "`", "```"),
]
SPECIAL = st.sampled_from(PIECES)
SHORT = st.text(ANY_CHARACTER, min_size=1, max_size=40)
MIXED = st.lists(st.one_of(SPECIAL, st.text(ANY_CHARACTER, max_size=4)), min_size=1, max_size=30)
# The limits Kapstok checks (names 100, FAQ question 300, reasons and descriptions 1,000,
# FAQ answers 3,000, snippets 3,000, Telegram's 4,096) and a little beyond.
LENGTHS = st.one_of(
    st.sampled_from([99, 100, 101, 299, 300, 301, 999, 1000, 1001, 2999, 3000, 3001, 4095, 4096]),
    st.sampled_from([4097, 5000]),
    st.integers(1, 5000),
)
LONG = st.builds(
    lambda unit, length: (unit * (length // len(unit) + 1))[:length],
    st.one_of(SHORT, SPECIAL, st.sampled_from(["a", "woord ", "😀", "<b>&", "\n"])),
    LENGTHS,
)
COMMAND_NAMES = st.one_of(
    st.sampled_from([command.name for command in COMMANDS]),
    st.sampled_from(["cancel", "start", "unknown", "a", "START", "Faq", "s", "liaison"]),
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1),
)
COMMANDS_TYPED = st.builds(
    lambda name, after, rest: f"/{name}{after}{rest}",
    COMMAND_NAMES,
    st.sampled_from(["", " ", "@kapstok_test_bot", "@kapstok_test_bot ", "@otherbot ", "\n"]),
    st.one_of(st.just(""), SHORT, MIXED.map("".join), st.sampled_from(["1", "0", "-1", "#1"])),
)
OVERLONG_COMMANDS = st.builds(
    lambda head, length: head + "a" * length,
    st.sampled_from(["/a-", "/", "/start ", "/faq ", "/a"]),
    st.one_of(st.just(4090), st.integers(60, 5000)),
)


def _telegram_would_deliver(text: str) -> bool:
    """Telegram delivers no text that is empty or only white space."""
    return bool(text.strip())


TEXTS = st.one_of(
    SHORT,
    MIXED.map("".join),
    LONG,
    COMMANDS_TYPED,
    OVERLONG_COMMANDS,
    st.builds(lambda text: "/" + text, SHORT),
).filter(_telegram_would_deliver)
LANGUAGES = st.sampled_from(["nl", "fr", "en", "de", None])


# --- 1. every text step is registered ----------------------------------------------------------


async def test_every_text_step_is_registered(bot):
    kapstok = bot.kapstok
    found = steps.text_steps(kapstok)
    missing = sorted(found - set(STEPS))
    assert not missing, (
        f"conversation steps that read text but are not in tests/steps.py: {missing}; "
        "register each with @step(conversation, state)"
    )
    gone = sorted((set(STEPS) | set(GROUP_STEPS)) - found)
    assert not gone, f"registered steps that no conversation has any more: {gone}"


STEP_CASES = [pytest.param(key, False, id="/".join(key)) for key in STEPS] + [
    pytest.param(key, True, id="/".join(key) + "/group") for key in GROUP_STEPS
]


async def enter_step(kapstok: Kapstok, probe: Probe, key, in_group: bool, person: Person):
    """Bring the person into the step, and check that they are in it, without trouble."""
    mark = probe.mark()
    prompt = await (GROUP_STEPS if in_group else STEPS)[key](kapstok, person)
    assert not probe.problems(mark), f"while entering {key}: {probe.problems(mark)}"
    state = await steps.state_of(kapstok, key[0], prompt.chat_of(person), person.user_id)
    assert state == key[1], f"tests/steps.py brought {person.user_id} into {state}, not {key}"
    return prompt


@pytest.mark.parametrize(("key", "in_group"), STEP_CASES)
async def test_every_registered_step_brings_a_fresh_person_into_it(bot, key, in_group):
    kapstok, probe = bot.kapstok, bot.probe
    for language in ("nl", "fr", None):
        person = kapstok.person(next(PERSON_IDS), "Fuzz", language)
        await enter_step(kapstok, probe, key, in_group, person)


# --- 2. any text at any step ---------------------------------------------------------------------


def for_another_bot(text: str) -> bool:
    """A command addressed to another bot (/help@otherbot): in the group not Kapstok's to answer."""
    entity = steps.command_entity(text)
    command = text[: entity["length"]] if entity else ""
    return "@" in command and command.split("@", 1)[1].lower() != BOT_USERNAME.lower()


async def check_text(kapstok: Kapstok, probe: Probe, key, in_group, text, language) -> None:
    person = kapstok.person(next(PERSON_IDS), "Fuzz", language)
    prompt = await enter_step(kapstok, probe, key, in_group, person)
    mark = probe.mark()
    await prompt.send(person, text)
    problems = probe.problems(mark)
    assert not problems, f"{key} in {'the group' if in_group else 'private'}: " + "\n".join(
        problems
    )
    chat = prompt.chat_of(person)
    answered = answered_in(probe.calls_since(mark), chat)
    if in_group and for_another_bot(text):
        assert not answered, f"{key}: answered a command for another bot in the group"
    else:
        assert answered, f"no answer in chat {chat} at {key}"


@pytest.mark.parametrize(("key", "in_group"), STEP_CASES)
@FUZZ
@given(text=TEXTS, language=LANGUAGES)
async def test_any_text_at_any_step_is_answered_without_error(bot, key, in_group, text, language):
    await bot.renew_when_big()
    kapstok, probe = bot.kapstok, bot.probe
    await check_text(kapstok, probe, key, in_group, text, language)


# --- 3. any button data, from any role, in either chat --------------------------------------

BUTTONS = callbacks.all_buttons()
PREFIXES = sorted({button.prefix for button in BUTTONS.values()})
HEADS = sorted({button.prefix.split(":")[0] for button in BUTTONS.values()})
ODD_NUMBERS = [
    *("0", "-1", "-0", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "1_000", ""),
    *("²", "١٢٣", "１２", "𝟙", "Ⅻ", "99999999999999999999", str(2**63), str(SQLITE_MAX_INTEGER)),
]
ODD_CHOICES = ["", "NL", "de", "0", "6", "9", "page", "yes ", "Youth", "youth\n", "1:2"]


def callback_data(ids: list[int]) -> st.SearchStrategy[str]:
    """Data of every declared button with valid and odd values, of our prefixes with the wrong
    number of values, and anything else (empty, non-ASCII, over 64 bytes)."""
    number = st.one_of(
        st.sampled_from(ids).map(str),
        st.integers(1, SQLITE_MAX_INTEGER).map(str),
        st.sampled_from(ODD_NUMBERS),
    )

    def of(button) -> st.SearchStrategy[str]:
        values = [
            st.one_of(st.sampled_from(sorted(field.values)), st.sampled_from(ODD_CHOICES))
            if isinstance(field, Choice)
            else number
            for field in button.fields
        ]
        return st.tuples(*values).map(lambda pieces, p=button.prefix: ":".join([p, *pieces]))

    declared = st.one_of(*[of(button) for button in BUTTONS.values()])
    wrong_arity = st.builds(
        lambda head, rest: ":".join([head, *rest]),
        st.sampled_from(PREFIXES + HEADS),
        st.lists(st.one_of(number, st.text(max_size=5)), max_size=4),
    )
    overlong = st.builds(
        lambda prefix, length: f"{prefix}:{'9' * length}",
        st.sampled_from(PREFIXES),
        st.integers(19, 100),
    )
    return st.one_of(declared, declared, wrong_arity, overlong, st.text(max_size=80))


async def pressable(the_cast: steps.Cast, person: Person, chat: str) -> list[Message]:
    """Bot messages the person can press a button on: their private chat's newest, or in the
    group the cards (of threads, of the pending association) and the newest messages."""
    telegram = the_cast.kapstok.telegram
    if chat == "private":
        return [Message(raw) for raw in telegram.sent_to(person.user_id)[-6:]]
    cards = [
        await the_cast.card_of_thread(the_cast.thread_a),
        await the_cast.card_of_thread(the_cast.thread_b),
        await the_cast.card_of_pending(),
    ]
    return cards + [Message(raw) for raw in telegram.sent_to(LIAISON_CHAT_ID)[-6:]]


# Roles whose presses may change nothing but their own (their language, their erasure, their own
# association's board, invite codes and threads); liaisons and admins may change much more.
CHECKED_ROLES = {"stranger", "groupmember", "pending", "member_a", "member_b"}
ROLE_CASES = [
    pytest.param(role, chat, id=f"{role}-{chat}") for role in ROLES for chat in ("private", "group")
]


async def check_press(the_cast: steps.Cast, probe: Probe, role: str, data: str | None, on: Message):
    kapstok = the_cast.kapstok
    person = the_cast[role]
    own = the_cast.own_association(role)
    before = await steps.snapshot(kapstok, person.user_id, own)
    mark = probe.mark()
    await person.press_data(data, on=on)
    where = f"{role} pressed {data!r} on {on.raw.get('text', '')[:60]!r} in {on.raw['chat']['id']}"
    problems = probe.problems(mark)
    assert not problems, f"{where}: " + "\n".join(problems)
    assert any(call.method == "answerCallbackQuery" for call in probe.calls_since(mark)), (
        f"{where}: the press was never answered (the button keeps spinning)"
    )
    if role in CHECKED_ROLES:
        changed = steps.changes(before, await steps.snapshot(kapstok, person.user_id, own))
        assert not changed, f"{where}: changed the database: {changed}"


@pytest.mark.parametrize(("role", "chat"), ROLE_CASES)
@FUZZ
@given(data=st.data())
async def test_any_button_data_from_any_role_in_either_chat(cast_bot, role, chat, data):
    await cast_bot.renew_when_big()
    probe, the_cast = cast_bot.probe, cast_bot.cast
    person = await the_cast.recast(role)
    ids = [
        the_cast.thread_a,
        the_cast.thread_b,
        *the_cast.association.values(),
        the_cast.faq,
        the_cast.subject,
    ]
    callback = data.draw(callback_data(ids), label="callback data")
    # Drawn before looking: what there is to press on changes from example to example.
    index = data.draw(st.integers(0, 8), label="pressed on message number")
    messages = await pressable(the_cast, person, chat)
    await check_press(the_cast, probe, role, callback, messages[index % len(messages)])


# --- 4. faults the generated tests found once, kept as regression tests ------------------------


@pytest.mark.parametrize("data", ["", None], ids=["empty", "no data"])
@pytest.mark.parametrize(("role", "chat"), ROLE_CASES)
async def test_a_press_without_data_is_refused_without_error(cast_bot, role, chat, data):
    """python-telegram-bot lets a callback query with empty or no data match every
    CallbackQueryHandler with a pattern: it once reached asking.start_asking, which failed on
    int(None) for an approved board member, and the press was never answered."""
    probe, the_cast = cast_bot.probe, cast_bot.cast
    person = await the_cast.recast(role)
    await check_press(the_cast, probe, role, data, (await pressable(the_cast, person, chat))[-1])


@pytest.mark.parametrize(
    ("prefix", "association"),
    [("assoc:approve", "b"), ("assoc:reject", "b"), ("assoc:approve", "p")],
)
async def test_an_association_button_on_a_thread_card_leaves_the_thread_card_alone(
    cast_bot, prefix, association
):
    """An association's button forged onto another message in the liaison group once edited
    that message (here a thread's card, losing its Take and Close) into the association's card."""
    the_cast = cast_bot.cast
    card = await the_cast.card_of_thread(the_cast.thread_b)
    before = card.text, card.buttons  # the fake edits its message in place
    await the_cast["liaison"].press_data(f"{prefix}:{the_cast.association[association]}", on=card)
    now = await the_cast.card_of_thread(the_cast.thread_b)
    assert (now.text, now.buttons) == before


async def test_liaisons_lists_every_officer_however_many(bot):
    """/liaisons once sent every officer in one message, which Telegram refused as too long
    from some 60 officers with ordinary names."""
    kapstok, probe = bot.kapstok, bot.probe
    admin = kapstok.person(steps.ADMIN_ID, "Annelies", "nl")
    names = []
    for number in range(60):
        officer = kapstok.person(
            700 + number,
            f"Marie-Christine Anne-Sophie {number:02d}",
            "nl",
            last_name="Van den Bossche-Vermeulen",
        )
        await officer.send("/start")
        await admin.send_in_group(f"/liaison add {officer.user_id}")
        names.append(officer.first_name)
    mark = probe.mark()
    replies = await admin.send("/liaisons")
    assert not probe.problems(mark), probe.problems(mark)
    assert all(any(name in reply.text for reply in replies) for name in names)


async def test_snippet_list_lists_every_snippet_however_many(bot):
    """/snippet list once sent every snippet in one message, which Telegram refused as too long
    from some 40 snippets."""
    kapstok, probe = bot.kapstok, bot.probe
    admin = kapstok.person(steps.ADMIN_ID, "Annelies", "nl")
    for number in range(60):
        await admin.send(f"/snippet add s{number:02d} " + "Beste bestuur, " * 10)
    mark = probe.mark()
    replies = await admin.send("/snippet list")
    assert not probe.problems(mark), probe.problems(mark)
    assert all(any(f"s{n:02d}" in reply.text for reply in replies) for n in range(60))


@pytest.mark.parametrize("command", ["/help@otherbot", "/faqlist@otherbot", "/start@otherbot x"])
async def test_a_command_for_another_bot_is_left_alone_in_the_group(bot, command):
    """A command addressed to another bot in the liaison group once got "I don't know the
    command" while a liaison was in a conversation there (the conversation's fallback took it)."""
    kapstok, probe = bot.kapstok, bot.probe
    admin = kapstok.person(steps.ADMIN_ID, "Annelies", "nl")
    for in_conversation in (False, True):
        if in_conversation:
            await steps.send_text(admin, LIAISON_CHAT_ID, "/faqimport")
        mark = probe.mark()
        await steps.send_text(admin, LIAISON_CHAT_ID, command)
        assert not probe.problems(mark), probe.problems(mark)
        said = [call.params.get("text") for call in probe.calls_since(mark)]
        assert said == [], f"{command} {'during' if in_conversation else 'outside'} /faqimport"
