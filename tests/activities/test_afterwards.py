"""The day before an activity its organiser's board and confirmed partners are reminded (an
optional message); the day after, the organiser's board says how it went, and a low score
opens a thread for the municipality."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.preferences import Kind
from bot.domain.requests import Status
from handlers.activities import afterwards
from tests.activities.conftest import listed, plan
from tests.client import label, say
from tests.stories import approved_member
from tests.support.requesting import gear_request


async def borrowed_for(kapstok, member, title: str) -> None:
    """Gear the member's association picked up for its activity with this title."""
    store = kapstok.app.bot_data.store
    activity = next(a for a in await store.activities.everything() if a.title == title)
    number = await gear_request(kapstok, member, activity_id=activity.activity_id)
    request = await store.gear_requests.get(number)
    await store.gear_requests.approve(
        number, {line.item_id: line.quantity for line in request.lines}, None
    )
    assert await store.gear_requests.picked_up(number, None, True)


async def test_reminders_the_day_before_and_how_it_went_the_day_after(kapstok, admin, boards):
    sofie, pierre = boards
    lies = await approved_member(kapstok, admin, 301, "Lies", "nl", "Fanfare De Eendracht")
    await listed(kapstok, lies)
    await plan(
        sofie,
        title="Quiz",
        start="03/12/2026 19:00",
        end="23:00",
        partners=("Chiro Sint-Pieter", "Fanfare De Eendracht"),
    )
    await pierre.press(label("fr", "✅ We take part"))
    await lies.press(label("nl", "❌ Decline"))
    await borrowed_for(kapstok, sofie, "Quiz")
    before = {p.user_id: len(p.inbox) for p in (sofie, pierre, lies)}

    kapstok.clock.now = datetime(2026, 12, 2, 7, 59, tzinfo=UTC)  # 08:59 in Brussels
    await kapstok.run_job(afterwards.tend_job)
    assert {p.user_id: len(p.inbox) for p in (sofie, pierre, lies)} == before
    kapstok.clock.now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    await kapstok.run_job(afterwards.tend_job)  # once only
    assert len(sofie.inbox) == before[sofie.user_id] + 1
    assert len(pierre.inbox) == before[pierre.user_id] + 1
    assert len(lies.inbox) == before[lies.user_id]
    assert sofie.last.text.startswith(say("nl", "🔔 Tomorrow: {title}", title="Quiz"))
    assert pierre.last.text.startswith(say("fr", "🔔 Tomorrow: {title}", title="Quiz"))
    assert label("fr", "🔕 Fewer messages like this") in pierre.last.buttons

    kapstok.clock.now = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    await kapstok.run_job(afterwards.tend_job)
    question = sofie.last
    assert "Quiz" in question.text and label("nl", "✅ All back") in question.buttons
    assert "Quiz" not in pierre.last.text or pierre.last.text.startswith("🔔")
    # A partner's board member may not answer for the organiser.
    store = kapstok.app.bot_data.store
    quiz = (await store.activities.everything())[0]
    await pierre.press_data(f"act:score:{quiz.activity_id}:5", on=pierre.last)
    assert pierre.alerts[-1] == say("fr", "This button is no longer valid.")

    await sofie.press(label("nl", "❗ Not all back"))
    await sofie.press("2")
    told = sofie.last.text
    assert told.startswith(
        say(
            "nl",
            "Sorry it did not go well. The municipality will get back "
            "to you about it: /threads shows #{number}.",
            number=1,
        )[:20]
    )
    topic = kapstok.in_topic(kapstok.topic_of("KSA Sint-Jan"))
    assert any("Quiz" in m.text and "2" in m.text for m in topic)
    await sofie.press(label("nl", "💬 Comment"), on=question)
    await sofie.send("Er waren te weinig stoelen.")
    assert sofie.last.text.startswith(say("nl", "Thank you! Your comment is noted."))
    topic = kapstok.in_topic(kapstok.topic_of("KSA Sint-Jan"))
    assert any("te weinig stoelen" in m.text for m in topic)
    evaluation = await store.activities.evaluation(quiz.activity_id)
    assert (evaluation.score, evaluation.gear_back) == (2, False)
    assert evaluation.comment == "Er waren te weinig stoelen."
    assert evaluation.thread_id is not None
    # A second low score opens no second thread.
    await sofie.press("1", on=question)
    assert (await store.activities.evaluation(quiz.activity_id)).thread_id == evaluation.thread_id


async def test_no_reminder_for_who_turned_reminders_off_nor_for_a_cancelled_activity(
    kapstok, boards
):
    sofie, _pierre = boards
    store = kapstok.app.bot_data.store
    await store.preferences.turn(sofie.user_id, Kind.REMINDERS, False)
    await plan(sofie, title="Quiz", start="03/12/2026 19:00", end="23:00")
    await plan(sofie, title="Geannuleerd", start="03/12/2026 10:00", end="11:00", place="Elders")
    cancelled = next(a for a in await store.activities.everything() if a.title == "Geannuleerd")
    await store.activities.cancel(cancelled.activity_id)
    count = len(sofie.inbox)
    kapstok.clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    assert len(sofie.inbox) == count
    kapstok.clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    assert len(sofie.inbox) == count + 1  # asked how the quiz went: not optional
    assert "Quiz" in sofie.last.text


async def test_forgetme_leaves_no_trace_of_who_planned_answered_and_evaluated(
    kapstok, admin, boards
):
    from tests.common.test_privacy import forget, found_in_files, found_in_tables

    sofie, _ = boards
    # A user id that no date or escaped character in a stored text contains.
    pierre = await approved_member(kapstok, admin, 777, "Wout", "fr", "Scouts Sint-Pieter")
    await listed(kapstok, pierre)
    await plan(
        sofie, title="Quiz", start="03/12/2026 19:00", end="23:00", partners=("Scouts Sint-Pieter",)
    )
    await pierre.press(label("fr", "✅ We take part"))
    kapstok.clock.now = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    await sofie.press("1")
    await sofie.press(label("nl", "💬 Comment"))
    await sofie.send("Het regende.")
    assert found_in_tables(kapstok, sofie) and found_in_tables(kapstok, pierre)
    await forget(sofie)
    await forget(pierre)
    assert found_in_tables(kapstok, sofie) == []
    assert found_in_tables(kapstok, pierre) == []
    assert found_in_files(kapstok, sofie) == [] and found_in_files(kapstok, pierre) == []
    store = kapstok.app.bot_data.store
    activity = (await store.activities.everything())[0]
    assert activity.title == "Quiz" and activity.partners[0].status.value == "confirmed"
    assert (await store.activities.evaluation(activity.activity_id)).comment == "Het regende."


async def test_a_reminder_sent_late_on_the_day_itself_says_today(kapstok, boards):
    sofie, _ = boards
    await plan(sofie, title="Quiz", start="03/12/2026 19:00", end="23:00")
    kapstok.clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # Kapstok was down yesterday
    await kapstok.run_job(afterwards.tend_job)
    assert sofie.last.text.startswith(say("nl", "🔔 Today: {title}", title="Quiz"))


async def test_a_french_board_says_how_it_went_without_a_thread_for_a_good_score(kapstok, boards):
    _, pierre = boards
    await plan(pierre, title="Fête", start="03/12/2026 19:00", end="23:00")
    await borrowed_for(kapstok, pierre, "Fête")
    kapstok.clock.now = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    question = pierre.last
    assert question.text.startswith(
        say("fr", "📝 <b>{title}</b> is over ({when}). How did it go?", title="Fête", when="x")[:5]
    )
    await pierre.press(label("fr", "✅ All back"), on=question)
    await pierre.press("4", on=question)
    assert pierre.alerts[-1] == say("fr", "Thank you!")
    assert say("fr", "Everything borrowed is back: {answer}", answer=say("fr", "yes")) in (
        pierre.last.text
    )
    store = kapstok.app.bot_data.store
    evaluation = (await store.activities.evaluations([1]))[1]
    assert (evaluation.score, evaluation.gear_back, evaluation.thread_id) == (4, True, None)


async def test_without_borrowed_gear_the_board_is_not_asked_about_it(kapstok, boards):
    sofie, _ = boards
    await plan(sofie, title="Wandeling", start="03/12/2026 19:00", end="23:00")
    activity = (await kapstok.app.bot_data.store.activities.everything())[0]
    rejected = await gear_request(kapstok, sofie, activity_id=activity.activity_id)
    await kapstok.app.bot_data.store.requests.move(
        rejected, Status.REJECTED, expected=Status.REQUESTED, actor=None
    )
    never_fetched = await gear_request(kapstok, sofie, activity_id=activity.activity_id)
    store = kapstok.app.bot_data.store
    lines = (await store.gear_requests.get(never_fetched)).lines
    await store.gear_requests.approve(
        never_fetched, {line.item_id: line.quantity for line in lines}, None
    )
    kapstok.clock.now = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    await kapstok.run_job(afterwards.tend_job)
    question = sofie.last
    assert "Wandeling" in question.text
    assert label("nl", "✅ All back") not in question.buttons
    assert question.text.endswith(
        say("nl", "Give it a score from 1 (badly) to 5 (very well). A comment is welcome too.")
    )
    await sofie.press("4", on=question)
    assert label("nl", "✅ All back") not in sofie.last.buttons
    assert say("nl", "Everything borrowed is back: {answer}", answer="–")[:10] not in (
        sofie.last.text
    )
