"""A barometer round: asked through the outbox, answered on one message by any board member,
followed up when a kapstok scores low, reminded, closed, and read by the liaisons."""

from __future__ import annotations

from datetime import time

from bot.domain.audience import Audience
from bot.domain.schedules import Rule
from handlers import callbacks
from handlers.checkins import rounds, runner
from tests.client import LIAISON_CHAT_ID, Kapstok, label, say
from tests.steps import invite
from tests.stories import approved_member


async def _round(kapstok: Kapstok, admin, *, open_days: int = 14) -> int:
    """A barometer schedule that runs now."""
    store = kapstok.app.bot_data.store
    schedule_id = await store.schedules.create(
        created_by=admin.user_id,
        created_by_name="Annelies",
        rule=Rule("monthly", time(9, 0), day=1),
        audience=Audience(),
        content="barometer",
        next_run_at=store.now(),
        open_days=open_days,
    )
    ran = await kapstok.run_job(lambda context: runner.run_due(context.application))
    assert ran == [schedule_id]
    return (await store.barometer.rounds())[-1].round_id


def _ballot(person):
    return next(
        m for m in reversed(person.inbox) if m.callback_data("📨 Send our answer") or "📊" in m.text
    )


async def _score_all(person, scores):
    for kapstok, score in zip(range(1, 6), scores, strict=True):
        ballot = _ballot(person)
        data = callbacks.BAROMETER_SCORE.data(1, kapstok, score)
        await person.press_data(data, on=ballot)


async def test_a_board_answers_and_the_other_member_sees_who(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en", name="Sofie")
    jan = kapstok.person(102, "Jan", "en")
    await invite(sofie, jan)
    await _round(kapstok, admin)
    assert "Good relationship" in _ballot(sofie).text
    assert "Good relationship" in _ballot(jan).text
    await _score_all(sofie, [4, 4, 3, 5, 4])
    assert "✅4" in _ballot(sofie).buttons
    assert "Sofie is filling this in" in _ballot(jan).text
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    assert "Thank you! Your answer is with the municipality." in sofie.last.text
    assert "Sent to the municipality by Sofie" in _ballot(jan).text
    answers = await kapstok.app.bot_data.store.barometer.answers(1)
    assert answers[0].scores == {1: 4, 2: 4, 3: 3, 4: 5, 5: 4}


async def test_an_incomplete_answer_cannot_be_sent(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    await _round(kapstok, admin)
    await sofie.press_data(callbacks.BAROMETER_SCORE.data(1, 1, 3), on=_ballot(sofie))
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    assert sofie.alerts[-1] == "Score all five kapstokken first; then send your answer."


async def test_a_low_score_opens_a_thread_under_its_kapstok(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en", association="Chiro Noord")
    await _round(kapstok, admin)
    await sofie.press_data(callbacks.BAROMETER_COMMENT.data(1), on=_ballot(sofie))
    await sofie.send("The hall is never free on Sundays.")
    await _score_all(sofie, [4, 2, 3, 5, 1])
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    assert "The municipality will get back to you" in sofie.last.text
    topic = kapstok.in_topic(kapstok.topic_of("Chiro Noord"))
    relayed = "\n".join(m.text for m in topic)
    assert "Barometer" in relayed and "The hall is never free on Sundays." in relayed
    threads = await kapstok.app.bot_data.store.threads.of_association(
        (await kapstok.app.bot_data.store.profile(sofie.user_id)).association_id
    )
    assert sorted(t.kapstok for t in threads) == [2, 5]
    # Sending again does not open the same threads twice.
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    threads = await kapstok.app.bot_data.store.threads.of_association(threads[0].association_id)
    assert len(threads) == 2


async def test_a_forged_button_for_another_round_or_message_is_refused(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    await _round(kapstok, admin)
    await sofie.press_data(callbacks.BAROMETER_SCORE.data(2, 1, 3), on=_ballot(sofie))
    assert sofie.alerts[-1] == "This button is no longer valid."
    await sofie.send("/menu")
    await sofie.press_data(callbacks.BAROMETER_SCORE.data(1, 1, 3), on=sofie.last)
    assert sofie.alerts[-1] == "This button is no longer valid."
    assert await kapstok.app.bot_data.store.barometer.answers(1, submitted_only=False) == []


async def test_a_score_after_the_round_closed_is_refused(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    await _round(kapstok, admin, open_days=14)
    await kapstok.pass_time(days=15)
    await kapstok.run_job(lambda context: rounds.tend_rounds(context.application))
    await sofie.press_data(callbacks.BAROMETER_SCORE.data(1, 1, 3), on=_ballot(sofie))
    assert sofie.alerts[-1] == "This round is closed. Thank you!"
    closing = say(
        "nl",
        "📊 The barometer round of {date} is closed: {answered} of {asked} associations "
        "answered. /barometer shows the results.",
        date="1 december 2026",
        answered=0,
        asked=1,
    )
    assert closing in [m.text for m in kapstok.group()]


async def test_one_reminder_after_seven_days_to_boards_that_did_not_answer(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en", association="A")
    piet = await approved_member(
        kapstok, admin, user_id=103, name="Piet", language="en", association="B"
    )
    await _round(kapstok, admin)
    await _score_all(sofie, [3, 3, 3, 3, 3])
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    await kapstok.pass_time(days=7, minutes=1)
    await kapstok.run_job(lambda context: rounds.tend_rounds(context.application))
    await kapstok.run_job(lambda context: rounds.tend_rounds(context.application))
    assert sum("Reminder" in m.text for m in piet.inbox) == 1
    assert not any("Reminder" in m.text for m in sofie.inbox)


async def test_the_liaison_reads_the_results_with_a_chart_and_writes_back(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en", association="A")
    await _round(kapstok, admin)
    await _score_all(sofie, [4, 2, 3, 5, 4])
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    await admin.send_in_group("/barometer")
    photos = [c for c in kapstok.telegram.calls if c.method == "sendPhoto"]
    assert photos and photos[-1].params["chat_id"] == LIAISON_CHAT_ID
    answered = say(
        "nl",
        "{answered} of {asked} associations answered ({rate}).",
        answered=1,
        asked=1,
        rate="100%",
    )
    assert any(answered in m.text for m in kapstok.group())
    await admin.press_in_group(label("nl", "📝 You said, we did"))
    prompt = kapstok.group()[-1]
    await admin.send_in_group("We zoeken een zaal voor jullie op zondag.", reply_to=prompt)
    await admin.press_in_group(label("nl", "📣 Send"))
    assert "We zoeken een zaal voor jullie op zondag." in sofie.last.text


async def test_our_barometer_shows_our_scores_next_to_the_average(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    await _round(kapstok, admin)
    await _score_all(sofie, [4, 4, 3, 5, 4])
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    await sofie.send("/menu")
    await sofie.press("🤝 Good relationship")
    await sofie.press("📊 Our barometer")
    assert "average" in sofie.inbox[-2].text or "average" in sofie.last.text
    assert any(c.method == "sendPhoto" for c in kapstok.telegram.calls)


async def test_members_who_turned_checkins_off_are_not_asked(kapstok, admin):
    from bot.domain.preferences import Kind

    sofie = await approved_member(kapstok, admin, language="en")
    await kapstok.app.bot_data.store.preferences.turn(sofie.user_id, Kind.CHECKINS, False)
    await _round(kapstok, admin)
    assert not any("📊" in m.text for m in sofie.inbox)


async def test_a_round_goes_on_after_a_restart(kapstok, admin):
    sofie = await approved_member(kapstok, admin, language="en")
    await _round(kapstok, admin)
    await sofie.press_data(callbacks.BAROMETER_SCORE.data(1, 1, 5), on=_ballot(sofie))
    await kapstok.restart()
    await _score_all(sofie, [5, 4, 4, 4, 4])
    await sofie.press_data(callbacks.BAROMETER_SUBMIT.data(1), on=_ballot(sofie))
    assert "Thank you!" in sofie.last.text
    answers = await kapstok.app.bot_data.store.barometer.answers(1)
    assert answers[0].scores[1] == 5
