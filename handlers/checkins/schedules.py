"""Schedules as liaison officers keep them: /schedules lists what runs by itself (pause, resume,
delete), and ➕ New schedule asks what to send (a barometer round or a check-in), when
(monthly, quarterly or once, at a local time) and to whom.

Works in a private chat and in the liaison group; in the group only a reply to the bot's
question answers it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from babel.dates import format_date, get_month_names, parse_date
from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.domain.associations import AssociationKind
from bot.domain.audience import Audience
from bot.domain.barometer import MAX_OPEN_DAYS, MIN_OPEN_DAYS, OPEN_DAYS
from bot.domain.faq import is_blank
from bot.domain.schedules import MAX_DAY, Rule, local_moment, next_run, parse_time, validate
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.checkins.runner import content_label, put_on_queue, take_off_queue
from handlers.conversation import NOT_TEXT, TEXT, Draft, answers_prompt, fallbacks, remember_prompt
from handlers.text import MESSAGE_LIMIT, plain_length
from handlers.ui import esc, kind_label, mention, no_longer_valid, require_liaison, show
from storage.schedules import Schedule

CONTENT, FREQUENCY, DAY, DATE, TIME, OPEN, BODY, PHOTO, AUDIENCE, CONFIRM = (
    "schedules.content",
    "schedules.frequency",
    "schedules.day",
    "schedules.date",
    "schedules.time",
    "schedules.open_days",
    "schedules.body",
    "schedules.photo",
    "schedules.audience",
    "schedules.confirm",
)
TIMEOUT = timedelta(hours=6)
MAX_BODY = 1000  # a check-in with a photo goes as a caption: it must stay under 1,024
MAX_YEARS_AHEAD = 2
# /schedules: at most this many in one message (two buttons each, within Telegram's 100).
LIST_LIMIT = 40
PREVIEW = 60  # characters of a check-in's or broadcast's text the list shows
ICONS = {"barometer": "📊", "checkin": "💬", "broadcast": "📣"}


@dataclass
class ScheduleDraft(Draft):
    """A schedule being made, and the prompt a reply in the group must answer."""

    KEY = "schedules"
    content: str | None = None
    frequency: str | None = None
    day: int | None = None
    on: str | None = None  # a once-schedule's date, ISO
    at: str | None = None  # HH:MM, local
    open_days: int = OPEN_DAYS
    body: str | None = None  # HTML
    file_id: str | None = None
    kinds: list[str] = field(default_factory=list)
    prompt: int | None = None
    summary: int | None = None  # the message whose ✅ Save saves (not the old "14 days")

    def rule(self) -> Rule | None:
        if self.frequency is None or self.at is None:
            return None
        on = date.fromisoformat(self.on) if self.on else None
        return Rule(self.frequency, time.fromisoformat(self.at), self.day, on)

    def audience(self) -> Audience:
        known = {kind.value for kind in AssociationKind}
        return Audience(kinds=frozenset(AssociationKind(k) for k in self.kinds if k in known))


# --- in words ------------------------------------------------------------------------------------


def day_text(day: date) -> str:
    """A date as the liaison reads it: 12 March 2027."""
    return format_date(day, "long", locale=i18n.babel_locale())


def when_text(rule: Rule) -> str:
    at = rule.at.strftime("%H:%M")
    if rule.frequency == "once" and rule.on is not None:
        return _("once on {date} at {time}").format(date=day_text(rule.on), time=at)
    if rule.frequency == "quarterly":
        return _("quarterly on day {day} at {time}").format(day=rule.day, time=at)
    return _("monthly on day {day} at {time}").format(day=rule.day, time=at)


def audience_text(audience: Audience) -> str:
    if audience.everyone:
        return _("all approved associations")
    parts = []
    if audience.kinds:
        kinds = [kind_label(kind) for kind in AssociationKind if kind in audience.kinds]
        parts.append(_("associations of these kinds: {kinds}").format(kinds=", ".join(kinds)))
    if audience.languages:
        names = [i18n.LANGUAGE_NAMES[code] for code in sorted(audience.languages)]
        parts.append(_("board members who read {languages}").format(languages=", ".join(names)))
    if audience.open_thread:
        parts.append(_("only associations with an open question"))
    return "; ".join(parts)


def _frequency_label(frequency: str) -> str:
    return {
        "monthly": lambda: pgettext("button", "Every month"),
        "quarterly": lambda: pgettext("button", "Every quarter"),
        "once": lambda: pgettext("button", "Once, on a date"),
    }[frequency]()


_TAGS = re.compile(r"<[^>]+>")


def _preview(body: str | None) -> str | None:
    """The beginning of an HTML text, as plain text."""
    if not body:
        return None
    text = " ".join(html.unescape(_TAGS.sub("", body)).split())
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"


# --- typed answers -------------------------------------------------------------------------------

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_WORDS = re.compile(r"([0-9]{1,2})\.?\s+([^\W\d_]+)\.?\s+([0-9]{4})")
_NUMBER = re.compile(r"[0-9]{1,3}")


def _month(name: str, locale: str) -> int | None:
    """The number of a month named in full or abbreviated in the locale (maart, mrt., mars)."""
    wanted = name.strip(".").casefold()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, known in get_month_names(width, context, locale=locale).items():
                if known.strip(".").casefold() == wanted:
                    return number
    return None


def parse_day(text: str, locale: str) -> date | None:
    """A full date typed as yyyy-mm-dd, as three numbers in the locale's order (12/3/2027,
    12-3-27), or with the month's name (12 maart 2027); None when it is no date."""
    text = " ".join(text.split())
    try:
        if iso := _ISO.fullmatch(text):
            return date(*map(int, iso.groups()))
        if numeric := _NUMERIC.fullmatch(text):
            first, separator, second, year = numeric.groups()
            if len(year) == 2:
                year = f"20{year}"
            return parse_date(f"{first}{separator}{second}{separator}{year}", locale=locale)
        if words := _WORDS.fullmatch(text):
            month = _month(words[2], locale)
            return date(int(words[3]), month, int(words[1])) if month else None
    except (ValueError, IndexError):  # Babel raises either for an impossible date
        return None
    return None


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if _NUMBER.fullmatch(text) else None


# --- asking --------------------------------------------------------------------------------------


def _in_group(update: Update) -> bool:
    return update.effective_chat.type != "private"


def _topic(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _today(context: KapstokContext) -> date:
    return context.store.now().astimezone(context.config.timezone).date()


def _example(context: KapstokContext) -> str:
    """A date to show how one is typed: the first of next month, in the locale's short form."""
    first = (_today(context).replace(day=1) + timedelta(days=32)).replace(day=1)
    return format_date(first, "short", locale=i18n.babel_locale())


def _question(
    update: Update, context: KapstokContext, state: str, draft: ScheduleDraft
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What the bot asks at a typed step, and the buttons that may answer it instead."""
    reply = _("Reply to this message with your answer.") if _in_group(update) else ""
    if state == DAY and draft.frequency == "quarterly":
        text = _(
            "On which day of the month should it run, in January, April, July and October? "
            "Send a number from 1 to {max}."
        ).format(max=MAX_DAY)
    elif state == DAY:
        text = _("On which day of the month should it run? Send a number from 1 to {max}.").format(
            max=MAX_DAY
        )
    elif state == DATE:
        text = _("On which date should it run? Send it like {example}.").format(
            example=_example(context)
        )
    elif state == TIME:
        text = _("At what time? Send it like 09:00, 9u or 14h30 ({zone} time).").format(
            zone=esc(str(context.config.timezone))
        )
    elif state == OPEN:
        text = _(
            "How many days does the round stay open for answers? Send a number from {min} to "
            "{max}, or press the button for the usual {usual} days."
        ).format(min=MIN_OPEN_DAYS, max=MAX_OPEN_DAYS, usual=OPEN_DAYS)
        usual = ngettext("{count} day", "{count} days", OPEN_DAYS).format(count=OPEN_DAYS)
        button = InlineKeyboardButton(usual, callback_data=callbacks.SCHEDULE_USUAL_DAYS.data())
        return "\n\n".join(filter(None, [text, reply])), InlineKeyboardMarkup([[button]])
    elif state == BODY:
        text = _(
            "Send the check-in message, as you want the associations to read it (at most "
            "{limit} characters; bold and italics are kept)."
        ).format(limit=MAX_BODY)
    else:  # PHOTO
        text = _("Add a photo to the message? Send it now, or press No photo.")
        button = InlineKeyboardButton(
            pgettext("button", "No photo"), callback_data=callbacks.SCHEDULE_NO_PHOTO.data()
        )
        return "\n\n".join(filter(None, [text, reply])), InlineKeyboardMarkup([[button]])
    return text, None


async def _ask(
    update: Update, context: KapstokContext, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """Ask the liaison for a typed answer and remember the question: in the group only a reply
    to it answers it (a ForceReply, or a message with buttons to reply to)."""
    markup = keyboard
    if _in_group(update):
        text = f"{mention(context.profile.user_id, context.profile.first_name)}\n{text}"
        markup = keyboard or ForceReply(selective=True)
    if update.message is not None:
        prompt = await update.message.reply_text(text, reply_markup=markup)
    else:
        prompt = await context.bot.send_message(
            update.effective_chat.id, text, reply_markup=markup, message_thread_id=_topic(update)
        )
    remember_prompt(context, ScheduleDraft.KEY, prompt)


async def _ask_for(
    update: Update, context: KapstokContext, state: str, draft: ScheduleDraft, problem: str = ""
) -> str:
    """Ask the question of a typed step (after what was wrong, if anything); stay in it."""
    text, keyboard = _question(update, context, state, draft)
    await _ask(update, context, f"{problem}\n\n{text}" if problem else text, keyboard)
    return state


async def _still_liaison(update: Update, context: KapstokContext) -> bool:
    """Every step asks again: a liaison officer removed halfway saves nothing."""
    if context.is_liaison:
        return True
    ScheduleDraft.drop(context)
    await require_liaison(update, context)
    return False


async def _lost(update: Update, context: KapstokContext) -> int:
    ScheduleDraft.drop(context)
    text = _("Something got lost; please start again with /schedules.")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update.callback_query, text)
    else:
        await update.effective_message.reply_text(text)
    return ConversationHandler.END


# --- the steps -----------------------------------------------------------------------------------


async def start_new(update: Update, context: KapstokContext) -> str | int:
    """➕ New schedule: what, how often, when, to whom."""
    if not await require_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    ScheduleDraft().save(context)
    buttons = [
        [
            InlineKeyboardButton(
                pgettext("button", "📊 Barometer round"),
                callback_data=callbacks.SCHEDULE_CONTENT.data("barometer"),
            )
        ],
        [
            InlineKeyboardButton(
                pgettext("button", "💬 Check-in message"),
                callback_data=callbacks.SCHEDULE_CONTENT.data("checkin"),
            )
        ],
    ]
    text = (
        _(
            "A new schedule. What should it send? A barometer round asks every association to "
            "score the five kapstokken; a check-in is a short message you write, with a photo "
            "if you like."
        )
        + "\n\n"
        + _("You can stop at any time with /cancel.")
    )
    await context.bot.send_message(
        update.effective_chat.id,
        text,
        reply_markup=InlineKeyboardMarkup(buttons),
        message_thread_id=_topic(update),
    )
    return CONTENT


async def choose_content(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await query.answer()
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    draft.content = callbacks.SCHEDULE_CONTENT.value(query.data)
    draft.save(context)
    buttons = [
        [
            InlineKeyboardButton(
                _frequency_label(frequency),
                callback_data=callbacks.SCHEDULE_FREQUENCY.data(frequency),
            )
        ]
        for frequency in ("monthly", "quarterly", "once")
    ]
    text = _("{content}: how often should it run?").format(
        content=esc(content_label(draft.content)).capitalize()
    )
    await show(query, text, InlineKeyboardMarkup(buttons))
    return FREQUENCY


async def choose_frequency(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await query.answer()
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    if draft.content is None:
        return await _lost(update, context)
    draft.frequency = callbacks.SCHEDULE_FREQUENCY.value(query.data)
    draft.save(context)
    await show(
        query,
        f"{esc(content_label(draft.content)).capitalize()}: {_frequency_label(draft.frequency)}",
    )
    return await _ask_for(update, context, DATE if draft.frequency == "once" else DAY, draft)


async def receive_day(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    day = _number(update.message.text)
    if day is None or not 1 <= day <= MAX_DAY:
        problem = _(
            "Please send a day from 1 to {max}. Not every month has a day 29, 30 or 31: for the "
            "end of the month, choose {max}."
        ).format(max=MAX_DAY)
        return await _ask_for(update, context, DAY, draft, problem)
    draft.day = day
    draft.save(context)
    return await _ask_for(update, context, TIME, draft)


async def receive_date(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    on = parse_day(update.message.text, i18n.babel_locale())
    today = _today(context)
    limit = _years_later(today, MAX_YEARS_AHEAD)
    if on is None:
        problem = _("I cannot read that as a date.")
    elif on < today:
        problem = _("{date} has passed.").format(date=day_text(on))
    elif on > limit:
        problem = _("That is more than two years ahead: the last date you can choose is {date}.")
        problem = problem.format(date=day_text(limit))
    else:
        draft.on = on.isoformat()
        draft.save(context)
        return await _ask_for(update, context, TIME, draft)
    return await _ask_for(update, context, DATE, draft, problem)


async def receive_time(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    at = parse_time(update.message.text)
    if at is None:
        problem = _(
            "That is not a time of day. Hours go from 0 to 23 and minutes from 0 to 59: "
            "for example 09:00, 9u or 14h30."
        )
        return await _ask_for(update, context, TIME, draft, problem)
    draft.at = at.strftime("%H:%M")
    rule = draft.rule()
    if rule is None or draft.content is None:
        return await _lost(update, context)
    zone = context.config.timezone
    if validate(rule, context.store.now(), zone) == "past":
        problem = _("{moment} has already passed. Send a later time, or /cancel.").format(
            moment=i18n.format_datetime(local_moment(rule.on, rule.at, zone))
        )
        return await _ask_for(update, context, TIME, draft, problem)
    draft.save(context)
    return await _ask_for(update, context, OPEN if draft.content == "barometer" else BODY, draft)


async def receive_open_days(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    days = _number(update.message.text)
    if days is None or not MIN_OPEN_DAYS <= days <= MAX_OPEN_DAYS:
        problem = _("Please send a number of days from {min} to {max}.").format(
            min=MIN_OPEN_DAYS, max=MAX_OPEN_DAYS
        )
        return await _ask_for(update, context, OPEN, draft, problem)
    draft.open_days = days
    draft.save(context)
    return await _ask_audience(update, context, draft)


async def usual_open_days(update: Update, context: KapstokContext) -> str | int:
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    draft.open_days = OPEN_DAYS
    draft.save(context)
    return await _ask_audience(update, context, draft)


async def receive_body(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    text = update.message.text
    if is_blank(text):
        return await _ask_for(update, context, BODY, draft, _("A message cannot be empty."))
    if len(text.strip()) > MAX_BODY:
        problem = _(
            "That text is {length} characters long; the limit is {limit}. Please send a "
            "shorter one."
        ).format(length=len(text.strip()), limit=MAX_BODY)
        return await _ask_for(update, context, BODY, draft, problem)
    draft.body = update.message.text_html.strip()
    draft.save(context)
    return await _ask_for(update, context, PHOTO, draft)


async def not_text(update: Update, context: KapstokContext) -> str | int | None:
    """A sticker, photo, voice message … where text is asked for: ask again."""
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    state = _typed_state(draft)
    return await _ask_for(update, context, state, draft, _("Please answer with text."))


def _typed_state(draft: ScheduleDraft) -> str:
    """The typed step a draft is at (for an answer that is not text)."""
    if draft.frequency == "once" and draft.on is None:
        return DATE
    if draft.frequency != "once" and draft.day is None:
        return DAY
    if draft.at is None:
        return TIME
    return OPEN if draft.content == "barometer" else BODY


async def receive_photo(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    draft.file_id = update.message.photo[-1].file_id
    draft.save(context)
    return await _ask_audience(update, context, draft)


async def not_a_photo(update: Update, context: KapstokContext) -> str | int | None:
    if not await answers_prompt(update, context, ScheduleDraft.KEY):
        return None
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    return await _ask_for(update, context, PHOTO, draft, _("That is not a photo."))


async def no_photo(update: Update, context: KapstokContext) -> str | int:
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await update.callback_query.answer()
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    draft.file_id = None
    draft.save(context)
    return await _ask_audience(update, context, draft)


# --- to whom -------------------------------------------------------------------------------------


def _audience_choice(draft: ScheduleDraft) -> tuple[str, InlineKeyboardMarkup]:
    chosen = set(draft.kinds)
    kinds = [
        InlineKeyboardButton(
            ("✅ " if kind.value in chosen else "") + kind_label(kind),
            callback_data=callbacks.SCHEDULE_KIND.data(kind.value),
        )
        for kind in AssociationKind
    ]
    rows = [
        [
            InlineKeyboardButton(
                pgettext("button", "All approved associations"),
                callback_data=callbacks.SCHEDULE_ALL.data(),
            )
        ],
        *(kinds[index : index + 2] for index in range(0, len(kinds), 2)),
        [
            InlineKeyboardButton(
                pgettext("button", "✔️ Done"), callback_data=callbacks.SCHEDULE_AUDIENCE_DONE.data()
            )
        ],
    ]
    text = (
        _(
            "Who should get it? All approved associations, or only some kinds: choose them, "
            "then press Done."
        )
        + "\n\n"
        + _("Chosen: {audience}").format(audience=esc(audience_text(draft.audience())))
    )
    return text, InlineKeyboardMarkup(rows)


async def _ask_audience(update: Update, context: KapstokContext, draft: ScheduleDraft) -> str:
    text, keyboard = _audience_choice(draft)
    if update.callback_query is not None:
        await show(update.callback_query, text, keyboard)
    else:
        await _ask(update, context, text, keyboard)
    return AUDIENCE


async def toggle_kind(update: Update, context: KapstokContext) -> str | int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    await query.answer()
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    kind = callbacks.SCHEDULE_KIND.value(query.data)
    draft.kinds = sorted(set(draft.kinds) ^ {kind})
    draft.save(context)
    await show(query, *_audience_choice(draft))
    return AUDIENCE


async def everyone(update: Update, context: KapstokContext) -> str | int:
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    draft.kinds = []
    draft.save(context)
    return await _summary(update, context, draft)


async def audience_done(update: Update, context: KapstokContext) -> str | int:
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    return await _summary(update, context, draft)


# --- the summary, and saving ---------------------------------------------------------------------


def _what(content: str, open_days: int) -> str:
    label = esc(content_label(content)).capitalize()
    if content != "barometer":
        return label
    return ngettext(
        "{content}, open for {count} day", "{content}, open for {count} days", open_days
    ).format(content=label, count=open_days)


async def _summary(update: Update, context: KapstokContext, draft: ScheduleDraft) -> str | int:
    query = update.callback_query
    rule = draft.rule()
    if rule is None or draft.content is None:
        return await _lost(update, context)
    await query.answer()
    draft.summary = query.message.message_id if query.message else None
    draft.save(context)
    first = next_run(rule, context.store.now(), context.config.timezone)
    lines = [
        _("<b>The new schedule</b>"),
        _("What: {what}").format(what=_what(draft.content, draft.open_days)),
        _("When: {when}").format(when=esc(when_text(rule))),
        _("For: {audience}").format(audience=esc(audience_text(draft.audience()))),
    ]
    if first is not None:
        lines.append(_("First run: {moment}").format(moment=i18n.format_datetime(first)))
    if draft.content == "checkin":
        lines += ["", draft.body or ""]
        if draft.file_id:
            lines += ["", _("📷 With a photo.")]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "✅ Save"), callback_data=callbacks.SCHEDULE_CONFIRM.data()
                ),
                InlineKeyboardButton(
                    pgettext("button", "🗑 Discard"),
                    callback_data=callbacks.SCHEDULE_DISCARD.data(),
                ),
            ]
        ]
    )
    await show(query, "\n".join(lines), keyboard)
    return CONFIRM


async def confirm(update: Update, context: KapstokContext) -> int:
    query = update.callback_query
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    draft = ScheduleDraft.load(context) or ScheduleDraft()
    if query.message is None or query.message.message_id != draft.summary:
        # The same button said "14 days" on an earlier question: only the summary saves.
        await no_longer_valid(update)
        return CONFIRM
    rule = draft.rule()
    if rule is None or draft.content is None or (draft.content == "checkin" and not draft.body):
        return await _lost(update, context)
    ScheduleDraft.drop(context)
    await query.answer()
    now, zone = context.store.now(), context.config.timezone
    first = next_run(rule, now, zone) if validate(rule, now, zone) is None else None
    if first is None:
        await show(
            query,
            _(
                "The moment of this schedule passed meanwhile. Nothing was saved; start again "
                "with /schedules."
            ),
        )
        return ConversationHandler.END
    number = await context.store.schedules.create(
        created_by=context.profile.user_id,
        created_by_name=context.profile.first_name,
        rule=rule,
        audience=draft.audience(),
        content=draft.content,
        next_run_at=first,
        body=draft.body if draft.content == "checkin" else None,
        file_id=draft.file_id if draft.content == "checkin" else None,
        open_days=draft.open_days if draft.content == "barometer" else OPEN_DAYS,
    )
    put_on_queue(context.application, number, first)
    await show(
        query,
        _(
            "✅ Saved as schedule #{number}. It runs first on {moment}. /schedules lists every "
            "schedule."
        ).format(number=number, moment=i18n.format_datetime(first)),
    )
    return ConversationHandler.END


async def discard(update: Update, context: KapstokContext) -> int:
    if not await _still_liaison(update, context):
        return ConversationHandler.END
    ScheduleDraft.drop(context)
    await update.callback_query.answer()
    await show(update.callback_query, _("Discarded. Nothing was saved."))
    return ConversationHandler.END


# --- the list: pause, resume, delete -------------------------------------------------------------


async def _text_of(context: KapstokContext, schedule: Schedule) -> str | None:
    if schedule.content == "broadcast" and schedule.broadcast_id is not None:
        broadcast = await context.store.broadcasts.get(schedule.broadcast_id)
        return _preview(broadcast.body if broadcast else schedule.body)
    return _preview(schedule.body)


async def _entry(context: KapstokContext, schedule: Schedule) -> str:
    """One schedule in the list, in a few lines."""
    title = "{icon} <b>#{number} · {content}</b>".format(
        icon=ICONS.get(schedule.content, "⏰"),
        number=schedule.schedule_id,
        content=esc(content_label(schedule.content)),
    )
    lines = [title, esc(when_text(schedule.rule)), esc(audience_text(schedule.audience))]
    if schedule.content == "barometer":
        lines.append(
            ngettext("Open for {count} day.", "Open for {count} days.", schedule.open_days).format(
                count=schedule.open_days
            )
        )
    text = await _text_of(context, schedule)
    if text:
        lines.append(f"<i>{esc(text)}</i>")
    if schedule.paused:
        lines.append(_("⏸ Paused: it does not run until you resume it."))
    elif schedule.next_run_at is not None:
        lines.append(
            _("Next run: {moment}").format(moment=i18n.format_datetime(schedule.next_run_at))
        )
    return "\n".join(lines)


def _new_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        pgettext("button", "➕ New schedule"), callback_data=callbacks.SCHEDULE_NEW.data()
    )


def _buttons_of(schedule: Schedule) -> list[InlineKeyboardButton]:
    number = schedule.schedule_id
    if schedule.paused:
        toggle = InlineKeyboardButton(
            pgettext("button", "▶️ Resume #{number}").format(number=number),
            callback_data=callbacks.SCHEDULE_RESUME.data(number),
        )
    else:
        toggle = InlineKeyboardButton(
            pgettext("button", "⏸ Pause #{number}").format(number=number),
            callback_data=callbacks.SCHEDULE_PAUSE.data(number),
        )
    delete = InlineKeyboardButton(
        pgettext("button", "🗑 Delete #{number}").format(number=number),
        callback_data=callbacks.SCHEDULE_DELETE.data(number),
    )
    return [toggle, delete]


async def _listing(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    schedules = await context.store.schedules.active()
    if not schedules:
        text = _(
            "There are no schedules yet. Barometer rounds and check-ins can run by themselves: "
            "press ➕ New schedule."
        )
        return text, InlineKeyboardMarkup([[_new_button()]])
    blocks = [
        _("<b>Schedules</b> (times in {zone}):").format(zone=esc(str(context.config.timezone)))
    ]
    rows = []
    for shown, schedule in enumerate(schedules):
        block = await _entry(context, schedule)
        # Room for the line saying how many more there are.
        full = plain_length("\n\n".join([*blocks, block])) > MESSAGE_LIMIT - 100
        if shown == LIST_LIMIT or full:
            left = len(schedules) - shown
            blocks.append(
                ngettext(
                    "… and {count} more schedule.", "… and {count} more schedules.", left
                ).format(count=left)
            )
            break
        blocks.append(block)
        rows.append(_buttons_of(schedule))
    rows.append([_new_button()])
    return "\n\n".join(blocks), InlineKeyboardMarkup(rows)


async def list_schedules(update: Update, context: KapstokContext) -> None:
    """/schedules: what runs by itself, each with its buttons."""
    if not await require_liaison(update, context):
        return
    text, keyboard = await _listing(context)
    await update.message.reply_text(text, reply_markup=keyboard)


async def _schedule_of(update: Update, context: KapstokContext, button) -> Schedule | None:
    """The schedule a list button names, or None after saying why not."""
    query = update.callback_query
    number = button.value(query.data)
    if number is None:
        await no_longer_valid(update)
        return None
    schedule = await context.store.schedules.get(number)
    if schedule is None or schedule.finished:
        await query.answer(
            _("Schedule #{number} no longer exists.").format(number=number), show_alert=True
        )
        return None
    return schedule


async def pause(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    schedule = await _schedule_of(update, context, callbacks.SCHEDULE_PAUSE)
    if schedule is None:
        return
    number = schedule.schedule_id
    if not schedule.paused:
        await context.store.schedules.set_paused(number, True, None)
        take_off_queue(context.application, number)
    await update.callback_query.answer(_("Schedule #{number} is paused.").format(number=number))
    await show(update.callback_query, *await _listing(context))


async def resume(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    schedule = await _schedule_of(update, context, callbacks.SCHEDULE_RESUME)
    if schedule is None:
        return
    number, query = schedule.schedule_id, update.callback_query
    if schedule.paused:
        # Runs missed while paused are not made: the next one counts from now.
        following = next_run(schedule.rule, context.store.now(), context.config.timezone)
        if following is None:
            await query.answer(
                _(
                    "Schedule #{number} was for a moment that has passed: it cannot run any "
                    "more. Delete it, or make a new one."
                ).format(number=number),
                show_alert=True,
            )
            return
        await context.store.schedules.set_paused(number, False, following)
        put_on_queue(context.application, number, following)
    await query.answer(_("Schedule #{number} runs again.").format(number=number))
    await show(query, *await _listing(context))


async def ask_delete(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    schedule = await _schedule_of(update, context, callbacks.SCHEDULE_DELETE)
    if schedule is None:
        return
    await update.callback_query.answer()
    number = schedule.schedule_id
    if schedule.content == "broadcast":
        text = _(
            "Delete schedule #{number}? The broadcast it would send is cancelled: it will not "
            "be sent."
        ).format(number=number)
    else:
        text = _("Delete schedule #{number} ({content}, {when})? This cannot be undone.").format(
            number=number,
            content=esc(content_label(schedule.content)),
            when=esc(when_text(schedule.rule)),
        )
    button = InlineKeyboardButton(
        pgettext("button", "🗑 Yes, delete #{number}").format(number=number),
        callback_data=callbacks.SCHEDULE_DELETE_CONFIRM.data(number),
    )
    await context.bot.send_message(
        update.effective_chat.id,
        text,
        reply_markup=InlineKeyboardMarkup([[button]]),
        message_thread_id=_topic(update),
    )


async def delete(update: Update, context: KapstokContext) -> None:
    if not await require_liaison(update, context):
        return
    schedule = await _schedule_of(update, context, callbacks.SCHEDULE_DELETE_CONFIRM)
    if schedule is None:
        return
    number = schedule.schedule_id
    async with context.store.transaction():
        await context.store.schedules.delete(number)
        if schedule.broadcast_id is not None:
            await context.store.broadcasts.end(schedule.broadcast_id, "cancelled")
    take_off_queue(context.application, number)
    await update.callback_query.answer()
    if schedule.content == "broadcast":
        text = _("Schedule #{number} is deleted, and its broadcast cancelled.")
    else:
        text = _("Schedule #{number} is deleted.")
    await show(update.callback_query, text.format(number=number))


# The buttons of the steps of a new schedule: one of an earlier step, pressed later, is stale.
STEP_BUTTONS = (
    callbacks.SCHEDULE_CONTENT,
    callbacks.SCHEDULE_FREQUENCY,
    callbacks.SCHEDULE_USUAL_DAYS,
    callbacks.SCHEDULE_NO_PHOTO,
    callbacks.SCHEDULE_ALL,
    callbacks.SCHEDULE_KIND,
    callbacks.SCHEDULE_AUDIENCE_DONE,
    callbacks.SCHEDULE_CONFIRM,
    callbacks.SCHEDULE_DISCARD,
)


async def stale_step_button(update: Update, context: KapstokContext) -> None:
    """A button of another step of the schedule being made: it does nothing; the step the
    liaison is at goes on."""
    await no_longer_valid(update)


def build_handlers(liaison_chat_id: int) -> list:
    where = filters.ChatType.PRIVATE | filters.Chat(liaison_chat_id)
    answered = filters.ChatType.PRIVATE | filters.REPLY
    photo = filters.UpdateType.MESSAGE & filters.PHOTO

    def typed(receive) -> list:
        return [
            MessageHandler(TEXT & answered, receive),
            MessageHandler(NOT_TEXT & answered, not_text),
        ]

    def button(callback, kind) -> CallbackQueryHandler:
        return CallbackQueryHandler(callback, pattern=kind.matches)

    making = ConversationHandler(
        name="schedules",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[button(start_new, callbacks.SCHEDULE_NEW)],
        states={
            CONTENT: [button(choose_content, callbacks.SCHEDULE_CONTENT)],
            FREQUENCY: [button(choose_frequency, callbacks.SCHEDULE_FREQUENCY)],
            DAY: typed(receive_day),
            DATE: typed(receive_date),
            TIME: typed(receive_time),
            OPEN: [
                *typed(receive_open_days),
                button(usual_open_days, callbacks.SCHEDULE_USUAL_DAYS),
            ],
            BODY: typed(receive_body),
            PHOTO: [
                MessageHandler(photo & answered, receive_photo),
                MessageHandler((TEXT | NOT_TEXT) & answered, not_a_photo),
                button(no_photo, callbacks.SCHEDULE_NO_PHOTO),
            ],
            AUDIENCE: [
                button(everyone, callbacks.SCHEDULE_ALL),
                button(toggle_kind, callbacks.SCHEDULE_KIND),
                button(audience_done, callbacks.SCHEDULE_AUDIENCE_DONE),
            ],
            CONFIRM: [
                button(confirm, callbacks.SCHEDULE_CONFIRM),
                button(discard, callbacks.SCHEDULE_DISCARD),
            ],
        },
        fallbacks=[
            *fallbacks(ScheduleDraft.KEY),
            CallbackQueryHandler(
                stale_step_button,
                pattern=lambda data: any(b.matches(data) for b in STEP_BUTTONS),
            ),
        ],
    )
    return [
        making,
        CommandHandler("schedules", list_schedules, filters=where),
        CallbackQueryHandler(pause, pattern=callbacks.SCHEDULE_PAUSE.claims),
        CallbackQueryHandler(resume, pattern=callbacks.SCHEDULE_RESUME.claims),
        CallbackQueryHandler(ask_delete, pattern=callbacks.SCHEDULE_DELETE.claims),
        CallbackQueryHandler(delete, pattern=callbacks.SCHEDULE_DELETE_CONFIRM.claims),
    ]
