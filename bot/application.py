"""build_application: the one factory that both `python -m bot` and the tests use."""

from __future__ import annotations

import warnings

from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

import handlers
from bot import gatekeeper, i18n
from bot.commands import register_bot_commands
from bot.config import Config
from bot.context import BotData, KapstokContext
from bot.errors import handle_error
from bot.inbox import Inbox
from bot.persistence import StorePersistence
from storage import Store
from storage.database import Clock, utc_now

# Our conversations are per user, not per message; PTB warns about that for every button.
warnings.filterwarnings("ignore", message=r".*per_message=False.*", category=PTBUserWarning)


async def on_startup(application: Application) -> None:
    await register_bot_commands(application)


async def on_shutdown(application: Application) -> None:
    await application.bot_data.store.close()


async def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock = utc_now,
    rate_limit: bool = True,
) -> Application:
    """Open the store and assemble the bot; call `initialize()` and `post_init` next."""
    i18n.setup(config.default_language, config.timezone)
    store = await Store.open(config.database_path, clock)
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
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    application.bot_data.store = store
    application.bot_data.config = config
    application.bot_data.inbox = Inbox(application, store)

    gatekeeper.register(application)
    handlers.register(application)
    application.add_error_handler(handle_error)
    return application
