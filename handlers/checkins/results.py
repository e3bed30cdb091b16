"""What the barometer says: /barometer for liaisons (the last round, the change, the low scores,
a chart over the rounds), "You said, we did" to the boards that answered, and a board's own
scores next to the municipality's average ("Our barometer" on kapstok 1's page)."""

from __future__ import annotations

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
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.audience import Audience
from bot.domain.barometer import RoundSummary, change, summarize
from bot.domain.faq import is_blank
from bot.domain.kapstokken import KAPSTOKKEN, by_number
from bot.domain.preferences import Kind
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.checkins import rows
from handlers.checkins.chart import barometer_chart_async
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.ui import (
    esc,
    kapstok_title,
    menu_button,
    no_longer_valid,
    require_approved_member,
    require_liaison,
    show,
)
from storage.barometer import Round

ROUNDS_CHARTED = 8
MAX_YOU_SAID = 2000
YOU_SAID_TEXT = "barometer.you_said"


def _number(value: float | None) -> str:
    return i18n.format_decimal(value, "0.0") if value is not None else "–"


def _difference(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) < 0.05:
        return " (=)"
    arrow = "▲" if value > 0 else "▼"
    return f" ({arrow} {i18n.format_decimal(value, '+0.0;-0.0')})"


async def _summaries(context: KapstokContext, rounds: list[Round]) -> list[RoundSummary]:
    store = context.store
    return [
        summarize(r.asked, [a.as_answer() for a in await store.barometer.answers(r.round_id)])
        for r in rounds
    ]


async def _chart(rounds: list[Round], summaries: list[RoundSummary], own=None, own_label=None):
    return await barometer_chart_async(
        [i18n.format_date(r.opened_at) for r in rounds],
        [
            (f"{k.number}. {kapstok_title(k)}", [s.averages[k.number] for s in summaries])
            for k in KAPSTOKKEN
        ],
        title=_("Barometer: the average score per kapstok"),
        y_label=_("Average score (1–5)"),
        own=own,
        own_label=own_label,
    )


# --- /barometer --------------------------------------------------------------------------------


async def barometer(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    store = context.store
    rounds = await store.barometer.rounds(ROUNDS_CHARTED)
    if not rounds:
        await update.message.reply_text(
            _("There was no barometer round yet. /schedules plans one.")
        )
        return
    summaries = await _summaries(context, rounds)
    last, summary = rounds[-1], summaries[-1]
    previous = summaries[-2] if len(summaries) > 1 else None
    differences = change(summary, previous)
    now = store.now()
    state = (
        _("open until {moment}").format(moment=i18n.format_datetime(last.closes_at))
        if last.closed_at is None and now < last.closes_at
        else _("closed")
    )
    rate = summary.response_rate
    lines = [
        _("📊 <b>Barometer of {date}</b> ({state})").format(
            date=i18n.format_date(last.opened_at), state=state
        ),
        _("{answered} of {asked} associations answered ({rate}).").format(
            answered=summary.answered,
            asked=summary.asked,
            rate=i18n.format_percent(rate) if rate is not None else "–",
        ),
        "",
    ]
    for kapstok in KAPSTOKKEN:
        lines.append(
            f"{kapstok.emoji} {esc(kapstok_title(kapstok))}: "
            f"<b>{_number(summary.averages[kapstok.number])}</b>"
            + _difference(differences[kapstok.number])
        )
    low = {n: ids for n, ids in summary.low.items() if ids}
    if low:
        lines += ["", _("Scored 2 or lower:")]
        for number, ids in low.items():
            kapstok = by_number(number)
            names = [
                esc(association.name)
                for association in [await store.associations.get(i) for i in ids]
                if association is not None
            ]
            lines.append(f"{kapstok.emoji} {esc(kapstok_title(kapstok))}: {', '.join(names)}")
    if last.you_said:
        lines += [
            "",
            _("“You said, we did” was sent on {date}.").format(
                date=i18n.format_date(last.you_said_at)
            ),
        ]
    keyboard = None
    if not last.you_said and summary.answered:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "📝 You said, we did"),
                        callback_data=callbacks.YOU_SAID.data(last.round_id),
                    )
                ]
            ]
        )
    await update.message.reply_text("\n".join(lines), reply_markup=keyboard)
    png = await _chart(rounds, summaries)
    await update.message.reply_photo(InputFile(png, filename="barometer.png"))


# --- "You said, we did" --------------------------------------------------------------------------


@dataclass
class YouSaidDraft(Draft):
    KEY = "you_said"
    round_id: int | None = None
    text: str | None = None
    prompt: int | None = None


def _topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _prompt_markup(update: Update):
    return ForceReply(selective=True) if update.effective_chat.type != "private" else None


async def _answered_boards(context: KapstokContext, round_id: int):
    answered = {a.association_id for a in await context.store.barometer.answers(round_id)}
    return await context.store.audience.recipients(
        Audience(),
        Kind.CHECKINS,
        today(context.store, context.config),
        only_associations=answered,
    )


async def start_you_said(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await require_liaison(update, context):
        return ConversationHandler.END
    round_ = await context.store.barometer.round(callbacks.YOU_SAID.value(query.data))
    if round_ is None or round_.you_said:
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    YouSaidDraft(round_.round_id).save(context)
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        _(
            "What does the municipality do with the answers of the barometer of {date}? Write "
            "it (at most {limit} characters); it goes to the boards that answered."
        ).format(date=i18n.format_date(round_.opened_at), limit=MAX_YOU_SAID),
        reply_markup=ForceReply(selective=True)
        if update.effective_chat.type != "private"
        else None,
        message_thread_id=_topic(update),
    )
    remember_prompt(context, YouSaidDraft.KEY, prompt)
    return YOU_SAID_TEXT


async def receive_you_said(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, YouSaidDraft.KEY):
        return None
    if not context.is_liaison:
        YouSaidDraft.drop(context)
        await require_liaison(update, context)
        return ConversationHandler.END
    draft = YouSaidDraft.load(context)
    text = update.message.text
    if draft is None or draft.round_id is None:
        return ConversationHandler.END
    if is_blank(text) or len(text) > MAX_YOU_SAID:
        await update.message.reply_text(
            _("Please write it as a text of at most {limit} characters, or /cancel.").format(
                limit=MAX_YOU_SAID
            ),
            reply_markup=_prompt_markup(update),
        )
        return None
    draft.text = update.message.text_html
    draft.save(context)
    boards = await _answered_boards(context, draft.round_id)
    await update.message.reply_text(
        _("It goes like this to {count} board members:").format(count=len(boards))
        + "\n\n"
        + draft.text,
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "📣 Send"),
                        callback_data=callbacks.YOU_SAID_SEND.data(draft.round_id),
                    )
                ]
            ]
        ),
    )
    return YOU_SAID_TEXT


async def send_you_said(update: Update, context: KapstokContext) -> int | None:
    query = update.callback_query
    if not await require_liaison(update, context):
        return ConversationHandler.END
    draft = YouSaidDraft.load(context)
    round_id = callbacks.YOU_SAID_SEND.value(query.data)
    if draft is None or draft.round_id != round_id or not draft.text:
        await no_longer_valid(update)
        return ConversationHandler.END
    if not await context.store.barometer.set_you_said(round_id, draft.text):
        YouSaidDraft.drop(context)
        await query.answer(_("It was sent already."), show_alert=True)
        return ConversationHandler.END
    boards = await _answered_boards(context, round_id)
    await queue(context.application, [rows.you_said(r.user_id, round_id) for r in boards])
    YouSaidDraft.drop(context)
    await query.answer()
    await show(query, _("Sent to {count} board members.").format(count=len(boards)))
    return ConversationHandler.END


async def not_text(update: Update, context: KapstokContext) -> None:
    if await answers_prompt(update, context, YouSaidDraft.KEY):
        await update.message.reply_text(_("Please write it as text, or /cancel."))


# --- "Our barometer" -----------------------------------------------------------------------------


async def our_barometer(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    if not await require_approved_member(update, context):
        return
    store = context.store
    own = {a.round_id: a for a in await store.barometer.answers_of(context.profile.association_id)}
    rounds = [r for r in await store.barometer.rounds(ROUNDS_CHARTED) if r.round_id in own]
    await query.answer()
    keyboard = InlineKeyboardMarkup([[menu_button()]])
    if not rounds:
        await show(
            query,
            _(
                "Your association has not answered a barometer round yet. When the municipality "
                "asks, your scores and the average of all associations show here."
            ),
            keyboard,
        )
        return
    summaries = await _summaries(context, rounds)
    lines = [_("📊 <b>Our barometer</b>: our score, and the average of all associations")]
    for round_, summary in list(zip(rounds, summaries, strict=True))[-4:]:
        scores = own[round_.round_id].scores
        lines += ["", f"<b>{i18n.format_date(round_.opened_at)}</b>"]
        for kapstok in KAPSTOKKEN:
            lines.append(
                _("{emoji} {kapstok}: {ours} (average {average})").format(
                    emoji=kapstok.emoji,
                    kapstok=esc(kapstok_title(kapstok)),
                    ours=scores.get(kapstok.number, "–"),
                    average=_number(summary.averages[kapstok.number]),
                )
            )
    await show(query, "\n".join(lines), keyboard)
    ours = [
        sum(own[r.round_id].scores.values()) / len(own[r.round_id].scores)
        if own[r.round_id].scores
        else None
        for r in rounds
    ]
    png = await _chart(rounds, summaries, own=ours, own_label=_("Our average"))
    await context.bot.send_photo(context.profile.user_id, InputFile(png, filename="barometer.png"))


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    return [
        ConversationHandler(
            name="you_said",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=timedelta(hours=6),
            entry_points=[CallbackQueryHandler(start_you_said, pattern=callbacks.YOU_SAID.matches)],
            states={
                YOU_SAID_TEXT: [
                    MessageHandler(TEXT & answered, receive_you_said),
                    MessageHandler(NOT_TEXT & answered, not_text),
                    CallbackQueryHandler(send_you_said, pattern=callbacks.YOU_SAID_SEND.matches),
                ]
            },
            fallbacks=fallbacks(YouSaidDraft.KEY),
        ),
        CommandHandler("barometer", barometer, filters=where),
        CallbackQueryHandler(our_barometer, pattern=callbacks.OUR_BAROMETER.matches),
    ]
