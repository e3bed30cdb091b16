"""The liaison officers: /liaisons lists them, an admin appoints them with /liaison."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.i18n import _
from handlers.text import join_blocks
from handlers.ui import esc, require_admin, require_liaison


async def liaisons(update: Update, context: KapstokContext) -> None:
    """/liaisons: the admins and the appointed liaison officers."""
    if not await require_liaison(update, context):
        return
    lines = [_("<b>Liaison officers</b>")]
    for admin_id in sorted(context.config.admin_ids):
        known = await context.store.liaisons.known_user(admin_id)
        name = known.display_name if known else str(admin_id)
        lines.append(_("• {name} (admin)").format(name=esc(name)))
    for officer in await context.store.liaisons.all():
        if context.config.is_admin(officer.user_id):
            continue
        lines.append(
            _("• {name}, since {date}").format(
                name=esc(officer.display_name), date=i18n.format_date(officer.appointed_at)
            )
        )
    if len(lines) == 1:
        lines.append(_("None yet. An admin appoints them with /liaison add."))
    for chunk in join_blocks(lines):
        await update.message.reply_text(chunk, do_quote=False)


def _liaison_usage() -> str:
    return _(
        "Use /liaison add or /liaison remove as a reply to a message of that person in the "
        "liaison group, or followed by their Telegram user id: /liaison add 12345678"
    )


async def manage_liaison(update: Update, context: KapstokContext) -> None:
    """/liaison add|remove: an admin appoints or removes a liaison officer."""
    if not await require_admin(update, context):
        return
    args = context.args or []
    action = args[0].lower() if args else ""
    target = _target_user(update, args[1:])
    if action not in ("add", "remove") or target is None:
        await update.message.reply_text(_liaison_usage())
        return
    user_id, name = target
    known = await context.store.liaisons.known_user(user_id)
    name = name or (known.display_name if known else str(user_id))
    if action == "add":
        added = await context.store.liaisons.add(user_id, context.profile.user_id)
        text = (
            _("{name} is now a liaison officer.")
            if added
            else _("{name} already is a liaison officer.")
        )
    elif context.config.is_admin(user_id):
        text = _("{name} is an admin in the configuration, and so stays a liaison officer.")
    else:
        removed = await context.store.liaisons.remove(user_id)
        text = (
            _("{name} is no longer a liaison officer.")
            if removed
            else _("{name} was not a liaison officer.")
        )
    await update.message.reply_text(text.format(name=esc(name)))


def _target_user(update: Update, args: list[str]) -> tuple[int, str | None] | None:
    if args:
        return (int(args[0]), None) if args[0].isascii() and args[0].isdigit() else None
    replied = update.message.reply_to_message
    if replied is not None and replied.from_user is not None and not replied.from_user.is_bot:
        return replied.from_user.id, replied.from_user.full_name
    return None


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("liaisons", liaisons, filters=where),
        CommandHandler("liaison", manage_liaison, filters=where),
    ]
