"""/directory: the associations that chose to be listed, for the board members of the others —
by kind, by what they offer or look for, or by words (/directory chiro; typos and accents do
not matter). Eight to a page, with ◀ ▶; each entry opens on its own, with the buttons other
features put under it (`ENTRY_BUTTONS`).

Only listed, approved associations are ever shown, never the asker's own, and never a contact.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import KapstokContext
from bot.domain import profiles
from bot.domain.associations import Association, AssociationKind
from bot.domain.profiles import AssociationProfile, Offer, Side
from bot.i18n import _, current_language, ngettext, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.cooperation.labels import entry_html, offer_label, shortened
from handlers.text import MESSAGE_LIMIT, plain_length
from handlers.ui import (
    esc,
    kind_label,
    menu_button,
    no_longer_valid,
    require_approved_member,
    show,
)
from handlers.ui import reply as _reply

EntryButtons = Callable[[KapstokContext, int], Awaitable[list[InlineKeyboardButton]]]


async def ask_button(context: KapstokContext, association_id: int) -> list[InlineKeyboardButton]:
    """Ask to be introduced (introductions.py takes it from there); not to one's own."""
    profile = context.profile
    if (
        profile is None
        or not profile.is_approved_member
        or profile.association_id == association_id
    ):
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "🤝 Ask for an introduction"),
            callback_data=callbacks.INTRO_ASK.data(association_id),
        )
    ]


async def plan_together_button(
    context: KapstokContext, association_id: int
) -> list[InlineKeyboardButton]:
    """Kapstok 4 takes it from here: a new activity with this association as its partner."""
    return [
        InlineKeyboardButton(
            pgettext("button", "📅 Plan an activity together"),
            callback_data=callbacks.ACTIVITY_WITH.data(association_id),
        )
    ]


# What an entry offers the board member who looks at it, under its text.
ENTRY_BUTTONS: tuple[EntryButtons, ...] = (ask_button, plan_together_button)

PAGE_SIZE = 8
WORDS = "directory.words"
TIMEOUT = timedelta(hours=1)
# The last search by words (its pages are turned with ◀ ▶), and the list an entry was opened
# from (its ⬅️ Back): kept in user_data, as callback data holds no words.
LAST_WORDS = "directory_words"
LAST_LIST = "directory_list"
MAX_WORDS = 200  # the characters of a search kept and read
SHOWN_WORDS = 40  # ... and shown
# Descriptions in a list are shortened to the first of these lengths that lets a page fit in
# one message; an entry on its own shows all of it.
DESCRIPTION_LENGTHS = (240, 160, 80, 0)


@dataclass
class Searching(Draft):
    """A board member typing words to search the directory for."""

    KEY = "directory_search"


def _button(label: str, button: callbacks.Button, *values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.data(*values))


def _directory_button() -> InlineKeyboardButton:
    return _button(pgettext("button", "⬅️ Directory"), callbacks.DIRECTORY)


# --- what the asker may see --------------------------------------------------------------------


async def others(
    context: KapstokContext,
    kinds: list[AssociationKind] | None = None,
    offers: list[Offer] | None = None,
    needs: list[Offer] | None = None,
) -> list[tuple[Association, AssociationProfile]]:
    """The listed, approved associations but the asker's own, by name, with their profiles."""
    own = context.profile.association_id if context.profile is not None else None
    found = []
    for profile in await context.store.profiles.listed(kinds, offers, needs):
        if profile.association_id == own:
            continue
        association = await context.store.associations.get(profile.association_id)
        if association is not None:
            found.append((association, profile))
    return found


async def search(context: KapstokContext, words: str) -> list[AssociationProfile]:
    """The listed, approved associations the words find (not the asker's own), best first:
    by name (rapidfuzz, typos and accents forgiven), then by description (stems)."""
    return [profile for _, profile in await _search(context, words)]


async def _search(
    context: KapstokContext, words: str
) -> list[tuple[Association, AssociationProfile]]:
    entries = await others(context)
    return profiles.find(
        words[:MAX_WORDS],
        current_language(),
        entries,
        lambda entry: (entry[0].name, entry[1].description, entry[1].language),
    )


# --- the home page -----------------------------------------------------------------------------


async def _home(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    entries = await others(context)
    own = await context.store.profiles.is_listed(context.profile.association_id)
    lines = [
        _("<b>🔎 The directory of associations</b>"),
        ngettext(
            "{count} other association chose to show itself here.",
            "{count} other associations chose to show themselves here.",
            len(entries),
        ).format(count=len(entries)),
        _(
            "Browse them by kind or by what they offer or look for, or search by name or words "
            "(also with /directory chiro, say)."
        ),
        "",
        _("Your association is listed too: others find it here.")
        if own
        else _("Your association is not listed: others cannot find it. 🪪 Our profile lists it."),
    ]
    counts = Counter(association.kind for association, _profile in entries)
    kinds = [
        _button(f"{kind_label(kind)} ({counts[kind]})", callbacks.DIRECTORY_KIND, kind.value, 1)
        for kind in AssociationKind
    ]
    rows = [kinds[index : index + 2] for index in range(0, len(kinds), 2)]
    rows.append(
        [
            _button(pgettext("button", "🎁 By what they offer"), callbacks.DIRECTORY_BY, "offers"),
            _button(
                pgettext("button", "🔍 By what they look for"), callbacks.DIRECTORY_BY, "needs"
            ),
        ]
    )
    rows.append(
        [_button(pgettext("button", "🔎 Search by name or words"), callbacks.DIRECTORY_SEARCH)]
    )
    rows.append(
        [
            _button(
                pgettext("button", "📋 All of them ({count})").format(count=len(entries)),
                callbacks.DIRECTORY_ALL,
                1,
            )
        ]
    )
    rows.append([_button(pgettext("button", "🪪 Our profile"), callbacks.PROFILE)])
    rows.append([menu_button()])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def home(update: Update, context: KapstokContext) -> None:
    """🔎 Directory, or /directory without words."""
    if not await require_approved_member(update, context):
        return
    await _reply(update, *await _home(context))


async def by(update: Update, context: KapstokContext) -> None:
    """Choose what the associations offer, or look for."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    side = Side(callbacks.DIRECTORY_BY.value(query.data))
    entries = await others(context)
    if side is Side.OFFERS:
        text = _("<b>🎁 What are you looking for?</b> The associations that offer it:")
    else:
        text = _("<b>🔍 What can you offer?</b> The associations that look for it:")
    rows = []
    for offer in Offer:
        count = sum(offer in profile.side(side) for _association, profile in entries)
        rows.append(
            [
                _button(
                    f"{offer_label(offer)} ({count})",
                    callbacks.DIRECTORY_OFFER,
                    side.value,
                    offer.value,
                    1,
                )
            ]
        )
    rows.append([_directory_button()])
    await query.answer()
    await show(query, text, InlineKeyboardMarkup(rows))


# --- a list, a page at a time -------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """What a list shows: its title, its entries, the data of its pages' buttons."""

    title: str  # HTML
    entries: list[tuple[Association, AssociationProfile]]
    page_data: Callable[[int], str]
    empty: str  # what it says without entries


def _page_text(listing: Listing, shown, first: int, page: int, pages: int, length: int) -> str:
    count = len(listing.entries)
    head = [
        _("<b>🔎 Directory</b> · {title}").format(title=listing.title),
        ngettext("{count} association", "{count} associations", count).format(count=count)
        + (" · " + _("page {page} of {pages}").format(page=page, pages=pages) if pages > 1 else ""),
    ]
    blocks = [
        entry_html(association, profile, first + index, length)
        for index, (association, profile) in enumerate(shown)
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join(blocks)


def render(listing: Listing, page: int) -> tuple[str, InlineKeyboardMarkup, int]:
    """A page of the list (the last one if there are fewer now), its keyboard, its number."""
    if not listing.entries:
        text = _("<b>🔎 Directory</b> · {title}").format(title=listing.title)
        return f"{text}\n\n{listing.empty}", InlineKeyboardMarkup([[_directory_button()]]), 1
    pages = math.ceil(len(listing.entries) / PAGE_SIZE)
    page = min(max(page, 1), pages)
    first = (page - 1) * PAGE_SIZE
    shown = listing.entries[first : first + PAGE_SIZE]
    for length in DESCRIPTION_LENGTHS:
        text = _page_text(listing, shown, first + 1, page, pages, length)
        if plain_length(text) <= MESSAGE_LIMIT:
            break
    rows = [
        [
            _button(
                f"{first + index + 1}. {shortened(association.name, 60)}",
                callbacks.DIRECTORY_ENTRY,
                association.association_id,
            )
        ]
        for index, (association, _profile) in enumerate(shown)
    ]
    navigation = []
    if page > 1:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "◀ Previous"), callback_data=listing.page_data(page - 1)
            )
        )
    if page < pages:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "Next ▶"), callback_data=listing.page_data(page + 1)
            )
        )
    if navigation:
        rows.append(navigation)
    rows.append([_directory_button()])
    return text, InlineKeyboardMarkup(rows), page


async def _show_listing(
    update: Update, context: KapstokContext, listing: Listing, page: int
) -> None:
    text, keyboard, page = render(listing, page)
    context.user_data[LAST_LIST] = listing.page_data(page)
    await _reply(update, text, keyboard)


async def _listing(context: KapstokContext, data: str) -> Listing | None:
    """The list a button's data names (None: not one of the lists, or no search kept)."""
    if callbacks.DIRECTORY_ALL.matches(data):
        return Listing(
            _("all of them"),
            await others(context),
            callbacks.DIRECTORY_ALL.data,
            _("No other association is listed yet."),
        )
    if callbacks.DIRECTORY_KIND.matches(data):
        kind = AssociationKind(callbacks.DIRECTORY_KIND.parse(data)[0])
        return Listing(
            esc(kind_label(kind)),
            await others(context, kinds=[kind]),
            lambda page: callbacks.DIRECTORY_KIND.data(kind.value, page),
            _("No association of this kind is listed yet."),
        )
    if callbacks.DIRECTORY_OFFER.matches(data):
        side, offer = callbacks.DIRECTORY_OFFER.parse(data)[:2]
        side, offer = Side(side), Offer(offer)
        if side is Side.OFFERS:
            title = _("they offer {offer}")
            entries = await others(context, offers=[offer])
        else:
            title = _("they look for {offer}")
            entries = await others(context, needs=[offer])
        return Listing(
            title.format(offer=esc(offer_label(offer).lower())),
            entries,
            lambda page: callbacks.DIRECTORY_OFFER.data(side.value, offer.value, page),
            _("No listed association says so yet."),
        )
    if callbacks.DIRECTORY_WORDS.matches(data):
        words = context.user_data.get(LAST_WORDS)
        if not isinstance(words, str) or not words.strip():
            return None
        return await _words_listing(context, words)
    return None


async def _words_listing(context: KapstokContext, words: str) -> Listing:
    return Listing(
        _("“{words}”").format(words=esc(shortened(words, SHOWN_WORDS))),
        await _search(context, words),
        callbacks.DIRECTORY_WORDS.data,
        _(
            "Nothing found. Try other or fewer words, or browse the directory by kind or by what "
            "associations offer."
        ),
    )


def _page_of(data: str) -> int:
    """The page a list's button names: its last value."""
    return int(data.rsplit(":", 1)[1])


async def listing_page(update: Update, context: KapstokContext) -> None:
    """A page of a list: all, of a kind, offering or looking for something, or found by words."""
    if not await require_approved_member(update, context):
        return
    data = update.callback_query.data
    listing = await _listing(context, data)
    if listing is None:
        await no_longer_valid(update)
        return
    await _show_listing(update, context, listing, _page_of(data))


async def directory_command(update: Update, context: KapstokContext) -> None:
    """/directory: the home page; /directory words: what the words find."""
    if not await require_approved_member(update, context):
        return
    words = " ".join(context.args or [])[:MAX_WORDS]
    if not words.strip():
        await home(update, context)
        return
    context.user_data[LAST_WORDS] = words
    await _show_listing(update, context, await _words_listing(context, words), 1)


# --- one entry ---------------------------------------------------------------------------------


async def entry(update: Update, context: KapstokContext) -> None:
    """An association on its own: all of its description, and the buttons of other features."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    association_id = callbacks.DIRECTORY_ENTRY.value(query.data)
    store = context.store
    profile = await store.profiles.get(association_id)
    association = await store.associations.get(association_id)
    if (
        association_id == context.profile.association_id
        or profile is None
        or association is None
        or not await store.profiles.is_listed(association_id)
    ):
        await no_longer_valid(update)
        return
    rows = []
    for buttons in ENTRY_BUTTONS:
        rows += [[button] for button in await buttons(context, association_id)]
    back = context.user_data.get(LAST_LIST)
    if isinstance(back, str) and any(
        button.matches(back)
        for button in (
            callbacks.DIRECTORY_ALL,
            callbacks.DIRECTORY_KIND,
            callbacks.DIRECTORY_OFFER,
            callbacks.DIRECTORY_WORDS,
        )
    ):
        rows.append([InlineKeyboardButton(pgettext("button", "⬅️ Back"), callback_data=back)])
    rows.append([_directory_button()])
    await query.answer()
    await show(query, entry_html(association, profile), InlineKeyboardMarkup(rows))


# --- searching by words: a conversation of one step ---------------------------------------------


async def ask_words(update: Update, context: KapstokContext) -> str | int:
    """🔎 Search by name or words: ask for them."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    Searching().save(context)
    await show(
        update.callback_query,
        _(
            "Type a name or a few words to look for, like “chiro”, “voetbal” or “a venue for a "
            "party”. Typos do not matter."
        ),
        InlineKeyboardMarkup([[_directory_button()]]),
    )
    return WORDS


async def receive_words(update: Update, context: KapstokContext) -> int:
    Searching.drop(context)
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    words = update.message.text[:MAX_WORDS]
    context.user_data[LAST_WORDS] = words
    await _show_listing(update, context, await _words_listing(context, words), 1)
    return ConversationHandler.END


async def not_words(update: Update, context: KapstokContext) -> None:
    await update.message.reply_text(_("Please send this as a text message."))


# --- the handlers ------------------------------------------------------------------------------

Callback = Callable[[Update, KapstokContext], Awaitable[None]]
LISTS = (
    callbacks.DIRECTORY_ALL,
    callbacks.DIRECTORY_KIND,
    callbacks.DIRECTORY_OFFER,
    callbacks.DIRECTORY_WORDS,
)
# The buttons that act on their own; pressed while words are asked for, they end that.
BUTTONS: tuple[tuple[Callable[[object], bool], Callback], ...] = (
    (callbacks.DIRECTORY.matches, home),
    (callbacks.DIRECTORY_BY.matches, by),
    (lambda data: any(button.matches(data) for button in LISTS), listing_page),
    (callbacks.DIRECTORY_ENTRY.matches, entry),
)


def _ending(callback: Callback):
    async def end(update: Update, context: KapstokContext) -> int:
        Searching.drop(context)
        await callback(update, context)
        return ConversationHandler.END

    return end


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    searching = ConversationHandler(
        name="directory",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(ask_words, pattern=callbacks.DIRECTORY_SEARCH.matches)],
        states={
            WORDS: [
                MessageHandler(private & TEXT, receive_words),
                MessageHandler(private & NOT_TEXT, not_words),
                *(
                    CallbackQueryHandler(_ending(callback), pattern=pattern)
                    for pattern, callback in BUTTONS
                ),
            ]
        },
        fallbacks=fallbacks(Searching.KEY),
    )
    return [
        searching,
        CommandHandler("directory", directory_command, filters=private),
        *(CallbackQueryHandler(callback, pattern=pattern) for pattern, callback in BUTTONS),
    ]
