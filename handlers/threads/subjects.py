"""The subjects a board member picks when asking: listed by liaisons, kept by admins."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import KapstokContext
from bot.domain.kapstokken import ASKING, KAPSTOKKEN
from bot.i18n import _, current_language
from handlers.ui import esc, kapstok_title, require_admin, require_liaison

MAX_NAME = 60


def _usage() -> str:
    return _(
        "Use /subject add KAPSTOK Dutch name | French name | English name, for example:\n"
        "/subject add 2 Subsidies | Subsides | Subsidies\n"
        "or /subject remove NUMBER. /subjects lists them."
    )


async def list_subjects(update: Update, context: KapstokContext) -> None:
    """/subjects: the subjects per kapstok, with their numbers."""
    if not await require_liaison(update, context):
        return
    lines = [_("<b>Subjects</b> (number · name)")]
    for kapstok in KAPSTOKKEN:
        subjects = await context.store.subjects.active(kapstok.number)
        if subjects:
            lines += ["", f"<b>{kapstok.number}. {esc(kapstok_title(kapstok))}</b>"]
            lines += [f"{s.subject_id} · {esc(s.name(current_language()))}" for s in subjects]
    await update.message.reply_text("\n".join(lines))


async def manage_subject(update: Update, context: KapstokContext) -> None:
    """/subject add|remove: admins keep the list of subjects."""
    if not await require_admin(update, context):
        return
    words = update.message.text.split(maxsplit=3)
    action = words[1].lower() if len(words) > 1 else ""
    if action == "remove" and len(words) == 3 and words[2].isascii() and words[2].isdigit():
        removed = await context.store.subjects.retire(int(words[2]))
        text = (
            _("Subject {number} is no longer offered.")
            if removed
            else _("There is no subject {number}.")
        )
        await update.message.reply_text(text.format(number=words[2]))
        return
    if action == "add" and len(words) == 4 and words[2] in {str(n) for n in ASKING}:
        names = [name.strip() for name in words[3].split("|")]
        if len(names) == 3 and all(0 < len(name) <= MAX_NAME for name in names):
            subject = await context.store.subjects.add(int(words[2]), *names)
            await update.message.reply_text(
                _("Subject {number} added: {name}").format(
                    number=subject.subject_id, name=esc(subject.name(current_language()))
                )
            )
            return
    await update.message.reply_text(_usage())


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("subjects", list_subjects, filters=where),
        CommandHandler("subject", manage_subject, filters=where),
    ]
