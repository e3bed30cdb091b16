"""Schedules at work: each is put on PTB's JobQueue at its next run; a run writes what it sends
(its outbox rows, a barometer round) and moves the schedule on, in one transaction, so a crash
makes it neither twice nor never. At start, a run missed while the bot was down is made once
when it is less than six hours late, else skipped with a notice in the liaison group.

What a run does depends on the schedule's content; the packages that own a content register
it in `CONTENTS` (a barometer round, a check-in, a broadcast written beforehand).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.schedules import catch_up, next_run
from bot.i18n import _
from storage.schedules import Schedule

log = logging.getLogger(__name__)

Run = Callable[[Application, Schedule], Awaitable[None]]
CONTENTS: dict[str, Run] = {}


def job_name(schedule_id: int) -> str:
    return f"schedule:{schedule_id}"


def first_run(application: Application, schedule: Schedule) -> datetime | None:
    """When a schedule runs next from now (for a new or resumed one)."""
    store, config = application.bot_data.store, application.bot_data.config
    return next_run(schedule.rule, store.now(), config.timezone)


def put_on_queue(application: Application, schedule_id: int, at: datetime | None) -> None:
    """(Re)place the schedule's job; None takes it off. The delay is counted on the store's
    clock, so that a test's clock never makes a job fire in real time."""
    take_off_queue(application, schedule_id)
    if at is None:
        return
    delay = max((at - application.bot_data.store.now()).total_seconds(), 0.0)
    application.job_queue.run_once(_run_job, delay, data=schedule_id, name=job_name(schedule_id))


def take_off_queue(application: Application, schedule_id: int) -> None:
    for job in application.job_queue.get_jobs_by_name(job_name(schedule_id)):
        job.schedule_removal()


async def _run_job(context: KapstokContext) -> None:
    await run_due(context.application)


async def run_due(application: Application, *, starting: bool = False) -> list[int]:
    """Make every run that is due now (missed ones too, at start: once, or skipped when too
    late); put each schedule on the queue for its next run. Return the ids that ran."""
    store = application.bot_data.store
    ran = []
    for schedule in await store.schedules.due(store.now()):
        if await _run(application, schedule):
            ran.append(schedule.schedule_id)
    if starting:
        for schedule in await store.schedules.active():
            if not schedule.paused:
                put_on_queue(application, schedule.schedule_id, schedule.next_run_at)
    return ran


async def _run(application: Application, schedule: Schedule) -> bool:
    store, config = application.bot_data.store, application.bot_data.config
    now = store.now()
    decision = catch_up(schedule.next_run_at, now)
    following = next_run(schedule.rule, now, config.timezone)
    run = CONTENTS.get(schedule.content)
    async with store.transaction():
        if not await store.schedules.advance(
            schedule.schedule_id, schedule.next_run_at, following, decision.run
        ):
            return False  # another run of this moment got there first
        if decision.run and run is not None:
            await run(application, schedule)
        elif not decision.run:
            await _tell_skipped(application, schedule, decision.late)
    put_on_queue(application, schedule.schedule_id, following)
    if decision.run:
        log.info("schedule %s ran (%s)", schedule.schedule_id, schedule.content)
    return decision.run


async def _tell_skipped(application: Application, schedule: Schedule, late) -> None:
    config = application.bot_data.config
    with i18n.use_language(config.default_language):
        text = _(
            "⏰ Schedule #{number} ({content}) should have run on {moment}, while Kapstok was "
            "not running. It is {late} late, too late to make up for: this run is skipped."
        ).format(
            number=schedule.schedule_id,
            content=content_label(schedule.content),
            moment=i18n.format_datetime(schedule.next_run_at),
            late=i18n.format_age(late),
        )
    await queue(application, [message_row(config.liaison_chat_id, text)])


def content_label(content: str) -> str:
    return {
        "barometer": lambda: _("barometer round"),
        "checkin": lambda: _("check-in"),
        "broadcast": lambda: _("broadcast"),
    }[content]()


def schedule(application: Application) -> None:
    """At start: missed runs first, then every schedule on the queue."""

    async def at_start(application: Application) -> None:
        await run_due(application, starting=True)

    application.bot_data.on_start.append(at_start)
