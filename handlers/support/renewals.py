"""The way to a recognition's renewal date: 60 and 14 days before it the board is reminded (an
optional message, 🔕); on the date the recognition expires and the association's topic hears it.

A repeating job calls `tend_recognitions`, which tests call directly."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.domain.audience import Audience
from bot.domain.preferences import Kind
from bot.domain.recognition import REMINDER_DAYS, Recognition, due
from bot.i18n import _, ngettext
from handlers.bulk import BULK, today, with_fewer
from handlers.threads import rows
from handlers.ui import esc

log = logging.getLogger(__name__)

TICK_SECONDS = 3600


async def tend_recognitions(application: Application) -> int:
    """Queue the reminders and expiries due today, each once; how many were due."""
    store, config = application.bot_data.store, application.bot_data.config
    day = today(store, config)
    done = 0
    for recognition in await store.recognition.renewing_until(
        day + timedelta(days=max(REMINDER_DAYS))
    ):
        what = due(recognition, day)
        if what.nothing:
            continue
        async with store.transaction():
            if what.expire:
                if await store.recognition.expire(
                    recognition.association_id, recognition.renews_on
                ):
                    await _tell_topic(application, recognition)
                    done += 1
            elif await store.recognition.mark_reminded(
                recognition.association_id, recognition.renews_on, what.reminder
            ):
                await _remind(application, recognition, what.days_left)
                done += 1
    return done


async def _remind(application: Application, recognition: Recognition, days_left: int) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    association = await store.associations.get(recognition.association_id)
    recipients = await store.audience.recipients(
        Audience(),
        Kind.REMINDERS,
        today(store, config),
        only_associations={recognition.association_id},
    )
    queued = []
    for recipient in recipients:
        with i18n.use_language(recipient.language):
            text = ngettext(
                "🔔 The recognition of {association} is up for renewal on {date}, in {count} "
                "day. Apply for the renewal through kapstok 1 (💬 Contact the liaison).",
                "🔔 The recognition of {association} is up for renewal on {date}, in {count} "
                "days. Apply for the renewal through kapstok 1 (💬 Contact the liaison).",
                days_left,
            ).format(
                association=esc(association.name),
                date=i18n.format_day(recognition.renews_on),
                count=days_left,
            )
            keyboard = with_fewer(Kind.REMINDERS)
        queued.append(message_row(recipient.user_id, text, keyboard, priority=BULK))
    await queue(application, queued)
    log.info("recognition of %s: %s reminder(s)", recognition.association_id, len(queued))


async def _tell_topic(application: Application, recognition: Recognition) -> None:
    store, config = application.bot_data.store, application.bot_data.config
    association = await store.associations.get(recognition.association_id)
    with i18n.use_language(config.default_language):
        text = _("⌛ The recognition of {association} expired today ({date}).").format(
            association=esc(association.name), date=i18n.format_day(recognition.renews_on)
        )
    await queue(
        application,
        [rows.topic_notice(config.liaison_chat_id, recognition.association_id, text)],
    )


async def tend_job(context: KapstokContext) -> None:
    await tend_recognitions(context.application)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(tend_job, TICK_SECONDS, first=180, name="recognition")
