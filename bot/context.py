"""The typed context every handler gets: the store, the configuration and the sender's profile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Config
from bot.domain.people import Profile
from bot.inbox import Inbox
from bot.outbox import Outbox
from storage import Store

NOTICE_EVERY = timedelta(minutes=1)


@dataclass
class ErrorNotices:
    """Errors not yet reported to the liaison group, and when it was last told."""

    unreported: int = 0
    last_error: str = ""
    last_update: int | None = None
    last_notice: datetime | None = None
    flush_planned: bool = False

    def due(self, now: datetime) -> bool:
        return self.last_notice is None or now - self.last_notice >= NOTICE_EVERY


class BotData:
    """Services placed once in bot_data by build_application."""

    store: Store
    config: Config
    inbox: Inbox
    outbox: Outbox
    send_in_background: bool  # False: a test drives the outbox with drain()

    def __init__(self) -> None:
        # Whether the liaison group has forum topics; asked from Telegram when first needed.
        self.liaison_is_forum: bool | None = None
        # Albums arrive as one update per item: media_group_id -> where the first item went.
        self.media_groups: dict[str, dict] = {}
        self.error_notices = ErrorNotices()
        # People whose conversations ended from outside them (/forgetme): until they enter a
        # new one, no conversation takes their typed answers. In memory only, on purpose.
        self.conversations_ended: set[int] = set()
        # Run once the bot is up (the outbox running): what a start must catch up on.
        self.on_start: list[Callable[[Application], Awaitable[None]]] = []

    async def backlog(self) -> dict:
        """What waits: updates not handled yet, and sends not made yet (for /healthz)."""
        return {
            "inbox": await self.inbox.backlog(),
            "outbox": await self.store.outbox.backlog(),
        }


class KapstokContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to Kapstok's services and the sender's profile."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.profile: Profile | None = None

    @property
    def store(self) -> Store:
        return self.bot_data.store

    @property
    def config(self) -> Config:
        return self.bot_data.config

    @property
    def is_admin(self) -> bool:
        return self.profile is not None and self.config.is_admin(self.profile.user_id)

    @property
    def is_liaison(self) -> bool:
        """Admins are liaison officers too."""
        return self.profile is not None and (self.profile.is_liaison or self.is_admin)

    async def refresh_profile(self) -> Profile | None:
        """Read the sender's profile again after something changed it."""
        if self.profile is not None:
            self.profile = await self.store.profile(self.profile.user_id)
        return self.profile
