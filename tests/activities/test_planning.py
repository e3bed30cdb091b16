"""Planning an activity with partners, the clash warnings, changing and cancelling it: as board
members of three associations see it, in Dutch and French."""

from __future__ import annotations

import pytest

from tests.activities.conftest import listed, plan
from tests.client import Kapstok, label, say
from tests.steps import invite
from tests.stories import approved_member


async def test_a_board_plans_a_public_activity_with_a_partner_who_confirms(kapstok, boards):
    sofie, pierre = boards
    await plan(sofie, partners=("chiro sint-pieter",))
    assert "Sint-Maartenstoet" in sofie.inbox[-1].text
    invitation = pierre.last
    assert "KSA Sint-Jan" in invitation.text
    assert label("fr", "✅ We take part") in invitation.buttons
    await pierre.press(label("fr", "✅ We take part"))
    assert any("Chiro Sint-Pieter" in m.text for m in sofie.inbox[-1:])
    store = kapstok.app.bot_data.store
    activity = (await store.activities.everything())[0]
    assert activity.partners[0].status.value == "confirmed"


def store_of(kapstok: Kapstok):
    return kapstok.app.bot_data.store


async def only_activity(kapstok: Kapstok):
    found = await store_of(kapstok).activities.everything()
    assert len(found) == 1, found
    return found[0]


async def test_the_organiser_sees_each_partners_answer(kapstok, admin, boards):
    sofie, pierre = boards
    lies = await approved_member(kapstok, admin, 301, "Lies", "nl", "Fanfare De Eendracht")
    await listed(kapstok, lies)
    await plan(sofie, partners=("Chiro Sint-Pieter", "fanfare de eendracht"))
    await pierre.press(label("fr", "✅ We take part"))
    assert (
        say(
            "nl",
            "✅ {partner} takes part in {title} ({when}).",
            partner="Chiro Sint-Pieter",
            title="Sint-Maartenstoet",
            when="x",
        ).split("(")[0]
        in sofie.last.text
    )
    await lies.press(label("nl", "❌ Decline"))
    assert "Fanfare De Eendracht" in sofie.last.text
    await sofie.press(label("nl", "🔎 Details"))
    details = sofie.last.text
    assert f"✅ Chiro Sint-Pieter ({say('nl', 'confirmed')})" in details
    assert f"❌ Fanfare De Eendracht ({say('nl', 'declined')})" in details
    # A second answer of the same board changes nothing.
    activity = await only_activity(kapstok)
    await pierre.press_data(f"act:no:{activity.activity_id}", on=pierre.last)
    assert pierre.alerts[-1].startswith(
        say("fr", "Your board already answered: {answer}.", answer="x").split(":")[0]
    )
    activity = await only_activity(kapstok)
    assert [p.status.value for p in activity.partners] == ["confirmed", "declined"]


async def test_a_french_board_plans_in_french_with_month_names(kapstok, boards):
    sofie, pierre = boards
    await plan(
        pierre,
        title="Fête de quartier",
        start="samedi 13 mars 2027 à 10h",
        end="13 mars 2027 18h30",
        place="Place communale",
        description=None,
        public=False,
        partners=("KSA Sint-Jan",),
    )
    activity = await only_activity(kapstok)
    assert activity.title == "Fête de quartier" and not activity.public
    assert activity.starts_at.isoformat() == "2027-03-13T09:00:00+00:00"
    assert activity.ends_at.isoformat() == "2027-03-13T17:30:00+00:00"
    assert activity.description == ""
    assert "Chiro Sint-Pieter" in sofie.last.text and "Fête de quartier" in sofie.last.text
    # Not public: nothing in the liaison group's topic.
    assert not any("Fête de quartier" in m.text for m in kapstok.group())


@pytest.mark.parametrize("lang", ["nl", "fr"])
async def test_wrong_inputs_are_refused_with_the_reason(kapstok, admin, lang):
    ward = await approved_member(kapstok, admin, 101, "Ward", lang, "KSA Sint-Jan")
    other = await approved_member(kapstok, admin, 201, "Jo", "nl", "Chiro Sint-Pieter")
    hidden = await approved_member(kapstok, admin, 301, "An", "nl", "Geheime Club")
    await listed(kapstok, ward)
    await listed(kapstok, other)
    await ward.send("/activity")
    await ward.send("x" * 101)
    assert ward.last.text == say(
        lang,
        "That is {length} characters long; the limit is {limit}. Please send a shorter one.",
        length=101,
        limit=100,
    )
    await ward.send("Fuif")
    await ward.send("volgende week")
    assert ward.last.text.startswith(
        say(
            lang,
            "I could not read that as a date and a time. Type it like {figures} or "
            "{words}, or pick a day on the calendar.",
            figures="X",
            words="Y",
        ).split("X")[0]
    )
    await ward.send("30/11/2026 14:00")  # the day before the test's today
    assert ward.last.text == say(
        lang, "That moment has passed. An activity starts in the future: when does it start?"
    )
    await ward.send("02/12/2028 14:00")
    assert ward.last.text.startswith(
        say(
            lang,
            "That is more than two years ahead. An activity "
            "starts on {last} at the latest: when does it start?",
            last="X",
        ).split("X")[0]
    )
    await ward.send("12/03/2027 14:00")
    await ward.send("13:00")
    assert ward.last.text.startswith(
        say(lang, "It must end after it starts ({start}). When does it end?", start="X").split("(")[
            0
        ]
    )
    await ward.send("nooit")
    assert ward.last.text.startswith(
        say(
            lang,
            "I could not read that as an end. Type a time on "
            "the same day, like 17:00, or a date and a time, like {figures}.",
            figures="X",
        ).split("X")[0]
    )
    await ward.send("18:00")
    await ward.send("Jeugdhuis")
    await ward.send("d" * 1001)
    assert "1001" in ward.last.text
    await ward.send("Dansen")
    await ward.press(label(lang, "🌍 Public"))
    await ward.send("Onbestaande Vereniging")
    assert ward.last.text.startswith(
        say(lang, "I know no listed association called “{name}”.", name="Onbestaande Vereniging")
    )
    await ward.send("Geheime Club")  # approved, but not listed: as if it did not exist
    assert ward.last.text.startswith(
        say(lang, "I know no listed association called “{name}”.", name="Geheime Club")
    )
    assert not any("Geheime" in button for button in ward.last.buttons)
    await ward.send("ksa sint jan")
    assert ward.last.text.startswith(
        say(
            lang,
            "That is your own association, the organiser. Partners are other "
            "associations: type another name, or press the button below.",
        )
    )
    await ward.send("Chiro Sint-Pieter")
    await ward.send("chiro sint-pieter")
    assert ward.last.text == say(
        lang, "{association} is a partner already.", association="Chiro Sint-Pieter"
    )
    await ward.press(label(lang, "✅ Done"))
    await ward.press(label(lang, "✅ Save"))
    activity = await only_activity(kapstok)
    assert [p.name for p in activity.partners] == ["Chiro Sint-Pieter"]
    assert not any("Fuif" in m.text for m in hidden.inbox)


async def test_a_clash_at_the_same_place_with_other_capitals_warns_and_lets_go_on(kapstok, boards):
    sofie, pierre = boards
    await plan(pierre, title="Geheime vergadering", place="ZAAL DE KROON!", public=False)
    await plan(sofie, start="12 maart 2027 16u", end="20u", place="zaal de kroon", save=False)
    warning = sofie.last
    assert say("nl", "⚠️ Another activity is planned there then.") in warning.text
    assert "Geheime vergadering" not in warning.text  # not public, not theirs
    assert label("nl", "✅ Save anyway") in warning.buttons
    await sofie.press(label("nl", "✅ Save anyway"))
    assert len(await store_of(kapstok).activities.everything()) == 2


async def test_after_a_clash_the_organiser_changes_the_date(kapstok, boards):
    sofie, pierre = boards
    await plan(pierre, title="Kaas- en wijnavond", place="Zaal De Kroon", public=True)
    await plan(sofie, start="12/03/2027 15:00", end="16:00", save=False)
    assert "Kaas- en wijnavond" in sofie.last.text  # public: shown in full
    await sofie.press(label("nl", "🕒 Change the date"))
    await sofie.send("19/03/2027 15:00")
    await sofie.send("16:00")
    assert label("nl", "✅ Save") in sofie.last.buttons
    assert "⚠️" not in sofie.last.text
    await sofie.press(label("nl", "✅ Save"))
    ours = [
        a
        for a in await store_of(kapstok).activities.everything()
        if a.title != "Kaas- en wijnavond"
    ]
    assert ours[0].starts_at.isoformat() == "2027-03-19T14:00:00+00:00"


async def test_a_public_activity_of_the_same_kind_the_same_day_warns(kapstok, boards):
    sofie, pierre = boards
    await plan(pierre, title="Chirofeest", place="Speelplein", public=True)
    await plan(sofie, start="12/03/2027 19:00", end="23:00", place="Parochiezaal", save=False)
    assert "Chirofeest" in sofie.last.text and "Chiro Sint-Pieter" in sofie.last.text


async def test_the_organisers_board_changes_and_cancels_and_confirmed_partners_hear(
    kapstok, admin, boards
):
    sofie, pierre = boards
    tom = kapstok.person(102, "Tom", "fr")
    await invite(sofie, tom)  # a second board member of the organiser, in French
    await plan(sofie, partners=("Chiro Sint-Pieter",))
    await pierre.press(label("fr", "✅ We take part"))
    activity = await only_activity(kapstok)
    await tom.send("/start")
    await tom.press_data(f"act:view:{activity.activity_id}", on=tom.last)
    await tom.press(label("fr", "🕒 Time"))
    await tom.send("13/03/2027 10:00")
    await tom.send("12:00")
    told = pierre.last.text
    assert "Sint-Maartenstoet" in told
    assert say("fr", "was: {old}", old="vendredi 12 mars 2027, 14:00–17:00") in told
    assert say("fr", "now: {new}", new="samedi 13 mars 2027, 10:00–12:00") in told
    await tom.press(label("fr", "📍 Place"))
    await tom.send("Zaal Nieuwe Kroon")
    assert "Zaal Nieuwe Kroon" in pierre.last.text and "Zaal De Kroon" in pierre.last.text
    await tom.press(label("fr", "📝 Description"))
    await tom.send("Nu met fanfare.")
    assert "Nu met fanfare." in pierre.last.text
    changed = await only_activity(kapstok)
    assert changed.sequence == 3 and changed.place == "Zaal Nieuwe Kroon"
    # A board member of the partner may not change it.
    await pierre.press_data(f"act:edit:{activity.activity_id}:when", on=pierre.last)
    assert pierre.alerts[-1] == say(
        "fr", "Only the board of the association that organises this activity can change it."
    )
    await pierre.press_data(f"act:cancel:yes:{activity.activity_id}", on=pierre.last)
    assert pierre.alerts[-1] == say(
        "fr", "Only the board of the association that organises this activity can change it."
    )
    assert (await only_activity(kapstok)).sequence == 3
    # The organiser cancels: the partner hears it.
    await sofie.press_data(f"act:view:{activity.activity_id}", on=sofie.last)
    await sofie.press(label("nl", "❌ Cancel the activity"))
    await sofie.press(label("nl", "❌ Yes, cancel it"))
    assert (await only_activity(kapstok)).cancelled
    assert "Sint-Maartenstoet" in pierre.last.text and "❌" in pierre.last.text
    await tom.press_data(f"act:edit:{activity.activity_id}:place", on=tom.last)
    assert tom.alerts[-1] == say("fr", "This activity was cancelled.")


async def test_start_and_end_picked_on_the_month_calendar(kapstok, boards):
    sofie, _pierre = boards
    await sofie.send("/activity")
    await sofie.send("Kerstmarkt")
    await sofie.press(label("nl", "📅 Pick a day"))
    month = sofie.last
    assert "december 2026" in month.buttons[0]
    assert month.buttons[1:8] == ["ma", "di", "wo", "do", "vr", "za", "zo"]
    assert "1" in month.buttons  # today is the first day to pick
    await sofie.press("▶")
    assert "januari 2027" in sofie.last.buttons[0]
    await sofie.press("◀")
    await sofie.press("19")
    assert sofie.last.text.startswith(say("nl", "{day}: at what time?", day="19 december 2026"))
    await sofie.press("16:30")
    await sofie.press(label("nl", "📅 Pick a day"))
    await sofie.press("20")
    await sofie.press("01:00")
    assert sofie.last.text.startswith(
        say(
            "nl",
            "Where does it take place? Type the place (at most {limit} characters).",
            limit=200,
        )
    )
    await sofie.send("Markt")
    await sofie.press(label("nl", "No description"))
    await sofie.press(label("nl", "🌍 Public"))
    await sofie.press(label("nl", "No partners"))
    await sofie.press(label("nl", "✅ Save"))
    activity = await only_activity(kapstok)
    assert activity.starts_at.isoformat() == "2026-12-19T15:30:00+00:00"
    assert activity.ends_at.isoformat() == "2026-12-20T00:00:00+00:00"


async def test_many_clashes_are_counted_beyond_the_first_five(kapstok, boards):
    from datetime import UTC, datetime, timedelta

    sofie, pierre = boards
    store = store_of(kapstok)
    chiro = (await store.profile(pierre.user_id)).association_id
    start = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)
    for number in range(7):
        await store.activities.create(
            chiro,
            pierre.user_id,
            f"Spel {number}",
            start,
            start + timedelta(hours=1),
            f"Plein {number}",
            "",
            True,
        )
    await plan(sofie, save=False)
    text = sofie.last.text
    assert "Spel 4" in text and "Spel 5" not in text
    from bot import i18n

    with i18n.use_language("nl"):
        more = i18n.ngettext(
            "… and {count} more activity.", "… and {count} more activities.", 2
        ).format(count=2)
    assert more in text
