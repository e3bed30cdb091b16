"""Liaison officers make schedules with /schedules and buttons, in a private chat and in the
liaison group: a barometer round or a check-in, monthly, quarterly or once; list, pause, resume
and delete them. The fake clock starts on 1 December 2026, 09:00 UTC (10:00 in Brussels)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.audience import Audience
from bot.domain.schedules import Rule
from handlers import callbacks
from handlers.checkins.schedules import parse_day
from tests.client import LIAISON_CHAT_ID, Kapstok, Message, Person, say
from tests.steps import ask
from tests.stories import approved_member

EN = "en"
NEW = "➕ New schedule"
BAROMETER = "📊 Barometer round"
CHECKIN = "💬 Check-in message"
MONTHLY, QUARTERLY, ONCE = "Every month", "Every quarter", "Once, on a date"
SAVE, DISCARD, DONE = "✅ Save", "🗑 Discard", "✔️ Done"
EVERYONE = "All approved associations"
NO_PHOTO = "No photo"
ASK_DAY = "On which day of the month should it run? Send a number from 1 to {max}."
ASK_TIME = "At what time? Send it like 09:00, 9u or 14h30 ({zone} time)."
ASK_BODY = (
    "Send the check-in message, as you want the associations to read it (at most {limit} "
    "characters; bold and italics are kept)."
)
ASK_PHOTO = "Add a photo to the message? Send it now, or press No photo."


# --- helpers -------------------------------------------------------------------------------------


async def en_liaison(kapstok: Kapstok, admin: Person, user_id: int = 401) -> Person:
    """A liaison officer who reads English (the admin fixture reads Dutch)."""
    await admin.send_in_group(f"/liaison add {user_id}")
    emma = kapstok.person(user_id, "Emma", EN)
    await emma.send("/start")
    return emma


def store(kapstok: Kapstok):
    return kapstok.app.bot_data.store


def jobs(kapstok: Kapstok, number: int) -> list:
    return [
        job
        for job in kapstok.app.job_queue.get_jobs_by_name(f"schedule:{number}")
        if not job.removed
    ]


def current(kapstok: Kapstok, message: Message) -> Message:
    """A bot message as it looks now (after edits)."""
    raw = message.raw
    return Message(kapstok.telegram.messages[(raw["chat"]["id"], raw["message_id"])])


async def start_new(person: Person) -> None:
    await person.send("/schedules")
    await person.press(NEW)


async def to_time(person: Person, content: str, frequency: str, day: str) -> None:
    await start_new(person)
    await person.press(content)
    await person.press(frequency)
    await person.send(day)


async def send_sticker(person: Person, chat_id: int | None = None, reply_to=None) -> list[Message]:
    sticker = {
        "sticker": {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    }
    return await person._send_media(sticker, None, None, reply_to, chat_id=chat_id)


async def send_group_photo(person: Person, reply_to: Message) -> list[Message]:
    photo = {
        "photo": [
            {"file_id": "small", "file_unique_id": "p0", "width": 90, "height": 90},
            {"file_id": "large", "file_unique_id": "p1", "width": 900, "height": 900},
        ]
    }
    return await person._send_media(photo, "a caption", None, reply_to, chat_id=LIAISON_CHAT_ID)


async def command_in_topic(person: Person, text: str, topic: int) -> list[Message]:
    """A command written in a topic of the liaison group."""
    telegram = person.bot.telegram
    before = len(telegram.messages)
    message = person._message(telegram.chat(LIAISON_CHAT_ID))
    message.update(text=text, message_thread_id=topic, is_topic_message=True)
    message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    person._remember(message)
    await person.bot.process({"message": message})
    return person._new_messages(before, LIAISON_CHAT_ID)


def texts(messages: list[Message]) -> list[str]:
    return [message.text for message in messages]


# --- making schedules in a private chat ----------------------------------------------------------


async def test_a_monthly_barometer_round_in_a_private_chat(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    listing = (await emma.send("/schedules"))[-1]
    assert listing.text == say(
        EN,
        "There are no schedules yet. Barometer rounds and check-ins can run by themselves: "
        "press ➕ New schedule.",
    )
    assert listing.buttons == [NEW]
    choice = (await emma.press(NEW))[-1]
    assert choice.buttons == [BAROMETER, CHECKIN]
    await emma.press(BAROMETER)
    assert current(kapstok, choice).buttons == [MONTHLY, QUARTERLY, ONCE]
    prompts = await emma.press(MONTHLY)
    assert texts(prompts) == [say(EN, ASK_DAY, max=28)]
    assert prompts[-1].raw.get("_reply_markup") is None  # no ForceReply in a private chat
    prompts = await emma.send("15")
    assert texts(prompts) == [say(EN, ASK_TIME, zone="Europe/Brussels")]
    prompts = await emma.send("9u")
    assert prompts[-1].text.startswith("How many days does the round stay open")
    assert prompts[-1].buttons == ["14 days"]
    audience = (await emma.send("21"))[-1]
    assert audience.buttons[0] == EVERYONE
    assert audience.buttons[-1] == DONE
    await emma.press(EVERYONE)
    summary = current(kapstok, audience)
    assert summary.text.splitlines() == [
        "The new schedule",
        "What: Barometer round, open for 21 days",
        "When: monthly on day 15 at 09:00",
        "For: all approved associations",
        "First run: 15 Dec 2026, 09:00",
    ]
    assert summary.buttons == [SAVE, DISCARD]
    await emma.press(SAVE)
    assert current(kapstok, summary).text == (
        "✅ Saved as schedule #1. It runs first on 15 Dec 2026, 09:00. /schedules lists every "
        "schedule."
    )

    schedule = await store(kapstok).schedules.get(1)
    assert schedule.rule == Rule("monthly", time(9, 0), day=15)
    assert schedule.content == "barometer"
    assert schedule.open_days == 21
    assert schedule.audience == Audience()
    assert schedule.created_by == emma.user_id
    assert schedule.next_run_at == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert len(jobs(kapstok, 1)) == 1

    listing = (await emma.send("/schedules"))[-1]
    assert listing.text.splitlines() == [
        "Schedules (times in Europe/Brussels):",
        "",
        "📊 #1 · barometer round",
        "monthly on day 15 at 09:00",
        "all approved associations",
        "Open for 21 days.",
        "Next run: 15 Dec 2026, 09:00",
    ]
    assert listing.buttons == ["⏸ Pause #1", "🗑 Delete #1", NEW]


async def test_a_quarterly_round_keeps_the_usual_days_for_some_kinds(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await to_time(emma, BAROMETER, QUARTERLY, "1")
    days = (await emma.send("10:00"))[-1]
    await emma.press("14 days", on=days)
    audience = current(kapstok, days)
    assert audience.buttons[0] == EVERYONE
    await emma.press("Youth", on=audience)
    await emma.press("Sport", on=audience)
    await emma.press("Culture", on=audience)
    await emma.press("✅ Culture", on=audience)  # a second press takes a kind off again
    audience = current(kapstok, audience)
    assert "✅ Youth" in audience.buttons and "✅ Sport" in audience.buttons
    assert "Culture" in audience.buttons
    assert "Chosen: associations of these kinds: Youth, Sport" in audience.text
    await emma.press(DONE, on=audience)
    summary = current(kapstok, audience)
    assert "When: quarterly on day 1 at 10:00" in summary.text
    assert "What: Barometer round, open for 14 days" in summary.text
    assert "For: associations of these kinds: Youth, Sport" in summary.text
    assert "First run: 01 Jan 2027, 10:00" in summary.text
    await emma.press(SAVE, on=summary)

    schedule = await store(kapstok).schedules.get(1)
    assert schedule.rule == Rule("quarterly", time(10, 0), day=1)
    assert schedule.open_days == 14
    assert schedule.audience == Audience(
        kinds=frozenset({AssociationKind.YOUTH, AssociationKind.SPORT})
    )
    assert schedule.next_run_at == datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
    assert len(jobs(kapstok, 1)) == 1
    listing = (await emma.send("/schedules"))[-1]
    assert "quarterly on day 1 at 10:00" in listing.text
    assert "associations of these kinds: Youth, Sport" in listing.text


async def test_a_check_in_once_on_a_date_with_a_photo(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await start_new(emma)
    await emma.press(CHECKIN)
    prompts = await emma.press(ONCE)
    assert texts(prompts) == [
        say(EN, "On which date should it run? Send it like {example}.", example="01/01/27")
    ]
    assert texts(await emma.send("12/3/2027")) == [say(EN, ASK_TIME, zone="Europe/Brussels")]
    assert texts(await emma.send("14h30")) == [say(EN, ASK_BODY, limit=1000)]
    prompts = await emma.send("How are things at <your> club? Tell us!")
    assert texts(prompts) == [say(EN, ASK_PHOTO)]
    assert prompts[-1].buttons == [NO_PHOTO]
    audience = (await emma.send_photo("a caption that is ignored"))[-1]
    await emma.press("Youth", on=audience)
    await emma.press(DONE, on=audience)
    summary = current(kapstok, audience)
    assert summary.text.splitlines() == [
        "The new schedule",
        "What: Check-in",
        "When: once on 12 March 2027 at 14:30",
        "For: associations of these kinds: Youth",
        "First run: 12 Mar 2027, 14:30",
        "",
        "How are things at <your> club? Tell us!",
        "",
        "📷 With a photo.",
    ]
    await emma.press(SAVE, on=summary)

    schedule = await store(kapstok).schedules.get(1)
    assert schedule.rule == Rule("once", time(14, 30), on=date(2027, 3, 12))
    assert schedule.content == "checkin"
    assert schedule.body == "How are things at &lt;your&gt; club? Tell us!"
    assert schedule.file_id == f"photo-{emma.user_id}"
    assert schedule.next_run_at == datetime(2027, 3, 12, 13, 30, tzinfo=UTC)
    assert len(jobs(kapstok, 1)) == 1
    listing = (await emma.send("/schedules"))[-1]
    assert "💬 #1 · check-in" in listing.text
    assert "once on 12 March 2027 at 14:30" in listing.text
    assert "How are things at <your> club? Tell us!" in listing.text


async def test_a_check_in_once_without_a_photo(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await start_new(emma)
    await emma.press(CHECKIN)
    await emma.press(ONCE)
    await emma.send("2027-01-05")
    await emma.send("09:00")
    photo = (await emma.send("Happy new year! Anything we can help with?"))[-1]
    await emma.press(NO_PHOTO, on=photo)
    audience = current(kapstok, photo)
    await emma.press(EVERYONE, on=audience)
    summary = current(kapstok, audience)
    assert "📷 With a photo." not in summary.text
    await emma.press(SAVE, on=summary)
    schedule = await store(kapstok).schedules.get(1)
    assert schedule.rule == Rule("once", time(9, 0), on=date(2027, 1, 5))
    assert schedule.file_id is None
    assert schedule.audience == Audience()
    assert schedule.next_run_at == datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    assert len(jobs(kapstok, 1)) == 1


async def test_discarding_or_cancelling_saves_nothing(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await to_time(emma, BAROMETER, MONTHLY, "3")
    await emma.send("08:00")
    audience = (await emma.send("14"))[-1]
    await emma.press(EVERYONE, on=audience)
    await emma.press(DISCARD, on=current(kapstok, audience))
    assert current(kapstok, audience).text == "Discarded. Nothing was saved."

    # The "14 days" of an earlier question, pressed at the summary: it does not save.
    await to_time(emma, BAROMETER, MONTHLY, "3")
    days = (await emma.send("08:00"))[-1]
    audience = (await emma.send("20"))[-1]
    await emma.press(EVERYONE, on=audience)
    await emma.press("14 days", on=days)
    assert emma.alerts[-1] == "This button is no longer valid."
    assert await store(kapstok).schedules.active() == []
    await emma.press(DISCARD, on=current(kapstok, audience))

    await to_time(emma, BAROMETER, MONTHLY, "3")
    assert texts(await emma.send("/cancel")) == ["Stopped. Nothing was saved."]
    assert texts(await emma.send("08:00"))[0].startswith("I did not expect that message.")
    assert await store(kapstok).schedules.active() == []


# --- in the liaison group ------------------------------------------------------------------------


async def test_a_liaison_makes_a_check_in_in_the_group_by_replying_to_the_prompts(kapstok, admin):
    sofie = await approved_member(kapstok, admin, association="KSA Sint-Jan")
    await ask(sofie, "Wanneer komt de subsidie?")
    topic = kapstok.topic_of("KSA Sint-Jan")
    listing = (await command_in_topic(admin, "/schedules", topic))[-1]
    assert listing.raw["message_thread_id"] == topic
    choice = (await admin.press_in_group(listing.buttons[-1], on=listing))[-1]
    assert choice.raw["message_thread_id"] == topic
    await admin.press_data(callbacks.SCHEDULE_CONTENT.data("checkin"), on=choice)
    prompts = await admin.press_in_group(current(kapstok, choice).buttons[1], on=choice)
    prompt = prompts[-1]
    assert prompt.raw["_reply_markup"]["force_reply"] is True
    assert prompt.raw["message_thread_id"] == topic
    assert "Annelies" in prompt.text

    # Chatter that is no reply to the prompt is not taken for the day.
    assert await admin.send_in_group("15", topic=topic) == []
    assert await admin.send_in_group("15") == []
    wrong = (await admin.send_in_group("31", reply_to=prompt))[-1]
    assert wrong.raw["_reply_markup"]["force_reply"] is True
    assert wrong.raw["message_thread_id"] == topic
    assert await admin.send_in_group("15", reply_to=prompt) == []  # the old question is answered
    prompt = (await admin.send_in_group("15", reply_to=wrong))[-1]
    assert prompt.raw["_reply_markup"]["force_reply"] is True
    prompt = (await admin.send_in_group("9u", reply_to=prompt))[-1]
    prompt = (await admin.send_in_group("Hoe gaat het met <b>jullie</b>?", reply_to=prompt))[-1]
    assert prompt.buttons  # No photo
    assert prompt.raw["message_thread_id"] == topic
    assert await send_group_photo(admin, reply_to=listing) == []  # not the prompt
    audience = (await send_group_photo(admin, reply_to=prompt))[-1]
    await admin.press_data(callbacks.SCHEDULE_ALL.data(), on=audience)
    await admin.press_data(callbacks.SCHEDULE_CONFIRM.data(), on=current(kapstok, audience))
    assert "#1" in current(kapstok, audience).text

    schedule = await store(kapstok).schedules.get(1)
    assert schedule.rule == Rule("quarterly", time(9, 0), day=15)
    assert schedule.content == "checkin"
    assert schedule.body == "Hoe gaat het met &lt;b&gt;jullie&lt;/b&gt;?"
    assert schedule.file_id == "large"
    assert schedule.created_by == admin.user_id
    assert schedule.next_run_at == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    assert len(jobs(kapstok, 1)) == 1
    # The board member got nothing of all this.
    assert "Hoe gaat het" not in sofie.last.text


# --- the list: pause, resume, delete -------------------------------------------------------------


async def make_monthly(kapstok: Kapstok, person: Person, day: str = "15") -> None:
    await to_time(person, BAROMETER, MONTHLY, day)
    await person.send("09:00")
    audience = (await person.send("14"))[-1]
    await person.press(EVERYONE, on=audience)
    await person.press(SAVE, on=current(kapstok, audience))


async def test_pause_resume_and_delete(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await make_monthly(kapstok, emma)
    listing = (await emma.send("/schedules"))[-1]
    assert len(jobs(kapstok, 1)) == 1

    await emma.press("⏸ Pause #1", on=listing)
    assert emma.alerts[-1] == "Schedule #1 is paused."
    assert jobs(kapstok, 1) == []
    assert (await store(kapstok).schedules.get(1)).paused
    listing = current(kapstok, listing)
    assert "⏸ Paused: it does not run until you resume it." in listing.text
    assert "Next run" not in listing.text
    assert listing.buttons == ["▶️ Resume #1", "🗑 Delete #1", NEW]

    # Resuming counts from now: a month later, the run missed while paused is not made.
    await kapstok.pass_time(days=31)
    await emma.press("▶️ Resume #1", on=listing)
    assert emma.alerts[-1] == "Schedule #1 runs again."
    schedule = await store(kapstok).schedules.get(1)
    assert not schedule.paused
    assert schedule.next_run_at == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    assert len(jobs(kapstok, 1)) == 1
    listing = current(kapstok, listing)
    assert "Next run: 15 Jan 2027, 09:00" in listing.text
    assert listing.buttons[0] == "⏸ Pause #1"

    confirm = (await emma.press("🗑 Delete #1", on=listing))[-1]
    assert confirm.text == (
        "Delete schedule #1 (barometer round, monthly on day 15 at 09:00)? This cannot be undone."
    )
    assert await store(kapstok).schedules.get(1) is not None  # not before it is confirmed
    await emma.press("🗑 Yes, delete #1", on=confirm)
    assert current(kapstok, confirm).text == "Schedule #1 is deleted."
    assert await store(kapstok).schedules.get(1) is None
    assert jobs(kapstok, 1) == []
    # The old list's buttons say so.
    await emma.press("⏸ Pause #1", on=listing)
    assert emma.alerts[-1] == "Schedule #1 no longer exists."
    assert (await emma.send("/schedules"))[-1].buttons == [NEW]


async def test_a_one_off_schedule_whose_moment_passed_while_paused_cannot_resume(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await start_new(emma)
    await emma.press(BAROMETER)
    await emma.press(ONCE)
    await emma.send("3/12/2026")
    await emma.send("12:00")
    audience = (await emma.send("7"))[-1]
    await emma.press(EVERYONE, on=audience)
    await emma.press(SAVE, on=current(kapstok, audience))
    listing = (await emma.send("/schedules"))[-1]
    await emma.press("⏸ Pause #1", on=listing)
    kapstok.clock.advance(days=3)
    await emma.press("▶️ Resume #1", on=current(kapstok, listing))
    assert emma.alerts[-1] == (
        "Schedule #1 was for a moment that has passed: it cannot run any more. Delete it, or "
        "make a new one."
    )
    assert (await store(kapstok).schedules.get(1)).paused
    assert jobs(kapstok, 1) == []


async def test_a_scheduled_broadcast_is_listed_and_deleting_it_cancels_it(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    db = store(kapstok)
    send_at = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    broadcast = await db.broadcasts.create(
        author_id=admin.user_id,
        author_name="Annelies",
        body="<b>Merry Christmas</b> to every association, and thank you for this year of work!",
        media_kind=None,
        file_id=None,
        audience=Audience(languages=frozenset({"nl"})),
        report_chat_id=LIAISON_CHAT_ID,
        report_topic=None,
        send_at=send_at,
    )
    await db.db.write(
        "UPDATE broadcasts SET state = 'scheduled' WHERE broadcast_id = ?", (broadcast,)
    )
    rule = Rule("once", time(10, 0), on=date(2026, 12, 24))
    number = await db.schedules.create(
        created_by=admin.user_id,
        created_by_name="Annelies",
        rule=rule,
        audience=Audience(languages=frozenset({"nl"})),
        content="broadcast",
        next_run_at=send_at,
        broadcast_id=broadcast,
    )
    listing = (await emma.send("/schedules"))[-1]
    assert f"📣 #{number} · broadcast" in listing.text
    assert "Merry Christmas to every association, and thank you for thi…" in listing.text
    assert "board members who read Nederlands" in listing.text
    confirm = (await emma.press(f"🗑 Delete #{number}", on=listing))[-1]
    assert "will not be sent" in confirm.text
    await emma.press(f"🗑 Yes, delete #{number}", on=confirm)
    assert await db.schedules.get(number) is None
    assert (await db.broadcasts.get(broadcast)).state == "cancelled"


# --- wrong answers: a clear word, and the same step ----------------------------------------------

WRONG_DAY = (
    "Please send a day from 1 to 28. Not every month has a day 29, 30 or 31: for the end of the "
    "month, choose 28."
)
NO_TIME = (
    "That is not a time of day. Hours go from 0 to 23 and minutes from 0 to 59: for example "
    "09:00, 9u or 14h30."
)


async def test_a_wrong_day_time_or_number_of_days_is_asked_again(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await start_new(emma)
    await emma.press(BAROMETER)
    await emma.press(MONTHLY)
    for wrong in ("31", "0", "fifteen", "15.5", "-3"):
        assert texts(await emma.send(wrong)) == [f"{WRONG_DAY}\n\n" + say(EN, ASK_DAY, max=28)]
    assert texts(await send_sticker(emma)) == [
        "Please answer with text.\n\n" + say(EN, ASK_DAY, max=28)
    ]
    await emma.send("28")
    ask_time = say(EN, ASK_TIME, zone="Europe/Brussels")
    for wrong in ("25:00", "noon", "9", "12:60", "24u"):
        assert texts(await emma.send(wrong)) == [f"{NO_TIME}\n\n{ask_time}"]
    prompts = await emma.send("23:59")
    assert prompts[-1].text.startswith("How many days")
    for wrong in ("0", "61", "two weeks", "1000"):
        replies = await emma.send(wrong)
        assert replies[-1].text.startswith("Please send a number of days from 1 to 60.")
    audience = (await emma.send("60"))[-1]
    assert audience.buttons[0] == EVERYONE
    assert await store(kapstok).schedules.active() == []


async def test_a_wrong_date_is_asked_again(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await start_new(emma)
    await emma.press(CHECKIN)
    await emma.press(ONCE)
    ask_date = say(EN, "On which date should it run? Send it like {example}.", example="01/01/27")
    assert texts(await emma.send("next Tuesday")) == [
        f"I cannot read that as a date.\n\n{ask_date}"
    ]
    assert texts(await emma.send("31/2/2027")) == [f"I cannot read that as a date.\n\n{ask_date}"]
    assert texts(await emma.send("30/11/2026")) == [f"30 November 2026 has passed.\n\n{ask_date}"]
    assert texts(await emma.send("2/12/2028")) == [
        "That is more than two years ahead: the last date you can choose is 1 December 2028."
        f"\n\n{ask_date}"
    ]
    # Today is fine, but not at a time that has passed (it is 10:00 in Brussels).
    await emma.send("1 December 2026")
    replies = await emma.send("09:30")
    assert replies[-1].text.startswith("01 Dec 2026, 09:30 has already passed.")
    prompts = await emma.send("10:30")
    assert texts(prompts) == [say(EN, ASK_BODY, limit=1000)]


async def test_a_wrong_check_in_text_or_photo_is_asked_again(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await to_time(emma, CHECKIN, MONTHLY, "1")
    await emma.send("10:00")
    too_long = "Hello! " * 150
    replies = await emma.send(too_long)
    assert replies[-1].text.startswith(
        f"That text is {len(too_long.strip())} characters long; the limit is 1000."
    )
    assert replies[-1].text.endswith(say(EN, ASK_BODY, limit=1000))
    replies = await send_sticker(emma)
    assert replies[-1].text == "Please answer with text.\n\n" + say(EN, ASK_BODY, limit=1000)
    replies = await emma.send("\u200b")
    assert replies[-1].text.startswith("A message cannot be empty.")
    assert texts(await emma.send("x" * 1000)) == [say(EN, ASK_PHOTO)]
    for wrong in (emma.send("here it comes"), send_sticker(emma)):
        replies = await wrong
        assert texts(replies) == [f"That is not a photo.\n\n{say(EN, ASK_PHOTO)}"]
        assert replies[-1].buttons == [NO_PHOTO]
    audience = (await emma.send_photo())[-1]
    assert audience.buttons[0] == EVERYONE


# --- who may ---------------------------------------------------------------------------------


async def test_only_liaison_officers_keep_schedules(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await make_monthly(kapstok, emma)
    sofie = await approved_member(kapstok, admin, language="en")
    listing = (await emma.send("/schedules"))[-1]
    refusal = "Only liaison officers of the municipality can do this."
    assert texts(await sofie.send("/schedules")) == [refusal]
    await sofie.press_data(callbacks.SCHEDULE_PAUSE.data(1), on=sofie.last)
    await sofie.press_data(callbacks.SCHEDULE_DELETE_CONFIRM.data(1), on=sofie.last)
    await sofie.press_data(callbacks.SCHEDULE_NEW.data(), on=sofie.last)
    assert sofie.alerts == [refusal] * 3
    schedule = await store(kapstok).schedules.get(1)
    assert not schedule.paused
    assert len(jobs(kapstok, 1)) == 1
    assert listing.buttons[0] == "⏸ Pause #1"


async def test_a_liaison_removed_halfway_saves_nothing(kapstok, admin):
    emma = await en_liaison(kapstok, admin)
    await to_time(emma, BAROMETER, MONTHLY, "15")
    await admin.send_in_group(f"/liaison remove {emma.user_id}")
    replies = await emma.send("09:00")
    assert texts(replies) == ["Only liaison officers of the municipality can do this."]
    assert await store(kapstok).schedules.active() == []


# --- dates as liaisons type them -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("12/3/2027", "nl_BE", date(2027, 3, 12)),
        ("12-03-27", "fr_BE", date(2027, 3, 12)),
        ("12.3.2027", "en_BE", date(2027, 3, 12)),
        ("2027-03-12", "en_BE", date(2027, 3, 12)),
        ("12 maart 2027", "nl_BE", date(2027, 3, 12)),
        ("12 mrt. 2027", "nl_BE", date(2027, 3, 12)),
        ("12 mars 2027", "fr_BE", date(2027, 3, 12)),
        ("1er mars 2027", "fr_BE", None),
        ("12 March 2027", "en_BE", date(2027, 3, 12)),
        ("12 Mar 2027", "en_BE", date(2027, 3, 12)),
        ("  5   août   2027 ", "fr_BE", date(2027, 8, 5)),
        ("31/2/2027", "nl_BE", None),
        ("2027-02-30", "nl_BE", None),
        ("12 maart", "nl_BE", None),
        ("12 Smarch 2027", "en_BE", None),
        ("tomorrow", "en_BE", None),
        ("١٢/٣/٢٠٢٧", "nl_BE", None),
    ],
)
def test_parse_day(text, locale, expected):
    assert parse_day(text, locale) == expected
