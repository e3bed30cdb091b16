"""The broadcasts' outbox kinds: the message to one board member, as written, and the
liaison's report, drawn again as delivery goes on."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import Application

from bot import i18n
from bot.context import KapstokContext
from bot.domain.preferences import Kind
from bot.i18n import _, ngettext, pgettext
from bot.outbox import Delivery, Outbox
from handlers import callbacks
from handlers.broadcasts import rows, sending
from handlers.bulk import still_wanted, with_fewer
from handlers.ui import esc
from storage.broadcasts import Broadcast
from storage.outbox import BatchCounts, OutboxRow

UNREACHED_SHOWN = 30  # associations named in a report; the rest are counted


def register(outbox: Outbox, application: Application) -> None:
    def context() -> KapstokContext:
        return KapstokContext(application)

    async def render_broadcast(row: OutboxRow) -> Delivery | None:
        return await _broadcast(context(), row)

    async def render_report(row: OutboxRow) -> Delivery | None:
        return await _report(context(), row)

    outbox.register(rows.BROADCAST, render_broadcast)
    outbox.register(rows.REPORT, render_report)


async def _broadcast(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    """The broadcast as written, with the 🔕 button in the recipient's language; nothing when
    it was stopped or the recipient no longer wants news."""
    broadcast = await context.store.broadcasts.get(row.payload["broadcast_id"])
    if broadcast is None or broadcast.state != "sending":
        return None
    if not await still_wanted(context, row.chat_id, Kind.NEWS):
        return None
    language = await context.store.users.language_of(row.chat_id) or i18n.default_language()
    with i18n.use_language(language):
        keyboard = with_fewer(Kind.NEWS)

    async def send():
        return await send_as_written(
            context.bot,
            row.chat_id,
            broadcast.body,
            broadcast.media_kind,
            broadcast.file_id,
            keyboard,
        )

    async def ended(*_outcome) -> None:
        await sending.report_soon(
            context.application, broadcast.broadcast_id, broadcast.report_chat_id
        )

    return Delivery(send, ended, ended)


async def send_as_written(
    bot,
    chat_id: int,
    body: str,
    media_kind: str | None,
    file_id: str | None,
    keyboard: InlineKeyboardMarkup,
    topic: int | None = None,
):
    """A broadcast as written: its text, or its photo or document with the text as caption."""
    if media_kind == "photo":
        return await bot.send_photo(
            chat_id, file_id, body or None, reply_markup=keyboard, message_thread_id=topic
        )
    if media_kind == "document":
        return await bot.send_document(
            chat_id, file_id, caption=body or None, reply_markup=keyboard, message_thread_id=topic
        )
    return await bot.send_message(chat_id, body, reply_markup=keyboard, message_thread_id=topic)


async def _report(context: KapstokContext, row: OutboxRow) -> Delivery | None:
    store = context.store
    broadcast = await store.broadcasts.get(row.payload["broadcast_id"])
    if broadcast is None:
        return None
    counts = await store.outbox.batch_counts(broadcast.batch)
    if broadcast.state == "sending" and counts.pending == 0:
        await store.broadcasts.end(broadcast.broadcast_id, "done")
        broadcast = await store.broadcasts.get(broadcast.broadcast_id)
    unreached = []
    if broadcast.state in ("done", "stopped"):
        unreached = await store.outbox.unreached_associations(broadcast.batch)
    language = await _report_language(context, broadcast)
    with i18n.use_language(language):
        text = report_text(broadcast, counts, unreached)
        keyboard = None
        if broadcast.state == "sending":
            keyboard = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            pgettext("button", "⏹ Stop"),
                            callback_data=callbacks.BROADCAST_STOP.data(broadcast.broadcast_id),
                        )
                    ]
                ]
            )
    bot = context.bot
    message_id = broadcast.report_message_id

    async def send():
        if message_id is None:
            return await bot.send_message(
                broadcast.report_chat_id,
                text,
                reply_markup=keyboard,
                message_thread_id=broadcast.report_topic,
            )
        try:
            return await bot.edit_message_text(
                text,
                chat_id=broadcast.report_chat_id,
                message_id=message_id,
                reply_markup=keyboard,
            )
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            raise

    async def sent(result) -> None:
        if message_id is None and result is not None:
            await store.broadcasts.set_report(broadcast.broadcast_id, result.message_id)

    return Delivery(send, sent, message=message_id is None)


async def _report_language(context: KapstokContext, broadcast: Broadcast) -> str:
    """The group's language in the liaison group; the liaison's own in a private chat."""
    if broadcast.report_chat_id == context.config.liaison_chat_id:
        return context.config.default_language
    return (
        await context.store.users.language_of(broadcast.report_chat_id)
        or context.config.default_language
    )


def report_title(broadcast: Broadcast) -> str:
    return {
        "sending": lambda: _("📣 Broadcast #{number} is being sent."),
        "done": lambda: _("📣 Broadcast #{number} is sent."),
        "stopped": lambda: _("📣 Broadcast #{number} was stopped."),
        "scheduled": lambda: _("📣 Broadcast #{number} waits for its moment."),
        "cancelled": lambda: _("📣 Broadcast #{number} was cancelled."),
    }[broadcast.state]().format(number=broadcast.broadcast_id)


def counts_line(counts: BatchCounts) -> str:
    return _(
        "✅ sent: {sent} · ⏳ waiting: {pending} · ⚠️ failed: {failed} · 📵 blocked: "
        "{blocked} · ⏭ skipped: {skipped}"
    ).format(
        sent=counts.sent,
        pending=counts.pending,
        failed=counts.failed,
        blocked=counts.blocked,
        skipped=counts.skipped,
    )


def report_text(
    broadcast: Broadcast, counts: BatchCounts, unreached: list[tuple[str, int, int]]
) -> str:
    """How a broadcast is doing: the counts, and at the end whom it did not reach."""
    lines = [
        f"<b>{report_title(broadcast)}</b>",
        ngettext(
            "For {count} board member.", "For {count} board members.", broadcast.recipients
        ).format(count=broadcast.recipients),
        counts_line(counts),
    ]
    if counts.uncertain:
        lines.append(
            ngettext(
                "❔ uncertain: {count} (was being sent when Kapstok stopped; may have arrived "
                "twice)",
                "❔ uncertain: {count} (were being sent when Kapstok stopped; may have arrived "
                "twice)",
                counts.uncertain,
            ).format(count=counts.uncertain)
        )
    if unreached:
        lines.append("")
        lines.append(_("Not reached:"))
        for name, reached, missed in unreached[:UNREACHED_SHOWN]:
            lines.append(
                _("• {association}: {missed} of {total} board members").format(
                    association=esc(name), missed=missed, total=reached + missed
                )
            )
        if len(unreached) > UNREACHED_SHOWN:
            more = len(unreached) - UNREACHED_SHOWN
            lines.append(
                ngettext(
                    "… and {count} more association.", "… and {count} more associations.", more
                ).format(count=more)
            )
    return "\n".join(lines)
