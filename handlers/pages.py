"""A kapstok's page: what it is about, the actions its package offers, its FAQ, and the way
back to the menu. Every kapstok package builds its page with `KapstokPage`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import KapstokContext
from bot.domain.faq import FaqEntry
from bot.domain.kapstokken import Kapstok
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.ui import kapstok_title, menu_button, refuse, show

Actions = Callable[[KapstokContext], Awaitable[list[InlineKeyboardButton]]]
Details = Callable[[KapstokContext], Awaitable[str | None]]


async def faq_for_user(context: KapstokContext, kapstok: int | None = None) -> list[FaqEntry]:
    """FAQ entries in the user's language, else in the default language."""
    entries = await context.store.faq.entries(kapstok, current_language())
    if not entries and current_language() != context.config.default_language:
        entries = await context.store.faq.entries(kapstok, context.config.default_language)
    return entries


def faq_button(kapstok: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "📚 Frequently asked questions"),
        callback_data=callbacks.FAQ_KAPSTOK.data(kapstok),
    )


async def no_actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    return []


async def no_details(context: KapstokContext) -> str | None:
    return None


@dataclass(frozen=True)
class KapstokPage:
    """A kapstok as its page shows it; its actions are buttons of features that work."""

    kapstok: Kapstok
    actions: Actions = no_actions
    details: Details = no_details

    async def text(self, context: KapstokContext) -> str:
        kapstok = self.kapstok
        text = f"<b>{kapstok.number}. {kapstok_title(kapstok)}</b>\n\n{_(kapstok.intro)}"
        details = await self.details(context)
        return f"{text}\n\n{details}" if details else text

    async def open(self, update: Update, context: KapstokContext) -> None:
        """The page, in place of the menu it was opened from."""
        if not (context.profile.is_approved_member or context.is_liaison):
            await refuse(
                update,
                _("The kapstokken open once your association is confirmed by the municipality."),
            )
            return
        await update.callback_query.answer()
        rows = [[button] for button in await self.actions(context)]
        if await faq_for_user(context, self.kapstok.number):
            rows.append([faq_button(self.kapstok.number)])
        rows.append([menu_button()])
        await show(update.callback_query, await self.text(context), InlineKeyboardMarkup(rows))

    def build_handlers(self) -> list[BaseHandler]:
        number = str(self.kapstok.number)
        return [
            CallbackQueryHandler(
                self.open,
                pattern=lambda data: callbacks.KAPSTOK_PAGE.parse(data) == (number,),
            )
        ]
