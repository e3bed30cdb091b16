"""What a schedule's run sends: a barometer round to every board in its audience, or a
check-in; and a round's life after: one reminder after 7 days, closed after its days."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.audience import Audience
from bot.domain.barometer import reminder_due
from bot.domain.preferences import Kind
from bot.i18n import _
from handlers.bulk import today
from handlers.checkins import rows
from storage.schedules import Schedule

log = logging.getLogger(__name__)

TICK_SECONDS = 900


async def open_round(application: Application, schedule: Schedule) -> int:
    """Ask every board in the schedule's audience; return the round's number."""
    return await ask_boards(
        application, schedule.audience, schedule.open_days, schedule.schedule_id
    )


async def ask_boards(
    application: Application, audience: Audience, open_days: int, schedule_id: int | None = None
) -> int:
    store, config = application.bot_data.store, application.bot_data.config
    recipients = await store.audience.recipients(audience, Kind.CHECKINS, today(store, config))
    associations = {r.association_id for r in recipients}
    closes_at = store.now() + timedelta(days=open_days)
    round_id = await store.barometer.open_round(schedule_id, closes_at, len(associations))
    await queue(
        application,
        [rows.round_message(r.user_id, round_id, r.association_id) for r in recipients],
    )
    log.info("barometer round %s asks %s board(s)", round_id, len(associations))
    return round_id


async def send_checkin(application: Application, schedule: Schedule) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    recipients = await store.audience.recipients(
        schedule.audience, Kind.CHECKINS, today(store, config)
    )
    await queue(
        application,
        [
            rows.checkin(r.user_id, schedule.schedule_id, schedule.body or "", schedule.file_id)
            for r in recipients
        ],
    )


async def tend_rounds(application: Application) -> None:
    """Remind the boards that did not answer, once, after 7 days; close rounds whose time is
    up and tell the liaison group how many answered."""
    store, config = application.bot_data.store, application.bot_data.config
    now = store.now()
    for round_ in await store.barometer.not_closed():
        if now >= round_.closes_at:
            async with store.transaction():
                if not await store.barometer.close(round_.round_id):
                    continue
                answered = len(await store.barometer.answers(round_.round_id))
                with i18n.use_language(config.default_language):
                    text = _(
                        "📊 The barometer round of {date} is closed: {answered} of {asked} "
                        "associations answered. /barometer shows the results."
                    ).format(
                        date=i18n.format_date(round_.opened_at),
                        answered=answered,
                        asked=round_.asked,
                    )
                await queue(application, [message_row(config.liaison_chat_id, text)])
        elif reminder_due(round_.opened_at, round_.closes_at, round_.reminded_at is not None, now):
            async with store.transaction():
                if not await store.barometer.reminded(round_.round_id):
                    continue
                silent = set(await store.barometer.not_answered(round_.round_id))
                recipients = await store.audience.recipients(
                    Audience(), Kind.CHECKINS, today(store, config), only_associations=silent
                )
                await queue(
                    application,
                    [
                        rows.round_message(
                            r.user_id, round_.round_id, r.association_id, reminder=True
                        )
                        for r in recipients
                    ],
                )


async def tend_job(context: KapstokContext) -> None:
    await tend_rounds(context.application)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(tend_job, TICK_SECONDS, first=120, name="barometer")
