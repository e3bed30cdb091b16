"""The FAQ as liaison officers keep it: /faqadd, /faqedit, /faqremove, /faqlist, and the CSV
file in and out (/faqimport, /faqexport)."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.config import LANGUAGES
from bot.context import KapstokContext
from bot.domain.faq import MAX_ANSWER, MAX_IMPORT, MAX_QUESTION, is_blank
from bot.domain.faqcsv import COLUMNS, CsvProblem, FaqRow, Problem, parse_faq_csv, write_faq_csv
from bot.domain.kapstokken import KAPSTOKKEN
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.text import MESSAGE_LIMIT, plain_length
from handlers.ui import esc, kapstok_label, mention, no_longer_valid, require_liaison, show

MAX_CSV_BYTES = 1_000_000
# /faqlist: entries per message, and the characters of a question it shows (30 long questions
# still fit in one message).
LIST_PAGE = 30
LIST_QUESTION = 100
KAPSTOK, LANGUAGE, QUESTION, ANSWER, EDIT_QUESTION, EDIT_ANSWER, IMPORT = (
    "faq.kapstok",
    "faq.language",
    "faq.question",
    "faq.answer",
    "faq.edit_question",
    "faq.edit_answer",
    "faq.import",
)
TIMEOUT = timedelta(hours=6)
KEEP = "-"


@dataclass
class FaqDraft(Draft):
    """A FAQ entry being added or edited, and the prompt a reply in the group must answer."""

    KEY = "faq"
    faq_id: int | None = None
    kapstok: int | None = None
    language: str | None = None
    question: str | None = None
    prompt: int | None = None


# --- liaison officers: add, edit, remove, list --------------------------------------------------


def _prompt_markup(update: Update):
    """In the group, a prompt asks for a reply: only replies reach the bot there."""
    return ForceReply(selective=True) if update.effective_chat.type != "private" else None


def _mention(context: KapstokContext) -> str:
    return mention(context.profile.user_id, context.profile.first_name)


async def _still_liaison(update: Update, context: KapstokContext) -> bool:
    """Every step asks again: a liaison officer removed halfway saves nothing, and the
    conversation ends."""
    if context.is_liaison:
        return True
    FaqDraft.drop(context)
    await require_liaison(update, context)
    return False


def _fitted(make: Callable[[str], str], text: str) -> str:
    """The message `make` builds around a user's text, the text cut to fit in one message."""
    room = MESSAGE_LIMIT - plain_length(make(""))
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…"
    return make(esc(text))


async def start_add(update: Update, context: KapstokContext) -> str | int:
    """/faqadd: kapstok, language, question, answer."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    FaqDraft().save(context)
    rows = [
        [
            InlineKeyboardButton(
                kapstok_label(kapstok), callback_data=callbacks.FAQ_ADD_KAPSTOK.data(kapstok.number)
            )
        ]
        for kapstok in KAPSTOKKEN
    ]
    await update.message.reply_text(
        _("A new FAQ entry. Which kapstok is it about?")
        + "\n\n"
        + _("You can stop at any time with /cancel."),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return KAPSTOK


async def choose_kapstok(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await query.answer()
    draft = FaqDraft.load(context) or FaqDraft()
    draft.kapstok = int(callbacks.FAQ_ADD_KAPSTOK.value(query.data))
    draft.save(context)
    rows = [
        [
            InlineKeyboardButton(
                i18n.LANGUAGE_NAMES[code], callback_data=callbacks.FAQ_ADD_LANGUAGE.data(code)
            )
        ]
        for code in LANGUAGES
    ]
    await show(query, _("In which language is the entry?"), InlineKeyboardMarkup(rows))
    return LANGUAGE


async def choose_language(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    code = callbacks.FAQ_ADD_LANGUAGE.value(query.data)
    await query.answer()
    draft = FaqDraft.load(context) or FaqDraft()
    draft.language = code
    draft.save(context)
    await show(query, _("Language: {language}").format(language=i18n.LANGUAGE_NAMES[code]))
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        _("{liaison}, send the question (at most {limit} characters).").format(
            liaison=_mention(context), limit=MAX_QUESTION
        ),
        reply_markup=_prompt_markup(update),
        message_thread_id=_topic(update),
    )
    remember_prompt(context, FaqDraft.KEY, prompt)
    return QUESTION


async def _prompt(update: Update, context: KapstokContext, text: str) -> None:
    """Ask the liaison for the next answer, and remember the question for the group (where
    only a reply to it answers it)."""
    prompt = await update.message.reply_text(text, reply_markup=_prompt_markup(update))
    remember_prompt(context, FaqDraft.KEY, prompt)


def _topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


async def _checked(update: Update, context: KapstokContext, limit: int, empty: str) -> str | None:
    """The text, trimmed; or None after asking again (as a new prompt, so that a reply answers
    it) when it is empty or too long."""
    text = update.message.text.strip()
    if is_blank(text):
        await _prompt(update, context, empty)
        return None
    if len(text) > limit:
        await _prompt(
            update,
            context,
            _(
                "That text is {length} characters long; the limit is {limit}. Please send a "
                "shorter one."
            ).format(length=len(text), limit=limit),
        )
        return None
    return text


def _empty_question() -> str:
    return _("A question cannot be empty. Please send the question as text, or /cancel.")


def _empty_answer() -> str:
    return _("An answer cannot be empty. Please send the answer as text, or /cancel.")


async def receive_question(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    question = await _checked(update, context, MAX_QUESTION, _empty_question())
    if question is None:
        return QUESTION
    draft = FaqDraft.load(context) or FaqDraft()
    draft.question = question
    draft.save(context)
    await _prompt(
        update,
        context,
        _("{liaison}, now send the answer (at most {limit} characters).").format(
            liaison=_mention(context), limit=MAX_ANSWER
        ),
    )
    return ANSWER


async def receive_answer(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    answer = await _checked(update, context, MAX_ANSWER, _empty_answer())
    if answer is None:
        return ANSWER
    draft = FaqDraft.load(context) or FaqDraft()
    FaqDraft.drop(context)
    if (
        draft.kapstok is None
        or draft.language is None
        or draft.question is None
        or is_blank(draft.question)
    ):
        await update.message.reply_text(_("Something got lost; please start again with /faqadd."))
        return ConversationHandler.END
    await context.store.faq.add([(draft.kapstok, draft.language, draft.question, answer)])
    await update.message.reply_text(_("Saved in the FAQ. /faqlist shows all entries."))
    return ConversationHandler.END


async def start_edit(update: Update, context: KapstokContext) -> str | int:
    """/faqedit N: a new question and answer; '-' keeps what there is."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    number = callbacks.NUMBER.parse(context.args[0]) if context.args else None
    entry = await context.store.faq.get(number) if number is not None else None
    if entry is None:
        await update.message.reply_text(
            _("Which entry? For example /faqedit 3; /faqlist shows the numbers.")
        )
        return ConversationHandler.END
    FaqDraft(faq_id=entry.faq_id).save(context)
    await _prompt(
        update,
        context,
        _fitted(
            lambda question: _(
                "{liaison}, the question now reads:\n<b>{question}</b>\n\nSend the new question, "
                "or {keep} to keep it."
            ).format(liaison=_mention(context), question=question, keep=KEEP),
            entry.question,
        ),
    )
    return EDIT_QUESTION


async def edit_question(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = FaqDraft.load(context) or FaqDraft()
    if update.message.text.strip() != KEEP:
        question = await _checked(update, context, MAX_QUESTION, _empty_question())
        if question is None:
            return EDIT_QUESTION
        draft = FaqDraft.load(context) or draft
        draft.question = question
        draft.save(context)
    entry = await context.store.faq.get(draft.faq_id) if draft.faq_id else None
    await _prompt(
        update,
        context,
        _fitted(
            lambda answer: _(
                "{liaison}, the answer now reads:\n{answer}\n\nSend the new answer, or {keep} to "
                "keep it."
            ).format(liaison=_mention(context), answer=answer, keep=KEEP),
            entry.answer if entry else "",
        ),
    )
    return EDIT_ANSWER


async def edit_answer(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = FaqDraft.load(context) or FaqDraft()
    entry = await context.store.faq.get(draft.faq_id) if draft.faq_id else None
    if entry is None:
        FaqDraft.drop(context)
        await update.message.reply_text(_("This question is no longer in the FAQ."))
        return ConversationHandler.END
    answer = entry.answer
    if update.message.text.strip() != KEEP:
        answer = await _checked(update, context, MAX_ANSWER, _empty_answer())
        if answer is None:
            return EDIT_ANSWER
    FaqDraft.drop(context)
    await context.store.faq.update(entry.faq_id, draft.question or entry.question, answer)
    await update.message.reply_text(_("FAQ entry {number} is updated.").format(number=entry.faq_id))
    return ConversationHandler.END


async def remove(update: Update, context: KapstokContext) -> None:
    """/faqremove N"""
    if not await require_liaison(update, context):
        return
    number = callbacks.NUMBER.parse(context.args[0]) if context.args else None
    if number is None:
        await update.message.reply_text(
            _("Which entry? For example /faqremove 3; /faqlist shows the numbers.")
        )
        return
    removed = await context.store.faq.remove(number)
    await update.message.reply_text(
        (
            _("FAQ entry {number} is removed.") if removed else _("There is no FAQ entry {number}.")
        ).format(number=number)
    )


def _listed(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= LIST_QUESTION else question[: LIST_QUESTION - 1] + "…"


async def _listing(
    context: KapstokContext, page: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A page of /faqlist (the last one if there are fewer), or None for an empty FAQ."""
    total = await context.store.faq.count()
    if not total:
        return None
    pages = math.ceil(total / LIST_PAGE)
    page = min(max(page, 1), pages)
    entries = await context.store.faq.page((page - 1) * LIST_PAGE, LIST_PAGE)
    lines = [_("<b>FAQ</b> (edit with /faqedit N, remove with /faqremove N):")]
    lines += [
        f"{entry.faq_id}. [{entry.kapstok} · {entry.language}] {esc(_listed(entry.question))}"
        for entry in entries
    ]
    if pages == 1:
        return "\n".join(lines), None
    lines += ["", _("Page {page} of {pages}").format(page=page, pages=pages)]
    buttons = []
    if page > 1:
        buttons.append(
            InlineKeyboardButton(
                pgettext("button", "◀ Previous"),
                callback_data=callbacks.FAQ_LIST_PAGE.data(page - 1),
            )
        )
    if page < pages:
        buttons.append(
            InlineKeyboardButton(
                pgettext("button", "Next ▶"), callback_data=callbacks.FAQ_LIST_PAGE.data(page + 1)
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup([buttons])


async def list_entries(update: Update, context: KapstokContext) -> None:
    """/faqlist: the entries with their number, kapstok and language, a page at a time."""
    if not await require_liaison(update, context):
        return
    listing = await _listing(context, 1)
    if listing is None:
        await update.message.reply_text(
            _(
                "The FAQ is still empty. Add entries with /faqadd, or send a CSV file with "
                "/faqimport."
            )
        )
        return
    text, keyboard = listing
    await update.message.reply_text(text, reply_markup=keyboard)


async def list_page(update: Update, context: KapstokContext) -> None:
    """◀ ▶ under /faqlist: for liaison officers, in the liaison group or their private chat."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    chat = update.effective_chat
    if chat is None or not (chat.type == "private" or chat.id == context.config.liaison_chat_id):
        await query.answer(
            _("This button does not work here. Nothing was changed."), show_alert=True
        )
        return
    page = callbacks.FAQ_LIST_PAGE.value(query.data)
    if page is None:
        await no_longer_valid(update)
        return
    listing = await _listing(context, page)
    if listing is None:
        await query.answer(_("The FAQ is empty now."), show_alert=True)
        return
    await query.answer()
    await show(query, *listing)


# --- CSV ---------------------------------------------------------------------------------------


def problem_text(problem: CsvProblem) -> str:
    """A line of the CSV that could not be imported, in words."""
    line = problem.line
    match problem.problem:
        case Problem.NOT_UTF8:
            return _("The file is not UTF-8 text.")
        case Problem.NO_HEADER:
            return _("The first line must name the columns {columns}.").format(
                columns=", ".join(COLUMNS)
            )
        case Problem.BAD_KAPSTOK:
            return _("line {line}: kapstok must be 1 to 5").format(line=line)
        case Problem.BAD_LANGUAGE:
            return _("line {line}: language must be nl, fr or en").format(line=line)
        case Problem.EMPTY:
            return _("line {line}: question and answer are needed").format(line=line)
        case Problem.TOO_MANY:
            return _(
                "Nothing was imported: a file may hold at most {limit} entries, and line {line} "
                "is one too many. Split the file and import the parts one by one."
            ).format(limit=MAX_IMPORT, line=line)
        case _:
            return _("line {line}: the question or the answer is too long").format(line=line)


async def start_import(update: Update, context: KapstokContext) -> str | int:
    """/faqimport: wait for a CSV file (in the group: as a reply to this prompt)."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    FaqDraft().save(context)
    await _prompt(
        update,
        context,
        _(
            "{liaison}, send me the CSV file now, as a document. Its first line names the columns "
            "kapstok, language, question, answer; /faqexport gives an example."
        ).format(liaison=_mention(context)),
    )
    return IMPORT


def _too_large() -> str:
    return _("That file is too large: at most 1 MB. Please send a smaller one, or /cancel.")


async def receive_csv(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    # What Telegram says of the size saves a download; what was downloaded decides.
    document = update.message.document
    if document.file_size and document.file_size > MAX_CSV_BYTES:
        await _prompt(update, context, _too_large())
        return IMPORT
    file = await document.get_file()
    if file.file_size and file.file_size > MAX_CSV_BYTES:
        await _prompt(update, context, _too_large())
        return IMPORT
    data = bytes(await file.download_as_bytearray())
    if len(data) > MAX_CSV_BYTES:
        await _prompt(update, context, _too_large())
        return IMPORT
    FaqDraft.drop(context)
    rows, problems = parse_faq_csv(data, MAX_QUESTION, MAX_ANSWER, MAX_IMPORT)
    if any(problem.problem is Problem.TOO_MANY for problem in problems):
        await update.message.reply_text("\n".join(problem_text(p) for p in problems))
        return ConversationHandler.END
    if rows:
        await context.store.faq.add(
            (row.kapstok, row.language, row.question, row.answer) for row in rows
        )
    lines = [
        i18n.ngettext(
            "Imported {count} FAQ entry.", "Imported {count} FAQ entries.", len(rows)
        ).format(count=len(rows))
    ]
    if problems:
        lines.append(_("Not imported:"))
        lines += [f"• {problem_text(problem)}" for problem in problems[:20]]
        if len(problems) > 20:
            lines.append(
                i18n.ngettext(
                    "… and {count} more line.", "… and {count} more lines.", len(problems) - 20
                ).format(count=len(problems) - 20)
            )
    await update.message.reply_text("\n".join(lines))
    return ConversationHandler.END


async def not_a_csv(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, FaqDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await _prompt(update, context, _("Please send the CSV file as a document, or /cancel."))
    return IMPORT


async def export(update: Update, context: KapstokContext) -> None:
    """/faqexport: the whole FAQ as a CSV file."""
    if not await require_liaison(update, context):
        return
    entries = await context.store.faq.entries()
    await update.message.reply_document(
        InputFile(
            io.BytesIO(
                write_faq_csv(FaqRow(e.kapstok, e.language, e.question, e.answer) for e in entries)
            ),
            filename="kapstok-faq.csv",
        ),
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
            KAPSTOK: [
                CallbackQueryHandler(choose_kapstok, pattern=callbacks.FAQ_ADD_KAPSTOK.matches)
            ],
            LANGUAGE: [
                CallbackQueryHandler(choose_language, pattern=callbacks.FAQ_ADD_LANGUAGE.matches)
            ],
            QUESTION: [MessageHandler(TEXT & answered, receive_question)],
            ANSWER: [MessageHandler(TEXT & answered, receive_answer)],
            EDIT_QUESTION: [MessageHandler(TEXT & answered, edit_question)],
            EDIT_ANSWER: [MessageHandler(TEXT & answered, edit_answer)],
            IMPORT: [
                MessageHandler(filters.Document.ALL & answered, receive_csv),
                MessageHandler((TEXT | NOT_TEXT) & answered, not_a_csv),
            ],
        },
        fallbacks=fallbacks(FaqDraft.KEY),
    )
    return [
        keeping,
        CommandHandler("faqremove", remove, filters=where),
        CommandHandler("faqlist", list_entries, filters=where),
        CommandHandler("faqexport", export, filters=where),
        CallbackQueryHandler(list_page, pattern=callbacks.FAQ_LIST_PAGE.claims),
    ]
