"""Borrowing gear, the board's side: *Borrow gear* on kapstok 5's page, the dates typed or picked
on the calendar, the catalog with what is free, − and +, the basket with its deposit, an
activity, a note, request #N; and everything refused at the moment it is chosen."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import i18n
from bot.domain.gear import GearItem
from bot.domain.recognition import RecognitionStatus
from bot.domain.requests import Status
from handlers import callbacks
from tests.client import LIAISON_CHAT_ID, Kapstok, Person, label, say
from tests.steps import page_label
from tests.stories import approved_member, register

# The test clock starts on 1 December 2026, 09:00 UTC.
TODAY = date(2026, 12, 1)
TYPED = {  # a day as each language types it in figures
    "nl": lambda day: f"{day:%d/%m/%Y}",
    "fr": lambda day: f"{day:%d/%m/%Y}",
    "en": lambda day: day.isoformat(),
}

TENT = GearItem(
    0, "Tent", "Tenten", 5, name_fr="Tente", name_en="Tent", deposit_cents=5000, unit="stuk"
)
TABLE = GearItem(0, "Tafel", "Meubilair", 20, name_fr="Table", name_en="Table", deposit_cents=250)


def day_in(language: str, day: date) -> str:
    with i18n.use_language(language):
        return i18n.format_day(day)


def money_in(language: str, cents: int) -> str:
    from decimal import Decimal

    from bot.domain.amounts import format_amount

    return format_amount(Decimal(cents) / 100, language)


async def add(kapstok: Kapstok, item: GearItem) -> GearItem:
    return await kapstok.app.bot_data.store.gear.add(item)


async def association_of(kapstok: Kapstok, person: Person) -> int:
    return (await kapstok.app.bot_data.store.profile(person.user_id)).association_id


async def open_borrowing(person: Person) -> None:
    await person.send("/menu")
    await person.press(page_label(person.language, 5))
    await person.press(label(person.language, "📦 Borrow gear"))


async def to_catalog(person: Person, pick_up: date, return_on: date) -> None:
    await open_borrowing(person)
    await person.send(TYPED[person.language](pick_up))
    await person.send(TYPED[person.language](return_on))


async def more(person: Person, item: GearItem, times: int = 1) -> None:
    for _ in range(times):
        await person.press_data(callbacks.BORROW_MORE.data(item.item_id), on=person.last)


async def less(person: Person, item: GearItem) -> None:
    await person.press_data(callbacks.BORROW_LESS.data(item.item_id), on=person.last)


async def press(person: Person, button, *values) -> None:
    await person.press_data(button.data(*values), on=person.last)


async def submit_basket(person: Person, note: str | None = None) -> None:
    """From the catalog: the basket, no activity, a note (or none), submit."""
    await person.press(label(person.language, "🧺 To the basket"))
    await person.press(label(person.language, "No activity"))
    if note is None:
        await person.press(label(person.language, "Skip"))
    else:
        await person.send(note)
    await person.press(label(person.language, "✅ Submit"))


async def another_association_holds(
    kapstok: Kapstok, admin: Person, item: GearItem, quantity: int, pick_up: date, return_on: date
) -> int:
    """Another association's approved request for the item; its number."""
    other = kapstok.person(900, "Wout", "nl")
    await register(other, "Chiro Sint-Pieter")
    await admin.press_in_group(label("nl", "✅ Approve"))
    store = kapstok.app.bot_data.store
    association = await association_of(kapstok, other)
    request = await store.gear_requests.create(
        association, other.user_id, pick_up, return_on, {item.item_id: quantity}
    )
    status = await store.gear_requests.approve(
        request.request_id, {item.item_id: quantity}, admin.user_id
    )
    assert status is Status.APPROVED
    return request.request_id


# --- the whole way, in two languages -------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_board_member_borrows_tents_and_tables_for_a_weekend(kapstok, admin, language):
    tent, table = await add(kapstok, TENT), await add(kapstok, TABLE)
    sofie = await approved_member(kapstok, admin, language=language)
    pick_up, return_on = date(2026, 12, 18), date(2026, 12, 21)

    await open_borrowing(sofie)
    assert label(language, "📅 Pick a day") in sofie.last.buttons
    await sofie.send(TYPED[language](pick_up))
    assert day_in(language, pick_up) in sofie.last
    await sofie.send(TYPED[language](return_on))

    catalog = sofie.last
    assert day_in(language, pick_up) in catalog and day_in(language, return_on) in catalog
    assert tent.name(language) in catalog and table.name(language) in catalog
    assert say(language, "🧺 Your basket is empty.") in catalog
    await more(sofie, tent, 2)
    await more(sofie, table, 1)
    await less(sofie, table)
    await more(sofie, table, 3)
    assert sofie.last.raw["message_id"] == catalog.raw["message_id"]  # edited in place
    assert f"{tent.name(language)} ×2" in sofie.last.buttons

    await sofie.press(label(language, "🧺 To the basket"))
    summary = sofie.last.text
    assert f"2 × {tent.name(language)}" in summary and f"3 × {table.name(language)}" in summary
    assert money_in(language, 2 * 5000 + 3 * 250) in summary
    await sofie.press(label(language, "No activity"))
    await sofie.send("Jan haalt alles op met de bestelwagen.")
    assert "Jan haalt alles op" in sofie.last
    await sofie.press(label(language, "✅ Submit"))

    assert "#1" in sofie.last
    assert label(language, "✖️ Cancel request #{number}").format(number=1) in sofie.last.buttons
    store = kapstok.app.bot_data.store
    request = await store.gear_requests.get(1)
    assert request.request.status is Status.REQUESTED
    assert {line.item_id: line.quantity for line in request.lines} == {
        tent.item_id: 2,
        table.item_id: 3,
    }
    assert (request.pick_up, request.return_on) == (pick_up, return_on)
    assert request.request.note == "Jan haalt alles op met de bestelwagen."
    assert request.request.requested_by == sofie.user_id
    # The card reached the association's topic.
    topic = kapstok.topic_of("KSA Sint-Jan")
    assert any("#1" in message for message in kapstok.in_topic(topic))
    assert kapstok.app.bot_data.store is store


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_dates_picked_on_the_calendar_and_an_activity_linked(kapstok, admin, language):
    tent = await add(kapstok, TENT)
    member = await approved_member(kapstok, admin, language=language)
    store = kapstok.app.bot_data.store
    association = await association_of(kapstok, member)
    start = datetime(2026, 12, 19, 13, 0, tzinfo=UTC)
    activity = await store.activities.create(
        association, member.user_id, "Kerstmarkt", start, start + timedelta(hours=5),
        "Dorpsplein", "", False,
    )  # fmt: skip

    await open_borrowing(member)
    await member.press(label(language, "📅 Pick a day"))
    calendar = member.last
    assert "(1)" not in calendar.buttons  # today is allowed; no day before it is
    await member.press("18", on=calendar)
    await member.press(label(language, "📅 Pick a day"))
    assert "(17)" in member.last.buttons  # before the pick-up: not to be chosen
    await member.press("20", on=member.last)

    await more(member, tent, 1)
    await member.press(label(language, "🧺 To the basket"))
    assert any("Kerstmarkt" in button for button in member.last.buttons)
    await press(member, callbacks.BORROW_ACTIVITY, activity.activity_id)
    await member.press(label(language, "Skip"))
    assert "Kerstmarkt" in member.last
    await member.press(label(language, "✅ Submit"))

    request = await store.gear_requests.get(1)
    assert (request.pick_up, request.return_on) == (date(2026, 12, 18), date(2026, 12, 20))
    assert request.request.activity_id == activity.activity_id


async def test_an_activity_of_another_association_cannot_be_linked(kapstok, admin):
    tent = await add(kapstok, TENT)
    sofie = await approved_member(kapstok, admin)
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    store = kapstok.app.bot_data.store
    start = datetime(2026, 12, 19, 13, 0, tzinfo=UTC)
    theirs = await store.activities.create(
        await association_of(kapstok, pierre), pierre.user_id, "Quiz", start,
        start + timedelta(hours=3), "Zaal", "", True,
    )  # fmt: skip
    await to_catalog(sofie, date(2026, 12, 18), date(2026, 12, 20))
    await more(sofie, tent)
    await sofie.press(label("nl", "🧺 To the basket"))
    await press(sofie, callbacks.BORROW_ACTIVITY, theirs.activity_id)
    assert sofie.alerts[-1] == say("nl", "This button is no longer valid.")


# --- wrong dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_wrong_dates_are_refused_with_what_to_do(kapstok, admin, language):
    await add(kapstok, TENT)
    member = await approved_member(kapstok, admin, language=language)
    await open_borrowing(member)

    await member.send("ergens volgende week")
    assert member.last.text.startswith(
        say(language, "I could not read that as a date. Type it like {figures} or {words}, or "
            "pick a day on the calendar.", figures="X", words="Y").split("X")[0]
    )  # fmt: skip
    await member.send("31/02/2027")  # no such day
    assert label(language, "📅 Pick a day") in member.last.buttons
    await member.send(TYPED[language](TODAY - timedelta(days=1)))
    assert day_in(language, TODAY - timedelta(days=1)) in member.last
    assert say(language, "{day} has passed. When do you pick the gear up?", day="").strip() in (
        member.last.text.replace(day_in(language, TODAY - timedelta(days=1)), "").strip()
    )
    await member.send(TYPED[language](TODAY + timedelta(days=400)))  # beyond every item's year
    assert day_in(language, TODAY + timedelta(days=365)) in member.last

    pick_up = date(2026, 12, 18)
    await member.send(TYPED[language](pick_up))
    await member.send(TYPED[language](pick_up - timedelta(days=1)))  # back before it is picked up
    assert say(
        language,
        "The gear cannot go back before it is picked up ({pick_up}). When do you bring it back?",
        pick_up=day_in(language, pick_up),
    ) in member.last  # fmt: skip
    await member.send(TYPED[language](pick_up + timedelta(days=20)))  # longer than any loan
    assert "14" in member.last
    await member.send(TYPED[language](pick_up))  # a one-day loan is fine
    assert label(language, "🧺 To the basket") in member.last.buttons


async def test_words_and_another_languages_month_names_are_read(kapstok, admin):
    await add(kapstok, TENT)
    sofie = await approved_member(kapstok, admin)
    await open_borrowing(sofie)
    await sofie.send("zaterdag 19 december")
    assert day_in("nl", date(2026, 12, 19)) in sofie.last
    await sofie.send("21 décembre 2026")
    assert label("nl", "🧺 To the basket") in sofie.last.buttons


# --- refused at the + ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_more_than_is_free_is_refused_with_the_nearest_dates(kapstok, admin, language):
    tent = await add(kapstok, replace(TENT, stock=2))
    pick_up, return_on = date(2026, 12, 18), date(2026, 12, 20)
    await another_association_holds(kapstok, admin, tent, 1, date(2026, 12, 17), date(2026, 12, 22))
    member = await approved_member(kapstok, admin, language=language)
    await to_catalog(member, pick_up, return_on)
    await more(member, tent)
    await more(member, tent)  # the second is not free

    text = member.last.text
    assert "1" in text and tent.name(language) in text
    # Two are free again after the other loan comes back on the 22nd: 22 to 24 December.
    assert day_in(language, date(2026, 12, 22)) in text
    assert day_in(language, date(2026, 12, 24)) in text
    store = kapstok.app.bot_data.store
    assert f"{tent.name(language)} ×1" in member.last.buttons
    assert f"{tent.name(language)} ×2" not in member.last.buttons
    assert len(await store.requests.of_association(await association_of(kapstok, member))) == 0


async def test_an_item_for_another_kind_and_one_needing_recognition(kapstok, admin):
    podium = await add(
        kapstok, GearItem(0, "Podium", "Podia", 1, name_fr="Podium", kinds=frozenset({"sport"}))
    )
    sound = await add(
        kapstok,
        GearItem(0, "Geluidsinstallatie", "Geluid", 2, name_fr="Sono", needs_recognition=True),
    )
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    await to_catalog(pierre, date(2026, 12, 18), date(2026, 12, 20))
    assert "🚫" in pierre.last  # both are marked in the list already

    await more(pierre, podium)
    assert label("fr", "Sport", "kind") in pierre.last and "Podium" in pierre.last
    assert "Podium ×1" not in pierre.last.buttons

    await more(pierre, sound)
    assert "Sono" in pierre.last
    # What to do: apply for recognition with the municipality.
    assert say(
        "fr",
        "Some gear and subsidies are only for recognised associations: to apply, ask the "
        "municipality through kapstok 1 (💬 Contact the liaison).",
    ) in pierre.last  # fmt: skip

    # Once recognised, it may be had.
    store = kapstok.app.bot_data.store
    await store.recognition.set(
        await association_of(kapstok, pierre), RecognitionStatus.RECOGNISED, date(2028, 1, 1),
        admin.user_id,
    )  # fmt: skip
    await more(pierre, sound)
    assert "Sono ×1" in pierre.last.buttons


async def test_too_soon_too_long_and_a_note_before_adding(kapstok, admin):
    tent = await add(kapstok, replace(TENT, min_lead_days=14))
    table = await add(kapstok, replace(TABLE, max_loan_days=2))
    sound = await add(
        kapstok,
        GearItem(0, "Geluidsinstallatie", "Geluid", 2, note="Enkel na een opleiding."),
    )
    sofie = await approved_member(kapstok, admin)
    await to_catalog(sofie, date(2026, 12, 5), date(2026, 12, 8))

    await more(sofie, tent)
    assert day_in("nl", date(2026, 12, 15)) in sofie.last  # the first allowed pick-up
    await more(sofie, table)
    assert "2" in sofie.last and "4" in sofie.last  # at most 2 days; the period lasts 4
    assert not any("×" in button for button in sofie.last.buttons)

    await more(sofie, sound)
    assert "Enkel na een opleiding." in sofie.last
    assert "Geluidsinstallatie ×1" not in sofie.last.buttons
    await more(sofie, sound)
    assert "Geluidsinstallatie ×1" in sofie.last.buttons


async def test_an_empty_basket_cannot_be_sent(kapstok, admin):
    tent = await add(kapstok, TENT)
    pierre = await approved_member(kapstok, admin, 201, "Pierre", "fr", "Chiro Sint-Pieter")
    await to_catalog(pierre, date(2026, 12, 18), date(2026, 12, 20))
    await less(pierre, tent)
    assert pierre.alerts[-1] == say("fr", "There is none of it in your basket.")
    await pierre.press(label("fr", "🧺 To the basket"))
    assert pierre.alerts[-1] == say("fr", "Your basket is empty: add at least one item with ➕.")
    await more(pierre, tent)
    await less(pierre, tent)
    await pierre.press(label("fr", "🧺 To the basket"))
    assert pierre.alerts[-1] == say("fr", "Your basket is empty: add at least one item with ➕.")
    assert (
        await kapstok.app.bot_data.store.requests.of_association(
            await association_of(kapstok, pierre)
        )
        == []
    )


async def test_submit_says_what_no_longer_fits_when_the_stock_changed(kapstok, admin):
    tent = await add(kapstok, replace(TENT, stock=3))
    sofie = await approved_member(kapstok, admin)
    pick_up, return_on = date(2026, 12, 18), date(2026, 12, 20)
    await to_catalog(sofie, pick_up, return_on)
    await more(sofie, tent, 3)
    await sofie.press(label("nl", "🧺 To the basket"))
    await sofie.press(label("nl", "No activity"))
    await sofie.press(label("nl", "Skip"))
    # Meanwhile two tents go to another association.
    await another_association_holds(kapstok, admin, tent, 2, pick_up, return_on)
    await sofie.press(label("nl", "✅ Submit"))

    assert say("nl", "<b>This no longer fits; change your basket:</b>") in sofie.last
    assert "Tent" in sofie.last and label("nl", "🧺 To the basket") in sofie.last.buttons
    store = kapstok.app.bot_data.store
    assert await store.requests.of_association(await association_of(kapstok, sofie)) == []
    await less(sofie, tent)
    await less(sofie, tent)
    await submit_basket(sofie)
    ours = await store.requests.of_association(await association_of(kapstok, sofie))
    assert len(ours) == 1


async def test_a_note_too_long_or_blank_is_asked_again(kapstok, admin):
    tent = await add(kapstok, TENT)
    sofie = await approved_member(kapstok, admin)
    await to_catalog(sofie, date(2026, 12, 18), date(2026, 12, 20))
    await more(sofie, tent)
    await sofie.press(label("nl", "🧺 To the basket"))
    await sofie.send("Wat is dit?")  # a text where buttons are asked for
    assert say("nl", "Please answer with the buttons above, or stop with /cancel.") in sofie.last
    await sofie.press(label("nl", "No activity"))
    await sofie.send("x" * 1001)
    assert "1001" in sofie.last and "1000" in sofie.last
    await sofie.send("\u200b")
    assert say("nl", "Please type a note, or skip it.") in sofie.last
    await sofie.send("<b>Ophalen</b> om 9u & terug om 17u")
    assert "<b>Ophalen</b> om 9u & terug om 17u" in sofie.last
    await sofie.press(label("nl", "✖️ Discard"))
    assert (
        await kapstok.app.bot_data.store.requests.of_association(
            await association_of(kapstok, sofie)
        )
        == []
    )


async def test_only_board_members_of_an_approved_association_may_borrow(kapstok, admin):
    await add(kapstok, TENT)
    newcomer = kapstok.person(300, "Nina", "nl")
    await register(newcomer, "Fanfare De Eendracht")
    await newcomer.press_data(callbacks.BORROW.data(), on=newcomer.last)
    assert newcomer.alerts[-1] == say(
        "nl",
        "Your association is still waiting for a liaison officer's confirmation. As soon as it "
        "is confirmed, you can use this.",
    )


async def test_an_empty_catalog_is_said_at_once(kapstok, admin):
    sofie = await approved_member(kapstok, admin)
    await sofie.send("/menu")
    await sofie.press(page_label("nl", 5))
    await sofie.press(label("nl", "📦 Borrow gear"))
    assert sofie.alerts[-1] == say(
        "nl", "The lending service has no gear in its catalog yet. Please try again later."
    )


async def test_many_categories_and_items_are_paged(kapstok, admin):
    for number in range(30):
        await add(kapstok, GearItem(0, f"Stoel {number:02d}", f"Categorie {number // 20}", 3))
    sofie = await approved_member(kapstok, admin)
    await to_catalog(sofie, date(2026, 12, 18), date(2026, 12, 20))
    assert "(1/3)" in sofie.last and "Stoel 00" in sofie.last and "Stoel 12" not in sofie.last
    await sofie.press("▶")
    assert "(2/3)" in sofie.last and "Stoel 12" in sofie.last
    await press(sofie, callbacks.BORROW_VIEW, 3)
    assert "Stoel 29" in sofie.last
    await press(sofie, callbacks.BORROW_ITEM, 30)
    assert "Stoel 29" in sofie.last and "ℹ️" in sofie.last


async def test_other_dates_keep_the_basket(kapstok, admin):
    tent = await add(kapstok, TENT)
    sofie = await approved_member(kapstok, admin)
    await to_catalog(sofie, date(2026, 12, 18), date(2026, 12, 20))
    await more(sofie, tent, 2)
    await sofie.press(label("nl", "📅 Other dates"))
    await sofie.send("08/01/2027")
    await sofie.send("10/01/2027")
    assert "Tent ×2" in sofie.last.buttons
    await submit_basket(sofie)
    request = await kapstok.app.bot_data.store.gear_requests.get(1)
    assert request.pick_up == date(2027, 1, 8)


async def test_the_group_never_sees_the_board_s_typing(kapstok, admin):
    """Nothing of the flow goes to the liaison group but the card."""
    tent = await add(kapstok, TENT)
    sofie = await approved_member(kapstok, admin)
    before = len(kapstok.telegram.sent_to(LIAISON_CHAT_ID))
    await to_catalog(sofie, date(2026, 12, 18), date(2026, 12, 20))
    await more(sofie, tent)
    assert len(kapstok.telegram.sent_to(LIAISON_CHAT_ID)) == before
