"""Kapstok 3's page: what it is about; its FAQ."""

from __future__ import annotations

from bot.domain.kapstokken import COOPERATION
from handlers.pages import KapstokPage

PAGE = KapstokPage(COOPERATION)


def build_handlers() -> list:
    return PAGE.build_handlers()
