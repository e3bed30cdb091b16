"""The five kapstokken: their pages, and the button that opens each from the menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.i18n import _

PAGE_PREFIX = "k:"


@dataclass(frozen=True)
class KapstokPage:
    """A kapstok as the menu shows it; its actions are buttons of features that work."""

    number: int
    emoji: str
    title: str
    intro: str
    actions: Callable[[KapstokContext], Awaitable[list[InlineKeyboardButton]]] | None = None
    details: Callable[[KapstokContext], Awaitable[str | None]] | None = None

    @property
    def callback_data(self) -> str:
        return f"{PAGE_PREFIX}{self.number}"

    def button_label(self) -> str:
        return f"{self.emoji} {_(self.title)}"

    async def text(self, context: KapstokContext) -> str:
        text = f"<b>{self.number}. {_(self.title)}</b>\n\n{_(self.intro)}"
        details = await self.details(context) if self.details else None
        return f"{text}\n\n{details}" if details else text

    async def buttons(self, context: KapstokContext) -> list[InlineKeyboardButton]:
        return await self.actions(context) if self.actions else []


def _pages() -> tuple[KapstokPage, ...]:
    from handlers import activities, between_associations, guidance, relationship, support

    return tuple(
        module.PAGE
        for module in (relationship, guidance, between_associations, activities, support)
    )


PAGES: tuple[KapstokPage, ...] = _pages()


def page_by_number(number: int) -> KapstokPage | None:
    return next((page for page in PAGES if page.number == number), None)
