"""Recognition: liaison officers record it (/association N, or /association in the topic), the
board sees it on kapstok 5's page, is reminded 60 and 14 days before the renewal date, and on
the date it expires and the topic hears it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.recognition import RecognitionStatus
from handlers import callbacks
from handlers.support import renewals
from tests.client import Kapstok, Person, label, say
from tests.steps import ask, page_label
from tests.stories import approved_member, register

RENEWAL = date(2028, 3, 12)
LONG_DATE = {"nl": "12 maart 2028", "fr": "12 mars 2028", "en": "12 March 2028"}


async def association_of(kapstok: Kapstok, person: Person) -> int:
    return (await kapstok.app.bot_data.store.profile(person.user_id)).association_id


async def recognition(kapstok: Kapstok, number: int):
    return await kapstok.app.bot_data.store.recognition.get(number)


async def support_page(person: Person) -> str:
    await person.send("/menu")
    await person.press(page_label(person.language, 5))
    return person.last.text


def count_containing(person: Person, text: str) -> int:
    return sum(text in message.text for message in person.inbox)


@pytest.mark.parametrize(("liaison_language", "member_language"), [("nl", "fr"), ("fr", "en")])
async def test_a_liaison_records_an_application_and_the_board_sees_it(
    kapstok, admin, liaison_language, member_language
):
    member = await approved_member(kapstok, admin, language=member_language)
    number = await association_of(kapstok, member)
    assert say(member_language, "Not recognised") in await support_page(member)
    liaison = kapstok.person(401, "Liesbeth", liaison_language)
    await admin.send_in_group("/liaison add 401")

    view = (await liaison.send(f"/association {number}"))[-1]
    assert "KSA Sint-Jan" in view and f"#{number}" in view
    assert say(liaison_language, "Not recognised") in view
    assert say(liaison_language, "{count} board member", count=1) in view
    await liaison.press(label(liaison_language, "📝 Applied for"), on=view)

    assert liaison.alerts[-1] == say(liaison_language, "Recorded; the board is told.")
    assert say(liaison_language, "Applied for") in liaison.last
    assert label(liaison_language, "📝 Applied for") not in liaison.last.buttons
    told = member.last.text
    assert say(member_language, "Applied for") in told and "KSA Sint-Jan" in told
    page = await support_page(member)
    assert say(member_language, "Applied for") in page
    assert (
        say(
            member_language,
            "The municipality is looking at your application; you will hear here as soon as it "
            "is decided.",
        )
        in page
    )
    stored = await recognition(kapstok, number)
    assert stored.status is RecognitionStatus.APPLIED and stored.recorded_by == 401


@pytest.mark.parametrize(
    ("language", "typed", "past", "too_far"),
    [
        ("nl", "12/03/2028", "30-11-2026", "2-12-2036"),
        ("en", "12/3/2028", "30/11/2026", "2040-1-1"),
    ],
)
async def test_recognised_in_the_topic_with_a_renewal_date(
    kapstok, admin, language, typed, past, too_far
):
    member = await approved_member(kapstok, admin, language="nl")
    number = await association_of(kapstok, member)
    await ask(member, "Hoe vragen we de erkenning aan?")
    topic = kapstok.topic_of("KSA Sint-Jan")
    liaison = kapstok.person(401, "Liesbeth", language)
    await admin.send_in_group("/liaison add 401")

    view = (await liaison.send_in_group("/association", topic=topic))[-1]
    assert f"#{number}" in view and view.raw.get("message_thread_id") == topic
    prompt = (await liaison.press_in_group(label(language, "✅ Recognised…"), on=view))[-1]
    assert prompt.raw.get("message_thread_id") == topic

    for text, problem in (
        ("volgend jaar", "I cannot read that as a date. Type it like {example}, or /cancel."),
        (
            past,
            "The renewal date must be after today. Type a later date, like {example}, or /cancel.",
        ),
        (
            too_far,
            "That is more than 10 years ahead: the latest renewal date is {last}. Type an "
            "earlier date, like {example}, or /cancel.",
        ),
    ):
        answer = (await liaison.send_in_group(text, reply_to=prompt))[-1]
        assert say(language, problem, example="X", last="Y").split("X")[0].split("Y")[0] in answer
        assert (await recognition(kapstok, number)).status is RecognitionStatus.NONE
    # A reply to something else in the group is not the date.
    await liaison.send_in_group("12/03/2028", reply_to=view)
    assert (await recognition(kapstok, number)).status is RecognitionStatus.NONE

    done = (await liaison.send_in_group(typed, reply_to=prompt))[-1]
    assert say(language, "Recorded; the board is told.") in done
    assert say(language, "Recognised until {date}", date=LONG_DATE[language]) in done
    stored = await recognition(kapstok, number)
    assert (stored.status, stored.renews_on) == (RecognitionStatus.RECOGNISED, RENEWAL)
    assert say("nl", "Recognised until {date}", date=LONG_DATE["nl"]) in member.last
    assert say("nl", "Recognised until {date}", date=LONG_DATE["nl"]) in await support_page(member)


async def test_wrong_hands_and_unknown_numbers_are_refused(kapstok, admin):
    member = await approved_member(kapstok, admin, language="fr")
    number = await association_of(kapstok, member)
    await member.send("/association")
    assert member.last.text == say("fr", "Only liaison officers of the municipality can do this.")
    for data in (
        callbacks.RECOGNITION_SET.data(number, "applied"),
        callbacks.RECOGNITION_RECOGNISED.data(number),
    ):
        await member.press_data(data, on=member.last)
        assert member.alerts[-1] == say(
            "fr", "Only liaison officers of the municipality can do this."
        )
    assert (await recognition(kapstok, number)).status is RecognitionStatus.NONE

    liaison = kapstok.person(401, "Liesbeth", "fr")
    await admin.send_in_group("/liaison add 401")
    await liaison.send("/association 999")
    assert liaison.last.text == say(
        "fr", "There is no association #{number}. /association N shows association N.", number=999
    )
    await liaison.send("/association")
    assert "/association 12" in liaison.last.text
    await liaison.press_data(callbacks.RECOGNITION_SET.data(999, "applied"), on=liaison.last)
    assert liaison.alerts[-1] == say("fr", "This button is no longer valid.")
    # A waiting association is shown, without buttons.
    newcomer = kapstok.person(301, "Ward", "nl")

    await register(newcomer, "Fanfare De Eendracht")
    waiting = await association_of(kapstok, newcomer)
    await liaison.send(f"/association {waiting}")
    assert say("fr", "Its recognition can be recorded once it is approved.") in liaison.last
    assert liaison.last.buttons == []
    await liaison.press_data(callbacks.RECOGNITION_RECOGNISED.data(waiting), on=liaison.last)
    assert liaison.alerts[-1] == say("fr", "This button is no longer valid.")


async def test_cancel_leaves_the_recognition_as_it_is(kapstok, admin):
    member = await approved_member(kapstok, admin)
    number = await association_of(kapstok, member)
    await admin.send(f"/association {number}")
    await admin.press(label("nl", "✅ Recognised…"))
    await admin.send("/cancel")
    await admin.send("12/03/2028")
    assert (await recognition(kapstok, number)).status is RecognitionStatus.NONE


async def at_local_morning(kapstok: Kapstok, day: date) -> None:
    kapstok.clock.now = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["nl", "fr"])
async def test_reminders_60_and_14_days_before_then_expiry(kapstok, admin, language):
    member = await approved_member(kapstok, admin, language=language)
    number = await association_of(kapstok, member)
    await admin.send(f"/association {number}")
    await admin.press(label("nl", "✅ Recognised…"))
    await admin.send("12/03/2028")
    renewal = "🔔"

    await at_local_morning(kapstok, date(2028, 1, 11))  # 61 days before
    assert await kapstok.run_job(renewals.tend_job) is None
    assert count_containing(member, renewal) == 0

    await at_local_morning(kapstok, date(2028, 1, 12))  # 60 days before
    await kapstok.run_job(renewals.tend_job)
    assert count_containing(member, renewal) == 1
    sent = member.last
    assert LONG_DATE[language] in sent.text and "60" in sent.text
    assert label(language, "🔕 Fewer messages like this") in sent.buttons
    await kapstok.run_job(renewals.tend_job)  # once
    assert count_containing(member, renewal) == 1

    await at_local_morning(kapstok, date(2028, 2, 27))  # 14 days before
    await kapstok.run_job(renewals.tend_job)
    await kapstok.run_job(renewals.tend_job)
    assert count_containing(member, renewal) == 2
    assert "14" in member.last.text

    await at_local_morning(kapstok, date(2028, 3, 11))
    await kapstok.run_job(renewals.tend_job)
    assert (await recognition(kapstok, number)).status is RecognitionStatus.RECOGNISED

    # Just after midnight in Brussels on the renewal date (still 11 March in UTC).
    kapstok.clock.now = datetime(2028, 3, 11, 23, 30, tzinfo=UTC)
    await kapstok.run_job(renewals.tend_job)
    stored = await recognition(kapstok, number)
    assert (stored.status, stored.renews_on) == (RecognitionStatus.EXPIRED, RENEWAL)
    notices = [m for m in kapstok.in_topic(kapstok.topic_of("KSA Sint-Jan")) if "⌛" in m.text]
    assert len(notices) == 1
    assert (
        say(
            "nl",
            "⌛ The recognition of {association} expired today ({date}).",
            association="KSA Sint-Jan",
            date=LONG_DATE["nl"],
        )
        == notices[0].text
    )
    await kapstok.run_job(renewals.tend_job)
    assert (
        len([m for m in kapstok.in_topic(kapstok.topic_of("KSA Sint-Jan")) if "⌛" in m.text]) == 1
    )
    assert say(language, "Expired on {date}", date=LONG_DATE[language]) in await support_page(
        member
    )


async def test_a_date_recorded_late_skips_the_reminders_already_passed(kapstok, admin):
    member = await approved_member(kapstok, admin, language="fr")
    number = await association_of(kapstok, member)
    # Recorded 10 days before the date: the board was just told; no 60- or 14-day reminder.
    kapstok.clock.now = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    await admin.send(f"/association {number}")
    await admin.press(label("nl", "✅ Recognised…"))
    await admin.send("12/03/2027")
    assert (await recognition(kapstok, number)).last_reminder == 14
    await kapstok.run_job(renewals.tend_job)
    assert count_containing(member, "🔔") == 0
