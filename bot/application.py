"""build_application: the one factory that both `python -m bot` and the tests use."""

from __future__ import annotations

import os
import warnings

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest
from telegram.warnings import PTBUserWarning

import handlers
from bot import deliveries, gatekeeper, i18n, maintenance
from bot.commands import register_bot_commands
from bot.config import Config
from bot.context import BotData, KapstokContext
from bot.domain.pacing import Budget
from bot.errors import handle_error
from bot.inbox import Inbox
from bot.outbox import Outbox
from bot.pacedrequest import PacedRequest
from bot.persistence import StorePersistence
from storage import Store
from storage.database import Clock, utc_now

# Our conversations are per user, not per message; PTB warns about that for every button.
warnings.filterwarnings("ignore", message=r".*per_message=False.*", category=PTBUserWarning)
# Durations from Telegram (a 429's retry_after) as timedelta, the coming PTB default, without a
# deprecation warning for each of them.
os.environ.setdefault("PTB_TIMEDELTA", "true")


async def on_startup(application: Application) -> None:
    await register_bot_commands(application)
    await application.bot_data.outbox.start(in_background=application.bot_data.send_in_background)
    for catch_up in application.bot_data.on_start:
        await catch_up(application)


async def on_shutdown(application: Application) -> None:
    await application.bot_data.outbox.stop()
    await application.bot_data.store.close()


async def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock = utc_now,
    budget: Budget | None = None,
    send_in_background: bool = True,
) -> Application:
    """Open the store and assemble the bot; call `initialize()` and `post_init` next.

    Every Bot API call goes through one PacedRequest and one send budget (`budget`: Telegram's
    limits unless a test gives others), the outbox's and the handlers' alike."""
    i18n.setup(config.default_language, config.timezone)
    store = await Store.open(config.database_path, clock)
    budget = budget or Budget()
    paced = PacedRequest(request or HTTPXRequest(connection_pool_size=32), budget)
    builder = (
        ApplicationBuilder()
        .token(config.bot_token)
        .base_url(config.base_url)
        .base_file_url(config.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=KapstokContext, bot_data=BotData))
        .persistence(StorePersistence(store))
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        # Kapstok polls (bot.polling) and serves its webhook (bot.webhook) itself, so that an
        # update is stored before Telegram is told it arrived.
        .updater(None)
    )
    builder = builder.request(paced)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    application.bot_data.store = store
    application.bot_data.config = config
    application.bot_data.inbox = inbox = Inbox(application, store)
    application.bot_data.outbox = outbox = Outbox(store, budget)
    application.bot_data.send_in_background = send_in_background
    inbox.after_update.append(outbox.wake_if_queued)
    deliveries.register(outbox, application)

    gatekeeper.register(application)
    handlers.register(application)
    application.add_error_handler(handle_error)
    maintenance.schedule(application)
    return application
