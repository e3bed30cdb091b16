"""The lending service's catalog, kept by liaison officers (in the liaison group or in their
private chat): /gear shows it by category, a page at a time, with whatever follows the command
(`/gear today` is the desk's, registered before); an item opens with its rules, to edit field by
field (catalog_editing.py) or remove after a confirmation; *Add an item* asks every field in turn
(catalog_editing.py); *Export CSV* sends the catalog as a file that *Import CSV*
(catalog_import.py) reads back.

Also the words for an item and for reservations a lower stock no longer holds, which the editing
and the import show too."""

from __future__ import annotations

import io
import math
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.amounts import format_amount
from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from bot.domain.gear_catalog import (
    Misfit,
    Wrong,
    misfits,
    write_catalog_csv,
)
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.ui import esc, kind_label, no_longer_valid, require_liaison, show

PAGE_SIZE = 12
SHOWN_MISFITS = 15  # the rest are counted: one message holds them

# --- words ------------------------------------------------------------------------------------


def deposit_text(cents: int) -> str:
    return format_amount(Decimal(cents) / 100, i18n.current_language())


def kinds_text(item: GearItem) -> str:
    if not item.kinds:
        return _("every kind of association")
    known = [kind for kind in sorted(item.kinds) if kind in set(AssociationKind)]
    return ", ".join(kind_label(AssociationKind(kind)) for kind in known) or _(
        "every kind of association"
    )


def item_text(item: GearItem) -> str:
    """Everything about one item, for the liaison."""
    lines = [f"📦 <b>{esc(item.name_nl)}</b>"]
    others = [
        f"{code}: {esc(name)}"
        for code, name in (("fr", item.name_fr), ("en", item.name_en))
        if name
    ]
    if others:
        lines.append(" · ".join(others))
    lines += [
        _("Category: {category}").format(category=esc(item.category)),
        _("In stock: {stock} {unit}").format(stock=item.stock, unit=esc(item.unit)).rstrip(),
        _("Deposit: {amount} each").format(amount=deposit_text(item.deposit_cents)),
        _("Requested at least {min} and at most {max} days ahead").format(
            min=item.min_lead_days, max=item.max_lead_days
        ),
        ngettext(
            "Lent for at most {days} day", "Lent for at most {days} days", item.max_loan_days
        ).format(days=item.max_loan_days),
        _("For: {kinds}").format(kinds=kinds_text(item)),
        _("Recognition required: {answer}").format(
            answer=_("yes") if item.needs_recognition else _("no")
        ),
    ]
    if item.note:
        lines.append(_("Note before requesting: {note}").format(note=esc(item.note)))
    if item.pick_up_info:
        lines.append(_("Pick-up: {where}").format(where=esc(item.pick_up_info)))
    lines.append(_("Photo: {answer}").format(answer=_("yes") if item.photo_file_id else _("no")))
    return "\n".join(lines)


def _button_name(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the catalog ------------------------------------------------------------------------------


def _actions_rows() -> list[list[InlineKeyboardButton]]:
    return [
        [
            InlineKeyboardButton(
                pgettext("button", "➕ Add an item"), callback_data=callbacks.GEAR_ADD.data()
            )
        ],
        [
            InlineKeyboardButton(
                pgettext("button", "📤 Export CSV"), callback_data=callbacks.GEAR_EXPORT.data()
            ),
            InlineKeyboardButton(
                pgettext("button", "📥 Import CSV"), callback_data=callbacks.GEAR_IMPORT.data()
            ),
        ],
    ]


async def catalog_page(context: KapstokContext, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the catalog (the last one if there are fewer), by category."""
    items = await context.store.gear.catalog()
    if not items:
        text = _(
            "<b>The lending service's catalog</b>\n\nThe catalog is still empty. Add an item, "
            "or import a CSV file."
        )
        return text, InlineKeyboardMarkup(_actions_rows())
    pages = math.ceil(len(items) / PAGE_SIZE)
    page = min(max(page, 1), pages)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines = [_("<b>The lending service's catalog</b>")]
    category = None
    for item in shown:
        if item.category != category:
            category = item.category
            lines += ["", f"<b>{esc(category)}</b>"]
        lines.append(
            _("• {name}: {stock} {unit} · deposit {amount}").format(
                name=esc(item.name_nl),
                stock=item.stock,
                unit=esc(item.unit),
                amount=deposit_text(item.deposit_cents),
            )
        )
    if pages > 1:
        lines += ["", _("Page {page} of {pages}").format(page=page, pages=pages)]
    lines += ["", _("Open an item to change or remove it.")]
    buttons = [
        InlineKeyboardButton(
            _button_name(item.name_nl), callback_data=callbacks.GEAR_ITEM.data(item.item_id)
        )
        for item in shown
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    navigation = []
    if page > 1:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "◀ Previous"), callback_data=callbacks.GEAR_PAGE.data(page - 1)
            )
        )
    if page < pages:
        navigation.append(
            InlineKeyboardButton(
                pgettext("button", "Next ▶"), callback_data=callbacks.GEAR_PAGE.data(page + 1)
            )
        )
    if navigation:
        rows.append(navigation)
    return "\n".join(lines), InlineKeyboardMarkup(rows + _actions_rows())


async def show_catalog(update: Update, context: KapstokContext) -> None:
    """/gear (whatever follows it), or ◀ ▶ and ⬅️ Catalog: the catalog."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    if query is None:
        text, keyboard = await catalog_page(context, 1)
        await update.effective_message.reply_text(text, reply_markup=keyboard)
        return
    page = callbacks.GEAR_PAGE.value(query.data)
    if page is None:
        await no_longer_valid(update)
        return
    await query.answer()
    await show(query, *await catalog_page(context, page))


def item_keyboard(item: GearItem) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                pgettext("button", "✏️ Edit"), callback_data=callbacks.GEAR_EDIT.data(item.item_id)
            ),
            InlineKeyboardButton(
                pgettext("button", "🗑 Remove"),
                callback_data=callbacks.GEAR_REMOVE.data(item.item_id),
            ),
        ]
    ]
    if item.photo_file_id:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "🖼 Photo"),
                    callback_data=callbacks.GEAR_PHOTO.data(item.item_id),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⬅️ Catalog"), callback_data=callbacks.GEAR_PAGE.data(1)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def active_item(update: Update, context: KapstokContext, item_id: int | None):
    """The item a button names, if it is still in the catalog; otherwise say so."""
    item = await context.store.gear.get(item_id) if item_id is not None else None
    if item is None or not item.active:
        await update.callback_query.answer(
            _("This item is no longer in the catalog."), show_alert=True
        )
        return None
    return item


async def open_item(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    item = await active_item(update, context, callbacks.GEAR_ITEM.value(query.data))
    if item is None:
        return
    await query.answer()
    await show(query, item_text(item), item_keyboard(item))


async def send_photo(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    item = await active_item(update, context, callbacks.GEAR_PHOTO.value(query.data))
    if item is None:
        return
    if not item.photo_file_id:
        await query.answer(_("This item has no photo."), show_alert=True)
        return
    await query.answer()
    await context.bot.send_photo(
        update.effective_chat.id,
        item.photo_file_id,
        caption=esc(item.name_nl),
        message_thread_id=topic(update),
    )


FIELD_LABELS = {
    "name_nl": lambda: pgettext("button", "Name (Dutch)"),
    "name_fr": lambda: pgettext("button", "Name (French)"),
    "name_en": lambda: pgettext("button", "Name (English)"),
    "category": lambda: pgettext("button", "Category"),
    "stock": lambda: pgettext("button", "Stock"),
    "unit": lambda: pgettext("button", "Unit"),
    "deposit": lambda: pgettext("button", "Deposit"),
    "min_lead": lambda: pgettext("button", "Minimum lead time"),
    "max_lead": lambda: pgettext("button", "Maximum lead time"),
    "max_loan": lambda: pgettext("button", "Longest loan"),
    "kinds": lambda: pgettext("button", "Kinds of association"),
    "recognition": lambda: pgettext("button", "Recognition"),
    "note": lambda: pgettext("button", "Note"),
    "pick_up": lambda: pgettext("button", "Pick-up"),
    "photo": lambda: pgettext("button", "Photo"),
}


async def edit_menu(update: Update, context: KapstokContext) -> None:
    """✏️ Edit: which field?"""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    item = await active_item(update, context, callbacks.GEAR_EDIT.value(query.data))
    if item is None:
        return
    await query.answer()
    buttons = [
        InlineKeyboardButton(
            FIELD_LABELS[name](), callback_data=callbacks.GEAR_FIELD.data(item.item_id, name)
        )
        for name in callbacks.GEAR_FIELDS.values
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⬅️ Back"), callback_data=callbacks.GEAR_ITEM.data(item.item_id)
            )
        ]
    )
    await show(
        query,
        item_text(item) + "\n\n" + _("What do you want to change?"),
        InlineKeyboardMarkup(rows),
    )


async def ask_remove(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    item = await active_item(update, context, callbacks.GEAR_REMOVE.value(query.data))
    if item is None:
        return
    await query.answer()
    held = await context.store.gear.holding(item.item_id, today(context.store, context.config))
    text = _("Remove <b>{name}</b> from the catalog?").format(name=esc(item.name_nl))
    if held:
        text += "\n" + ngettext(
            "{count} approved request still names it: it keeps it, nothing is cancelled.",
            "{count} approved requests still name it: they keep it, nothing is cancelled.",
            len(held),
        ).format(count=len(held))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "🗑 Yes, remove it"),
                    callback_data=callbacks.GEAR_REMOVE_CONFIRM.data(item.item_id),
                ),
                InlineKeyboardButton(
                    pgettext("button", "Keep it"),
                    callback_data=callbacks.GEAR_ITEM.data(item.item_id),
                ),
            ]
        ]
    )
    await show(query, text, keyboard)


async def remove(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    item = await active_item(update, context, callbacks.GEAR_REMOVE_CONFIRM.value(query.data))
    if item is None:
        return
    await context.store.gear.remove(item.item_id)
    await query.answer()
    back = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "⬅️ Catalog"), callback_data=callbacks.GEAR_PAGE.data(1)
                )
            ]
        ]
    )
    await show(
        query,
        _("<b>{name}</b> is no longer in the catalog.").format(name=esc(item.name_nl)),
        back,
    )


async def export(update: Update, context: KapstokContext) -> None:
    """📤 Export CSV: the catalog as a file that Import reads back."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    await query.answer()
    items = await context.store.gear.catalog()
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(io.BytesIO(write_catalog_csv(items)), filename="kapstok-gear.csv"),
        caption=ngettext(
            "The catalog: {count} item. Change it in a spreadsheet and send it back with 📥 "
            "Import CSV.",
            "The catalog: {count} items. Change it in a spreadsheet and send it back with 📥 "
            "Import CSV.",
            len(items),
        ).format(count=len(items)),
        message_thread_id=topic(update),
    )


def topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def wrong_text(wrong: Wrong) -> str:
    return {
        Wrong.EMPTY: lambda: _("That is empty."),
        Wrong.TOO_LONG: lambda: _("That is too long."),
        Wrong.NOT_WHOLE: lambda: _("That is not a whole number."),
        Wrong.NEGATIVE: lambda: _("That cannot be negative."),
        Wrong.TOO_LARGE: lambda: _("That is more than I can take."),
        Wrong.TOO_SHORT_LOAN: lambda: _("A loan lasts at least 1 day."),
        Wrong.AMOUNT: lambda: _("That is not an amount I can read."),
        Wrong.KIND: lambda: _("That is not a kind of association I know."),
        Wrong.YES_NO: lambda: _("That is not yes or no."),
        Wrong.LEAD_ORDER: lambda: _(
            "The longest lead time cannot be shorter than the shortest one."
        ),
        Wrong.DUPLICATE: lambda: _("That name is already in the catalog."),
    }[wrong]()


def misfits_text(item: GearItem, found: list[Misfit]) -> str:
    lines = [
        _(
            "⚠️ With {stock} {name} in stock, these approved reservations no longer fit. "
            "Nothing was cancelled: find more, or talk with the associations."
        ).format(stock=item.stock, name=esc(item.name_nl))
    ]
    for misfit in found[:SHOWN_MISFITS]:
        lines.append(
            _(
                "• Request #{number}, {association}, {pick_up} to {return_on}: {short} of "
                "{quantity} missing"
            ).format(
                number=misfit.request_id,
                association=esc(misfit.association),
                pick_up=i18n.format_day(misfit.pick_up),
                return_on=i18n.format_day(misfit.return_on),
                short=misfit.short,
                quantity=misfit.quantity,
            )
        )
    if len(found) > SHOWN_MISFITS:
        more = len(found) - SHOWN_MISFITS
        lines.append(
            ngettext("… and {count} more request.", "… and {count} more requests.", more).format(
                count=more
            )
        )
    return "\n".join(lines)


async def tell_misfits(update: Update, context: KapstokContext, items: list[GearItem]) -> None:
    """Tell the liaison which reservations of these items (whose stock went down) no longer
    fit; nothing when all still do."""
    day = today(context.store, context.config)
    for item in items:
        found = misfits(item.stock, await context.store.gear.holding(item.item_id, day))
        if found:
            text = misfits_text(item, found)
            await context.bot.send_message(
                update.effective_chat.id, text, message_thread_id=topic(update)
            )


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("gear", show_catalog, filters=where),
        CallbackQueryHandler(show_catalog, pattern=callbacks.GEAR_PAGE.claims),
        CallbackQueryHandler(open_item, pattern=callbacks.GEAR_ITEM.matches),
        CallbackQueryHandler(edit_menu, pattern=callbacks.GEAR_EDIT.matches),
        CallbackQueryHandler(send_photo, pattern=callbacks.GEAR_PHOTO.matches),
        CallbackQueryHandler(ask_remove, pattern=callbacks.GEAR_REMOVE.matches),
        CallbackQueryHandler(remove, pattern=callbacks.GEAR_REMOVE_CONFIRM.matches),
        CallbackQueryHandler(export, pattern=callbacks.GEAR_EXPORT.matches),
    ]
