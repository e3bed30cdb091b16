"""`python -m bot` runs Kapstok; `python -m bot backup [FILE]` copies its database safely."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.application import build_application
from bot.config import Config, ConfigError, load_config
from bot.i18n import CatalogError
from bot.polling import poll
from bot.webhook import WebhookServer
from storage import Store
from storage.migrations import MigrationError


async def run(config: Config) -> None:
    """Poll Telegram until SIGINT or SIGTERM; stop cleanly: what arrived is handled first."""
    application = await build_application(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    inbox = application.bot_data.inbox
    try:
        await application.initialize()
    except BaseException:
        await application.bot_data.store.close()  # its thread would keep the process alive
        raise
    try:
        await application.post_init(application)
        await application.start()
        await inbox.replay()
        if config.webhook_url:
            receive = await _serve_webhook(application, config)
        else:
            receive = _Polling(asyncio.create_task(poll(application, inbox, stop)))
        logging.getLogger("kapstok").info("Kapstok is running as @%s", application.bot.username)
        await stop.wait()
        await receive.stop()
        await inbox.drain()
        # Before the bot's connections close: a send cut off mid-way would go again.
        await application.bot_data.outbox.stop()
        await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


class _Polling:
    def __init__(self, task: asyncio.Task) -> None:
        self._task = task

    async def stop(self) -> None:
        """End a long poll at once: what it fetched and did not store is fetched again."""
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def _serve_webhook(application: Application, config: Config) -> WebhookServer:
    """Listen for Telegram's posts, then tell Telegram where to post."""
    inbox = application.bot_data.inbox

    async def accept(raw: dict) -> None:
        await inbox.accept([raw])

    async def health() -> dict:
        return {"status": "ok", "mode": "webhook", **await application.bot_data.backlog()}

    server = WebhookServer(
        path=config.webhook_path, secret=config.webhook_secret, accept=accept, health=health
    )
    await server.start(config.webhook_listen, config.webhook_port)
    # One connection at a time: Telegram sends the next update after our 200, so updates
    # arrive in order.
    await application.bot.set_webhook(
        url=config.webhook_url,
        secret_token=config.webhook_secret,
        allowed_updates=Update.ALL_TYPES,
        max_connections=1,
        drop_pending_updates=False,
    )
    return server


async def backup(config: Config, destination: Path | None) -> Path:
    if destination is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = config.database_path.with_name(f"kapstok-backup-{stamp}.sqlite3")
    store = await Store.open(config.database_path)
    try:
        await store.backup(destination)
    finally:
        await store.close()
    return destination


def main(argv: list[str]) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        config = load_config()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    try:
        if argv[:1] == ["backup"]:
            target = asyncio.run(backup(config, Path(argv[1]) if len(argv) > 1 else None))
            print(f"Backup written to {target}")
            return 0
        if argv:
            print("usage: python -m bot [backup [FILE]]", file=sys.stderr)
            return 2
        asyncio.run(run(config))
    except (MigrationError, CatalogError, OSError) as error:
        print(f"Kapstok cannot start: {error}", file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "Kapstok cannot start: Telegram refuses BOT_TOKEN; check it with @BotFather.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as error:
        print(
            f"Kapstok cannot start: Telegram cannot be reached at TELEGRAM_BASE_URL ({error})",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
