"""The FAQ: board members browse and search it; liaison officers keep it, also as a CSV file."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n, textsearch
from bot.config import LANGUAGES
from bot.context import KapstokContext
from bot.i18n import _, pgettext
from handlers import kapstokken
from handlers.asking import faq_for_user
from handlers.conversation import NOT_TEXT, TEXT, answers_prompt, fallbacks, remember_prompt
from handlers.relay import split_text
from handlers.ui import esc, menu_button, require_approved_member, require_liaison, show
from storage.models import FaqEntry

BROWSE = "faq:k:"
ENTRY = "faq:e:"
ADD_KAPSTOK = "faqadd:k:"
ADD_LANGUAGE = "faqadd:l:"
MAX_QUESTION = 300
MAX_ANSWER = 3000
MAX_CSV_BYTES = 1_000_000
CSV_COLUMNS = ("kapstok", "language", "question", "answer")
KAPSTOK, LANGUAGE, QUESTION, ANSWER, EDIT_QUESTION, EDIT_ANSWER, IMPORT = (
    "faq.kapstok",
    "faq.language",
    "faq.question",
    "faq.answer",
    "faq.edit_question",
    "faq.edit_answer",
    "faq.import",
)
DRAFT = "faq"
TIMEOUT = timedelta(hours=6)
KEEP = "-"


def faq_button(kapstok: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "📚 Frequently asked questions"), callback_data=f"{BROWSE}{kapstok}"
    )


# --- board members: browse and search ----------------------------------------------------------


def _entry_buttons(entries: list[FaqEntry]) -> list[list[InlineKeyboardButton]]:
    return [
        [InlineKeyboardButton(entry.question[:64], callback_data=f"{ENTRY}{entry.faq_id}")]
        for entry in entries[:20]
    ]


async def browse(update: Update, context: KapstokContext) -> None:
    """The FAQ of one kapstok, question by question."""
    if not (context.profile.is_approved_member or context.is_liaison):
        await require_approved_member(update, context)
        return
    query = update.callback_query
    value = query.data.removeprefix(BROWSE)
    page = kapstokken.page_by_number(int(value)) if value.isdigit() else None
    if page is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await query.answer()
    entries = await faq_for_user(context, page.number)
    rows = _entry_buttons(entries)
    rows.append(
        [InlineKeyboardButton(pgettext("button", "⬅️ Back"), callback_data=page.callback_data)]
    )
    text = (
        _("<b>Frequently asked questions</b> · {kapstok}").format(kapstok=esc(_(page.title)))
        if entries
        else _("There are no frequently asked questions for {kapstok} yet.").format(
            kapstok=esc(_(page.title))
        )
    )
    await show(query, text, InlineKeyboardMarkup(rows))


async def show_entry(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    value = query.data.removeprefix(ENTRY)
    entry = await context.store.faq_entry(int(value)) if value.isdigit() else None
    if entry is None:
        await query.answer(_("This question is no longer in the FAQ."), show_alert=True)
        return
    await query.answer()
    await show(
        query,
        f"<b>{esc(entry.question)}</b>\n\n{esc(entry.answer)}",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "⬅️ Back"), callback_data=f"{BROWSE}{entry.kapstok}"
                    )
                ],
                [menu_button()],
            ]
        ),
    )


async def search(update: Update, context: KapstokContext) -> None:
    """/faq WORDS: the entries that match best; /faq alone: the kapstokken that have entries."""
    if not (context.profile.is_approved_member or context.is_liaison):
        await require_approved_member(update, context)
        return
    words = " ".join(context.args or [])
    entries = await faq_for_user(context)
    if not words:
        kapstokken_with_entries = sorted({entry.kapstok for entry in entries})
        if not kapstokken_with_entries:
            await update.message.reply_text(_("The FAQ is still empty."))
            return
        rows = [
            [
                InlineKeyboardButton(
                    kapstokken.page_by_number(k).button_label(), callback_data=f"{BROWSE}{k}"
                )
            ]
            for k in kapstokken_with_entries
        ]
        await update.message.reply_text(
            _("Which kapstok? Or search with /faq followed by a few words."),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    found = textsearch.rank(words, entries, lambda e: (e.question, e.answer))
    if not found:
        await update.message.reply_text(
            _(
                "I found nothing in the FAQ for “{words}”. Try other words, or ask the "
                "municipality your question via the /menu."
            ).format(words=words)
        )
        return
    if len(found) == 1:
        entry = found[0]
        await update.message.reply_text(
            f"<b>{esc(entry.question)}</b>\n\n{esc(entry.answer)}", parse_mode=ParseMode.HTML
        )
        return
    await update.message.reply_text(
        _("This is what I found for “{words}”:").format(words=words),
        reply_markup=InlineKeyboardMarkup(_entry_buttons(found)),
    )


# --- liaison officers: add, edit, remove, list --------------------------------------------------


def _prompt_markup(update: Update):
    """In the group, a prompt asks for a reply: only replies reach the bot there."""
    return ForceReply(selective=True) if update.effective_chat.type != "private" else None


def _mention(context: KapstokContext) -> str:
    profile = context.profile
    return f'<a href="tg://user?id={profile.user_id}">{esc(profile.first_name)}</a>'


async def start_add(update: Update, context: KapstokContext) -> str | int:
    """/faqadd: kapstok, language, question, answer."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    context.user_data[DRAFT] = {}
    rows = [
        [InlineKeyboardButton(page.button_label(), callback_data=f"{ADD_KAPSTOK}{page.number}")]
        for page in kapstokken.PAGES
    ]
    await update.message.reply_text(
        _("A new FAQ entry. Which kapstok is it about?")
        + "\n\n"
        + _("You can stop at any time with /cancel."),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return KAPSTOK


async def choose_kapstok(update: Update, context: KapstokContext) -> str:
    query = update.callback_query
    if not await require_liaison(update, context):
        return KAPSTOK
    value = query.data.removeprefix(ADD_KAPSTOK)
    if kapstokken.page_by_number(int(value) if value.isdigit() else 0) is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return KAPSTOK
    await query.answer()
    context.user_data.setdefault(DRAFT, {})["kapstok"] = int(value)
    rows = [
        [InlineKeyboardButton(i18n.LANGUAGE_NAMES[code], callback_data=f"{ADD_LANGUAGE}{code}")]
        for code in LANGUAGES
    ]
    await show(query, _("In which language is the entry?"), InlineKeyboardMarkup(rows))
    return LANGUAGE


async def choose_language(update: Update, context: KapstokContext) -> str:
    query = update.callback_query
    code = query.data.removeprefix(ADD_LANGUAGE)
    if code not in LANGUAGES:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return LANGUAGE
    await query.answer()
    context.user_data.setdefault(DRAFT, {})["language"] = code
    await show(query, _("Language: {language}").format(language=i18n.LANGUAGE_NAMES[code]))
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        _("{liaison}, send the question (at most {limit} characters).").format(
            liaison=_mention(context), limit=MAX_QUESTION
        ),
        parse_mode=ParseMode.HTML,
        reply_markup=_prompt_markup(update),
        message_thread_id=_topic(update),
    )
    remember_prompt(context, DRAFT, prompt)
    return QUESTION


async def _prompt(update: Update, context: KapstokContext, text: str, **kwargs) -> None:
    """Ask the liaison for the next answer, and remember the question for the group."""
    prompt = await update.message.reply_text(text, **kwargs)
    remember_prompt(context, DRAFT, prompt)


def _topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


async def _checked(update: Update, context: KapstokContext, limit: int) -> str | None:
    """The text, or None after asking again (as a new prompt, so that a reply answers it)."""
    text = update.message.text.strip()
    if len(text) > limit:
        await _prompt(
            update,
            context,
            _(
                "That text is {length} characters long; the limit is {limit}. Please send a "
                "shorter one."
            ).format(length=len(text), limit=limit),
            reply_markup=_prompt_markup(update),
        )
        return None
    return text


async def receive_question(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    question = await _checked(update, context, MAX_QUESTION)
    if question is None:
        return QUESTION
    context.user_data.setdefault(DRAFT, {})["question"] = question
    await _prompt(
        update,
        context,
        _("{liaison}, now send the answer (at most {limit} characters).").format(
            liaison=_mention(context), limit=MAX_ANSWER
        ),
        parse_mode=ParseMode.HTML,
        reply_markup=_prompt_markup(update),
    )
    return ANSWER


async def receive_answer(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    answer = await _checked(update, context, MAX_ANSWER)
    if answer is None:
        return ANSWER
    draft = context.user_data.pop(DRAFT, {})
    if not {"kapstok", "language", "question"} <= draft.keys():
        await update.message.reply_text(_("Something got lost; please start again with /faqadd."))
        return ConversationHandler.END
    await context.store.add_faq_entries(
        [(draft["kapstok"], draft["language"], draft["question"], answer)]
    )
    await update.message.reply_text(_("Saved in the FAQ. /faqlist shows all entries."))
    return ConversationHandler.END


async def start_edit(update: Update, context: KapstokContext) -> str | int:
    """/faqedit N: a new question and answer; '-' keeps what there is."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    number = context.args[0] if context.args else ""
    entry = await context.store.faq_entry(int(number)) if number.isdigit() else None
    if entry is None:
        await update.message.reply_text(
            _("Which entry? For example /faqedit 3; /faqlist shows the numbers.")
        )
        return ConversationHandler.END
    context.user_data[DRAFT] = {"faq_id": entry.faq_id}
    await _prompt(
        update,
        context,
        _(
            "{liaison}, the question now reads:\n<b>{question}</b>\n\nSend the new question, or "
            "{keep} to keep it."
        ).format(liaison=_mention(context), question=esc(entry.question), keep=KEEP),
        parse_mode=ParseMode.HTML,
        reply_markup=_prompt_markup(update),
    )
    return EDIT_QUESTION


async def edit_question(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    draft = context.user_data.setdefault(DRAFT, {})
    if update.message.text.strip() != KEEP:
        question = await _checked(update, context, MAX_QUESTION)
        if question is None:
            return EDIT_QUESTION
        draft["question"] = question
    entry = await context.store.faq_entry(draft.get("faq_id", 0))
    await _prompt(
        update,
        context,
        _(
            "{liaison}, the answer now reads:\n{answer}\n\nSend the new answer, or {keep} to keep "
            "it."
        ).format(liaison=_mention(context), answer=esc(entry.answer if entry else ""), keep=KEEP),
        parse_mode=ParseMode.HTML,
        reply_markup=_prompt_markup(update),
    )
    return EDIT_ANSWER


async def edit_answer(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    draft = context.user_data.get(DRAFT, {})
    entry = await context.store.faq_entry(draft.get("faq_id", 0))
    if entry is None:
        context.user_data.pop(DRAFT, None)
        await update.message.reply_text(_("This question is no longer in the FAQ."))
        return ConversationHandler.END
    answer = entry.answer
    if update.message.text.strip() != KEEP:
        answer = await _checked(update, context, MAX_ANSWER)
        if answer is None:
            return EDIT_ANSWER
    context.user_data.pop(DRAFT, None)
    await context.store.update_faq_entry(
        entry.faq_id, draft.get("question", entry.question), answer
    )
    await update.message.reply_text(_("FAQ entry {number} is updated.").format(number=entry.faq_id))
    return ConversationHandler.END


async def remove(update: Update, context: KapstokContext) -> None:
    """/faqremove N"""
    if not await require_liaison(update, context):
        return
    number = context.args[0] if context.args else ""
    if not number.isdigit():
        await update.message.reply_text(
            _("Which entry? For example /faqremove 3; /faqlist shows the numbers.")
        )
        return
    removed = await context.store.remove_faq_entry(int(number))
    await update.message.reply_text(
        (
            _("FAQ entry {number} is removed.") if removed else _("There is no FAQ entry {number}.")
        ).format(number=number)
    )


async def list_entries(update: Update, context: KapstokContext) -> None:
    """/faqlist: every entry with its number, kapstok and language."""
    if not await require_liaison(update, context):
        return
    entries = await context.store.faq_entries()
    if not entries:
        await update.message.reply_text(
            _(
                "The FAQ is still empty. Add entries with /faqadd, or send a CSV file with "
                "/faqimport."
            )
        )
        return
    lines = [_("<b>FAQ</b> (edit with /faqedit N, remove with /faqremove N):")]
    lines += [
        f"{entry.faq_id}. [{entry.kapstok} · {entry.language}] {esc(entry.question)}"
        for entry in entries
    ]
    for piece in split_text("\n".join(lines), 4000):
        await update.message.reply_text(piece, parse_mode=ParseMode.HTML)


# --- CSV ---------------------------------------------------------------------------------------


def parse_csv(data: bytes) -> tuple[list[tuple[int, str, str, str]], list[str]]:
    """The valid rows of a FAQ CSV file, and a problem per row that is not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text.")]
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [
            _("The first line must name the columns {columns}.").format(
                columns=", ".join(CSV_COLUMNS)
            )
        ]
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        kapstok = (row.get("kapstok") or "").strip()
        language = (row.get("language") or "").strip().lower()
        question = (row.get("question") or "").strip()
        answer = (row.get("answer") or "").strip()
        if kapstok not in {"1", "2", "3", "4", "5"}:
            problems.append(_("line {line}: kapstok must be 1 to 5").format(line=line))
        elif language not in LANGUAGES:
            problems.append(_("line {line}: language must be nl, fr or en").format(line=line))
        elif not question or not answer:
            problems.append(_("line {line}: question and answer are needed").format(line=line))
        elif len(question) > MAX_QUESTION or len(answer) > MAX_ANSWER:
            problems.append(
                _("line {line}: the question or the answer is too long").format(line=line)
            )
        else:
            rows.append((int(kapstok), language, question, answer))
    return rows, problems


def write_csv(entries: list[FaqEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([entry.kapstok, entry.language, entry.question, entry.answer])
    return buffer.getvalue().encode("utf-8")


async def start_import(update: Update, context: KapstokContext) -> str | int:
    """/faqimport: wait for a CSV file."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    await update.message.reply_text(
        _(
            "{liaison}, send me the CSV file now, as a document. Its first line names the columns "
            "kapstok, language, question, answer; /faqexport gives an example."
        ).format(liaison=_mention(context)),
        parse_mode=ParseMode.HTML,
        reply_markup=_prompt_markup(update),
    )
    return IMPORT


async def receive_csv(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    document = update.message.document
    if document.file_size and document.file_size > MAX_CSV_BYTES:
        await update.message.reply_text(
            _("That file is too large: at most 1 MB. Please send a smaller one, or /cancel.")
        )
        return IMPORT
    file = await document.get_file()
    rows, problems = parse_csv(bytes(await file.download_as_bytearray()))
    if rows:
        await context.store.add_faq_entries(rows)
    lines = [
        i18n.ngettext(
            "Imported {count} FAQ entry.", "Imported {count} FAQ entries.", len(rows)
        ).format(count=len(rows))
    ]
    if problems:
        lines.append(_("Not imported:"))
        lines += [f"• {problem}" for problem in problems[:20]]
    await update.message.reply_text("\n".join(lines))
    return ConversationHandler.END


async def not_a_csv(update: Update, context: KapstokContext) -> str | None:
    if not await answers_prompt(update, context, DRAFT):
        return None
    await update.message.reply_text(_("Please send the CSV file as a document, or /cancel."))
    return IMPORT


async def export(update: Update, context: KapstokContext) -> None:
    """/faqexport: the whole FAQ as a CSV file."""
    if not await require_liaison(update, context):
        return
    entries = await context.store.faq_entries()
    await update.message.reply_document(
        InputFile(io.BytesIO(write_csv(entries)), filename="kapstok-faq.csv"),
        caption=i18n.ngettext(
            "The FAQ: {count} entry.", "The FAQ: {count} entries.", len(entries)
        ).format(count=len(entries)),
    )


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    keeping = ConversationHandler(
        name="faq",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CommandHandler("faqadd", start_add, filters=where),
            CommandHandler("faqedit", start_edit, filters=where),
            CommandHandler("faqimport", start_import, filters=where),
        ],
        states={
            KAPSTOK: [CallbackQueryHandler(choose_kapstok, pattern=f"^{ADD_KAPSTOK}")],
            LANGUAGE: [CallbackQueryHandler(choose_language, pattern=f"^{ADD_LANGUAGE}")],
            QUESTION: [MessageHandler(TEXT & answered, receive_question)],
            ANSWER: [MessageHandler(TEXT & answered, receive_answer)],
            EDIT_QUESTION: [MessageHandler(TEXT & answered, edit_question)],
            EDIT_ANSWER: [MessageHandler(TEXT & answered, edit_answer)],
            IMPORT: [
                MessageHandler(filters.Document.ALL & answered, receive_csv),
                MessageHandler((TEXT | NOT_TEXT) & answered, not_a_csv),
            ],
        },
        fallbacks=fallbacks(DRAFT),
    )
    return [
        keeping,
        CommandHandler("faq", search, filters=filters.ChatType.PRIVATE),
        CommandHandler("faqremove", remove, filters=where),
        CommandHandler("faqlist", list_entries, filters=where),
        CommandHandler("faqexport", export, filters=where),
        CallbackQueryHandler(browse, pattern=f"^{BROWSE}"),
        CallbackQueryHandler(show_entry, pattern=f"^{ENTRY}"),
    ]
