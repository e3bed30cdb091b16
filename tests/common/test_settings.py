"""/settings: turning each kind of optional message on or off, pausing them until a date, and the
🔕 button under an optional message that opens the page for its kind."""

from __future__ import annotations

from datetime import date

from bot import i18n
from bot.domain.preferences import OPTIONAL, Kind
from handlers.bulk import with_fewer
from tests.client import label, say
from tests.stories import approved_member, register

KIND_NAMES = {
    Kind.NEWS: "News from the municipality",
    Kind.CHECKINS: "Check-ins and the cooperation barometer",
    Kind.CALLS: "Calls from other associations",
    Kind.REMINDERS: "Reminders",
}
TITLE = "<b>⚙️ Your messages</b>"
ESSENTIAL = (
    "Essential messages always reach you: the answers to your association's questions, "
    "the decisions on your requests and the approval of your association."
)
PAUSED = "⏸ Paused until {date}: until then only the essential messages reach you."
ASK_DATE = (
    "Until which day shall I pause the messages you can turn off? Type the last day of "
    "the pause, like {example}, at the latest {last}."
)
PAST = "That day has already passed. Type a date from today on, like {example}."
TOO_FAR = (
    "You can pause for at most a year: until {last} at the latest. Type an earlier "
    "date, like {example}."
)
UNREADABLE = "I cannot use that as a date. Type a date from today to {last}, like {example}."
NOT_TEXT = "Please type the date as a text message, like {example}."
FOCUS_ON = (
    "You get messages about “{kind}”. For fewer, turn them off with their button "
    "below, or pause all of these messages until a date."
)
FOCUS_OFF = "“{kind}” is already off: no more of these messages reach you."
NOT_A_MEMBER = (
    "This is for board members of an association. Register your association or enter an "
    "invite code first: send /start."
)
STILL_PENDING = (
    "Your association is still waiting for a liaison officer's confirmation. As soon as it is "
    "confirmed, you can use this."
)
UNEXPECTED = "I did not expect that message. Choose from the menu, or send /help."
# The test clock's day is 1 December 2026: the example is two weeks on, the last day a year on.
EXAMPLE_EN, LAST_EN = "15/12/2026", "02/12/2027"


def _in_english(make, *args):
    """A keyboard as Kapstok draws it for an English reader."""
    with i18n.use_language("en"):
        return make(*args)


def name(kind: Kind, language: str = "en") -> str:
    return say(language, KIND_NAMES[kind])


def toggle_label(kind: Kind, on: bool, language: str = "en") -> str:
    return f"{'✅' if on else '🔕'} {name(kind, language)}"


def kind_line(kind: Kind, on: bool) -> str:
    if on:
        return "✅ " + say("en", "{kind}: on", kind=name(kind))
    return "🔕 " + say("en", "{kind}: off", kind=name(kind))


async def preferences_of(kapstok, person):
    return await kapstok.app.bot_data.store.preferences.get(person.user_id)


async def member_in_english(kapstok, admin, user_id: int = 101, name_: str = "Emma"):
    return await approved_member(kapstok, admin, user_id, name_, "en", association="Scouts Ekeren")


# --- the page ----------------------------------------------------------------------------------


async def test_the_page_shows_each_kind_the_pause_button_and_what_always_arrives(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    replies = await emma.send("/settings")
    assert len(replies) == 1
    page = replies[0]
    assert page.text.startswith(say("en", TITLE))
    for kind in OPTIONAL:
        assert kind_line(kind, on=True) in page.text
    assert page.text.endswith(say("en", ESSENTIAL))
    assert "⏸ Paused" not in page.text
    assert page.buttons == [
        *(toggle_label(kind, on=True) for kind in OPTIONAL),
        label("en", "⏸ Pause until a date"),
        label("en", "⬅️ Menu"),
    ]


async def test_toggling_each_kind_persists_and_edits_the_page_in_place(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    page = (await emma.send("/settings"))[0]
    for kind in OPTIONAL:
        replies = await emma.press(toggle_label(kind, on=True), on=page)
        assert replies == []  # edited in place, nothing new
        assert kind in (await preferences_of(kapstok, emma)).off
        assert kind_line(kind, on=False) in page.text
        assert toggle_label(kind, on=False) in page.buttons
    assert (await preferences_of(kapstok, emma)).off == frozenset(OPTIONAL)
    for kind in OPTIONAL:
        await emma.press(toggle_label(kind, on=False), on=page)
        assert kind not in (await preferences_of(kapstok, emma)).off
        assert kind_line(kind, on=True) in page.text
    assert (await preferences_of(kapstok, emma)).off == frozenset()
    assert emma.alerts == []


# --- pausing ---------------------------------------------------------------------------------


async def test_a_pause_until_a_date_and_resuming(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    page = (await emma.send("/settings"))[0]
    await emma.press(label("en", "⏸ Pause until a date"), on=page)
    assert page.text == "\n\n".join(
        (
            say("en", ASK_DATE, example=EXAMPLE_EN, last=LAST_EN),
            say("en", "You can stop at any time with /cancel."),
        )
    )

    replies = await emma.send("15/08/2027")
    assert (await preferences_of(kapstok, emma)).paused_until == date(2027, 8, 15)
    assert len(replies) == 1
    paused = replies[0]
    assert say("en", PAUSED, date="15 August 2027") in paused.text
    assert label("en", "▶️ Resume now") in paused.buttons

    # The step is over: a text now is just unexpected.
    replies = await emma.send("20/08/2027")
    assert replies[0].text.startswith(say("en", UNEXPECTED))
    assert (await preferences_of(kapstok, emma)).paused_until == date(2027, 8, 15)

    await emma.press(label("en", "▶️ Resume now"), on=paused)
    assert (await preferences_of(kapstok, emma)).paused_until is None
    assert "⏸ Paused" not in paused.text
    assert label("en", "▶️ Resume now") not in paused.buttons


async def test_a_pause_in_dutch(kapstok, admin):
    sofie = await approved_member(kapstok, admin, 102, "Sofie", "nl")
    page = (await sofie.send("/settings"))[0]
    assert label("nl", "⏸ Pause until a date") in page.buttons
    await sofie.press(label("nl", "⏸ Pause until a date"), on=page)
    replies = await sofie.send("15/08/2027")
    assert (await preferences_of(kapstok, sofie)).paused_until == date(2027, 8, 15)
    assert "15 augustus 2027" in replies[0].text
    assert replies[0].buttons == [
        *(toggle_label(kind, on=True, language="nl") for kind in OPTIONAL),
        label("nl", "⏸ Pause until a date"),
        label("nl", "▶️ Resume now"),
        label("nl", "⬅️ Menu"),
    ]


async def test_wrong_dates_are_explained_and_asked_again(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    await emma.send("/settings")
    await emma.press(label("en", "⏸ Pause until a date"))
    values = {"example": EXAMPLE_EN, "last": LAST_EN}

    cases = (
        ("30/11/2026", PAST),  # yesterday
        ("next friday", UNREADABLE),
        ("31/02/2027", UNREADABLE),
        ("1/1/2020", UNREADABLE),
        ("1/6/2028", TOO_FAR),
    )
    for text, answer in cases:
        replies = await emma.send(text)
        assert [m.text for m in replies] == [say("en", answer, **values)], text
    assert (await preferences_of(kapstok, emma)).paused_until is None

    replies = await emma.send_photo()
    assert [m.text for m in replies] == [say("en", NOT_TEXT, example=EXAMPLE_EN)]

    # Still in the step: a good date now pauses. Today itself is a good last day.
    await emma.send("01/12/2026")
    assert (await preferences_of(kapstok, emma)).paused_until == date(2026, 12, 1)


async def test_a_year_ahead_is_the_last_possible_day(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    await emma.send("/settings")
    await emma.press(label("en", "⏸ Pause until a date"))
    await emma.send("2027-12-03")
    assert (await preferences_of(kapstok, emma)).paused_until is None
    await emma.send(LAST_EN)
    assert (await preferences_of(kapstok, emma)).paused_until == date(2027, 12, 2)


async def test_cancel_ends_the_pause_step_without_a_pause(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    await emma.send("/settings")
    await emma.press(label("en", "⏸ Pause until a date"))
    replies = await emma.send("/cancel")
    assert [m.text for m in replies] == [say("en", "Stopped. Nothing was saved.")]
    replies = await emma.send("15/08/2027")
    assert replies[0].text.startswith(say("en", UNEXPECTED))
    assert (await preferences_of(kapstok, emma)).paused_until is None


async def test_back_from_the_pause_step_shows_the_page_and_ends_the_step(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    page = (await emma.send("/settings"))[0]
    await emma.press(label("en", "⏸ Pause until a date"), on=page)
    await emma.press(label("en", "⬅️ Back"), on=page)
    assert page.text.startswith(say("en", TITLE))
    replies = await emma.send("15/08/2027")
    assert replies[0].text.startswith(say("en", UNEXPECTED))
    assert (await preferences_of(kapstok, emma)).paused_until is None


async def test_a_reply_to_the_question_is_an_answer_too(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    page = (await emma.send("/settings"))[0]
    await emma.press(label("en", "⏸ Pause until a date"), on=page)
    await emma.send("15/08/2027", reply_to=page)
    assert (await preferences_of(kapstok, emma)).paused_until == date(2027, 8, 15)


# --- the 🔕 button under an optional message ---------------------------------------------------


async def test_fewer_opens_the_page_for_its_kind_and_leaves_the_message_alone(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    await emma.send("/start")
    sent = await kapstok.app.bot.send_message(
        emma.user_id,
        "📣 The town hall is closed on Monday.",
        reply_markup=_in_english(with_fewer, Kind.NEWS),
    )
    news = emma.last
    assert news.raw["message_id"] == sent.message_id
    before = dict(news.raw)
    calls = len(kapstok.telegram.calls)

    replies = await emma.press(label("en", "🔕 Fewer messages like this"), on=news)
    assert news.raw == before
    edits = [
        call
        for call in kapstok.telegram.calls[calls:]
        if call.method.startswith("edit")
        and int(call.params.get("message_id", 0)) == sent.message_id
    ]
    assert edits == []
    assert any(call.method == "answerCallbackQuery" for call in kapstok.telegram.calls[calls:])
    assert len(replies) == 1
    page = replies[0]
    assert page.text.startswith(say("en", FOCUS_ON, kind=name(Kind.NEWS)))
    assert say("en", TITLE) in page.text
    assert f"<b>{kind_line(Kind.NEWS, on=True)}</b>" in page.html

    await emma.press(toggle_label(Kind.NEWS, on=True), on=page)
    assert Kind.NEWS in (await preferences_of(kapstok, emma)).off
    assert news.raw == before

    replies = await emma.press(label("en", "🔕 Fewer messages like this"), on=news)
    assert replies[0].text.startswith(say("en", FOCUS_OFF, kind=name(Kind.NEWS)))


async def test_fewer_under_a_check_in_focuses_on_check_ins(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    await kapstok.app.bot.send_message(
        emma.user_id, "How are things?", reply_markup=_in_english(with_fewer, Kind.CHECKINS)
    )
    replies = await emma.press(label("en", "🔕 Fewer messages like this"))
    assert replies[0].text.startswith(say("en", FOCUS_ON, kind=name(Kind.CHECKINS)))


# --- who may -----------------------------------------------------------------------------------


async def test_a_stranger_is_refused(kapstok):
    tom = kapstok.person(212, "Tom", "en")
    replies = await tom.send("/settings")
    assert [m.text for m in replies] == [say("en", NOT_A_MEMBER)]
    for data in ("set:page", "set:t:news", "set:pause", "set:resume", "fewer:news"):
        await tom.press_data(data, on=replies[0])
    assert tom.alerts == [say("en", NOT_A_MEMBER)] * 5
    assert (await preferences_of(kapstok, tom)).off == frozenset()


async def test_a_member_of_an_association_still_waiting_is_refused(kapstok):
    ward = kapstok.person(214, "Ward", "en")
    await register(ward, "Fanfare De Eendracht")
    replies = await ward.send("/settings")
    assert [m.text for m in replies] == [say("en", STILL_PENDING)]
    await ward.press_data("set:t:news", on=replies[0])
    await ward.press_data("fewer:checkins", on=replies[0])
    assert ward.alerts == [say("en", STILL_PENDING)] * 2
    assert (await preferences_of(kapstok, ward)).off == frozenset()


async def test_a_liaison_officer_is_refused(kapstok, admin):
    replies = await admin.send("/settings")
    assert [m.text for m in replies] == [say("nl", NOT_A_MEMBER)]


async def test_mydata_shows_the_settings(kapstok, admin):
    emma = await member_in_english(kapstok, admin)
    store = kapstok.app.bot_data.store
    await store.preferences.turn(emma.user_id, Kind.NEWS, False)
    await store.preferences.pause(emma.user_id, date(2027, 8, 15))
    answer = await emma.send("/mydata")
    assert "Messages you turned off: News from the municipality" in answer[-1].text
    assert "Optional messages paused until 15 August 2027" in answer[-1].text
