"""Deadline reminders: 30 and 7 days before a subsidy type's deadline, the boards of eligible
associations (approved; recognised when the type requires it) that did not request it since the
deadline before are reminded, each once: an optional message (*reminders* in /settings, 🔕),
sent to many through the outbox.

A repeating job calls `remind_deadlines`, which tests call directly."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import InlineKeyboardButton
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.audience import Audience
from bot.domain.preferences import Kind
from bot.domain.subsidies import Reminder, SubsidyType, due_reminders
from bot.i18n import ngettext, pgettext
from handlers import callbacks
from handlers.bulk import BULK, today, with_fewer
from handlers.support.subsidy_card import amount
from handlers.ui import esc

log = logging.getLogger(__name__)

TICK_SECONDS = 3600


async def remind_deadlines(application: Application) -> int:
    """Queue the reminders due today, each once; how many associations were reminded."""
    store, config = application.bot_data.store, application.bot_data.config
    day = today(store, config)
    done = 0
    for subsidy_type in await store.subsidies.types():
        candidates = await store.subsidies.candidates(subsidy_type.type_id, config.timezone)
        for reminder in due_reminders(subsidy_type, day, candidates):
            async with store.transaction():
                if await store.subsidies.mark_reminded(
                    reminder.type_id, reminder.association_id, reminder.deadline, reminder.days
                ):
                    await _remind(application, subsidy_type, reminder)
                    done += 1
    return done


async def _remind(application: Application, subsidy_type: SubsidyType, reminder: Reminder) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    recipients = await store.audience.recipients(
        Audience(),
        Kind.REMINDERS,
        today(store, config),
        only_associations={reminder.association_id},
    )
    batch = (
        f"subsidy_reminder:{reminder.type_id}:{reminder.deadline.isoformat()}:"
        f"{reminder.association_id}:{reminder.days}"
    )
    rows = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            text = ngettext(
                "🔔 The deadline for <b>{name}</b> (at most {maximum}) is {date}, in {count} "
                "day. Your association has not requested it yet: request it from kapstok 5.",
                "🔔 The deadline for <b>{name}</b> (at most {maximum}) is {date}, in {count} "
                "days. Your association has not requested it yet: request it from kapstok 5.",
                reminder.days_left,
            ).format(
                name=esc(subsidy_type.name(recipient.language)),
                maximum=amount(subsidy_type.max_cents),
                date=i18n.format_day(reminder.deadline),
                count=reminder.days_left,
            )
            keyboard = with_fewer(
                Kind.REMINDERS,
                [
                    [
                        InlineKeyboardButton(
                            pgettext("button", "💶 Request a subsidy"),
                            callback_data=callbacks.SUBSIDY_TYPE.data(subsidy_type.type_id),
                        )
                    ]
                ],
            )
        row = message_row(recipient.user_id, text, keyboard, priority=BULK)
        rows.append(replace(row, batch=batch))
    await queue(application, rows)
    log.info(
        "subsidy %s, deadline %s: %s reminder(s) to association %s",
        reminder.type_id,
        reminder.deadline,
        len(rows),
        reminder.association_id,
    )


async def remind_job(context: KapstokContext) -> None:
    await remind_deadlines(context.application)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(
        remind_job, TICK_SECONDS, first=240, name="subsidy_reminders"
    )
