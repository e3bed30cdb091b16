"""Two associations, from the directory to a joint activity, as `python -m bot` does it.

Issue 10 ("Tests and done"): two approved associations each fill in their profile and list it
with the bot's buttons; A finds B with /directory and a typo, asks for an introduction with a
note, B accepts and both get each other's contact; A plans an activity with B as partner, B
takes part; A plans a second one at the same place (other capitals) that overlaps it, is warned
of the clash and saves it anyway; A and B export their calendar as an .ics file, which icalendar
parses back. The program runs against a local Bot API (tests/botapi_server.py), on a database
seeded before the start; each step is an update, and the test waits until it is handled and
what it queued is sent.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot import i18n
from bot.domain.associations import AssociationKind
from storage import Store
from tests.botapi_server import (
    INT_PARAMETERS,
    JSON_PARAMETERS,
    BotAPIServer,
    KapstokProcess,
    Member,
    bot_api,
    wait_until,
)
from tests.client import label, say

TOKEN = "123456789:AAEcooperationtestabcdefghijklmnop"
LIAISON_CHAT = -1009876543210
ZONE = ZoneInfo("Europe/Brussels")
ADMIN = 1
SOFIE, PIERRE = 501, 601  # the board members of A (in Dutch) and of B (in French)
A_NAME, B_NAME = "KSA Sint-Jan", "Chiro Sint-Pieter"
REGISTERED = "Wij organiseren activiteiten voor de kinderen van het dorp, elke zondag."
A_ABOUT = "Jeugdbeweging in het centrum: we zoeken partners voor een spaghettiavond."
B_ABOUT = "Patro et Chiro du quartier Sint-Pieter: des jeux chaque samedi après-midi."
A_PHONE, B_EMAIL = "0470 12 34 56", "bestuur@chiro-sint-pieter.be"
NOTE = "Dag Chiro! Zullen we samen een spaghettiavond organiseren?"
JOINT, SECOND = "Spaghettiavond", "Repetitie fanfare"
PLACE, PLACE_SHOUTED = "Zaal De Kroon", "ZAAL DE KROON"
DESCRIPTION = "Spaghetti voor het hele dorp, ten voordele van beide verenigingen."


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    """label() and say() read the catalogs, as the program does."""
    i18n.setup("nl", ZONE)


def accept_uploads(api: BotAPIServer, server) -> None:
    """Let the local Bot API take multipart/form-data calls (a document the bot uploads): their
    fields are read as the urlencoded ones, their files kept in `api.uploads`."""
    plain = server.RequestHandlerClass

    class Handler(plain):
        def do_POST(self):
            kind = self.headers.get("Content-Type", "")
            if not kind.startswith("multipart/form-data"):
                return super().do_POST()
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if len(raw) < length:
                return None
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + raw
            )
            method = self.path.rsplit("/", 1)[-1]
            params, files = {}, []
            for part in form.iter_parts():
                name = part.get_param("name", header="content-disposition")
                content = part.get_payload(decode=True)
                if part.get_filename() is not None:
                    files.append(
                        {
                            "method": method,
                            "field": name,
                            "filename": part.get_filename(),
                            "content": content,
                        }
                    )
                elif name in JSON_PARAMETERS:
                    params[name] = json.loads(content)
                elif name in INT_PARAMETERS:
                    params[name] = int(content)
                else:
                    params[name] = content.decode()
            with api.lock:
                api.uploads.extend(files)
            status, payload = api.answer(method, params)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None

    server.RequestHandlerClass = Handler


@pytest.fixture
def kapstok(tmp_path):
    """`python -m bot` polling a fresh local Bot API, on a fresh database; not started yet."""
    with bot_api() as (api, server):
        accept_uploads(api, server)
        bot = KapstokProcess(
            api, server, tmp_path, token=TOKEN, liaison_chat_id=LIAISON_CHAT, admin_ids=[ADMIN]
        )
        try:
            yield bot
        finally:
            bot.close()
        assert not api.unexpected, f"unexpected Bot API calls: {api.unexpected}"
        assert not api.crashes, f"the local Bot API failed: {api.crashes}"
        assert "Traceback" not in bot.log(), bot.log()


def seed(bot: KapstokProcess) -> dict[str, int]:
    """A and B, approved, with one board member each; their ids by name."""

    async def fill() -> dict[str, int]:
        store = await Store.open(bot.database)
        try:
            await store.users.ensure(ADMIN, "Annelies", None, None, "nl")
            ids = {}
            for user_id, first_name, language, name in (
                (SOFIE, "Sofie", "nl", A_NAME),
                (PIERRE, "Pierre", "fr", B_NAME),
            ):
                await store.users.ensure(user_id, first_name, None, None, language)
                association = await store.associations.register(
                    user_id, name, AssociationKind.YOUTH, REGISTERED
                )
                await store.associations.decide(association.association_id, True, ADMIN, "Annelies")
                ids[name] = association.association_id
            return ids
        finally:
            await store.close()

    return asyncio.run(fill())


# --- the steps: an update, then wait until it is handled and what it queued is sent -----------


def do(bot: KapstokProcess, update: dict) -> None:
    bot.wait_settled([bot.api.push(update)])


def send(bot: KapstokProcess, member: Member, text: str) -> dict:
    """The member sends a text; the bot's newest message in their chat."""
    do(bot, member.text(text))
    return member.api.sent_to(member.user_id)[-1]


def button(member: Member, msgid: str) -> str:
    return label(member.language, msgid)


def pressing(bot: KapstokProcess, member: Member, fits: Callable[[str], bool]) -> dict:
    """The member presses the button that fits on the newest of the bot's messages that has one;
    the message as it is afterwards."""
    for message in reversed(bot.api.sent_to(member.user_id)):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for shown in row:
                if fits(shown["text"]):
                    do(bot, member.click(message, shown["text"]))
                    return next(
                        m
                        for m in bot.api.sent_to(member.user_id)
                        if m["message_id"] == message["message_id"]
                    )
    raise AssertionError(f"no such button in the chat of {member.name}")


def press(bot: KapstokProcess, member: Member, msgid: str) -> dict:
    """The member presses the button with this msgid's label, in their language."""
    text = button(member, msgid)
    return pressing(bot, member, lambda shown: shown == text)


def last(bot: KapstokProcess, member: Member) -> dict:
    return bot.api.sent_to(member.user_id)[-1]


def texts(bot: KapstokProcess, member: Member) -> str:
    return "\n".join(m.get("text", "") for m in bot.api.sent_to(member.user_id))


def buttons(message: dict) -> list[str]:
    return [
        b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
    ]


def list_profile(
    bot: KapstokProcess, member: Member, association: str, about: str, contact: str, kind: str
) -> None:
    """/profile: a description, a phone number or an e-mail address, then listed."""
    lang = member.language
    page = send(bot, member, "/profile")
    assert page["text"].startswith(
        say(lang, "<b>🪪 The profile of {association}</b>", association=association)
    )
    assert say(lang, "<b>In the directory:</b> not listed") in page["text"]
    press(bot, member, "✏️ Description")
    saved = send(bot, member, about)
    assert saved["text"].startswith(say(lang, "✅ Saved."))
    assert about in saved["text"]
    press(bot, member, "📇 Contact")
    press(bot, member, "📞 A phone number" if kind == "phone" else "✉️ An e-mail address")
    saved = send(bot, member, contact)
    shown = say(
        lang,
        "phone: {number}" if kind == "phone" else "e-mail: {address}",
        number=contact,
        address=contact,
    )
    assert shown in saved["text"], saved["text"]
    listed = press(bot, member, "✅ List us in the directory")
    assert say(lang, "<b>In the directory:</b> ✅ listed") in listed["text"], listed["text"]


def plan(
    bot: KapstokProcess,
    member: Member,
    *,
    title: str,
    day: date,
    start: str,
    end: str,
    place: str,
    description: str | None,
    public: bool,
    partner: str | None,
) -> dict:
    """/activity and its steps up to the review; the review's message."""
    lang = member.language
    assert send(bot, member, "/activity")["text"].startswith(
        say(lang, "📅 A new activity. What is it called? (at most {limit} characters)", limit=100)
    )
    send(bot, member, title)
    asked_end = send(bot, member, f"{day:%d/%m/%Y} {start}")
    asked = say(
        lang,
        "It starts {start}. When does it end? Type a time on the same day, like 17:00, or "
        "a date and a time.",
        start="X",
    )
    assert asked_end["text"].startswith(asked.split("X")[0]), asked_end["text"]
    send(bot, member, end)
    send(bot, member, place)
    if description is None:
        press(bot, member, "No description")
    else:
        send(bot, member, description)
    press(bot, member, "🌍 Public" if public else "🔒 Not public")
    if partner is None:
        press(bot, member, "No partners")
    else:
        added = send(bot, member, partner)
        assert added["text"].startswith(
            say(lang, "🤝 {association} is a partner.", association=B_NAME)
        ), added["text"]
        press(bot, member, "✅ Done")
    return last(bot, member)


def events(document: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(document)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def export(bot: KapstokProcess, member: Member) -> bytes:
    """📅 Calendar on the newest message that has it, then 📤 Ours (.ics): the file's content."""
    uploads = len(bot.api.uploads)
    press(bot, member, "📅 Calendar")
    press(bot, member, "📤 Ours (.ics)")
    wait_until(lambda: len(bot.api.uploads) > uploads, "the .ics file", log=bot)
    upload = bot.api.uploads[-1]
    assert upload["method"] == "sendDocument" and upload["field"] == "document"
    assert upload["filename"] == "kapstok-our-activities.ics"
    assert "document" in last(bot, member)
    return upload["content"]


# --- the test -----------------------------------------------------------------------------------


def test_two_associations_meet_in_the_directory_and_plan_an_activity_together(kapstok):
    bot = kapstok
    ids = seed(bot)
    bot.start()
    sofie = Member(bot.api, SOFIE, "Sofie", "nl")
    pierre = Member(bot.api, PIERRE, "Pierre", "fr")

    # Both boards fill in their profile and list it.
    list_profile(bot, sofie, A_NAME, A_ABOUT, A_PHONE, "phone")
    list_profile(bot, pierre, B_NAME, B_ABOUT, B_EMAIL, "email")

    # A finds B by name, with a typo; the directory never shows B's contact.
    found = send(bot, sofie, "/directory chiro sint-piter")
    assert B_NAME in found["text"] and B_EMAIL not in found["text"]
    entry = pressing(bot, sofie, lambda shown: shown.endswith(f". {B_NAME}"))
    assert B_ABOUT in entry["text"] and B_EMAIL not in entry["text"]
    assert button(sofie, "🤝 Ask for an introduction") in buttons(entry)

    # A asks for an introduction with a note; B's board accepts; both get the other's contact.
    press(bot, sofie, "🤝 Ask for an introduction")
    on_its_way = send(bot, sofie, NOTE)
    assert on_its_way["text"] == say(
        "nl",
        "Your request is on its way to the board of {association}. I will let you know when "
        "they answer; a request without an answer expires after {days} days.",
        association=B_NAME,
        days=14,
    )
    request = last(bot, pierre)
    assert NOTE in request["text"] and A_NAME in request["text"]
    assert buttons(request) == [button(pierre, "✅ Accept"), button(pierre, "❌ Decline")]
    assert A_PHONE not in texts(bot, pierre) and B_EMAIL not in texts(bot, sofie)
    press(bot, pierre, "✅ Accept")
    assert B_NAME in last(bot, sofie)["text"]
    assert say("nl", "e-mail: {address}", address=B_EMAIL) in last(bot, sofie)["text"]
    assert A_NAME in last(bot, pierre)["text"]
    assert say("fr", "phone: {number}", number=A_PHONE) in last(bot, pierre)["text"]
    assert bot.query("SELECT association_id, to_association_id, state FROM introductions") == [
        (ids[A_NAME], ids[B_NAME], "accepted")
    ]

    # A plans a public activity with B as partner, ten days ahead of the real clock.
    day = datetime.now(ZONE).date() + timedelta(days=10)
    review = plan(
        bot,
        sofie,
        title=JOINT,
        day=day,
        start="14:00",
        end="17:00",
        place=PLACE,
        description=DESCRIPTION,
        public=True,
        partner=B_NAME.lower(),
    )
    assert say("nl", "<b>Look out: this may clash with other activities.</b>") not in review["text"]
    assert buttons(review)[0] == button(sofie, "✅ Save")
    press(bot, sofie, "✅ Save")
    assert last(bot, sofie)["text"].startswith(JOINT)

    # B's board takes part; A hears it.
    invitation = last(bot, pierre)
    assert A_NAME in invitation["text"] and JOINT in invitation["text"]
    press(bot, pierre, "✅ We take part")
    assert bot.query("SELECT association_id, status FROM activity_partners") == [
        (ids[B_NAME], "confirmed")
    ]
    heard = last(bot, sofie)["text"]
    assert heard.startswith(
        say(
            "nl",
            "✅ {partner} takes part in {title} ({when}).",
            partner=B_NAME,
            title=JOINT,
            when="X",
        ).split("(")[0]
    ), heard

    # A second activity at the same place, in other capitals, overlapping: a clash warning.
    review = plan(
        bot,
        sofie,
        title=SECOND,
        day=day,
        start="16:00",
        end="20:00",
        place=PLACE_SHOUTED,
        description=None,
        public=False,
        partner=None,
    )
    assert review["text"].startswith(
        say("nl", "<b>Look out: this may clash with other activities.</b>")
    ), review["text"]
    clash = say(
        "nl",
        "⚠️ {title} of {association} is at {place} then too: {when}.",
        title=JOINT,
        association=A_NAME,
        place=PLACE,
        when="X",
    ).split("X")[0]
    assert clash in review["text"], review["text"]
    assert buttons(review) == [
        button(sofie, "✅ Save anyway"),
        button(sofie, "🕒 Change the date"),
        button(sofie, "✖️ Discard"),
    ]
    press(bot, sofie, "✅ Save anyway")
    assert last(bot, sofie)["text"].startswith(SECOND)
    assert bot.value("SELECT COUNT(*) FROM activities") == 2

    def at(hour: int) -> datetime:
        return datetime.combine(day, time(hour), ZONE)

    # A's .ics: both activities, in Brussels time, with their stable UIDs.
    uids = dict(bot.query("SELECT title, uid FROM activities"))
    ours = events(export(bot, sofie))
    assert set(ours) == {JOINT, SECOND}
    joint, second = ours[JOINT], ours[SECOND]
    assert str(joint["uid"]) == uids[JOINT] and str(second["uid"]) == uids[SECOND]
    assert str(joint["uid"]) != str(second["uid"])
    assert joint["dtstart"].params["TZID"] == "Europe/Brussels"
    assert joint.decoded("dtstart") == at(14)
    assert joint.decoded("dtend") == at(17)
    assert second.decoded("dtstart") == at(16)
    assert second.decoded("dtend") == at(20)
    assert str(joint["location"]) == PLACE and str(second["location"]) == PLACE_SHOUTED
    assert str(joint["class"]) == "PUBLIC" and str(second["class"]) == "PRIVATE"
    assert str(joint["status"]) == "CONFIRMED"
    assert B_NAME in str(joint["description"]) and DESCRIPTION in str(joint["description"])

    # B's .ics, from the invitation's details: the activity it takes part in, same UID; not A's
    # own other one.
    press(bot, pierre, "🔎 Details")
    theirs = events(export(bot, pierre))
    assert set(theirs) == {JOINT}
    assert str(theirs[JOINT]["uid"]) == uids[JOINT]
    assert theirs[JOINT].decoded("dtstart") == at(14)
