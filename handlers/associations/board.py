"""An association's board: its page, inviting fellow board members, the members, leaving."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.associations import BoardMember
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.ui import esc, menu_button, require_approved_member, require_liaison, send_menu, show
from handlers.ui import reply as _reply


def _association_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✉️ Invite a board member"),
                    callback_data=callbacks.INVITE.data(),
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "👥 Board members"), callback_data=callbacks.MEMBERS.data()
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "🚪 Leave the association"),
                    callback_data=callbacks.LEAVE.data(),
                )
            ],
            [menu_button()],
        ]
    )


async def association_page(update: Update, context: KapstokContext) -> None:
    """The association's own page: its board, and inviting or leaving."""
    if not await require_approved_member(update, context):
        return
    await _reply(
        update,
        _(
            "<b>{association}</b>\n\nInvite fellow board members, so that they too can use "
            "Kapstok for your association, or see who is on board."
        ).format(association=esc(context.profile.association_name)),
        _association_keyboard(),
    )


async def invite(update: Update, context: KapstokContext) -> None:
    """/invite: a single-use code, valid for 7 days, and how to pass it on."""
    if not await require_approved_member(update, context):
        return
    code = await context.store.associations.create_invite_code(
        context.profile.association_id, context.profile.user_id
    )
    link = f"https://t.me/{context.bot.username}?start={code.code}"
    await _reply(
        update,
        _(
            "Here is an invite code for <b>{association}</b>:\n\n<code>{code}</code>\n\n"
            "Pass it on to one fellow board member, for instance in a private message. They open "
            "this link: {link}\nor they send /start to me, choose “I have an invite code” and "
            "enter the code. It works once, until {date}."
        ).format(
            association=esc(context.profile.association_name),
            code=code.code,
            link=link,
            date=i18n.format_datetime(code.expires_at),
        ),
        InlineKeyboardMarkup([[menu_button()]]),
    )


async def members(update: Update, context: KapstokContext) -> None:
    """/members: the association's board members and since when; a liaison officer who is no
    board member names the association (or asks in its topic)."""
    profile = context.profile
    if update.callback_query is None and context.is_liaison and profile.association_id is None:
        await members_for_liaison(update, context)
        return
    if not await require_approved_member(update, context):
        return
    board = await context.store.associations.board_members(profile.association_id)
    lines = board_lines(profile.association_name, board)
    lines.append("")
    lines.append(_("Invite another board member with /invite."))
    await _reply(update, "\n".join(lines), InlineKeyboardMarkup([[menu_button()]]))


def board_lines(association: str, board: list[BoardMember]) -> list[str]:
    """The board members, since when, and who blocked Kapstok."""
    lines = [
        i18n.ngettext(
            "<b>{association}</b> has {count} board member on Kapstok:",
            "<b>{association}</b> has {count} board members on Kapstok:",
            len(board),
        ).format(association=esc(association), count=len(board))
    ]
    for member in board:
        handle = f" (@{esc(member.username)})" if member.username else ""
        lines.append(
            _("• {name}{handle}, since {date}").format(
                name=esc(member.full_name), handle=handle, date=i18n.format_date(member.joined_at)
            )
            + (_(" — 📵 blocked Kapstok: unreachable") if member.unreachable else "")
        )
    return lines


async def members_for_liaison(update: Update, context: KapstokContext) -> None:
    """/members NAME, or /members in an association's topic: its board, for a liaison."""
    if not await require_liaison(update, context):
        return
    message = update.effective_message
    store = context.store
    name = " ".join(context.args or ())
    association = None
    if name:
        association = await store.associations.find_by_name(name)
    elif message.is_topic_message and message.message_thread_id:
        found = await store.topics.association_of(message.chat.id, message.message_thread_id)
        association = await store.associations.get(found) if found else None
    if association is None:
        text = (
            _("No association is called “{name}”.").format(name=esc(name[:100]))
            if name
            else _("Whose board? Send /members with the association's name, or in its topic.")
        )
        await message.reply_text(text)
        return
    board = await store.associations.board_members(association.association_id)
    await message.reply_text("\n".join(board_lines(association.name, board)))


async def leave(update: Update, context: KapstokContext) -> None:
    """/leave: ask for confirmation before ending the membership."""
    profile = context.profile
    if profile.association_id is None:
        await _reply(update, _("You are not a board member of any association."))
        return
    await _reply(
        update,
        _(
            "Do you really want to leave <b>{association}</b>? You will no longer see its "
            "questions and requests; to come back you need a new invite code."
        ).format(association=esc(profile.association_name)),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "Yes, leave"),
                        callback_data=callbacks.LEAVE_CONFIRM.data(),
                    )
                ],
                [
                    InlineKeyboardButton(
                        pgettext("button", "No, stay"), callback_data=callbacks.LEAVE_KEEP.data()
                    )
                ],
            ]
        ),
    )


async def confirm_leave(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    left = await context.store.associations.leave(context.profile.user_id)
    if left is None:
        await query.answer(_("You are not a board member of any association."), show_alert=True)
        return
    await query.answer()
    await context.refresh_profile()
    await show(
        query,
        _("You left <b>{association}</b>.").format(association=esc(left.name)),
    )
    await send_menu(update, context)


async def keep_membership(update: Update, context: KapstokContext) -> None:
    if context.profile.association_id is None:
        await update.callback_query.answer(
            _("You are not a board member of any association."), show_alert=True
        )
        return
    await update.callback_query.answer()
    await show(update.callback_query, _("Good, you stay on board."))
    await send_menu(update, context)


def build_handlers(liaison_chat_id: int) -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("members", members_for_liaison, filters=filters.Chat(liaison_chat_id)),
        CommandHandler("invite", invite, filters=private),
        CommandHandler("members", members, filters=private),
        CommandHandler("leave", leave, filters=private),
        CallbackQueryHandler(association_page, pattern=callbacks.ASSOCIATION_PAGE.matches),
        CallbackQueryHandler(invite, pattern=callbacks.INVITE.matches),
        CallbackQueryHandler(members, pattern=callbacks.MEMBERS.matches),
        CallbackQueryHandler(leave, pattern=callbacks.LEAVE.matches),
        CallbackQueryHandler(confirm_leave, pattern=callbacks.LEAVE_CONFIRM.matches),
        CallbackQueryHandler(keep_membership, pattern=callbacks.LEAVE_KEEP.matches),
    ]
