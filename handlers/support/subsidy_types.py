"""/subsidies for liaison officers (in the liaison group or a private chat): the subsidy types
boards can request. A new type, or an edit of one, asks its fields one after the other: the
name and the description in Dutch (and, optionally, in French and English), the deadlines of the
year (`31/03 30/09`), the maximum amount (typed in the officer's locale), whether recognition is
required, and the attachments asked for (one a line); then a summary to save. A type can be
deactivated: its requests keep it, boards no longer see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.amounts import example_amount, parse_amount
from bot.domain.subsidies import (
    DESCRIPTION_LIMIT,
    MAX_ATTACHMENT_LABELS,
    NAME_LIMIT,
    Deadline,
    SubsidyType,
    amount_to_cents,
    attachment_labels,
    parse_deadlines,
)
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support.subsidy_card import amount, amount_refusal
from handlers.ui import esc, no_longer_valid, reply, require_liaison, show

TIMEOUT = timedelta(hours=24)
# The fields asked, in this order; each is a state of the conversation.
FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "description_nl",
    "description_fr",
    "description_en",
    "deadlines",
    "maximum",
    "recognition",
    "attachments",
)
OPTIONAL = frozenset({"name_fr", "name_en", "description_fr", "description_en", "attachments"})
REVIEW = "subsidy_types.review"


def state_of(name: str) -> str:
    return f"subsidy_types.{name}"


@dataclass
class TypeDraft(Draft):
    KEY = "subsidy_type"
    type_id: int | None = None  # None: a new type
    step: int = 0
    values: dict = field(default_factory=dict)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


# --- the list and one type ------------------------------------------------------------------


def deadlines_text(deadlines) -> str:
    return ", ".join(f"{d.day:02d}/{d.month:02d}" for d in deadlines)


# The translated descriptions are shortened in a type's summary, so that all of a type (three
# descriptions of up to 1,000 characters, ten attachments) fits in one message.
TRANSLATION_SHOWN = 400


def _shortened(text: str) -> str:
    return text if len(text) <= TRANSLATION_SHOWN else text[: TRANSLATION_SHOWN - 1] + "…"


def _summary(values: dict) -> str:
    """A type's fields as a liaison checks them."""
    lines = [f"💶 <b>{esc(values['name_nl'])}</b>"]
    for language, key in (("FR", "name_fr"), ("EN", "name_en")):
        if values.get(key):
            lines.append(f"{language}: {esc(values[key])}")
    lines.append(esc(values.get("description_nl", "")))
    for language, key in (("FR", "description_fr"), ("EN", "description_en")):
        if values.get(key):
            lines.append(f"{language}: {esc(_shortened(values[key]))}")
    deadlines = [Deadline(*pair) for pair in values.get("deadlines", [])]
    lines.append(_("<b>Deadlines:</b> {dates}").format(dates=deadlines_text(deadlines)))
    lines.append(_("<b>At most:</b> {amount}").format(amount=amount(values["max_cents"])))
    lines.append(
        _("<b>Recognition required:</b> yes")
        if values.get("needs_recognition")
        else _("<b>Recognition required:</b> no")
    )
    labels = values.get("attachments") or []
    lines.append(
        _("<b>Attachments asked for:</b> {labels}").format(labels=esc("; ".join(labels)))
        if labels
        else _("<b>Attachments asked for:</b> none")
    )
    return "\n".join(lines)


def _values_of(subsidy_type: SubsidyType) -> dict:
    return {
        "name_nl": subsidy_type.name_nl,
        "name_fr": subsidy_type.name_fr,
        "name_en": subsidy_type.name_en,
        "description_nl": subsidy_type.description_nl,
        "description_fr": subsidy_type.description_fr,
        "description_en": subsidy_type.description_en,
        "deadlines": [[d.month, d.day] for d in subsidy_type.deadlines],
        "max_cents": subsidy_type.max_cents,
        "needs_recognition": subsidy_type.needs_recognition,
        "attachments": list(subsidy_type.attachments),
    }


async def list_view(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    types = await context.store.subsidies.types()
    lines = [_("💶 <b>Subsidy types</b> that boards can request:")]
    if not types:
        lines.append(_("None yet."))
    for subsidy_type in types:
        lines.append(
            _("• <b>{name}</b>: at most {amount}, deadlines {dates}").format(
                name=esc(subsidy_type.name_nl),
                amount=amount(subsidy_type.max_cents),
                dates=deadlines_text(subsidy_type.deadlines),
            )
        )
    keyboard = [
        [_button(f"✏️ {t.name_nl[:40]}", callbacks.SUBSIDY_TYPE_VIEW.data(t.type_id))] for t in types
    ]
    keyboard.append([_button(pgettext("button", "➕ New type"), callbacks.SUBSIDY_TYPE_NEW.data())])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def subsidies_command(update: Update, context: KapstokContext) -> None:
    """/subsidies: the types, with buttons to see, edit or add one."""
    if not await require_liaison(update, context):
        return
    text, keyboard = await list_view(context)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def show_list(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    text, keyboard = await list_view(context)
    await reply(update, text, keyboard)


async def _active_type(update: Update, context: KapstokContext, number: int | None):
    subsidy_type = await context.store.subsidies.get_type(number) if number else None
    if subsidy_type is None or not subsidy_type.active:
        await no_longer_valid(update)
        return None
    return subsidy_type


async def view_type(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    subsidy_type = await _active_type(
        update, context, callbacks.SUBSIDY_TYPE_VIEW.value(query.data)
    )
    if subsidy_type is None:
        return
    number = subsidy_type.type_id
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(pgettext("button", "✏️ Edit"), callbacks.SUBSIDY_TYPE_EDIT.data(number)),
                _button(
                    pgettext("button", "⏹ Deactivate"), callbacks.SUBSIDY_TYPE_OFF.data(number)
                ),
            ],
            [_button(pgettext("button", "⬅️ All types"), callbacks.SUBSIDY_TYPES.data())],
        ]
    )
    await query.answer()
    await show(query, _summary(_values_of(subsidy_type)), keyboard)


async def deactivate(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    subsidy_type = await _active_type(update, context, callbacks.SUBSIDY_TYPE_OFF.value(query.data))
    if subsidy_type is None:
        return
    await context.store.subsidies.deactivate(subsidy_type.type_id)
    await query.answer(
        _("{name} is deactivated: boards can no longer request it.").format(
            name=subsidy_type.name_nl[:100]
        ),
        show_alert=True,
    )
    text, keyboard = await list_view(context)
    await show(query, text, keyboard)


# --- asking the fields ---------------------------------------------------------------------------


def _question(name: str) -> str:
    if name == "name_nl":
        return _("The name of the subsidy in Dutch (at most {limit} characters)?").format(
            limit=NAME_LIMIT
        )
    if name in ("name_fr", "name_en"):
        return (
            _("Its name in French? Without one, the Dutch name is shown.")
            if name == "name_fr"
            else _("Its name in English? Without one, the Dutch name is shown.")
        )
    if name == "description_nl":
        return _(
            "The description in Dutch: what it is for, who may request it, what is needed (at "
            "most {limit} characters)."
        ).format(limit=DESCRIPTION_LIMIT)
    if name in ("description_fr", "description_en"):
        return (
            _("The description in French? Without one, the Dutch description is shown.")
            if name == "description_fr"
            else _("The description in English? Without one, the Dutch description is shown.")
        )
    if name == "deadlines":
        return _(
            "The deadline of every year, as day and month, like 31/03; several, separated by "
            "spaces, like 31/03 30/09."
        )
    if name == "maximum":
        return _("The maximum amount a board may request, like {example}?").format(
            example=example_amount(i18n.current_language())
        )
    if name == "recognition":
        return _("Only for associations recognised by the municipality?")
    return _(
        "Which attachments are asked for? One a line (at most {count}), like:\nActivity report\n"
        "Invoices"
    ).format(count=MAX_ATTACHMENT_LABELS)


def _current(name: str, values: dict) -> str | None:
    """The field's value now, as a prompt shows it when editing."""
    if name == "deadlines":
        return deadlines_text([Deadline(*pair) for pair in values.get("deadlines", [])])
    if name == "maximum":
        return amount(values["max_cents"]) if values.get("max_cents") else None
    if name == "recognition":
        return None
    if name == "attachments":
        return "; ".join(values.get("attachments") or []) or None
    return values.get(name) or None


def _keyboard(name: str, editing: bool) -> InlineKeyboardMarkup | None:
    rows = []
    if name == "recognition":
        rows.append(
            [
                _button(pgettext("button", "Yes"), callbacks.SUBSIDY_TYPE_RECOGNITION.data("yes")),
                _button(pgettext("button", "No"), callbacks.SUBSIDY_TYPE_RECOGNITION.data("no")),
            ]
        )
    if editing:
        rows.append(
            [_button(pgettext("button", "Keep as it is"), callbacks.SUBSIDY_TYPE_KEEP.data())]
        )
    if name in OPTIONAL:
        rows.append([_button(pgettext("button", "None"), callbacks.SUBSIDY_TYPE_SKIP.data())])
    return InlineKeyboardMarkup(rows) if rows else None


async def _ask(update: Update, context: KapstokContext, draft: TypeDraft) -> str:
    """Ask the draft's current field, as a new message (in the group, a reply answers it)."""
    name = FIELDS[draft.step]
    editing = draft.type_id is not None
    text = _question(name)
    current = _current(name, draft.values) if editing else None
    if current:
        text += "\n" + _("Now: {value}").format(value=esc(current))
    if name == "recognition" and editing:
        text += "\n" + (_("Now: yes") if draft.values.get("needs_recognition") else _("Now: no"))
    text += "\n" + _("/cancel stops without saving.")
    keyboard = _keyboard(name, editing)
    chat = update.effective_chat
    group = chat.type != "private"
    message = update.effective_message
    prompt = await context.bot.send_message(
        chat.id,
        text,
        reply_markup=keyboard or (ForceReply(selective=True) if group else None),
        message_thread_id=message.message_thread_id
        if message is not None and message.is_topic_message
        else None,
    )
    draft.save(context)
    remember_prompt(context, TypeDraft.KEY, prompt)
    return state_of(name)


async def _next(update: Update, context: KapstokContext, draft: TypeDraft) -> str:
    """The next field, or the summary after the last one."""
    draft.step += 1
    if draft.step < len(FIELDS):
        return await _ask(update, context, draft)
    draft.save(context)
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(pgettext("button", "💾 Save"), callbacks.SUBSIDY_TYPE_SAVE.data()),
                _button(pgettext("button", "🗑 Discard"), callbacks.SUBSIDY_TYPE_DISCARD.data()),
            ]
        ]
    )
    message = update.effective_message
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        _summary(draft.values),
        reply_markup=keyboard,
        message_thread_id=message.message_thread_id
        if message is not None and message.is_topic_message
        else None,
    )
    remember_prompt(context, TypeDraft.KEY, prompt)
    return REVIEW


async def new_type(update: Update, context: KapstokContext) -> str | int:
    """➕ New type: its fields, one after the other."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    return await _ask(update, context, TypeDraft())


async def edit_type(update: Update, context: KapstokContext) -> str | int:
    if not await require_liaison(update, context):
        return ConversationHandler.END
    query = update.callback_query
    subsidy_type = await _active_type(
        update, context, callbacks.SUBSIDY_TYPE_EDIT.value(query.data)
    )
    if subsidy_type is None:
        return ConversationHandler.END
    await query.answer()
    return await _ask(update, context, TypeDraft(subsidy_type.type_id, 0, _values_of(subsidy_type)))


async def _draft(update: Update, context: KapstokContext) -> TypeDraft | None:
    """The type being written by a liaison officer, at a field (else: no longer valid)."""
    if not await require_liaison(update, context):
        TypeDraft.drop(context)
        return None
    draft = TypeDraft.load(context)
    if draft is None or not 0 <= draft.step < len(FIELDS):
        TypeDraft.drop(context)
        if update.callback_query is not None:
            await no_longer_valid(update)
        return None
    return draft


def _read(name: str, text: str) -> tuple[object, str | None]:
    """The value typed for a field, or why it cannot be."""
    text = text.strip()
    if name.startswith("name_"):
        if not text or len(text) > NAME_LIMIT:
            return None, _("A name has 1 to {limit} characters; yours has {count}.").format(
                limit=NAME_LIMIT, count=len(text)
            )
        return text, None
    if name.startswith("description_"):
        if not text or len(text) > DESCRIPTION_LIMIT:
            return None, _("A description has 1 to {limit} characters; yours has {count}.").format(
                limit=DESCRIPTION_LIMIT, count=len(text)
            )
        return text, None
    if name == "deadlines":
        deadlines = parse_deadlines(text)
        if deadlines is None:
            return None, _(
                "I cannot read that as days of the year. Type day and month, like 31/03, or "
                "several: 31/03 30/09."
            )
        return [[d.month, d.day] for d in deadlines], None
    if name == "maximum":
        typed = parse_amount(text, i18n.current_language())
        if isinstance(typed, str):
            return None, amount_refusal(typed)
        return amount_to_cents(typed), None
    if name == "attachments":
        labels = attachment_labels(text)
        if labels is None:
            return None, _(
                "At most {count} attachments, one a line, each at most 100 characters."
            ).format(count=MAX_ATTACHMENT_LABELS)
        return list(labels), None
    return None, _("Press Yes or No.")


_KEYS = {"deadlines": "deadlines", "maximum": "max_cents", "attachments": "attachments"}


async def receive(update: Update, context: KapstokContext) -> str | int | None:
    """A typed field: kept and the next one asked, or why not and asked again."""
    if not await answers_prompt(update, context, TypeDraft.KEY):
        return None
    draft = await _draft(update, context)
    if draft is None:
        return ConversationHandler.END
    name = FIELDS[draft.step]
    value, problem = _read(name, update.message.text)
    if problem is not None:
        message = update.message
        again = await message.reply_text(
            problem + "\n" + _("/cancel stops without saving."),
            reply_markup=ForceReply(selective=True) if message.chat.type != "private" else None,
        )
        remember_prompt(context, TypeDraft.KEY, again)
        return state_of(name)
    if name == "attachments" and not value:
        value = []
    draft.values[_KEYS.get(name, name)] = value
    return await _next(update, context, draft)


async def not_text(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, TypeDraft.KEY):
        return None
    draft = await _draft(update, context)
    if draft is None:
        return ConversationHandler.END
    return await _ask(update, context, draft)


async def skip(update: Update, context: KapstokContext) -> str | int:
    """None: an optional field left empty."""
    draft = await _draft(update, context)
    if draft is None:
        return ConversationHandler.END
    name = FIELDS[draft.step]
    if name not in OPTIONAL:
        await no_longer_valid(update)
        return state_of(name)
    await update.callback_query.answer()
    draft.values[name] = [] if name == "attachments" else None
    return await _next(update, context, draft)


async def keep(update: Update, context: KapstokContext) -> str | int:
    """Keep as it is (editing)."""
    draft = await _draft(update, context)
    if draft is None:
        return ConversationHandler.END
    if draft.type_id is None:
        await no_longer_valid(update)
        return state_of(FIELDS[draft.step])
    await update.callback_query.answer()
    return await _next(update, context, draft)


async def choose_recognition(update: Update, context: KapstokContext) -> str | int:
    draft = await _draft(update, context)
    if draft is None:
        return ConversationHandler.END
    if FIELDS[draft.step] != "recognition":
        await no_longer_valid(update)
        return state_of(FIELDS[draft.step])
    query = update.callback_query
    draft.values["needs_recognition"] = (
        callbacks.SUBSIDY_TYPE_RECOGNITION.value(query.data) == "yes"
    )
    await query.answer()
    return await _next(update, context, draft)


async def save(update: Update, context: KapstokContext) -> int:
    if not await require_liaison(update, context):
        TypeDraft.drop(context)
        return ConversationHandler.END
    query = update.callback_query
    draft = TypeDraft.load(context)
    if draft is None or draft.step < len(FIELDS):
        TypeDraft.drop(context)
        await no_longer_valid(update)
        return ConversationHandler.END
    values = draft.values
    fields = {
        "name_nl": values["name_nl"],
        "name_fr": values.get("name_fr"),
        "name_en": values.get("name_en"),
        "description_nl": values.get("description_nl") or "",
        "description_fr": values.get("description_fr"),
        "description_en": values.get("description_en"),
        "max_cents": values["max_cents"],
        "deadlines": [Deadline(*pair) for pair in values["deadlines"]],
        "needs_recognition": bool(values.get("needs_recognition")),
        "attachments": values.get("attachments") or [],
    }
    store = context.store
    if draft.type_id is None:
        saved = await store.subsidies.create_type(**fields)
    else:
        saved = await store.subsidies.update_type(draft.type_id, **fields)
    TypeDraft.drop(context)
    if saved is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer(_("Saved."))
    text, keyboard = await list_view(context)
    await show(query, _("Saved: {name}.").format(name=esc(saved.name_nl)) + "\n\n" + text, keyboard)
    return ConversationHandler.END


async def discard(update: Update, context: KapstokContext) -> int:
    if not await require_liaison(update, context):
        return ConversationHandler.END
    TypeDraft.drop(context)
    await update.callback_query.answer()
    await show(update.callback_query, _("Discarded: nothing was saved."))
    return ConversationHandler.END


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    buttons = [
        CallbackQueryHandler(skip, pattern=callbacks.SUBSIDY_TYPE_SKIP.matches),
        CallbackQueryHandler(keep, pattern=callbacks.SUBSIDY_TYPE_KEEP.matches),
        CallbackQueryHandler(
            choose_recognition, pattern=callbacks.SUBSIDY_TYPE_RECOGNITION.matches
        ),
    ]
    states = {
        state_of(name): [
            MessageHandler(TEXT & answered & where, receive),
            MessageHandler(NOT_TEXT & answered & where, not_text),
            *buttons,
        ]
        for name in FIELDS
    }
    states[REVIEW] = [
        CallbackQueryHandler(save, pattern=callbacks.SUBSIDY_TYPE_SAVE.matches),
        CallbackQueryHandler(discard, pattern=callbacks.SUBSIDY_TYPE_DISCARD.matches),
    ]
    defining = ConversationHandler(
        name="subsidy_types",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(new_type, pattern=callbacks.SUBSIDY_TYPE_NEW.matches),
            CallbackQueryHandler(edit_type, pattern=callbacks.SUBSIDY_TYPE_EDIT.matches),
        ],
        states=states,
        fallbacks=fallbacks(TypeDraft.KEY),
    )
    return [
        defining,
        CommandHandler("subsidies", subsidies_command, filters=where),
        CallbackQueryHandler(show_list, pattern=callbacks.SUBSIDY_TYPES.matches),
        CallbackQueryHandler(view_type, pattern=callbacks.SUBSIDY_TYPE_VIEW.matches),
        CallbackQueryHandler(deactivate, pattern=callbacks.SUBSIDY_TYPE_OFF.matches),
    ]
