"""`python -m bot` runs Kapstok; `python -m bot backup [FILE]` copies its database safely."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update

from bot.application import build_application
from bot.config import Config, ConfigError, load_config
from bot.i18n import CatalogError
from storage import Store
from storage.migrations import MigrationError


async def run(config: Config) -> None:
    """Poll Telegram until SIGINT or SIGTERM; shut down cleanly, persisting everything."""
    application = await build_application(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        logging.getLogger("kapstok").info("Kapstok is running as @%s", application.bot.username)
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


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
    except (MigrationError, CatalogError) as error:
        print(f"Kapstok cannot start: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
