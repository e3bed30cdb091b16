"""Telegram handlers: one package per kapstok, plus threads, associations and common.

`register(application)` adds every package's handlers in the order below. Order matters in
python-telegram-bot: within a handler group the first handler that matches an update takes it.
"""

from __future__ import annotations

from telegram.ext import Application, ConversationHandler

from handlers import bulk, buttons
from handlers.activities import afterwards as activity_afterwards
from handlers.activities import calendar as activity_calendar
from handlers.activities import dossier as activity_dossier
from handlers.activities import liaison as activity_liaison
from handlers.activities import page as activities_page
from handlers.activities import partners as activity_partners
from handlers.activities import planning as activity_planning
from handlers.associations import approval, board, liaisons, onboarding
from handlers.broadcasts import compose, sending
from handlers.broadcasts import deliveries as broadcast_deliveries
from handlers.checkins import answering, results, rounds, runner, schedules
from handlers.checkins import deliveries as checkin_deliveries
from handlers.common import fallback, help, language, privacy, settings, start
from handlers.conversation import one_at_a_time
from handlers.cooperation import (
    call_answers,
    call_deliveries,
    call_liaison,
    calls,
    directory,
    introductions,
    profile,
)
from handlers.cooperation import page as cooperation_page
from handlers.guidance import faq, faq_admin
from handlers.guidance import page as guidance_page
from handlers.relationship import page as relationship_page
from handlers.support import (
    borrowing,
    borrowing_cancel,
    catalog_editing,
    catalog_import,
    gear_card,
    gear_decisions,
    gear_desk,
    gear_reminders,
    recognition,
    renewals,
    subsidy_card,
    subsidy_decisions,
    subsidy_reminders,
    subsidy_request,
    subsidy_types,
)
from handlers.support import catalog as gear_catalog
from handlers.support import page as support_page
from handlers.support import questions as request_questions
from handlers.support import requests as support_requests
from handlers.threads import albums, asking, deliveries, jobs, liaison, member, snippets, subjects

BUTTON_GATE_GROUP = -1  # after the gatekeeper (-2), before every handler
CONVERSATIONS_GROUP = 0
# Replies in the liaison group also run while their author is in a conversation there.
GROUP_REPLIES_GROUP = 1


def register(application: Application) -> None:
    config = application.bot_data.config
    chat = config.liaison_chat_id
    handlers = [
        # Later items of an album follow their first item, before any conversation sees them.
        *albums.build_handlers(application.bot_data.media_groups),
        # Conversations, each taking the messages of its own steps first.
        *asking.build_handlers(),
        *onboarding.build_handlers(),
        *approval.build_handlers(chat),
        # Before member's replies: a reply to its question is a date, not for a thread.
        *settings.build_handlers(),
        *member.build_handlers(),
        *liaison.build_handlers(chat),
        *faq_admin.build_handlers(chat),
        *schedules.build_handlers(chat),
        *compose.build_handlers(chat),
        *answering.build_handlers(),
        *profile.build_handlers(),
        *directory.build_handlers(),
        *introductions.build_handlers(),
        *calls.build_handlers(),
        *call_answers.build_handlers(),
        *call_liaison.build_handlers(chat),
        *activity_planning.build_handlers(),
        *borrowing.build_handlers(),
        *activity_afterwards.build_handlers(),
        *results.build_handlers(chat),
        *recognition.build_handlers(chat),
        *subsidy_types.build_handlers(chat),
        *subsidy_request.build_handlers(),
        *subsidy_decisions.build_handlers(chat),
        *request_questions.build_handlers(chat),
        *activity_dossier.build_handlers(chat),
        # /gear today before the catalog's /gear; the desk's conversations.
        *gear_desk.build_handlers(chat),
        *gear_decisions.build_handlers(chat),
        *catalog_editing.build_handlers(chat),
        *catalog_import.build_handlers(chat),
        *gear_catalog.build_handlers(chat),
        # Commands and buttons that stand alone.
        *faq.build_handlers(),
        *snippets.build_handlers(chat),
        *subjects.build_handlers(chat),
        *liaisons.build_handlers(chat),
        *board.build_handlers(chat),
        *activity_partners.build_handlers(),
        *activity_calendar.build_handlers(),
        *activity_liaison.build_handlers(chat),
        *support_requests.build_handlers(chat),
        *borrowing_cancel.build_handlers(),
        *privacy.build_handlers(),
        *start.build_handlers(),
        *help.build_handlers(),
        *language.build_handlers(),
        # The five kapstokken's pages.
        *relationship_page.build_handlers(),
        *guidance_page.build_handlers(),
        *cooperation_page.build_handlers(),
        *activities_page.build_handlers(),
        *support_page.build_handlers(),
        # Whatever nobody else took: an answer, never silence.
        *fallback.build_handlers(),
    ]
    application.add_handlers(buttons.build_handlers(), group=BUTTON_GATE_GROUP)
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            one_at_a_time(handler, application.user_data, application.bot_data.conversations_ended)
    application.add_handlers(handlers, group=CONVERSATIONS_GROUP)
    outbox = application.bot_data.outbox
    deliveries.register(outbox, application)
    broadcast_deliveries.register(outbox, application)
    checkin_deliveries.register(outbox, application)
    approval.register_deliveries(outbox, application)
    introductions.register_deliveries(outbox, application)
    call_deliveries.register(outbox, application)
    subsidy_card.register(outbox, application)
    gear_card.register(outbox, application)
    privacy.register_deliveries(
        outbox, application, approval.association_card, approval.association_card_keyboard
    )
    application.add_handlers(liaison.build_group_reply_handlers(chat), group=GROUP_REPLIES_GROUP)
    jobs.schedule(application)
    introductions.schedule(application)
    bulk.register(application)
    runner.CONTENTS["broadcast"] = sending.run_scheduled
    runner.CONTENTS["barometer"] = rounds.open_round
    runner.CONTENTS["checkin"] = rounds.send_checkin
    rounds.schedule(application)
    activity_afterwards.schedule(application)
    renewals.schedule(application)
    subsidy_reminders.schedule(application)
    gear_reminders.schedule(application)
    runner.schedule(application)
