"""*Import CSV* under /gear: the liaison sends the catalog as a CSV file (a document; in the
group as a reply to the bot's question). Its rows add items and update those with the same Dutch
name, all or nothing (bot/domain/gear_catalog.py); a wrong cell is named by row and column and
the file can be sent again. A file over 20 MB is refused before it is downloaded. A stock the
file lowers cancels nothing: the liaison is told which reservations no longer fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import KapstokContext
from bot.domain.gear_catalog import (
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    CsvProblem,
    ImportPlan,
    parse_catalog_csv,
    plan_import,
)
from bot.i18n import _, ngettext
from handlers import callbacks
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.support.catalog import tell_misfits, topic, wrong_text
from handlers.ui import esc, require_liaison

FILE = "catalog_import.file"
TIMEOUT = timedelta(hours=6)
MAX_FILE_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
SHOWN_PROBLEMS = 15


@dataclass
class ImportDraft(Draft):
    """A file awaited, and the question a reply in the group must answer."""

    KEY = "gear_import"
    prompt: int | None = None


async def _ask(update: Update, context: KapstokContext, text: str) -> None:
    """A question the liaison answers with a file (in the group: by replying to it)."""
    markup = ForceReply(selective=True) if update.effective_chat.type != "private" else None
    prompt = await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=markup, message_thread_id=topic(update)
    )
    remember_prompt(context, ImportDraft.KEY, prompt)


async def _still_liaison(update: Update, context: KapstokContext) -> bool:
    if context.is_liaison:
        return True
    ImportDraft.drop(context)
    await require_liaison(update, context)
    return False


async def start_import(update: Update, context: KapstokContext) -> str | int:
    """📥 Import CSV: how, then wait for the file."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    ImportDraft().save(context)
    await _ask(update, context, _import_help())
    return FILE


def _import_help() -> str:
    return (
        _(
            "Send the CSV file now, as a document (in the group: as a reply to this message). "
            "Its first row names the columns: {columns}. Only {required} are needed; a column "
            "left out keeps what an item has. Cells are separated by ; or , (UTF-8). A row with "
            "a Dutch name already in the catalog updates that item, any other row adds one. One "
            "wrong cell and nothing is imported. 📤 Export CSV gives a file to start from."
        ).format(columns=", ".join(COLUMNS), required=", ".join(REQUIRED))
        + "\n\n"
        + _("You can stop at any time with /cancel.")
    )


def problem_text(problem: CsvProblem) -> str:
    """A problem of the file, in words, naming its row and column."""
    if problem.wrong == "not_utf8":
        return _("The file is not UTF-8 text.")
    if problem.wrong == "not_csv":
        return _("The file is not a CSV file I can read.")
    if problem.wrong == "no_header":
        return _("Row 1 must name the columns, at least {required}.").format(
            required=", ".join(REQUIRED)
        )
    if problem.wrong == "no_rows":
        return _("The file has no items.")
    if problem.wrong == "too_many":
        return _("A file holds at most {limit} items; row {row} is one too many.").format(
            limit=MAX_ROWS, row=problem.row
        )
    text = _("Row {row}, {column}: {problem}").format(
        row=problem.row, column=problem.column, problem=wrong_text(problem.wrong)
    )
    if problem.value:
        text += f" ({esc(problem.value)})"
    return text


async def receive_csv(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ImportDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    document = update.message.document
    too_large = _("That file is too large: at most 20 MB. Send a smaller one, or /cancel.")
    # What Telegram says of the size saves a download; what was downloaded decides.
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        await _ask(update, context, too_large)
        return None
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_FILE_BYTES:
        await _ask(update, context, too_large)
        return None
    rows, problems = parse_catalog_csv(data)
    plan: ImportPlan | list[CsvProblem] = problems
    catalog = await context.store.gear.catalog()
    if not problems:
        plan = plan_import(rows, catalog)
    if isinstance(plan, list):
        lines = [_("Nothing was imported:")]
        lines += [f"• {problem_text(problem)}" for problem in plan[:SHOWN_PROBLEMS]]
        if len(plan) > SHOWN_PROBLEMS:
            lines.append(
                ngettext(
                    "… and {count} more problem.",
                    "… and {count} more problems.",
                    len(plan) - SHOWN_PROBLEMS,
                ).format(count=len(plan) - SHOWN_PROBLEMS)
            )
        lines += ["", _("Correct the file and send it again, or /cancel.")]
        await _ask(update, context, "\n".join(lines))
        return None
    if not await context.store.gear.apply_import(plan):
        await _ask(
            update,
            context,
            _("The catalog changed while the file was read; nothing was imported. Send it again."),
        )
        return None
    ImportDraft.drop(context)
    before = {item.item_id: item.stock for item in catalog}
    await update.message.reply_text(
        _("Imported: {added} added, {updated} updated. /gear shows the catalog.").format(
            added=len(plan.added), updated=len(plan.updated)
        )
    )
    lowered = [item for item in plan.updated if item.stock < before.get(item.item_id, 0)]
    await tell_misfits(update, context, lowered)
    return ConversationHandler.END


async def not_a_csv(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ImportDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await _ask(update, context, _("Please send the CSV file as a document, or /cancel."))
    return None


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = (filters.ChatType.PRIVATE | filters.REPLY) & where
    importing = ConversationHandler(
        name="catalog_import",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_import, pattern=callbacks.GEAR_IMPORT.matches)],
        states={
            FILE: [
                MessageHandler(
                    filters.UpdateType.MESSAGE & filters.Document.ALL & answered, receive_csv
                ),
                MessageHandler((TEXT | NOT_TEXT) & answered, not_a_csv),
            ]
        },
        fallbacks=fallbacks(ImportDraft.KEY),
    )
    return [importing]
