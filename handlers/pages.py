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
from bot.domain.textsearch import Query
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.ui import kapstok_title, menu_button, refuse, show

Actions = Callable[[KapstokContext], Awaitable[list[InlineKeyboardButton]]]
Details = Callable[[KapstokContext], Awaitable[str | None]]


async def faq_for_user(
    context: KapstokContext,
    kapstok: int | None = None,
    *,
    limit: int | None = None,
    matching: Query | None = None,
) -> list[FaqEntry]:
    """FAQ entries in the user's language, else (when there are none) in the default language:
    in order, at most `limit`; or, with `matching`, the entries that match that search, best
    first (textsearch.search, or textsearch.offer before a question is sent)."""
    faq = context.store.faq
    language, default = current_language(), context.config.default_language
    if matching is not None:
        if language != default and not await faq.has_entries(kapstok, language):
            language = default
        return await faq.search(matching, language, kapstok)
    entries = await faq.entries(kapstok, language, limit)
    if not entries and language != default:
        entries = await faq.entries(kapstok, default, limit)
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
        if await faq_for_user(context, self.kapstok.number, limit=1):
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
