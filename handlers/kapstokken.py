"""The five kapstokken: their pages, and the button that opens each from the menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    actions: Callable[[KapstokContext], list[InlineKeyboardButton]] = field(
        default=lambda context: []
    )

    @property
    def callback_data(self) -> str:
        return f"{PAGE_PREFIX}{self.number}"

    def button_label(self) -> str:
        return f"{self.emoji} {_(self.title)}"

    def text(self) -> str:
        return f"<b>{self.number}. {_(self.title)}</b>\n\n{_(self.intro)}"


def _pages() -> tuple[KapstokPage, ...]:
    from handlers import activities, between_associations, guidance, relationship, support

    return tuple(
        module.PAGE
        for module in (relationship, guidance, between_associations, activities, support)
    )


PAGES: tuple[KapstokPage, ...] = _pages()


def page_by_number(number: int) -> KapstokPage | None:
    return next((page for page in PAGES if page.number == number), None)
