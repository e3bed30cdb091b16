"""Kapstok 4's page: what it is about; its FAQ."""

from __future__ import annotations

from bot.domain.kapstokken import ACTIVITIES
from handlers.pages import KapstokPage

PAGE = KapstokPage(ACTIVITIES)


def build_handlers() -> list:
    return PAGE.build_handlers()
