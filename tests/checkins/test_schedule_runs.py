"""Schedules run on their local time across both DST changes of 2027, once each, and survive
restarts: a run missed while the bot was down is made once at start when it is less than six
hours late, and skipped with a notice in the liaison group when it is later."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.audience import Audience
from bot.domain.schedules import Rule, next_run
from handlers.checkins import runner
from tests.stories import approved_member

BRUSSELS = ZoneInfo("Europe/Brussels")
CHECKIN = "Hoe gaat het met jullie? Laat gerust iets weten."


async def _schedule(kapstok, admin, rule: Rule) -> int:
    store = kapstok.app.bot_data.store
    schedule_id = await store.schedules.create(
        created_by=admin.user_id,
        created_by_name="Annelies",
        rule=rule,
        audience=Audience(),
        content="checkin",
        body=CHECKIN,
        next_run_at=next_run(rule, store.now(), BRUSSELS),
    )
    runner.put_on_queue(
        kapstok.app, schedule_id, (await store.schedules.get(schedule_id)).next_run_at
    )
    return schedule_id


async def _run_due(kapstok) -> list[int]:
    return await kapstok.run_job(lambda context: runner.run_due(context.application))


def _checkins(member) -> int:
    return sum(CHECKIN in m.text for m in member.inbox)


async def test_a_monthly_schedule_runs_once_a_month_over_both_dst_changes_and_a_restart(
    kapstok, admin
):
    member = await approved_member(kapstok, admin)
    kapstok.clock.now = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    monthly = await _schedule(kapstok, admin, Rule("monthly", time(2, 30), day=28))
    runs = []
    for month in range(1, 13):
        store = kapstok.app.bot_data.store  # a restart opens the store anew
        schedule = await store.schedules.get(monthly)
        kapstok.clock.now = schedule.next_run_at
        if month == 6:  # a restart just before June's run changes nothing
            kapstok.clock.now -= timedelta(minutes=5)
            await kapstok.restart()
            assert kapstok.app.job_queue.get_jobs_by_name(runner.job_name(monthly))
            kapstok.clock.now = schedule.next_run_at
            store = kapstok.app.bot_data.store
        assert await _run_due(kapstok) == [monthly]
        runs.append((await store.schedules.get(monthly)).last_run_at.astimezone(BRUSSELS))
        kapstok.clock.now += timedelta(hours=1, minutes=30)  # the hour that repeats in October
        assert await _run_due(kapstok) == []
    assert [(r.month, r.day, r.hour, r.minute) for r in runs] == [
        (m, 28, 3 if m == 3 else 2, 0 if m == 3 else 30) for m in range(1, 13)
    ]
    assert _checkins(member) == 12


async def test_on_the_night_the_clock_falls_back_a_0230_schedule_runs_once(kapstok, admin):
    member = await approved_member(kapstok, admin)
    kapstok.clock.now = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)
    once = await _schedule(kapstok, admin, Rule("once", time(2, 30), on=date(2027, 10, 31)))
    kapstok.clock.now = datetime(2027, 10, 30, 23, 0, tzinfo=UTC)
    assert await _run_due(kapstok) == []
    kapstok.clock.now = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert await _run_due(kapstok) == [once]
    kapstok.clock.now = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET, again
    assert await _run_due(kapstok) == []
    assert (await kapstok.app.bot_data.store.schedules.get(once)).finished
    assert _checkins(member) == 1


async def test_a_run_missed_while_down_is_made_once_at_start_when_less_than_six_hours_late(
    kapstok, admin
):
    member = await approved_member(kapstok, admin)
    schedule_id = await _schedule(kapstok, admin, Rule("monthly", time(9, 0), day=15))
    due = (await kapstok.app.bot_data.store.schedules.get(schedule_id)).next_run_at
    await kapstok.stop()
    kapstok.clock.now = due + timedelta(hours=5, minutes=59)
    await kapstok.start()
    await kapstok.drain_outbox()
    assert _checkins(member) == 1
    await kapstok.restart()
    await kapstok.drain_outbox()
    assert _checkins(member) == 1
    following = (await kapstok.app.bot_data.store.schedules.get(schedule_id)).next_run_at
    assert following.astimezone(BRUSSELS).month == (due.astimezone(BRUSSELS).month % 12) + 1


async def test_a_run_more_than_six_hours_late_is_skipped_with_a_notice(kapstok, admin):
    member = await approved_member(kapstok, admin)
    schedule_id = await _schedule(kapstok, admin, Rule("monthly", time(9, 0), day=15))
    due = (await kapstok.app.bot_data.store.schedules.get(schedule_id)).next_run_at
    await kapstok.stop()
    kapstok.clock.now = due + timedelta(hours=6, minutes=1)
    await kapstok.start()
    await kapstok.drain_outbox()
    assert _checkins(member) == 0
    assert any("⏰" in m.text and f"#{schedule_id}" in m.text for m in kapstok.group())
    schedule = await kapstok.app.bot_data.store.schedules.get(schedule_id)
    assert schedule.runs == 0 and schedule.next_run_at > kapstok.clock.now
