"""Every conversation step that reads typed text, and how to bring a fresh person into it;
and the cast of roles the generated tests (test_fuzz.py, test_authorization.py) play.

A conversation joins the generated tests by registering each of its text steps here:

    @step("onboarding", "onboarding.name")
    async def _(kapstok: Kapstok, person: Person) -> Prompt:
        ...  # bring `person`, never seen before, into that step
        return PRIVATE

`STEPS` maps (conversation name, state) to such a function; it returns the Prompt: where the step
reads its answer (the private chat, or in the liaison group a reply to the bot's question).
Steps that also run in the liaison group register there too, with `group=True` (`GROUP_STEPS`).
test_fuzz.py fails for a conversation state that reads text without an entry in STEPS, and for
an entry that no longer brings its person into its state.
"""

from __future__ import annotations

import itertools
import re
import traceback
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram.ext import ConversationHandler, MessageHandler

from bot.domain import kapstokken
from bot.i18n import LANGUAGE_NAMES
from tests import stories
from tests.client import ADMIN_ID, LIAISON_CHAT_ID, Kapstok, Message, Person, label, say


@dataclass(frozen=True)
class Prompt:
    """Where a step reads its answer: a chat (None: the person's private chat), and in the
    liaison group the bot's question that an answer must reply to."""

    chat_id: int | None = None
    reply_to: Message | None = None

    def chat_of(self, person: Person) -> int:
        return person.user_id if self.chat_id is None else self.chat_id

    async def send(self, person: Person, text: str) -> None:
        """The person answers the step with this text, as Telegram would deliver it."""
        await send_text(person, self.chat_of(person), text, self.reply_to)


PRIVATE = Prompt()
Enter = Callable[[Kapstok, Person], Awaitable[Prompt]]
STEPS: dict[tuple[str, str], Enter] = {}
GROUP_STEPS: dict[tuple[str, str], Enter] = {}


def step(conversation: str, state: str, *, group: bool = False) -> Callable[[Enter], Enter]:
    """Register how to bring a fresh person into this text step (of the group, if `group`)."""

    def register(enter: Enter) -> Enter:
        registry = GROUP_STEPS if group else STEPS
        assert (conversation, state) not in registry, f"{conversation}/{state} twice"
        registry[(conversation, state)] = enter
        return enter

    return register


def text_steps(kapstok: Kapstok) -> set[tuple[str, str]]:
    """(conversation, state) of every state of every conversation that reads messages."""
    found = set()
    for handlers in kapstok.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, ConversationHandler):
                for state, state_handlers in handler.states.items():
                    if any(isinstance(h, MessageHandler) for h in state_handlers):
                        found.add((handler.name, state))
    return found


async def state_of(kapstok: Kapstok, conversation: str, chat_id: int, user_id: int) -> object:
    """The state a person is in, in one conversation and chat, as the database keeps it."""
    states = await kapstok.app.bot_data.store.conversations.states(conversation)
    return states.get((chat_id, user_id))


# --- sending as Telegram does ----------------------------------------------------------------

# Telegram marks a command (at most 64 characters of letters, digits and _, optionally followed
# by @ and a bot's username) as a bot_command entity; anything else starting with "/" is text.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def command_entity(text: str) -> dict | None:
    match = _COMMAND.match(text)
    if match is None:
        return None
    return {"type": "bot_command", "offset": 0, "length": len(match.group(0))}


async def send_text(
    person: Person, chat_id: int, text: str, reply_to: Message | None = None
) -> None:
    """A text in a private chat or the liaison group, with the entities Telegram would give it
    (tests/client.py marks any first word after "/" as a command)."""
    kapstok = person.bot
    message = person._message(kapstok.telegram.chat(chat_id))
    message["text"] = text
    entity = command_entity(text)
    if entity is not None:
        message["entities"] = [entity]
    if reply_to is not None:
        message["reply_to_message"] = kapstok.telegram.public(reply_to.raw)
        if reply_to.raw.get("message_thread_id"):
            message["message_thread_id"] = reply_to.raw["message_thread_id"]
            message["is_topic_message"] = True
    person._remember(message)
    await kapstok.process({"message": message})


def newest(kapstok: Kapstok, chat_id: int, containing: str = "") -> Message:
    """The bot's newest message in a chat (that contains this text)."""
    for raw in reversed(kapstok.telegram.sent_to(chat_id)):
        message = Message(raw)
        if containing in (raw.get("text") or ""):
            return message
    raise AssertionError(f"no message with {containing!r} in chat {chat_id}")


# --- the world the steps share: an admin, an association with a thread, a FAQ entry --------

ASSOCIATION = "KSA Sint-Jan"
QUESTION = "Wanneer wordt de subsidie voor ons zomerkamp uitbetaald?"
FAQ_QUESTION = "Mogen we een tent op het plein zetten?"
FAQ_ANSWER = "Ja, met een vergunning: vraag ze zes weken vooraf aan via het e-loket."
HELPERS_FROM = 5_000_000  # ids of the people the steps bring in besides the person itself


def language_of(person: Person) -> str:
    return person.language if person.language in LANGUAGE_NAMES else "nl"


def page_label(language: str, number: int) -> str:
    kapstok = kapstokken.by_number(number)
    return f"{kapstok.emoji} {say(language, kapstok.title)}"


@dataclass
class World:
    kapstok: Kapstok
    admin: Person
    founder: Person
    thread: int
    helper_ids: itertools.count = field(default_factory=lambda: itertools.count(HELPERS_FROM))

    def helper(self, name: str = "Helper") -> Person:
        return self.kapstok.person(next(self.helper_ids), name, "nl")


_worlds: weakref.WeakKeyDictionary[Kapstok, World] = weakref.WeakKeyDictionary()


async def world(kapstok: Kapstok) -> World:
    """Made once per Kapstok, at the first step that needs it."""
    if kapstok not in _worlds:
        admin = kapstok.person(ADMIN_ID, "Annelies", "nl", last_name="Peeters")
        founder = await stories.approved_member(
            kapstok, admin, HELPERS_FROM - 1, "Sofie", "nl", ASSOCIATION, last_name="Maes"
        )
        thread = await ask(founder, QUESTION)
        _worlds[kapstok] = World(kapstok, admin, founder, thread)
        await add_faq_entry(admin, 2, "nl", FAQ_QUESTION, FAQ_ANSWER)
    return _worlds[kapstok]


async def add_faq_entry(liaison: Person, kapstok: int, language: str, question: str, answer: str):
    await liaison.send("/faqadd")
    await liaison.press(page_label(language_of(liaison), kapstok))
    await liaison.press(LANGUAGE_NAMES[language])
    await liaison.send(question)
    await liaison.send(answer)


async def faq_entry(kapstok: Kapstok) -> int:
    """The number of a FAQ entry (the first; one is added when a test removed them all)."""
    w = await world(kapstok)
    store = kapstok.app.bot_data.store
    entries = await store.faq.entries()
    if not entries:
        await add_faq_entry(w.admin, 2, "nl", FAQ_QUESTION, FAQ_ANSWER)
        entries = await store.faq.entries()
    return entries[0].faq_id


async def appoint(kapstok: Kapstok, person: Person) -> None:
    """The admin makes this person a liaison officer, in the liaison group."""
    w = await world(kapstok)
    await w.admin.send_in_group(f"/liaison add {person.user_id}")


async def approved(kapstok: Kapstok, person: Person, association: str | None = None) -> None:
    """The person registers an association of their own and the admin approves it."""
    w = await world(kapstok)
    await stories.register(person, association or f"Vereniging {person.user_id}")
    store = kapstok.app.bot_data.store
    registered = await store.associations.get((await store.profile(person.user_id)).association_id)
    card = kapstok.telegram.messages[(registered.card_chat_id, registered.card_message_id)]
    await w.admin.press_in_group(label("nl", "✅ Approve"), on=Message(card))


async def open_asking(person: Person, kapstok_number: int = 2) -> Message:
    """An approved member opens a kapstok's page and asks: the subjects are offered."""
    language = language_of(person)
    await person.send("/menu")
    await person.press(page_label(language, kapstok_number))
    button = "❓ Ask a question" if kapstok_number == 2 else "💬 Contact the liaison"
    await person.press(label(language, button))
    return person.last


async def ask(person: Person, question: str) -> int:
    """An approved member asks a question (first subject); the thread's number."""
    subjects = await open_asking(person)
    await person.press(subjects.buttons[0], on=subjects)
    await person.send(question)
    match = re.search(r"#(\d+)", person.last.text)
    assert match, f"no thread number in {person.last.text!r}"
    return int(match.group(1))


async def pending_card(kapstok: Kapstok, chat_id: int, liaison: Person) -> Message:
    """A newcomer registers an association; its card (in the group, or /pending in the
    liaison's private chat). Those an earlier example left waiting are approved first, so
    that /pending stays short."""
    w = await world(kapstok)
    store = kapstok.app.bot_data.store
    for waiting in await store.associations.pending():
        if waiting.card_message_id is None:
            continue
        card = Message(kapstok.telegram.messages[(waiting.card_chat_id, waiting.card_message_id)])
        await w.admin.press_in_group(label("nl", "✅ Approve"), on=card)
    applicant = w.helper("Applicant")
    name = f"Vereniging {applicant.user_id}"
    await stories.register(applicant, name)
    if chat_id != LIAISON_CHAT_ID:
        await liaison.send("/pending")
    return newest(kapstok, chat_id, name)


# --- onboarding ------------------------------------------------------------------------------


@step("onboarding", "onboarding.name")
async def _onboarding_name(kapstok: Kapstok, person: Person) -> Prompt:
    await person.send("/start")
    await person.press(label(language_of(person), "Register my association"))
    return PRIVATE


@step("onboarding", "onboarding.kind")
async def _onboarding_kind(kapstok: Kapstok, person: Person) -> Prompt:
    await _onboarding_name(kapstok, person)
    await person.send(f"Vereniging {person.user_id}")
    return PRIVATE


@step("onboarding", "onboarding.description")
async def _onboarding_description(kapstok: Kapstok, person: Person) -> Prompt:
    await _onboarding_kind(kapstok, person)
    await person.press(label(language_of(person), "Youth", "kind"))
    return PRIVATE


@step("onboarding", "onboarding.code")
async def _onboarding_code(kapstok: Kapstok, person: Person) -> Prompt:
    await person.send("/start")
    await person.press(label(language_of(person), "I have an invite code"))
    return PRIVATE


# --- rejecting an association ----------------------------------------------------------------


@step("rejecting", "liaison.reject_reason")
async def _reject_reason(kapstok: Kapstok, person: Person) -> Prompt:
    await appoint(kapstok, person)
    card = await pending_card(kapstok, person.user_id, person)
    await person.press(label(language_of(person), "❌ Reject"), on=card)
    return PRIVATE


@step("rejecting", "liaison.reject_reason", group=True)
async def _reject_reason_in_group(kapstok: Kapstok, person: Person) -> Prompt:
    await appoint(kapstok, person)
    card = await pending_card(kapstok, LIAISON_CHAT_ID, person)
    prompts = await person.press_in_group(label("nl", "❌ Reject"), on=card)
    return Prompt(LIAISON_CHAT_ID, prompts[-1])


# --- asking the municipality -----------------------------------------------------------------


@step("asking", "asking.subject")
async def _asking_subject(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    await open_asking(person)
    return PRIVATE


@step("asking", "asking.question")
async def _asking_question(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    subjects = await open_asking(person)
    await person.press(subjects.buttons[0], on=subjects)
    return PRIVATE


@step("asking", "asking.faq")
async def _asking_faq(kapstok: Kapstok, person: Person) -> Prompt:
    await faq_entry(kapstok)
    await _asking_question(kapstok, person)
    await person.send(FAQ_QUESTION)
    return PRIVATE


# --- a board member adds to a thread; a liaison answers from a private chat ------------------


@step("writing", "threads.write")
async def _writing(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    await ask(person, QUESTION)
    await person.send("/threads")
    listing = person.last
    await person.press(listing.buttons[0], on=listing)
    await person.press(label(language_of(person), "✍️ Add a message"))
    return PRIVATE


@step("answering", "threads.answer")
async def _answering(kapstok: Kapstok, person: Person) -> Prompt:
    w = await world(kapstok)
    thread = await kapstok.app.bot_data.store.threads.thread(w.thread)
    if thread.status.value == "closed":
        await w.admin.send_in_group(f"/reopen {w.thread}")
    await appoint(kapstok, person)
    await person.send("/open")
    await person.press(f"#{w.thread} · {ASSOCIATION}")
    await person.press(label(language_of(person), "✍️ Reply"))
    return PRIVATE


# --- a board member pauses their optional messages ------------------------------------------


@step("settings", "settings.pause")
async def _settings_pause(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    await person.send("/settings")
    await person.press(label(language_of(person), "⏸ Pause until a date"))
    return PRIVATE


# --- liaisons keep the FAQ, in a private chat or in the group --------------------------------


async def _faq_prompt(kapstok: Kapstok, person: Person, group: bool) -> Prompt:
    """/faqadd, kapstok 2, Nederlands: the question is asked for."""
    await appoint(kapstok, person)
    language = language_of(person)
    if not group:
        await person.send("/faqadd")
        await person.press(page_label(language, 2))
        await person.press(LANGUAGE_NAMES["nl"])
        return PRIVATE
    await send_text(person, LIAISON_CHAT_ID, "/faqadd")
    choice = newest(kapstok, LIAISON_CHAT_ID)
    await person.press_in_group(page_label(language, 2), on=choice)
    prompts = await person.press_in_group(LANGUAGE_NAMES["nl"], on=choice)
    return Prompt(LIAISON_CHAT_ID, prompts[-1])


async def _answer(person: Person, prompt: Prompt, text: str) -> Prompt:
    """Answer one prompt with a valid text: the next prompt."""
    await prompt.send(person, text)
    if prompt.chat_id is None:
        return PRIVATE
    return Prompt(LIAISON_CHAT_ID, newest(person.bot, LIAISON_CHAT_ID))


async def _faq_edit_prompt(kapstok: Kapstok, person: Person, group: bool) -> Prompt:
    number = await faq_entry(kapstok)
    await appoint(kapstok, person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, f"/faqedit {number}")
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


async def _faq_import_prompt(kapstok: Kapstok, person: Person, group: bool) -> Prompt:
    await appoint(kapstok, person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, "/faqimport")
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


def _register_faq_steps(group: bool) -> None:
    @step("faq", "faq.question", group=group)
    async def question(kapstok: Kapstok, person: Person) -> Prompt:
        return await _faq_prompt(kapstok, person, group)

    @step("faq", "faq.answer", group=group)
    async def answer(kapstok: Kapstok, person: Person) -> Prompt:
        prompt = await _faq_prompt(kapstok, person, group)
        return await _answer(person, prompt, "Hoe laat sluit de zaal?")

    @step("faq", "faq.edit_question", group=group)
    async def edit_question(kapstok: Kapstok, person: Person) -> Prompt:
        return await _faq_edit_prompt(kapstok, person, group)

    @step("faq", "faq.edit_answer", group=group)
    async def edit_answer(kapstok: Kapstok, person: Person) -> Prompt:
        prompt = await _faq_edit_prompt(kapstok, person, group)
        return await _answer(person, prompt, "-")

    @step("faq", "faq.import", group=group)
    async def import_csv(kapstok: Kapstok, person: Person) -> Prompt:
        return await _faq_import_prompt(kapstok, person, group)


_register_faq_steps(group=False)
_register_faq_steps(group=True)


# --- liaisons make schedules, in a private chat or in the group --------------------------------

SCHEDULE_BAROMETER, SCHEDULE_CHECKIN = "📊 Barometer round", "💬 Check-in message"
SCHEDULE_MONTHLY, SCHEDULE_ONCE = "Every month", "Once, on a date"


async def _schedule_prompt(
    kapstok: Kapstok, person: Person, group: bool, content: str, frequency: str, *answers: str
) -> Prompt:
    """/schedules, ➕ New schedule, a content and a frequency, then these answers: the next
    question is asked."""
    await appoint(kapstok, person)
    language = language_of(person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, "/schedules")
    for button in ("➕ New schedule", content, frequency):
        await person._press(chat, label(language, button), None)
    prompt = Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE
    for answer in answers:
        prompt = await _answer(person, prompt, answer)
    return prompt


def _register_schedule_steps(group: bool) -> None:
    barometer, checkin = SCHEDULE_BAROMETER, SCHEDULE_CHECKIN
    monthly, once = SCHEDULE_MONTHLY, SCHEDULE_ONCE

    @step("schedules", "schedules.day", group=group)
    async def day(kapstok: Kapstok, person: Person) -> Prompt:
        return await _schedule_prompt(kapstok, person, group, barometer, monthly)

    @step("schedules", "schedules.date", group=group)
    async def date(kapstok: Kapstok, person: Person) -> Prompt:
        return await _schedule_prompt(kapstok, person, group, checkin, once)

    @step("schedules", "schedules.time", group=group)
    async def time(kapstok: Kapstok, person: Person) -> Prompt:
        return await _schedule_prompt(kapstok, person, group, barometer, monthly, "15")

    @step("schedules", "schedules.open_days", group=group)
    async def open_days(kapstok: Kapstok, person: Person) -> Prompt:
        return await _schedule_prompt(kapstok, person, group, barometer, monthly, "15", "09:00")

    @step("schedules", "schedules.body", group=group)
    async def body(kapstok: Kapstok, person: Person) -> Prompt:
        return await _schedule_prompt(kapstok, person, group, checkin, monthly, "15", "09:00")

    @step("schedules", "schedules.photo", group=group)
    async def photo(kapstok: Kapstok, person: Person) -> Prompt:
        text = "Hoe gaat het met jullie vereniging?"
        return await _schedule_prompt(kapstok, person, group, checkin, monthly, "15", "09:00", text)


_register_schedule_steps(group=False)
_register_schedule_steps(group=True)


# --- liaisons broadcast, in a private chat or in the group --------------------------------------


async def _broadcast_prompt(kapstok: Kapstok, person: Person, group: bool) -> Prompt:
    """/broadcast: the message is asked for."""
    await world(kapstok)
    await appoint(kapstok, person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, "/broadcast")
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


def _register_broadcast_steps(group: bool) -> None:
    @step("broadcast", "broadcast.content", group=group)
    async def content(kapstok: Kapstok, person: Person) -> Prompt:
        return await _broadcast_prompt(kapstok, person, group)

    @step("broadcast", "broadcast.when", group=group)
    async def when(kapstok: Kapstok, person: Person) -> Prompt:
        prompt = await _broadcast_prompt(kapstok, person, group)
        await prompt.send(person, "Beste besturen, tot zondag!")
        chat = LIAISON_CHAT_ID if group else person.user_id
        language = language_of(person)
        await person._press(chat, label(language, "Next ▶"), None)
        await person._press(chat, label(language, "🕒 Schedule"), None)
        return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


_register_broadcast_steps(group=False)
_register_broadcast_steps(group=True)


# --- the barometer: a board's comment, and the liaison's "You said, we did" -------------------


async def barometer_round(kapstok: Kapstok, person: Person | None = None) -> int:
    """A barometer round that asked every approved board (and this person's): the open one,
    or a new one."""
    from bot.domain.audience import Audience
    from handlers.checkins import rounds

    store = kapstok.app.bot_data.store
    existing = await store.barometer.not_closed()
    if existing and (
        person is None or await store.barometer.message_of(existing[-1].round_id, person.user_id)
    ):
        return existing[-1].round_id

    async def open_round(context) -> int:
        async with store.transaction():
            return await rounds.ask_boards(context.application, Audience(), 14)

    return await kapstok.run_job(open_round)


def ballot_of(kapstok: Kapstok, person: Person) -> Message:
    return newest(kapstok, person.user_id, "📊")


@step("barometer", "barometer.comment")
async def _barometer_comment(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    await barometer_round(kapstok, person)
    await person.press(label(language_of(person), "💬 Comment"), on=ballot_of(kapstok, person))
    return PRIVATE


async def _you_said_prompt(kapstok: Kapstok, person: Person, group: bool) -> Prompt:
    w = await world(kapstok)
    round_id = await barometer_round(kapstok, w.founder)
    store = kapstok.app.bot_data.store
    if not await store.barometer.answers(round_id):
        from handlers import callbacks

        ballot = ballot_of(kapstok, w.founder)
        for number in range(1, 6):
            await w.founder.press_data(
                callbacks.BAROMETER_SCORE.data(round_id, number, 4), on=ballot
            )
        await w.founder.press_data(callbacks.BAROMETER_SUBMIT.data(round_id), on=ballot)
    await appoint(kapstok, person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, "/barometer")
    await person._press(chat, label(language_of(person), "📝 You said, we did"), None)
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


def _register_you_said_steps(group: bool) -> None:
    @step("you_said", "barometer.you_said", group=group)
    async def you_said(kapstok: Kapstok, person: Person) -> Prompt:
        return await _you_said_prompt(kapstok, person, group)


_register_you_said_steps(group=False)
_register_you_said_steps(group=True)


# --- kapstok 3: a board member types the profile's description or contact, or searches ---------


async def _profile_page(kapstok: Kapstok, person: Person) -> str:
    """An approved member opens /profile; their language."""
    await approved(kapstok, person)
    await person.send("/profile")
    return language_of(person)


@step("profiles", "profiles.description")
async def _profile_description(kapstok: Kapstok, person: Person) -> Prompt:
    language = await _profile_page(kapstok, person)
    await person.press(label(language, "✏️ Description"))
    return PRIVATE


@step("profiles", "profiles.phone")
async def _profile_phone(kapstok: Kapstok, person: Person) -> Prompt:
    language = await _profile_page(kapstok, person)
    await person.press(label(language, "📇 Contact"))
    await person.press(label(language, "📞 A phone number"))
    return PRIVATE


@step("profiles", "profiles.email")
async def _profile_email(kapstok: Kapstok, person: Person) -> Prompt:
    language = await _profile_page(kapstok, person)
    await person.press(label(language, "📇 Contact"))
    await person.press(label(language, "✉️ An e-mail address"))
    return PRIVATE


@step("directory", "directory.words")
async def _directory_words(kapstok: Kapstok, person: Person) -> Prompt:
    await approved(kapstok, person)
    await person.send("/directory")
    await person.press(label(language_of(person), "🔎 Search by name or words"))
    return PRIVATE


# --- kapstok 3: introductions and calls -------------------------------------------------------


async def list_association(
    kapstok: Kapstok, person: Person, phone: str = "0470 12 34 56", *, listed: bool = True
) -> int:
    """The person's association gets a profile with a phone number as its contact, listed in
    the directory (or not); its id."""
    from bot.domain.profiles import ContactKind

    store = kapstok.app.bot_data.store
    association = (await store.profile(person.user_id)).association_id
    await store.profiles.set_description(association, "Wij zoeken partners voor de kermis.", "nl")
    await store.profiles.set_contact_text(association, ContactKind.PHONE, phone, person.user_id)
    await store.profiles.set_listed(association, listed)
    return association


async def ask_introduction(person: Person, association: int) -> None:
    """An approved member opens another association's directory entry and asks to be
    introduced: the note is asked for."""
    from handlers import callbacks

    await person.send("/menu")
    await person.press_data(callbacks.DIRECTORY_ENTRY.data(association), on=person.last)
    await person.press(label(language_of(person), "🤝 Ask for an introduction"))


@step("introduction", "introduction.note")
async def _introduction_note(kapstok: Kapstok, person: Person) -> Prompt:
    w = await world(kapstok)
    target = await list_association(kapstok, w.founder)
    await approved(kapstok, person)
    await list_association(kapstok, person, listed=False)
    await ask_introduction(person, target)
    return PRIVATE


async def _call_text_prompt(kapstok: Kapstok, person: Person) -> str:
    """/call, 🙋 Volunteers: the text is asked for (the world's association can get it)."""
    w = await world(kapstok)
    await list_association(kapstok, w.founder)
    await approved(kapstok, person)
    language = language_of(person)
    await person.send("/call")
    await person.press(label(language, "🙋 Volunteers"))
    return language


@step("call", "call.text")
async def _call_text(kapstok: Kapstok, person: Person) -> Prompt:
    await _call_text_prompt(kapstok, person)
    return PRIVATE


@step("call", "call.until")
async def _call_until(kapstok: Kapstok, person: Person) -> Prompt:
    language = await _call_text_prompt(kapstok, person)
    await person.send("We zoeken tien helpers voor de kermis op zondag.")
    await person.press(label(language, "Next ▶"))
    return PRIVATE


async def open_call(kapstok: Kapstok) -> int:
    """An open call of the world's association, shown in its topic (made anew when none is
    open)."""
    from datetime import timedelta

    from bot.deliveries import queue
    from bot.domain.calls import ALL_KINDS, Purpose, is_open
    from handlers.bulk import today
    from handlers.cooperation import call_deliveries

    w = await world(kapstok)
    store = kapstok.app.bot_data.store
    association = (await store.profile(w.founder.user_id)).association_id
    day = today(store, kapstok.config)
    for call in await store.calls.of_association(association):
        if is_open(call, day):
            return call.call_id
    call = await store.calls.create(
        association_id=association,
        purpose=Purpose.VOLUNTEERS,
        text="Wie helpt ons de tenten opzetten op zaterdag?",
        file_id=None,
        kinds=ALL_KINDS,
        until=day + timedelta(days=30),
        created_by=w.founder.user_id,
    )

    async def in_topic(context) -> None:
        await queue(context.application, [call_deliveries.topic_row(LIAISON_CHAT_ID, call.call_id)])

    await kapstok.run_job(in_topic)
    return call.call_id


async def deliver_call(kapstok: Kapstok, person: Person, call_id: int) -> Message:
    """The call reaches the person, as the outbox delivers it; the message with *Respond*."""
    from bot.deliveries import queue
    from handlers.cooperation import call_deliveries

    call = await kapstok.app.bot_data.store.calls.get(call_id)

    async def deliver(context) -> None:
        await queue(context.application, [call_deliveries.call_row(person.user_id, call)])

    await kapstok.run_job(deliver)
    return newest(kapstok, person.user_id)


@step("call_respond", "calls.answer")
async def _call_answer(kapstok: Kapstok, person: Person) -> Prompt:
    call_id = await open_call(kapstok)
    await approved(kapstok, person)
    await list_association(kapstok, person)
    delivered = await deliver_call(kapstok, person, call_id)
    await person.press(label(language_of(person), "💬 Respond"), on=delivered)
    return PRIVATE


async def call_topic_message(kapstok: Kapstok, call_id: int) -> Message:
    """The call's message in its association's topic, as it looks now."""
    call = await kapstok.app.bot_data.store.calls.get(call_id)
    return Message(kapstok.telegram.messages[(call.topic_chat_id, call.topic_message_id)])


def _register_withdraw_steps(group: bool) -> None:
    @step("call_withdraw", "calls.withdraw_reason", group=group)
    async def withdraw_reason(kapstok: Kapstok, person: Person) -> Prompt:
        call_id = await open_call(kapstok)
        await appoint(kapstok, person)
        if not group:
            await person.send("/calls")
            await person.press(
                label(language_of(person), "↩️ Withdraw #{number}").format(number=call_id)
            )
            return PRIVATE
        # The topic speaks the liaison group's language.
        button = label(kapstok.config.default_language, "↩️ Withdraw")
        prompts = await person.press_in_group(button, on=await call_topic_message(kapstok, call_id))
        return Prompt(LIAISON_CHAT_ID, prompts[-1])


_register_withdraw_steps(group=False)
_register_withdraw_steps(group=True)


# --- kapstok 4: planning an activity, and saying how it went ---------------------------------


async def activity_to(person: Person, state: str) -> None:
    """A board member plans an activity up to the step `state` (of the conversation's order);
    the buttons are pressed by their data, so that anyone can be brought (or refused) there."""
    from handlers import callbacks

    order = ["title", "start", "end", "place", "description", "public", "partners", "review"]
    answers = {
        "title": lambda: person.send("Sint-Maartenstoet"),
        "start": lambda: person.send("12/03/2027 14:00"),
        "end": lambda: person.send("17:00"),
        "place": lambda: person.send("Zaal De Kroon"),
        "description": lambda: person.send("Met lampions."),
        "public": lambda: person.press_data(callbacks.ACTIVITY_PUBLIC.data("yes"), on=person.last),
        "partners": lambda: person.press_data(
            callbacks.ACTIVITY_PARTNERS_DONE.data(), on=person.last
        ),
    }
    await person.send("/activity")
    for step_name in order[: order.index(state)]:
        await answers[step_name]()


def _register_activity_steps() -> None:
    for state in ("title", "start", "end", "place", "description", "public", "partners", "review"):

        @step("activity", f"activity.{state}")
        async def planning(kapstok: Kapstok, person: Person, state=state) -> Prompt:
            await approved(kapstok, person)
            await activity_to(person, state)
            return PRIVATE


_register_activity_steps()


async def past_activity(kapstok: Kapstok, person: Person, *, asked: bool = True) -> int:
    """An activity of the person's association that ended yesterday, its board asked how it
    went; its number."""
    from datetime import timedelta

    store = kapstok.app.bot_data.store
    profile = await store.profile(person.user_id)
    now = store.now()
    activity = await store.activities.create(
        profile.association_id,
        person.user_id,
        "Quiz",
        now - timedelta(days=1, hours=4),
        now - timedelta(days=1),
        "Parochiezaal",
        "",
        False,
    )
    if asked:
        await store.activities.mark_asked(activity.activity_id)
    return activity.activity_id


@step("activity_comment", "activity.comment")
async def _activity_comment(kapstok: Kapstok, person: Person) -> Prompt:
    from handlers import callbacks

    await approved(kapstok, person)
    number = await past_activity(kapstok, person)
    await person.send("/menu")
    await person.press_data(callbacks.ACTIVITY_COMMENT.data(number), on=person.last)
    return PRIVATE


# --- kapstok 5: recognition ------------------------------------------------------------------


async def approved_association(kapstok: Kapstok, name: str = "Scouts Sint-Jan") -> int:
    """An approved association (a fresh one per call: names differ by a counter)."""
    keeper = kapstok.person(next(_KEEPER_IDS), "Keeper", "nl")
    await approved(kapstok, keeper, f"{name} {keeper.user_id}")
    return (await kapstok.app.bot_data.store.profile(keeper.user_id)).association_id


_KEEPER_IDS = itertools.count(HELPERS_FROM + 900_000)


def _register_recognition_steps(group: bool) -> None:
    @step("recognition_date", "recognition.date", group=group)
    async def renewal_date(kapstok: Kapstok, person: Person) -> Prompt:
        from handlers import callbacks

        number = await approved_association(kapstok)
        await appoint(kapstok, person)
        chat_id = LIAISON_CHAT_ID if group else person.user_id
        await send_text(person, chat_id, f"/association {number}")
        await person.press_data(
            callbacks.RECOGNITION_RECOGNISED.data(number),
            on=newest(kapstok, chat_id, f"#{number}"),
        )
        return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


_register_recognition_steps(group=False)
_register_recognition_steps(group=True)


# --- liaisons keep the lending service's catalog, in a private chat or in the group -----------

CATALOG_TEXT_FIELDS = (
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
    "note",
    "pick_up",
    "photo",
)


async def gear_item(kapstok: Kapstok) -> int:
    """An item of the catalog (the first; one is added when there is none)."""
    from bot.domain.gear import GearItem

    gear = kapstok.app.bot_data.store.gear
    items = await gear.catalog()
    if not items:
        items = [await gear.add(GearItem(0, "Tent 6x3", "Tenten", 4, max_lead_days=180))]
    return items[0].item_id


async def _catalog_prompt(kapstok: Kapstok, person: Person, group: bool, data: str) -> Prompt:
    """/gear, then a button of the catalog's (given as its data): its question is asked."""
    await appoint(kapstok, person)
    chat = LIAISON_CHAT_ID if group else person.user_id
    await send_text(person, chat, "/gear")
    await person.press_data(data, on=newest(kapstok, chat))
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


def _register_catalog_steps(group: bool) -> None:
    from handlers import callbacks

    for name in CATALOG_TEXT_FIELDS:

        @step("catalog", f"catalog.{name}", group=group)
        async def edit(kapstok: Kapstok, person: Person, name: str = name) -> Prompt:
            data = callbacks.GEAR_FIELD.data(await gear_item(kapstok), name)
            return await _catalog_prompt(kapstok, person, group, data)

    @step("catalog_import", "catalog_import.file", group=group)
    async def import_csv(kapstok: Kapstok, person: Person) -> Prompt:
        return await _catalog_prompt(kapstok, person, group, callbacks.GEAR_IMPORT.data())


_register_catalog_steps(group=False)
_register_catalog_steps(group=True)


# --- kapstok 5: borrowing gear, the board's side ---------------------------------------------

BORROWING_ORDER = ("pick_up", "return", "choose", "activity", "note", "review")


async def borrowable(kapstok: Kapstok) -> int:
    """An item every association may borrow (added once); its number."""
    from bot.domain.gear import GearItem

    gear = kapstok.app.bot_data.store.gear
    found = await gear.named("Leentent")
    if found is None:
        found = await gear.add(GearItem(0, "Leentent", "Tenten", 1000, deposit_cents=5000))
    return found.item_id


async def borrowing_to(person: Person, state: str) -> None:
    """A board member borrows a tent up to the step `state` (of the conversation's order); the
    buttons are pressed by their data, so that anyone can be brought (or refused) there."""
    from datetime import timedelta

    from handlers import callbacks

    item = await borrowable(person.bot)
    today = person.bot.clock.now.date()

    async def press(*buttons) -> None:
        for data in buttons:
            await person.press_data(data, on=person.last)

    answers = {
        "pick_up": lambda: person.send((today + timedelta(days=17)).isoformat()),
        "return": lambda: person.send((today + timedelta(days=19)).isoformat()),
        "choose": lambda: press(callbacks.BORROW_MORE.data(item), callbacks.BORROW_BASKET.data()),
        "activity": lambda: press(callbacks.BORROW_NO_ACTIVITY.data()),
        "note": lambda: press(callbacks.BORROW_NO_NOTE.data()),
    }
    await person.send("/menu")
    await person.press_data(callbacks.BORROW.data(), on=person.last)
    for name in BORROWING_ORDER[: BORROWING_ORDER.index(state)]:
        await answers[name]()


def _register_borrowing_steps() -> None:
    for state in BORROWING_ORDER:

        @step("borrowing", f"borrowing.{state}")
        async def borrowing(kapstok: Kapstok, person: Person, state=state) -> Prompt:
            await approved(kapstok, person)
            await borrowing_to(person, state)
            return PRIVATE


_register_borrowing_steps()


# --- kapstok 5: a liaison's question about a request; an activity's dossier -------------------


async def a_request(kapstok: Kapstok) -> int:
    """A gear request of the world's association (a fresh one per call); its number."""
    from datetime import date

    from bot.domain.gear import GearItem

    w = await world(kapstok)
    store = kapstok.app.bot_data.store
    found = await store.gear.named("Vraagtent")
    if found is None:
        found = await store.gear.add(GearItem(0, "Vraagtent", "Tenten", 1000))
    association = (await store.profile(w.founder.user_id)).association_id
    made = await store.gear_requests.create(
        association, w.founder.user_id, date(2027, 6, 4), date(2027, 6, 6), {found.item_id: 2}
    )
    return made.request_id


def _register_request_question_steps(group: bool) -> None:
    @step("request_question", "requests.question", group=group)
    async def question(kapstok: Kapstok, person: Person) -> Prompt:
        from handlers import callbacks

        number = await a_request(kapstok)
        await appoint(kapstok, person)
        chat = LIAISON_CHAT_ID if group else person.user_id
        await send_text(person, chat, "/requests")
        await person.press_data(callbacks.REQUEST_ASK.data(number), on=newest(kapstok, chat))
        return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


_register_request_question_steps(group=False)
_register_request_question_steps(group=True)


@step("dossier", "dossier.evidence")
async def _dossier_evidence(kapstok: Kapstok, person: Person) -> Prompt:
    from handlers import callbacks

    await approved(kapstok, person)
    number = await past_activity(kapstok, person, asked=False)
    await person.send("/menu")
    await person.press_data(callbacks.DOSSIER_ADD.data(number), on=person.last)
    return PRIVATE


# --- the lending service's desk: a gear request rejected or returned, in either chat --------

_DESK_KEEPER_IDS = itertools.count(HELPERS_FROM + 950_000)


async def desk_request(kapstok: Kapstok, status: str = "requested") -> int:
    """A gear request of a fresh approved association (2 party tents, 18 to 21 December), its
    card in the association's topic; approved, and picked up, when `status` says so."""
    from datetime import date

    from bot.domain.gear import GearItem
    from handlers.support.gear_card import queue_card

    store = kapstok.app.bot_data.store
    keeper = kapstok.person(next(_DESK_KEEPER_IDS), "Keeper", "nl")
    await approved(kapstok, keeper, f"Jeugdhuis {keeper.user_id}")
    association = (await store.profile(keeper.user_id)).association_id
    item = await store.gear.add(
        GearItem(0, f"Partytent {keeper.user_id}", "Tenten", 1000, deposit_cents=5000)
    )
    made = await store.gear_requests.create(
        association, keeper.user_id, date(2026, 12, 18), date(2026, 12, 21), {item.item_id: 2}
    )
    number = made.request_id
    if status != "requested":
        await store.gear_requests.approve(number, {item.item_id: 2}, ADMIN_ID)
    if status == "picked_up":
        await store.gear_requests.picked_up(number, ADMIN_ID, True)

    async def card(context) -> None:
        await queue_card(context.application, number)

    await kapstok.run_job(card)
    return number


async def _desk_presses(
    kapstok: Kapstok, person: Person, group: bool, status: str, *presses: str
) -> Prompt:
    """A liaison officer presses the card's buttons (data with {number}); the last one asks."""
    await appoint(kapstok, person)
    number = await desk_request(kapstok, status)
    chat = LIAISON_CHAT_ID if group else person.user_id
    if not group:
        await person.send("/start")
    for data in presses:
        await person.press_data(data.format(number=number), on=newest(kapstok, chat))
    return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


def _register_desk_steps(group: bool) -> None:
    @step("gear_reject", "gear.reject_reason", group=group)
    async def reason(kapstok: Kapstok, person: Person) -> Prompt:
        return await _desk_presses(kapstok, person, group, "requested", "gd:no:{number}")

    @step("gear_return", "gear.return_note", group=group)
    async def note(kapstok: Kapstok, person: Person) -> Prompt:
        return await _desk_presses(
            kapstok, person, group, "picked_up", "gd:ret:{number}", "gd:ro:{number}:no"
        )

    @step("gear_return", "gear.return_photo", group=group)
    async def photo(kapstok: Kapstok, person: Person) -> Prompt:
        prompt = await note(kapstok, person)
        await prompt.send(person, "Een scheur in het zeil.")
        return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE

    @step("gear_return", "gear.return_amount", group=group)
    async def amount(kapstok: Kapstok, person: Person) -> Prompt:
        presses = ("gd:ret:{number}", "gd:ro:{number}:yes", "gd:keep:{number}:part")
        return await _desk_presses(kapstok, person, group, "picked_up", *presses)


_register_desk_steps(group=False)
_register_desk_steps(group=True)


# --- kapstok 5: subsidies ---------------------------------------------------------------------


async def subsidy_type(kapstok: Kapstok, **changes) -> int:
    """An active subsidy type that asks for no attachment and no recognition (made once)."""
    from bot.domain.subsidies import Deadline

    store = kapstok.app.bot_data.store
    for found in await store.subsidies.types():
        if found.name_nl == "Werkingssubsidie" and not changes:
            return found.type_id
    made = await store.subsidies.create_type(
        name_nl="Werkingssubsidie",
        max_cents=200000,
        deadlines=[Deadline(3, 31)],
        **changes,
    )
    return made.type_id


async def subsidy_request_to(kapstok: Kapstok, person: Person, state: str) -> None:
    """An approved board member requests a subsidy up to `state`: amount, purpose or files."""
    from handlers import callbacks

    number = await subsidy_type(kapstok)
    await approved(kapstok, person)
    await person.send("/menu")
    await person.press_data(callbacks.SUBSIDY_TYPE.data(number), on=person.last)
    if state in ("purpose", "files"):
        await person.send("100")
    if state == "files":
        await person.send("Zomerkamp")


def _register_subsidy_request_steps() -> None:
    for state in ("amount", "purpose", "files"):

        @step("subsidy_request", f"subsidy.{state}")
        async def requesting(kapstok: Kapstok, person: Person, state=state) -> Prompt:
            await subsidy_request_to(kapstok, person, state)
            return PRIVATE


_register_subsidy_request_steps()


async def subsidy_request_of(kapstok: Kapstok, approved_too: bool = False) -> int:
    """A fresh subsidy request (approved, if asked) of the world's association, with its card."""
    from bot.deliveries import queue
    from handlers.support import subsidy_card

    w = await world(kapstok)
    store = kapstok.app.bot_data.store
    association = (await store.profile(w.founder.user_id)).association_id
    made = await store.subsidies.create(
        association, w.founder.user_id, await subsidy_type(kapstok), 50000, "Zomerkamp"
    )
    if approved_too:
        await store.subsidies.approve(made.request_id, 40000, ADMIN_ID)

    async def card(context) -> None:
        rows = subsidy_card.queue_rows(kapstok.config.liaison_chat_id, made)
        await queue(context.application, rows)

    await kapstok.run_job(card)
    return made.request_id


async def subsidy_card_message(kapstok: Kapstok, number: int) -> Message:
    """A subsidy request's card in its association's topic, as it looks now."""
    request = await kapstok.app.bot_data.store.subsidies.get(number)
    return Message(kapstok.telegram.messages[(LIAISON_CHAT_ID, request.request.card_message_id)])


def _register_subsidy_decision_steps(group: bool) -> None:
    from handlers import callbacks

    buttons = {
        "granted": callbacks.SUBSIDY_APPROVE,
        "reason": callbacks.SUBSIDY_REJECT,
        "paid_date": callbacks.SUBSIDY_PAID,
    }
    for state, button in buttons.items():

        @step("subsidy_decision", f"subsidy.{state}", group=group)
        async def deciding(kapstok: Kapstok, person: Person, state=state, button=button) -> Prompt:
            number = await subsidy_request_of(kapstok, approved_too=state == "paid_date")
            await appoint(kapstok, person)
            if group:
                card = await subsidy_card_message(kapstok, number)
                await person.press_data(button.data(number), on=card)
                return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID))
            await person.send("/start")
            await person.press_data(button.data(number), on=person.last)
            return PRIVATE


_register_subsidy_decision_steps(group=False)
_register_subsidy_decision_steps(group=True)

SUBSIDY_TYPE_FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "description_nl",
    "description_fr",
    "description_en",
    "deadlines",
    "maximum",
    "recognition",
    "attachments",
)


def _register_subsidy_type_steps(group: bool, fields: tuple[str, ...]) -> None:
    """A liaison edits a type up to a field, keeping the ones before it as they are."""
    from handlers import callbacks

    for position, name in enumerate(SUBSIDY_TYPE_FIELDS):
        if name not in fields:
            continue

        @step("subsidy_types", f"subsidy_types.{name}", group=group)
        async def defining(kapstok: Kapstok, person: Person, position=position) -> Prompt:
            number = await subsidy_type(kapstok)
            await appoint(kapstok, person)
            chat = LIAISON_CHAT_ID if group else person.user_id
            await send_text(person, chat, "/subsidies")
            await person.press_data(
                callbacks.SUBSIDY_TYPE_EDIT.data(number), on=newest(kapstok, chat), chat_id=chat
            )
            for _ in range(position):
                await person.press_data(
                    callbacks.SUBSIDY_TYPE_KEEP.data(), on=newest(kapstok, chat), chat_id=chat
                )
            return Prompt(LIAISON_CHAT_ID, newest(kapstok, LIAISON_CHAT_ID)) if group else PRIVATE


_register_subsidy_type_steps(False, SUBSIDY_TYPE_FIELDS)
_register_subsidy_type_steps(True, ("name_nl", "deadlines", "maximum"))


# --- the cast of the generated tests: one person of every role ------------------------------

ROLES = ("stranger", "pending", "member_a", "member_b", "liaison", "admin", "groupmember")
ASSOCIATION_A = ASSOCIATION
ASSOCIATION_B = "Chiro Sint-Pieter"
ASSOCIATION_P = "Fanfare De Eendracht"
CAST_IDS = {
    "admin": ADMIN_ID,
    "member_a": 101,
    "member_b": 201,
    "pending": 301,
    "liaison": 401,
    "stranger": 501,
    "groupmember": 601,
}
KEEPERS = {"a": 100, "b": 200}  # each approved association keeps a board member who never plays


@dataclass(repr=False)
class Cast:
    """An admin, a liaison officer, association A (approved, with an open thread), B
    (approved, with a thread of its own), P (waiting for approval), a board member of each,
    someone who never registered and someone in the liaison group who is no liaison; a FAQ
    entry. Roles a press can end (leaving, erasing) are recast with a fresh person."""

    kapstok: Kapstok
    people: dict[str, Person]
    association: dict[str, int]  # "a", "b", "p" -> association id
    thread_a: int
    thread_b: int
    faq: int
    subject: int  # a subject of kapstok 2
    round: int  # a barometer round that asked A's and B's boards
    fresh_ids: itertools.count = field(default_factory=lambda: itertools.count(1_000_000))

    def __getitem__(self, role: str) -> Person:
        return self.people[role]

    def __repr__(self) -> str:
        ids = {role: person.user_id for role, person in self.people.items()}
        return (
            f"Cast({ids}, associations={self.association}, threads={self.thread_a, self.thread_b})"
        )

    def own_association(self, role: str) -> int | None:
        return {
            "pending": self.association["p"],
            "member_a": self.association["a"],
            "member_b": self.association["b"],
        }.get(role)

    async def card_of_thread(self, thread: int) -> Message:
        """The thread's card in the liaison group, as it looks now."""
        found = await self.kapstok.app.bot_data.store.threads.thread(thread)
        return Message(self.kapstok.telegram.messages[(found.card_chat_id, found.card_message_id)])

    async def card_of_pending(self) -> Message:
        """The card of the association waiting for approval, as it looks now."""
        found = await self.kapstok.app.bot_data.store.associations.get(self.association["p"])
        return Message(self.kapstok.telegram.messages[(found.card_chat_id, found.card_message_id)])

    async def still_cast(self, role: str) -> bool:
        """Whether the role's person still plays it (no press made them leave or forget)."""
        store = self.kapstok.app.bot_data.store
        person = self.people[role]
        profile = await store.profile(person.user_id)
        if role == "admin":
            return True
        if role == "liaison":
            return profile is not None and profile.is_liaison
        if role in ("stranger", "groupmember"):
            return profile is None or (profile.association_id is None and not profile.is_liaison)
        if profile is None or profile.association_id != self.own_association(role):
            return False
        return profile.is_pending_member if role == "pending" else profile.is_approved_member

    async def recast(self, role: str) -> Person:
        """Play the role with a fresh person when the last one no longer does."""
        if await self.still_cast(role):
            return self.people[role]
        person = self.kapstok.person(next(self.fresh_ids), role.title(), "nl")
        admin = self.people["admin"]
        if role == "liaison":
            await admin.send_in_group(f"/liaison add {person.user_id}")
            await person.send("/start")
        elif role in ("member_a", "member_b"):
            keeper = self.kapstok.person(KEEPERS[role[-1]], "Keeper", "nl")
            await invite(keeper, person)
        elif role == "pending":
            await stories.register(person, f"Fanfare {person.user_id}")
            profile = await self.kapstok.app.bot_data.store.profile(person.user_id)
            self.association["p"] = profile.association_id
        elif role == "groupmember":
            await person.send_in_group("Goeiemorgen collega's!")
            await person.send("/start")
        else:
            await person.send("/start")
        self.people[role] = person
        assert await self.still_cast(role), f"{role} could not be recast"
        return person


async def invite(member: Person, newcomer: Person) -> None:
    """A board member passes an invite code on; the newcomer joins with it."""
    await member.send("/invite")
    code = re.search(r"<code>([A-Z0-9]{8})</code>", member.last.html).group(1)
    await newcomer.send(f"/start {code}")


async def cast(kapstok: Kapstok) -> Cast:
    """Everyone, in a fresh Kapstok."""
    people = {role: kapstok.person(CAST_IDS[role], role.title(), "nl") for role in ROLES}
    admin = people["admin"]
    store = kapstok.app.bot_data.store
    association = {}
    for key, name, role in (("a", ASSOCIATION_A, "member_a"), ("b", ASSOCIATION_B, "member_b")):
        keeper = kapstok.person(KEEPERS[key], "Keeper", "nl")
        await stories.register(keeper, name)
        await admin.press_in_group(
            label("nl", "✅ Approve"), on=newest(kapstok, LIAISON_CHAT_ID, name)
        )
        await invite(keeper, people[role])
        association[key] = (await store.profile(keeper.user_id)).association_id
    thread_a = await ask(people["member_a"], QUESTION)
    thread_b = await ask(people["member_b"], "Waar kunnen we stoelen lenen?")
    await stories.register(people["pending"], ASSOCIATION_P)
    association["p"] = (await store.profile(people["pending"].user_id)).association_id
    await admin.send_in_group(f"/liaison add {CAST_IDS['liaison']}")
    await add_faq_entry(admin, 2, "nl", FAQ_QUESTION, FAQ_ANSWER)
    await people["groupmember"].send_in_group("Goeiemorgen collega's!")
    round_id = await barometer_round(kapstok)
    for role in ("stranger", "liaison", "admin", "groupmember", "pending"):
        await people[role].send("/start")
    for role in ("member_a", "member_b"):
        await people[role].send("/menu")
    faq = (await store.faq.entries())[0].faq_id
    subject = (await store.subjects.active(2))[0].subject_id
    return Cast(kapstok, people, association, thread_a, thread_b, faq, subject, round_id)


# --- what a role may not change --------------------------------------------------------------

# Bookkeeping that any update may write: the inbox and outbox, drafts and conversation states,
# which bot message shows which thread message, topics made when first needed, the FAQ's index.
BOOKKEEPING = frozenset(
    {
        "inbox",
        "outbox",
        "user_data",
        "conversation_states",
        "message_copies",
        "association_topics",
        "faq_terms",
        "sqlite_sequence",
    }
)


async def tables(kapstok: Kapstok) -> list[str]:
    db = kapstok.app.bot_data.store.db
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(row["name"] for row in rows if row["name"] not in BOOKKEEPING)


async def snapshot(
    kapstok: Kapstok, actor: int | None = None, own_association: int | None = None
) -> dict[str, list[tuple]]:
    """Every row of every table but the bookkeeping, less what the actor may change of their
    own: their own users row (language, settings, erasure) and their own association's rows (leaving
    it, inviting to it, closing its threads)."""
    db = kapstok.app.bot_data.store.db
    result = {}
    for table in await tables(kapstok):
        columns = {row["name"] for row in await db.fetchall(f"PRAGMA table_info({table})")}
        where, params = [], []
        if table in ("users", "messages_off") and actor is not None:
            where.append("user_id IS NOT ?")  # their own settings, their own name
            params.append(actor)
        if own_association is not None:
            if "association_id" in columns:
                where.append("association_id IS NOT ?")
                params.append(own_association)
            elif "thread_id" in columns:
                where.append(
                    "thread_id NOT IN (SELECT thread_id FROM threads WHERE association_id = ?)"
                )
                params.append(own_association)
        sql = f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
        result[table] = sorted(tuple(row) for row in await db.fetchall(sql, params))
    return result


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, dict]:
    """Per table, the rows that went and came."""
    found = {}
    for table in sorted(set(before) | set(after)):
        old, new = set(before.get(table, [])), set(after.get(table, []))
        if old != new:
            found[table] = {"gone": sorted(old - new), "new": sorted(new - old)}
    return found


# --- watching the offline Telegram -----------------------------------------------------------

# Telegram's own answers that Kapstok expects and handles: not a sign of an invalid call.
EXPECTED_REFUSALS = ("message is not modified",)
ANSWERING_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "setMessageReaction",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
    }
)


@dataclass(frozen=True)
class Mark:
    calls: int
    errors: int
    unexpected: int
    refused: int


class Probe:
    """Records every call the offline Telegram refused, and what happened since a mark."""

    def __repr__(self) -> str:
        return f"Probe({len(self.kapstok.telegram.calls)} calls, {len(self.refused)} refused)"

    def __init__(self, kapstok: Kapstok) -> None:
        self.kapstok = kapstok
        self.refused: list[tuple[str, int, str]] = []
        telegram = kapstok.telegram
        original = telegram._error

        def refuse(code: int, description: str) -> tuple[int, bytes]:
            method = telegram.calls[-1].method if telegram.calls else "?"
            self.refused.append((method, code, description))
            return original(code, description)

        telegram._error = refuse  # the instance's attribute shadows the staticmethod

    def mark(self) -> Mark:
        kapstok = self.kapstok
        return Mark(
            len(kapstok.telegram.calls),
            len(kapstok.errors),
            len(kapstok.telegram.unexpected),
            len(self.refused),
        )

    def calls_since(self, mark: Mark):
        return self.kapstok.telegram.calls[mark.calls :]

    def problems(self, mark: Mark) -> list[str]:
        found = []
        for error in self.kapstok.errors[mark.errors :]:
            trace = "".join(traceback.format_exception(error)[-6:])
            found.append(f"error handler got {error!r}:\n{trace}")
        for method in self.kapstok.telegram.unexpected[mark.unexpected :]:
            found.append(f"unknown Bot API method {method}")
        for method, code, description in self.refused[mark.refused :]:
            if not any(expected in description for expected in EXPECTED_REFUSALS):
                found.append(f"Telegram refused {method}: {code} {description}")
        return found


def answered_in(calls, chat_id: int) -> bool:
    return any(
        call.method in ANSWERING_METHODS and int(call.params.get("chat_id", 0)) == chat_id
        for call in calls
    )
