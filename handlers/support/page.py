"""Kapstok 5's page: what it is about; its FAQ."""

from __future__ import annotations

from bot.domain.kapstokken import SUPPORT
from handlers.pages import KapstokPage

PAGE = KapstokPage(SUPPORT)


def build_handlers() -> list:
    return PAGE.build_handlers()
