"""/requests: every request for support followed to its end.

- A board member: every gear and subsidy request of their association with its status, the
  newest first, a page at a time; a button per request opens it with its history (who did
  what, when).
- A liaison officer: the requests still open, the longest waiting first, with how long they
  have waited; in an association's topic, that association's requests; `/requests csv FIRST
  LAST` (or a button: this month, this year, last year) all requests made in a period as a CSV
  file (UTF-8 with a byte order mark, `;`)."""

from __future__ import annotations

import io
import math
from datetime import date, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.activity_exports import csv_file
from bot.domain.dates import moment_of, parse_day
from bot.domain.kapstokken import SUPPORT
from bot.domain.request_summaries import (
    PeriodProblem,
    RequestSummary,
    last_year,
    period_problem,
    plain_amount,
    this_month,
    this_year,
    waited,
)
from bot.domain.requests import RequestKind, Status
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.request_words import (
    amount,
    history_event,
    items_text,
    kind_label,
    kind_name,
    line,
    period,
    status_label,
    status_name,
)
from handlers.text import MESSAGE_LIMIT, join_blocks, plain_length
from handlers.ui import esc, no_longer_valid, require_approved_member, require_liaison, show

PAGE_SIZE = 8
MAX_BUTTONS = 30
BUTTON_TEXT = 60
DETAIL_CUT = 200  # a history step's text is cut to this in the view (the CSV has no history)
CSV_TIME = "%Y-%m-%d %H:%M"


def _cut(text: str, limit: int = DETAIL_CUT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _button(summary: RequestSummary, *, association: bool) -> InlineKeyboardButton:
    text = f"#{summary.request_id} · " + (
        summary.association_name if association else kind_label(summary.kind)
    )
    return InlineKeyboardButton(
        text[:BUTTON_TEXT], callback_data=callbacks.REQUEST_VIEW.data(summary.request_id)
    )


# --- the board's list --------------------------------------------------------------------------


async def _board_page(
    context: KapstokContext, page: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    """A page of the association's requests; None when there is no such page."""
    store, profile = context.store, context.profile
    total = await store.request_summaries.count_of_association(profile.association_id)
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    if page > pages:
        return None
    shown = await store.request_summaries.of_association(
        profile.association_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    lines = [
        _("<b>📋 Requests of {association}</b>, the newest first").format(
            association=esc(profile.association_name)
        ),
        "",
    ]
    if not shown:
        lines.append(
            _(
                "Your association has not asked for gear or a subsidy yet. Kapstok 5's page "
                "shows what you can ask for."
            )
        )
    lines += [line(summary) for summary in shown]
    if pages > 1:
        lines += ["", _("Page {page} of {pages}").format(page=page, pages=pages)]
    else:
        lines += ["", _("Press a request to see its history.")] if shown else []
    rows = [[_button(summary, association=False)] for summary in shown]
    navigation = []
    if page > 1:
        navigation.append(
            InlineKeyboardButton("◀", callback_data=callbacks.REQUESTS_PAGE.data(page - 1))
        )
    if page < pages:
        navigation.append(
            InlineKeyboardButton("▶", callback_data=callbacks.REQUESTS_PAGE.data(page + 1))
        )
    if navigation:
        rows.append(navigation)
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⬅️ Back"),
                callback_data=callbacks.KAPSTOK_PAGE.data(SUPPORT.number),
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def board_page(update: Update, context: KapstokContext) -> None:
    """rq:l: a page of the board's requests."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    found = await _board_page(context, callbacks.REQUESTS_PAGE.value(query.data))
    if found is None:
        await no_longer_valid(update)
        return
    await query.answer()
    await show(query, *found)


# --- one request, with its history ---------------------------------------------------------------


async def _actor(context: KapstokContext, user_id: int | None) -> str:
    user = await context.store.users.get(user_id) if user_id is not None else None
    return esc(user.full_name) if user is not None else _("(erased)")


def _facts(summary: RequestSummary) -> list[str]:
    request = summary.request
    lines = [
        _("{kind} <b>Request #{number}</b>").format(
            kind=kind_label(summary.kind), number=summary.request_id
        ),
        _("<b>Association:</b> {association}").format(association=esc(summary.association_name)),
        _("<b>Status:</b> {status}").format(status=status_label(summary.status)),
        _("<b>Requested on:</b> {moment}").format(moment=i18n.format_datetime(request.created_at)),
    ]
    if summary.kind is RequestKind.GEAR:
        lines.append(_("<b>Gear:</b> {items}").format(items=esc(items_text(summary, limit=20))))
        if summary.pick_up and summary.return_on:
            lines.append(
                _("<b>Period:</b> {period}").format(
                    period=period(summary.pick_up, summary.return_on)
                )
            )
    else:
        lines.append(
            _("<b>Subsidy:</b> {type}").format(type=esc(summary.type_name(i18n.current_language())))
        )
        if summary.amount_cents is not None:
            lines.append(
                _("<b>Amount asked:</b> {amount}").format(amount=amount(summary.amount_cents))
            )
        if summary.granted_cents is not None:
            lines.append(
                _("<b>Amount granted:</b> {amount}").format(amount=amount(summary.granted_cents))
            )
        if summary.paid_on is not None:
            lines.append(_("<b>Paid on:</b> {date}").format(date=i18n.format_day(summary.paid_on)))
    if summary.activity_title:
        lines.append(_("<b>Activity:</b> {title}").format(title=esc(summary.activity_title)))
    if request.note:
        lines.append(_("<b>Note:</b> {note}").format(note=esc(_cut(request.note))))
    if request.thread_id:
        lines.append(_("<b>Questions about it:</b> #{number}").format(number=request.thread_id))
    return lines


def _is_day(text: str) -> bool:
    """Whether an event's detail is a day as stored (yyyy-mm-dd): the day a subsidy was paid."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


async def _history(context: KapstokContext, summary: RequestSummary) -> list[str]:
    lines = []
    for event in await context.store.requests.history(summary.request_id):
        text = (
            f"{i18n.format_datetime(event.at)} · {await _actor(context, event.actor)} · "
            f"{history_event(event.event)}"
        )
        if event.cents is not None:
            text += f" ({amount(event.cents)})"
        if event.event == Status.PAID.value and _is_day(event.detail):
            text += f": {i18n.format_day(date.fromisoformat(event.detail))}"
        elif event.detail:
            text += f": <i>{esc(_cut(event.detail))}</i>"
        lines.append(text)
    return lines


async def request_text(context: KapstokContext, summary: RequestSummary) -> str:
    """The request and its history in one message: the oldest steps go first when it is long."""
    facts = _facts(summary)
    history = await _history(context, summary)
    left_out = 0
    while True:
        shown = history[left_out:]
        lines = [*facts, "", _("<b>History</b>")]
        if left_out:
            lines.append(
                ngettext("… {count} earlier step", "… {count} earlier steps", left_out).format(
                    count=left_out
                )
            )
        text = "\n".join(lines + shown)
        if plain_length(text) <= MESSAGE_LIMIT - 100 or not shown:
            return text
        left_out += 1


async def view(update: Update, context: KapstokContext) -> None:
    """rq:v: a request with its history, for its association's board (in a private chat) or a
    liaison officer; anyone else is refused before anything is read."""
    query = update.callback_query
    private = update.effective_chat.type == "private"
    profile = context.profile
    as_board = private and profile is not None and profile.is_approved_member
    if not as_board and not await require_liaison(update, context):
        return
    summary = await context.store.request_summaries.get(callbacks.REQUEST_VIEW.value(query.data))
    if as_board and (summary is None or summary.request.association_id != profile.association_id):
        if not context.is_liaison:
            await no_longer_valid(update)  # another association's: as if it did not exist
            return
        as_board = False
    if summary is None:
        await no_longer_valid(update)
        return
    await query.answer()
    if as_board:
        keyboard = [
            [
                InlineKeyboardButton(
                    pgettext("button", "⬅️ Our requests"),
                    callback_data=callbacks.REQUESTS_PAGE.data(1),
                )
            ]
        ]
    else:
        keyboard = [
            [
                InlineKeyboardButton(
                    pgettext("button", "❓ Ask the board"),
                    callback_data=callbacks.REQUEST_ASK.data(summary.request_id),
                )
            ]
        ]
    await show(query, await request_text(context, summary), InlineKeyboardMarkup(keyboard))


# --- the liaison's lists ------------------------------------------------------------------------


async def _topic_association(update: Update, context: KapstokContext) -> int | None:
    message = update.effective_message
    if message.chat.id != context.config.liaison_chat_id or not message.is_topic_message:
        return None
    return await context.store.topics.association_of(message.chat.id, message.message_thread_id)


def _csv_row_buttons() -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            pgettext("button", "📤 This month"), callback_data=callbacks.REQUESTS_CSV.data("month")
        ),
        InlineKeyboardButton(
            pgettext("button", "📤 This year"), callback_data=callbacks.REQUESTS_CSV.data("year")
        ),
        InlineKeyboardButton(
            pgettext("button", "📤 Last year"),
            callback_data=callbacks.REQUESTS_CSV.data("lastyear"),
        ),
    ]


async def _send_list(
    update: Update, context: KapstokContext, heading: str, found: list[RequestSummary], empty: str
) -> None:
    now = context.store.now()
    lines = [heading]
    if not found:
        lines += ["", empty]
    for summary in found:
        text = line(summary, association=True)
        if summary.request.open:
            text += " · " + _("waiting {age}").format(
                age=i18n.format_age(waited(summary.request, now))
            )
        lines.append(text)
    rows = [[_button(summary, association=True)] for summary in found[:MAX_BUTTONS]]
    rows.append(_csv_row_buttons())
    keyboard = InlineKeyboardMarkup(rows)
    chunks = join_blocks(lines)
    message = update.effective_message
    for index, chunk in enumerate(chunks):
        await message.reply_text(
            chunk, reply_markup=keyboard if index == len(chunks) - 1 else None, do_quote=index == 0
        )


async def _liaison_list(update: Update, context: KapstokContext) -> None:
    store = context.store
    number = await _topic_association(update, context)
    if number is not None:
        association = await store.associations.get(number)
        found = await store.request_summaries.of_association(number)
        await _send_list(
            update,
            context,
            _("<b>📋 Requests of {association}</b>, the newest first").format(
                association=esc(association.name if association else "")
            ),
            found,
            _("This association has not asked for gear or a subsidy yet."),
        )
        return
    await _send_list(
        update,
        context,
        _("<b>📋 Open requests</b>, the longest waiting first"),
        await store.request_summaries.still_open(),
        _("No request is waiting. 🎉"),
    )


# --- the export --------------------------------------------------------------------------------


def _period_text(problem: PeriodProblem | None) -> str:
    example = _("For example: /requests csv 2027-01-01 2027-06-30")
    if problem is PeriodProblem.ORDER:
        return _("The last day comes before the first. {example}").format(example=example)
    if problem is PeriodProblem.TOO_LONG:
        return _("That period is longer than five years; export it in parts. {example}").format(
            example=example
        )
    if problem is PeriodProblem.UNREADABLE:
        return _(
            "I cannot read that period. Give the first and the last day, like yyyy-mm-dd or as "
            "you write dates. {example}"
        ).format(example=example)
    return _(
        "Which period? Give the first and the last day of the requests to export, or choose "
        "one below. {example}"
    ).format(example=example)


def _csv_rows(found: list[RequestSummary], zone) -> tuple[list[str], list[list[object]]]:
    header = [
        _("number"),
        _("kind"),
        _("association"),
        _("status"),
        _("created"),
        _("last change"),
        _("pick-up"),
        _("return"),
        _("items or subsidy type"),
        _("amount asked"),
        _("amount granted"),
        _("paid on"),
        _("activity"),
    ]
    language = i18n.current_language()
    rows = []
    for summary in found:
        request = summary.request
        gear = summary.kind is RequestKind.GEAR
        rows.append(
            [
                summary.request_id,
                kind_name(summary.kind),
                summary.association_name,
                status_name(summary.status),
                request.created_at.astimezone(zone).strftime(CSV_TIME),
                request.updated_at.astimezone(zone).strftime(CSV_TIME),
                summary.pick_up.isoformat() if summary.pick_up else "",
                summary.return_on.isoformat() if summary.return_on else "",
                items_text(summary, limit=None) if gear else summary.type_name(language),
                plain_amount(summary.amount_cents),
                plain_amount(summary.granted_cents),
                summary.paid_on.isoformat() if summary.paid_on else "",
                summary.activity_title or "",
            ]
        )
    return header, rows


async def _export(update: Update, context: KapstokContext, first: date, last: date) -> None:
    store, zone = context.store, context.config.timezone
    start = moment_of(first, time(0, 0), zone)
    end = moment_of(last + timedelta(days=1), time(0, 0), zone)
    found = await store.request_summaries.created_between(start, end)
    header, rows = _csv_rows(found, zone)
    message = update.effective_message
    await context.bot.send_document(
        message.chat.id,
        InputFile(
            io.BytesIO(csv_file(header, rows)),
            filename=f"kapstok-requests-{first.isoformat()}-{last.isoformat()}.csv",
        ),
        caption=ngettext(
            "{count} request made from {first} to {last}, as CSV.",
            "{count} requests made from {first} to {last}, as CSV.",
            len(found),
        ).format(count=len(found), first=i18n.format_day(first), last=i18n.format_day(last)),
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )


async def _csv_command(update: Update, context: KapstokContext, words: list[str]) -> None:
    message = update.effective_message
    if len(words) == 0:
        await message.reply_text(
            _period_text(None), reply_markup=InlineKeyboardMarkup([_csv_row_buttons()])
        )
        return
    locale = i18n.babel_locale()
    first = parse_day(words[0], locale) if len(words) == 2 else None
    last = parse_day(words[1], locale) if len(words) == 2 else None
    problem = period_problem(first, last)
    if problem is not None:
        await message.reply_text(
            _period_text(problem), reply_markup=InlineKeyboardMarkup([_csv_row_buttons()])
        )
        return
    await _export(update, context, first, last)


async def export_button(update: Update, context: KapstokContext) -> None:
    """rq:csv: this month's, this year's or last year's requests as CSV."""
    if not await require_liaison(update, context):
        return
    query = update.callback_query
    day = today(context.store, context.config)
    choose = {"month": this_month, "year": this_year, "lastyear": last_year}
    first, last = choose[callbacks.REQUESTS_CSV.value(query.data)](day)
    await query.answer()
    await _export(update, context, first, last)


# --- the command ---------------------------------------------------------------------------------


async def requests_command(update: Update, context: KapstokContext) -> None:
    """/requests: the board's requests; for a liaison officer the open ones, an association's
    (in its topic), or a CSV export."""
    profile = context.profile
    in_group = update.effective_chat.id == context.config.liaison_chat_id
    if not in_group and profile is not None and profile.is_approved_member:
        text, keyboard = await _board_page(context, 1)
        await update.effective_message.reply_text(text, reply_markup=keyboard)
        return
    if not context.is_liaison:
        if in_group:
            await require_liaison(update, context)
        else:
            await require_approved_member(update, context)
        return
    words = context.args or []
    if words and words[0].lower() == "csv":
        await _csv_command(update, context, words[1:])
        return
    await _liaison_list(update, context)


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    return [
        CommandHandler("requests", requests_command, filters=where),
        CallbackQueryHandler(board_page, pattern=callbacks.REQUESTS_PAGE.matches),
        CallbackQueryHandler(view, pattern=callbacks.REQUEST_VIEW.matches),
        CallbackQueryHandler(export_button, pattern=callbacks.REQUESTS_CSV.matches),
    ]
