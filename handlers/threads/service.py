"""The line to the municipality as other packages use it: find a thread the sender may use,
answer it as a liaison, close or reopen it."""

from __future__ import annotations

from telegram import Update

from bot.context import KapstokContext
from bot.domain.threads import (
    Direction,
    MessagePart,
    Thread,
    belongs_to_board,
    takes_on_answer,
)
from bot.i18n import _
from handlers.threads.cards import solved_keyboard
from handlers.threads.relay import deliver_out, echo_in_group, refresh_card, tell_members
from handlers.ui import esc, refuse


async def own_thread(update: Update, context: KapstokContext, number: int | None) -> Thread | None:
    """The thread, if it belongs to the sender's approved association; else refuse (before
    anything is read for someone on no approved board)."""
    profile = context.profile
    if profile is None or not profile.is_approved_member:
        await refuse(update, _("This question is not (or no longer) one of your association's."))
        return None
    thread = await context.store.threads.thread(number) if number is not None else None
    if thread is None or not belongs_to_board(thread, context.profile):
        await refuse(update, _("This question is not (or no longer) one of your association's."))
        return None
    return thread


async def liaison_thread(update: Update, context: KapstokContext, number: int | None):
    """The thread, for a liaison officer; refuse anyone else."""
    if not context.is_liaison:
        await refuse(update, _("Only liaison officers of the municipality can do this."))
        return None
    thread = await context.store.threads.thread(number) if number is not None else None
    if thread is None:
        await refuse(update, _("There is no question #{number}.").format(number=number))
    return thread


async def answer_as_liaison(
    context: KapstokContext, thread: Thread, part: MessagePart, *, echo: bool = False
) -> Thread:
    """Record a liaison's answer, hand the thread to them if nobody had it, and send it out;
    `echo` shows it in the topic too, when it was written where colleagues cannot see it."""
    profile = context.profile
    if takes_on_answer(thread):
        thread, _taken = await context.store.threads.take(
            thread, profile.user_id, profile.full_name
        )
    thread, message, _reopened = await context.store.threads.add_message(
        thread, Direction.OUT, profile.user_id, profile.full_name, part
    )
    await deliver_out(context, thread, message)
    if echo:
        await echo_in_group(context, thread, message)
    await refresh_card(context, thread)
    return thread


async def close_as_liaison(context: KapstokContext, thread: Thread) -> bool:
    """Close a thread as the liaison officer, and ask the board whether it is solved."""
    name = context.profile.full_name
    thread, changed = await context.store.threads.close(
        thread, name, closed_by=context.profile.user_id
    )
    if not changed:
        return False
    await refresh_card(context, thread)
    await tell_members(
        context,
        thread,
        lambda: _(
            "🔒 {liaison} of the municipality closed your question #{number}. Is it solved?"
        ).format(liaison=esc(name), number=thread.thread_id),
        keyboard=lambda: solved_keyboard(thread),
    )
    return True


async def reopen_as_liaison(context: KapstokContext, thread: Thread) -> bool:
    thread, changed = await context.store.threads.reopen(thread)
    if changed:
        await refresh_card(context, thread)
    return changed
