"""Reminders of borrowed gear, in the municipality's time zone: the day before the pick-up and on
the return day to the board; when the gear is late, to the board on each of the first three days,
then once in the association's topic. Board reminders are optional (🔕, Kind.REMINDERS).

A repeating job calls `tend_gear`, which tests call directly (bot/domain/gear_reminders.py says
which reminder is due)."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.gear import GearItem
from bot.domain.gear_reminders import GearReminder, due_reminder, overdue_days
from bot.domain.preferences import Kind
from bot.domain.requests import GearRequest
from bot.i18n import _, ngettext
from handlers.bulk import BULK, today
from handlers.support.gear_decisions import items_text, pick_up_text, tell_board
from handlers.threads import rows
from handlers.ui import esc

log = logging.getLogger(__name__)

TICK_SECONDS = 3600


def pick_up_reminder(request: GearRequest, items: dict[int, GearItem]) -> str:
    return "\n".join(
        [
            _("🔔 Tomorrow you pick up the gear of request #{number}:").format(
                number=request.request_id
            ),
            *items_text(request, items),
            "",
            *pick_up_text(request, items),
        ]
    )


def return_reminder(request: GearRequest, items: dict[int, GearItem]) -> str:
    return "\n".join(
        [
            _("🔔 Today the gear of request #{number} goes back to the lending service:").format(
                number=request.request_id
            ),
            *items_text(request, items),
        ]
    )


def overdue_reminder(day):
    def write(request: GearRequest, items: dict[int, GearItem]) -> str:
        late = overdue_days(request.return_on, day)
        return "\n".join(
            [
                ngettext(
                    "⏰ The gear of request #{number} was due back on {date}, {count} day ago. "
                    "Please bring it back as soon as you can.",
                    "⏰ The gear of request #{number} was due back on {date}, {count} days ago. "
                    "Please bring it back as soon as you can.",
                    late,
                ).format(
                    number=request.request_id,
                    date=i18n.format_day(request.return_on),
                    count=late,
                ),
                *items_text(request, items),
            ]
        )

    return write


async def _tell_topic(application: Application, request: GearRequest, day) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    association = await store.associations.get(request.request.association_id)
    late = overdue_days(request.return_on, day)
    with i18n.use_language(config.default_language):
        text = ngettext(
            "⏰ Gear request #{number} of {association} is {count} day late (due back on "
            "{date}); its board was reminded.",
            "⏰ Gear request #{number} of {association} is {count} days late (due back on "
            "{date}); its board was reminded.",
            late,
        ).format(
            number=request.request_id,
            association=esc(association.name if association else "?"),
            count=late,
            date=i18n.format_day(request.return_on),
        )
    await queue(
        application,
        [rows.topic_notice(config.liaison_chat_id, request.request.association_id, text)],
    )


async def tend_gear(application: Application) -> int:
    """Queue the reminders due today, each once; how many were due."""
    store, config = application.bot_data.store, application.bot_data.config
    day = today(store, config)
    candidates = {
        request.request_id: request
        for request in [
            *await store.gear_requests.picking_up_on(day + timedelta(days=1)),
            *await store.gear_requests.returning_on(day),
            *await store.gear_requests.overdue(day),
        ]
    }
    done = 0
    for request in candidates.values():
        what = due_reminder(
            request.request.status.value,
            request.pick_up,
            request.return_on,
            day,
            reminded_pick_up=request.reminded_pick_up,
            reminded_return=request.reminded_return,
            overdue_reminders=request.overdue_reminders,
            overdue_in_topic=request.overdue_in_topic,
        )
        if what is None:
            continue
        number = request.request_id
        async with store.transaction():
            if what is GearReminder.PICK_UP:
                marked = await store.gear_requests.mark_reminded(number, "reminded_pick_up")
                write = pick_up_reminder
            elif what is GearReminder.RETURN:
                marked = await store.gear_requests.mark_reminded(number, "reminded_return")
                write = return_reminder
            elif what is GearReminder.OVERDUE:
                marked = await store.gear_requests.count_overdue_reminder(
                    number, request.overdue_reminders
                )
                write = overdue_reminder(day)
            else:
                marked = await store.gear_requests.mark_reminded(number, "overdue_in_topic")
                write = None
            if not marked:
                continue
            if write is None:
                await _tell_topic(application, request, day)
            else:
                await tell_board(application, request, write, kind=Kind.REMINDERS, priority=BULK)
            done += 1
    if done:
        log.info("gear reminders: %s", done)
    return done


async def tend_job(context: KapstokContext) -> None:
    await tend_gear(context.application)


def schedule(application: Application) -> None:
    """What fell due while Kapstok was not running goes at start; then every hour."""

    async def at_start(application: Application) -> None:
        await tend_gear(application)

    application.bot_data.on_start.append(at_start)
    application.job_queue.run_repeating(tend_job, TICK_SECONDS, first=240, name="gear_reminders")
