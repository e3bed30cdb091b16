"""A board's calendar (the coming 7 or 30 days, our own), an activity's details, the .ics export
parsed back with icalendar, and the liaisons' /activities with its CSV."""

from __future__ import annotations

import csv
import io

from icalendar import Calendar

from tests.activities.conftest import listed, plan
from tests.client import LIAISON_CHAT_ID, label, say
from tests.stories import approved_member


async def test_the_calendar_shows_own_partner_and_public_activities_not_others_private(
    kapstok, admin, boards
):
    sofie, pierre = boards
    lies = await approved_member(kapstok, admin, 301, "Lies", "fr", "Fanfare De Eendracht")
    await listed(kapstok, lies)
    await plan(
        sofie, title="Eigen vergadering", start="05/12/2026 10:00", end="12:00", public=False
    )
    await plan(
        pierre,
        title="Samen koken",
        start="10/12/2026 18:00",
        end="21:00",
        public=False,
        partners=("KSA Sint-Jan",),
    )
    await plan(lies, title="Concert", start="20/12/2026 20:00", end="22:00", public=True)
    await plan(lies, title="Repetitie", start="06/12/2026 20:00", end="22:00", public=False)
    await plan(lies, title="Nieuwjaarsconcert", start="10/01/2027 15:00", end="17:00")
    await sofie.send("/menu")
    await sofie.press("📅 " + say("nl", "Cooperation around activities"))
    await sofie.press(label("nl", "📅 Calendar"))
    text = sofie.last.text
    assert "Eigen vergadering" in text and "Samen koken" in text and "Concert" in text
    assert "Repetitie" not in text and "Nieuwjaarsconcert" not in text
    assert text.index("Eigen vergadering") < text.index("Samen koken") < text.index("Concert")
    await sofie.press(label("nl", "7 days"))
    text = sofie.last.text
    assert "Eigen vergadering" in text and "Samen koken" not in text
    await sofie.press(label("nl", "⭐ Ours"))
    text = sofie.last.text
    assert "Eigen vergadering" in text and "Samen koken" in text and "Concert" not in text
    # Details of a public activity of another association: only its confirmed partners.
    await sofie.press(label("nl", "30 days"))
    concert = next(b for b in sofie.last.buttons if "Concert" in b)
    await sofie.press(concert)
    assert "Fanfare De Eendracht" in sofie.last.text
    assert label("nl", "🕒 Time") not in sofie.last.buttons
    # Another association's activity that is not public: no details, whatever the button says.
    store = kapstok.app.bot_data.store
    private = next(a for a in await store.activities.everything() if a.title == "Repetitie")
    await sofie.press_data(f"act:view:{private.activity_id}", on=sofie.last)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")
    # The partner's calendar, in French: not the organiser's private meeting.
    await pierre.send("/menu")
    await pierre.press("📅 " + say("fr", "Cooperation around activities"))
    await pierre.press(label("fr", "📅 Calendar"))
    text = pierre.last.text
    assert "Samen koken" in text and "Concert" in text and "Eigen vergadering" not in text
    assert "🌍" in text and "⭐" in text


async def test_the_calendar_pages_by_eight(kapstok, boards):
    sofie, _ = boards
    for day in range(2, 12):
        await plan(
            sofie,
            title=f"Activiteit {day}",
            start=f"{day:02d}/12/2026 10:00",
            end="11:00",
            place=f"Lokaal {day}",
        )
    await sofie.press_data("cal:v:30:1", on=sofie.last)
    first = sofie.last
    assert "Activiteit 2" in first.text and "Activiteit 10" not in first.text
    assert "▶" in first.buttons and "◀" not in first.buttons
    await sofie.press("▶")
    assert "Activiteit 10" in sofie.last.text and "Activiteit 11" in sofie.last.text
    await sofie.press_data("cal:v:30:3", on=sofie.last)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")


def uploaded(kapstok) -> bytes:
    """The content of the last file the bot sent."""
    upload = kapstok.telegram.uploads[-1]
    assert upload["method"] == "sendDocument"
    content = upload["content"]
    return content if isinstance(content, bytes) else content.read()


def _events(document: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(document)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


async def test_the_ics_export_parses_back_with_every_field(kapstok, boards):
    sofie, pierre = boards
    await plan(
        sofie, title="Stoet", start="12/03/2027 14:00", end="17:00", partners=("Chiro Sint-Pieter",)
    )
    await pierre.press(label("fr", "✅ We take part"))
    await plan(
        sofie,
        title="Fuif",
        start="13/03/2027 21:00",
        end="14/03/2027 02:00",
        place="Jeugdhuis",
        description="Met dj",
        public=False,
    )
    await plan(pierre, title="Chiro intern", start="15/03/2027 10:00", end="12:00", public=False)
    store = kapstok.app.bot_data.store
    fuif = next(a for a in await store.activities.everything() if a.title == "Fuif")
    await sofie.press_data(f"act:view:{fuif.activity_id}", on=sofie.last)
    await sofie.press(label("nl", "📍 Place"))
    await sofie.send("Jeugdhuis 't Leeuwke")
    await sofie.press(label("nl", "❌ Cancel the activity"))
    await sofie.press(label("nl", "❌ Yes, cancel it"))
    await sofie.press_data("cal:ics:ours", on=sofie.last)
    document = uploaded(kapstok)
    events = _events(document)
    assert set(events) == {"Stoet", "Fuif"}
    stoet, fuif_event = events["Stoet"], events["Fuif"]
    activities = {a.title: a for a in await store.activities.everything()}
    assert str(stoet["uid"]) == activities["Stoet"].uid
    assert int(stoet["sequence"]) == 0 and str(stoet["status"]) == "CONFIRMED"
    assert str(stoet["location"]) == "Zaal De Kroon" and str(stoet["class"]) == "PUBLIC"
    assert "KSA Sint-Jan" in str(stoet["description"])
    assert "Chiro Sint-Pieter" in str(stoet["description"])
    assert stoet["dtstart"].params["TZID"] == "Europe/Brussels"
    assert stoet.decoded("dtstart").isoformat() == "2027-03-12T14:00:00+01:00"
    assert stoet.decoded("dtend").isoformat() == "2027-03-12T17:00:00+01:00"
    assert str(fuif_event["uid"]) == activities["Fuif"].uid
    assert int(fuif_event["sequence"]) == 2  # the place changed, then it was cancelled
    assert str(fuif_event["status"]) == "CANCELLED" and str(fuif_event["class"]) == "PRIVATE"
    assert str(fuif_event["location"]) == "Jeugdhuis 't Leeuwke"
    assert fuif_event.decoded("dtend").isoformat() == "2027-03-14T02:00:00+01:00"
    assert "Met dj" in str(fuif_event["description"])
    assert Calendar.from_ical(document).walk("VTIMEZONE")
    # All public activities: the other association's private one is not there.
    await pierre.press_data("cal:ics:public", on=pierre.last)
    assert set(_events(uploaded(kapstok))) == {"Stoet"}


async def test_liaisons_list_the_activities_of_a_week_or_a_month_and_export_csv(
    kapstok, admin, boards
):
    sofie, pierre = boards
    await plan(
        sofie,
        title="Eerste week",
        start="03/12/2026 10:00",
        end="12:00",
        public=False,
        partners=("Chiro Sint-Pieter",),
    )
    await pierre.press(label("fr", "❌ Decline"))
    await plan(pierre, title="Volgende week", start="09/12/2026 10:00", end="12:00")
    await plan(pierre, title="Januari", start="09/01/2027 10:00", end="12:00")
    replies = await admin.send_in_group("/activities")
    listing = replies[-1]
    assert "Eerste week" in listing.text and "Volgende week" not in listing.text
    assert "KSA Sint-Jan" in listing.text and "❌ Chiro Sint-Pieter" in listing.text
    await admin.press_in_group("▶")
    assert "Volgende week" in kapstok.group()[-1].text
    await admin.press_in_group(label("nl", "Month"))
    text = kapstok.group()[-1].text
    assert "Eerste week" in text and "Volgende week" in text and "Januari" not in text
    await admin.press_in_group("▶")
    assert "Januari" in kapstok.group()[-1].text
    # In a private chat, in English.
    ann = kapstok.person(401, "Ann", "en")
    await ann.send("/start")
    await admin.send_in_group(f"/liaison add {ann.user_id}")
    await ann.send("/activities")
    assert "Eerste week" in ann.last.text
    assert ann.last.text.startswith(
        say("en", "<b>Activities of the week of {day}</b>", day="30 November 2026")
    )
    # Board members may not.
    await sofie.send("/activities")
    assert sofie.last.text == say("nl", "Only liaison officers of the municipality can do this.")
    # CSV, for Excel in Belgium.
    await admin.send_in_group("/activities csv")
    upload = kapstok.telegram.uploads[-1]
    content = upload["content"]
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    header, first = rows[0], rows[1]
    assert header[:3] == [say("nl", "number"), say("nl", "title"), say("nl", "start")]
    assert first[1:6] == [
        "Eerste week",
        "2026-12-03 10:00",
        "2026-12-03 12:00",
        "Zaal De Kroon",
        "KSA Sint-Jan",
    ]
    assert first[6] == f"Chiro Sint-Pieter ({say('nl', 'declined')})"
    assert kapstok.telegram.calls_of("sendDocument")[-1].params["chat_id"] == LIAISON_CHAT_ID


async def test_a_week_or_month_that_is_no_date_is_refused(kapstok, admin):
    """Forged data once reached datetime.date with a year past its range (OverflowError)."""
    await admin.send_in_group("/activities")
    listing = kapstok.group()[-1]
    for data in ("act:lw:21474836480000", "act:lm:9223372036854775807", "act:lw:20270231"):
        await admin.press_data(data, on=listing)
        assert admin.alerts[-1] == say("nl", "This button is no longer valid.")
