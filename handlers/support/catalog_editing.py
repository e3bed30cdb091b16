"""Adding an item to the lending service's catalog, every field in turn, or changing one field
of an item (the buttons under ✏️ Edit): typed answers (in the group: replies to the question),
the kinds of association and recognition with buttons. A wrong answer is told and asked again.
A lower stock cancels nothing: the liaison is told which reservations no longer fit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.amounts import example_amount, parse_amount
from bot.domain.associations import AssociationKind
from bot.domain.gear import GearItem
from bot.domain.gear_catalog import (
    DEFAULT,
    MAX_CATEGORY,
    MAX_DAYS,
    MAX_DEPOSIT_CENTS,
    MAX_NAME,
    MAX_STOCK,
    MAX_TEXT,
    MAX_UNIT,
    Wrong,
    read_text,
    read_whole,
)
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support.catalog import (
    active_item,
    deposit_text,
    item_keyboard,
    item_text,
    kinds_text,
    tell_misfits,
    topic,
    wrong_text,
)
from handlers.ui import esc, kind_label, no_longer_valid, require_liaison, show

TIMEOUT = timedelta(hours=6)
NONE = "-"  # typed for an optional field: none, or its usual value

# The fields, in the order *Add an item* asks them; each is a state of the conversation.
ORDER = (
    "name_nl",
    "name_fr",
    "name_en",
    "category",
    "stock",
    "unit",
    "deposit",
    "min_lead",
    "max_lead",
    "max_loan",
    "kinds",
    "recognition",
    "note",
    "pick_up",
    "photo",
)
STATE = {name: f"catalog.{name}" for name in ORDER}
BUTTON_FIELDS = ("kinds", "recognition")
# The field of the draft's values (GearItem's) each step fills.
ITEM_FIELD = {
    "deposit": "deposit_cents",
    "min_lead": "min_lead_days",
    "max_lead": "max_lead_days",
    "max_loan": "max_loan_days",
    "recognition": "needs_recognition",
    "pick_up": "pick_up_info",
    "photo": "photo_file_id",
}


@dataclass
class CatalogDraft(Draft):
    """An item being added (item_id None) or one field of an item being edited."""

    KEY = "gear_item"
    item_id: int | None = None
    editing: str | None = None  # the one field edited; None: adding, every field in turn
    values: dict = field(default_factory=dict)  # GearItem's fields; kinds as a sorted list
    prompt: int | None = None


def _item_of(draft: CatalogDraft, base: GearItem) -> GearItem:
    values = dict(draft.values)
    if "kinds" in values:
        values["kinds"] = frozenset(values["kinds"])
    return replace(base, **values)


async def _ask(update: Update, context: KapstokContext, text: str) -> None:
    """A question the liaison answers by typing (in the group: by replying to it)."""
    markup = ForceReply(selective=True) if update.effective_chat.type != "private" else None
    prompt = await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=markup, message_thread_id=topic(update)
    )
    remember_prompt(context, CatalogDraft.KEY, prompt)


def _question(name: str) -> str:
    none = _("Send {none} for none.").format(none=NONE)
    usual = _("Send {none} for the usual {value}.")
    return {
        "name_nl": lambda: _("What is the item's name in Dutch (at most {limit} characters)?"),
        "name_fr": lambda: _("Its name in French?") + " " + none,
        "name_en": lambda: _("Its name in English?") + " " + none,
        "category": lambda: _("In which category is it (for example Tents, Furniture, Sound)?"),
        "stock": lambda: _("How many are there in stock? Send a whole number, 0 or more."),
        "unit": lambda: (
            _("In what unit is it counted (for example pieces, sets, metres)?") + " " + none
        ),
        "deposit": lambda: (
            _("What deposit is asked per piece, in euros (for example {example})?")
            + " "
            + _("Send 0 for none.")
        ),
        "min_lead": lambda: (
            _("At least how many days ahead must it be requested?")
            + " "
            + usual.format(none=NONE, value=DEFAULT.min_lead_days)
        ),
        "max_lead": lambda: (
            _("At most how many days ahead may it be requested?")
            + " "
            + usual.format(none=NONE, value=DEFAULT.max_lead_days)
        ),
        "max_loan": lambda: (
            _("For how many days at most may it be borrowed?")
            + " "
            + usual.format(none=NONE, value=DEFAULT.max_loan_days)
        ),
        "note": lambda: (
            _("A note the board reads before requesting it (for example 'training required')?")
            + " "
            + none
        ),
        "pick_up": lambda: _("Where and when is it picked up?") + " " + none,
        "photo": lambda: _("Send a photo of the item, or {none} for none.").format(none=NONE),
    }[name]().format(limit=MAX_NAME, example=example_amount(i18n.current_language()))


def _now_value(name: str, item: GearItem) -> str:
    """What the field holds now, shown when it is edited."""
    value = {
        "name_nl": item.name_nl,
        "name_fr": item.name_fr or "",
        "name_en": item.name_en or "",
        "category": item.category,
        "stock": str(item.stock),
        "unit": item.unit,
        "deposit": deposit_text(item.deposit_cents),
        "min_lead": str(item.min_lead_days),
        "max_lead": str(item.max_lead_days),
        "max_loan": str(item.max_loan_days),
        "note": item.note,
        "pick_up": item.pick_up_info,
        "photo": _("yes") if item.photo_file_id else "",
    }[name]
    return value or "–"


def _kinds_keyboard(chosen: set[str]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✅ " if kind.value in chosen else "") + kind_label(kind),
            callback_data=callbacks.GEAR_KIND.data(kind.value),
        )
        for kind in AssociationKind
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "Next ▶"), callback_data=callbacks.GEAR_KINDS_DONE.data()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def _kinds_question(chosen: set[str]) -> str:
    return (
        _("Which kinds of association may borrow it? With none chosen, every kind may.")
        + "\n\n"
        + _("Now: {kinds}").format(kinds=kinds_text(replace(DEFAULT, kinds=frozenset(chosen))))
    )


async def _ask_field(
    update: Update, context: KapstokContext, draft: CatalogDraft, name: str, prefix: str = ""
) -> str:
    """Ask for one field (after `prefix`, a word on the last answer); its state."""
    chat, thread = update.effective_chat.id, topic(update)
    if name == "kinds":
        chosen = set(draft.values.get("kinds", []))
        await context.bot.send_message(
            chat,
            (prefix + "\n\n" if prefix else "") + _kinds_question(chosen),
            reply_markup=_kinds_keyboard(chosen),
            message_thread_id=thread,
        )
        return STATE[name]
    if name == "recognition":
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "Yes"),
                        callback_data=callbacks.GEAR_RECOGNITION.data("yes"),
                    ),
                    InlineKeyboardButton(
                        pgettext("button", "No"),
                        callback_data=callbacks.GEAR_RECOGNITION.data("no"),
                    ),
                ]
            ]
        )
        await context.bot.send_message(
            chat,
            (prefix + "\n\n" if prefix else "") + _("May only recognised associations borrow it?"),
            reply_markup=keyboard,
            message_thread_id=thread,
        )
        return STATE[name]
    text = _question(name)
    if draft.editing is not None and draft.item_id is not None:
        item = await context.store.gear.get(draft.item_id)
        if item is not None:
            text = _("Now: {value}").format(value=esc(_now_value(name, item))) + "\n" + text
    if name == "category":
        known = await context.store.gear.categories()
        if known:
            text += "\n" + _("Categories so far: {categories}").format(
                categories=esc(", ".join(known[:40]))
            )
    if draft.editing is None and name == "name_nl":
        text = _("A new item for the catalog.") + " " + text
        text += "\n\n" + _("You can stop at any time with /cancel.")
    await _ask(update, context, (prefix + "\n\n" if prefix else "") + text)
    return STATE[name]


async def _still_liaison(update: Update, context: KapstokContext) -> bool:
    if context.is_liaison:
        return True
    CatalogDraft.drop(context)
    await require_liaison(update, context)
    return False


async def start_add(update: Update, context: KapstokContext) -> str | int:
    """➕ Add an item: every field in turn."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    draft = CatalogDraft()
    draft.save(context)
    return await _ask_field(update, context, draft, ORDER[0])


async def start_edit(update: Update, context: KapstokContext) -> str | int:
    """A field's button under ✏️ Edit: that field alone."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    values = callbacks.GEAR_FIELD.parse(query.data)
    item = await active_item(update, context, values[0] if values else None)
    if item is None:
        return ConversationHandler.END
    name = values[1]
    await query.answer()
    draft = CatalogDraft(item_id=item.item_id, editing=name)
    if name == "kinds":
        draft.values["kinds"] = sorted(item.kinds)
    draft.save(context)
    await show(query, item_text(item))
    return await _ask_field(update, context, draft, name)


_AMOUNT_REASONS = {
    "unreadable": lambda: _("I could not read that as an amount."),
    "ambiguous": lambda: _("That amount can be read in two ways."),
    "too_many_decimals": lambda: _("An amount has at most two decimals."),
    "negative": lambda: _("A deposit cannot be negative."),
    "over_maximum": lambda: _("That deposit is too high."),
    "empty": lambda: _("That is empty."),
}


async def _base(context: KapstokContext, draft: CatalogDraft) -> GearItem | None:
    """What the draft changes: the item edited, or a new item's defaults."""
    if draft.item_id is None:
        return DEFAULT
    item = await context.store.gear.get(draft.item_id)
    return item if item is not None and item.active else None


async def _read(
    context: KapstokContext, draft: CatalogDraft, base: GearItem, name: str, text: str
) -> tuple[str, object] | str:
    """The item field and value an answer gives, or what is wrong with it (in words)."""
    typed = text.strip()
    none = typed == NONE
    current = _item_of(draft, base)
    match name:
        case "name_nl":
            value = read_text(text, MAX_NAME)
            if isinstance(value, str):
                same = await context.store.gear.named(value)
                if same is not None and same.item_id != draft.item_id:
                    value = Wrong.DUPLICATE
        case "name_fr" | "name_en":
            value = None if none else read_text(text, MAX_NAME)
        case "category":
            value = read_text(text, MAX_CATEGORY)
            if isinstance(value, str):
                known = {c.casefold(): c for c in await context.store.gear.categories()}
                value = known.get(value.casefold(), value)
        case "stock":
            value = read_whole(text, maximum=MAX_STOCK)
        case "unit":
            value = "" if none else read_text(text, MAX_UNIT)
        case "note" | "pick_up":
            value = "" if none else read_text(text, MAX_TEXT)
        case "deposit":
            return _read_deposit(text)
        case "min_lead":
            value = DEFAULT.min_lead_days if none else read_whole(text, maximum=MAX_DAYS)
            if isinstance(value, int) and draft.editing and value > current.max_lead_days:
                value = Wrong.LEAD_ORDER
        case "max_lead":
            value = DEFAULT.max_lead_days if none else read_whole(text, maximum=MAX_DAYS)
            if isinstance(value, int) and value < current.min_lead_days:
                value = Wrong.LEAD_ORDER
        case "max_loan":
            value = DEFAULT.max_loan_days if none else read_whole(text, minimum=1, maximum=MAX_DAYS)
        case _:  # pragma: no cover - the photo has a step of its own
            raise KeyError(name)
    if isinstance(value, Wrong):
        return wrong_text(value)
    return ITEM_FIELD.get(name, name), value


def _read_deposit(text: str) -> tuple[str, object] | str:
    language = i18n.current_language()
    typed = text.strip()
    if typed == NONE:
        return "deposit_cents", 0
    amount = parse_amount(typed, language, Decimal(MAX_DEPOSIT_CENTS) / 100)
    if amount == "zero":
        return "deposit_cents", 0
    if isinstance(amount, str):
        reason = _AMOUNT_REASONS.get(amount, _AMOUNT_REASONS["unreadable"])()
        return (
            reason
            + " "
            + _("Send it like {example}, or 0 for none.").format(example=example_amount(language))
        )
    return "deposit_cents", int(amount * 100)


async def _draft_and_base(update: Update, context: KapstokContext):
    draft = CatalogDraft.load(context)
    base = await _base(context, draft) if draft is not None else None
    if draft is None or base is None:
        CatalogDraft.drop(context)
        await update.effective_message.reply_text(
            _("This item is no longer in the catalog. /gear shows the catalog.")
        )
        return None
    return draft, base


def receive_text(name: str):
    """The step that reads a typed answer for the field `name`."""

    async def receive(update: Update, context: KapstokContext) -> str | int | None:
        if not await answers_prompt(update, context, CatalogDraft.KEY):
            return None
        if not await _still_liaison(update, context):
            return ConversationHandler.END
        found = await _draft_and_base(update, context)
        if found is None:
            return ConversationHandler.END
        draft, base = found
        read = await _read(context, draft, base, name, update.message.text)
        if isinstance(read, str):
            await _ask(update, context, read + "\n" + _question(name))
            return None
        item_field, value = read
        draft.values[item_field] = value
        draft.save(context)
        return await _advance(update, context, draft, name)

    return receive


async def receive_photo(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, CatalogDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    found = await _draft_and_base(update, context)
    if found is None:
        return ConversationHandler.END
    draft, _base_item = found
    message = update.message
    if message.photo:
        draft.values["photo_file_id"] = message.photo[-1].file_id
    elif message.text is not None and message.text.strip() == NONE:
        draft.values["photo_file_id"] = None
    else:
        await _ask(update, context, _question("photo"))
        return None
    draft.save(context)
    return await _advance(update, context, draft, "photo")


def _not_text_for(name: str):
    async def again(update: Update, context: KapstokContext) -> str | None:
        if not await answers_prompt(update, context, CatalogDraft.KEY):
            return None
        if not await _still_liaison(update, context):
            return ConversationHandler.END
        await _ask(update, context, _("Please send it as text.") + "\n" + _question(name))
        return None

    return again


async def toggle_kind(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = CatalogDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    chosen = set(draft.values.get("kinds", []))
    chosen ^= {callbacks.GEAR_KIND.value(query.data)}
    draft.values["kinds"] = sorted(chosen)
    draft.save(context)
    await show(query, _kinds_question(chosen), _kinds_keyboard(chosen))
    return STATE["kinds"]


async def kinds_done(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = CatalogDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    draft.values.setdefault("kinds", [])
    draft.save(context)
    chosen = set(draft.values["kinds"])
    await show(
        query,
        _("For: {kinds}").format(kinds=kinds_text(replace(DEFAULT, kinds=frozenset(chosen)))),
    )
    return await _advance(update, context, draft, "kinds")


async def choose_recognition(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = CatalogDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    needed = callbacks.GEAR_RECOGNITION.value(query.data) == "yes"
    draft.values["needs_recognition"] = needed
    draft.save(context)
    await show(
        query,
        _("Recognition required: {answer}").format(answer=_("yes") if needed else _("no")),
    )
    return await _advance(update, context, draft, "recognition")


# --- saving -----------------------------------------------------------------------------------


async def _advance(
    update: Update, context: KapstokContext, draft: CatalogDraft, name: str
) -> str | int:
    """After a field: the next one when adding, else save."""
    if draft.editing is None and name != ORDER[-1]:
        return await _ask_field(update, context, draft, ORDER[ORDER.index(name) + 1])
    return await _save(update, context, draft)


async def _save(update: Update, context: KapstokContext, draft: CatalogDraft) -> str | int:
    chat, thread = update.effective_chat.id, topic(update)
    base = await _base(context, draft)
    if base is None:
        CatalogDraft.drop(context)
        await context.bot.send_message(
            chat, _("This item is no longer in the catalog."), message_thread_id=thread
        )
        return ConversationHandler.END
    item = _item_of(draft, base)
    same = await context.store.gear.named(item.name_nl)
    if same is not None and same.item_id != draft.item_id:
        # Taken meanwhile: ask the name again (the rest of the draft stays).
        draft.editing = "name_nl"  # then save at once, also a new item
        draft.save(context)
        return await _ask_field(update, context, draft, "name_nl", wrong_text(Wrong.DUPLICATE))
    if draft.item_id is None:
        saved = await context.store.gear.add(item)
        said = _("Added to the catalog.")
    else:
        saved = await context.store.gear.update(item)
        said = _("Saved.")
    CatalogDraft.drop(context)
    if saved is None:
        await context.bot.send_message(
            chat, _("This item is no longer in the catalog."), message_thread_id=thread
        )
        return ConversationHandler.END
    await context.bot.send_message(
        chat,
        said + "\n\n" + item_text(saved),
        reply_markup=item_keyboard(saved),
        message_thread_id=thread,
    )
    if draft.item_id is not None and saved.stock < base.stock:
        await tell_misfits(update, context, [saved])
    return ConversationHandler.END


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = (filters.ChatType.PRIVATE | filters.REPLY) & where
    states: dict[str, list] = {}
    for name in ORDER:
        if name in BUTTON_FIELDS or name == "photo":
            continue
        states[STATE[name]] = [
            MessageHandler(TEXT & answered, receive_text(name)),
            MessageHandler(NOT_TEXT & answered, _not_text_for(name)),
        ]
    states[STATE["photo"]] = [
        MessageHandler(
            (TEXT | (filters.UpdateType.MESSAGE & filters.PHOTO)) & answered, receive_photo
        ),
        MessageHandler(NOT_TEXT & answered, _not_text_for("photo")),
    ]
    states[STATE["kinds"]] = [
        CallbackQueryHandler(toggle_kind, pattern=callbacks.GEAR_KIND.matches),
        CallbackQueryHandler(kinds_done, pattern=callbacks.GEAR_KINDS_DONE.matches),
    ]
    states[STATE["recognition"]] = [
        CallbackQueryHandler(choose_recognition, pattern=callbacks.GEAR_RECOGNITION.matches)
    ]
    editing = ConversationHandler(
        name="catalog",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(start_add, pattern=callbacks.GEAR_ADD.matches),
            CallbackQueryHandler(start_edit, pattern=callbacks.GEAR_FIELD.matches),
        ],
        states=states,
        fallbacks=fallbacks(CatalogDraft.KEY),
    )
    return [editing]
