"""Planning an activity, and changing one: from kapstok 4's page or /activity a board member
gives a title, when it starts and ends (typed in their locale, or picked on a month calendar),
a place, a description, public or not, and partners; Kapstok warns of clashes before it is
saved. The organiser's board changes the time, the place or the description the same way, and
confirmed partners hear what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
from bot.domain.activities import (
    MAX_DESCRIPTION,
    MAX_PARTNERS,
    MAX_PLACE,
    MAX_TITLE,
    Activity,
    Plan,
    WhenProblem,
    clashes,
    last_day_ahead,
    may_edit,
    moment,
    parse_end,
    parse_typed_moment,
    when_problem,
)
from bot.domain.faq import is_blank
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.activities import partners as partnering
from handlers.activities import picker
from handlers.activities.views import (
    card,
    clash_lines,
    detail_keyboard,
    short_when,
    view_button,
    when_text,
    zone_of,
)
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.threads import rows as thread_rows
from handlers.ui import esc, no_longer_valid, refuse, require_approved_member, show
from storage.activities import Named

TITLE, START, END, PLACE, DESCRIPTION, PUBLIC, PARTNERS, REVIEW = (
    "activity.title",
    "activity.start",
    "activity.end",
    "activity.place",
    "activity.description",
    "activity.public",
    "activity.partners",
    "activity.review",
)
TIMEOUT = timedelta(hours=24)
EXAMPLE_AHEAD = timedelta(days=14)


@dataclass
class ActivityDraft(Draft):
    """A new activity as far as it is given, or the activity being changed."""

    KEY = "activity"
    activity_id: int | None = None  # changing this one
    editing: str | None = None  # 'when', 'place' or 'description'
    title: str = ""
    starts_at: str | None = None  # ISO, UTC
    ends_at: str | None = None
    place: str = ""
    description: str = ""
    public: bool = False
    partners: list = field(default_factory=list)  # association ids
    suggestions: list = field(default_factory=list)  # ids offered for the last typed name
    complete: bool = False  # everything given: a new date goes straight to the review
    picked_day: str | None = None  # a day picked on the month calendar, waiting for a time

    def start(self) -> datetime | None:
        return datetime.fromisoformat(self.starts_at) if self.starts_at else None

    def end(self) -> datetime | None:
        return datetime.fromisoformat(self.ends_at) if self.ends_at else None


def _others() -> tuple[str, ...]:
    """The other locales whose month names are read too ('12 mars' from a Dutch speaker)."""
    return tuple(code for code in i18n.BABEL_LOCALES.values() if code != i18n.babel_locale())


async def _say(update: Update, context: KapstokContext, text: str, keyboard=None) -> None:
    """A new message in the chat (after a button too: the prompt stays readable above)."""
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)


async def _member(update: Update, context: KapstokContext) -> bool:
    """Still an approved board member; otherwise the draft goes and they are told why."""
    if await require_approved_member(update, context):
        return True
    ActivityDraft.drop(context)
    return False


def _stop_hint() -> str:
    return _("You can stop at any time with /cancel.")


# --- the title ----------------------------------------------------------------------------------


async def start_new(update: Update, context: KapstokContext) -> str | int:
    """/activity or *New activity*: what is it called?"""
    if not await _member(update, context):
        return ConversationHandler.END
    if update.callback_query is not None:
        await update.callback_query.answer()
    return await _begin(
        update,
        context,
        ActivityDraft(),
        _("📅 A new activity. What is it called? (at most {limit} characters)").format(
            limit=MAX_TITLE
        ),
    )


async def _begin(
    update: Update, context: KapstokContext, draft: ActivityDraft, question: str
) -> str:
    """A new draft, and its first question (formatted): the title."""
    draft.save(context)
    await _say(update, context, question + "\n\n" + _stop_hint())
    return TITLE


async def start_with_partner(update: Update, context: KapstokContext) -> str | int:
    """*Plan an activity together* under a directory entry: a new activity, that association
    already its partner (if it may be one)."""
    if not await _member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    partner = callbacks.ACTIVITY_WITH.value(query.data)
    organiser = context.profile.association_id
    if partner == organiser:
        await query.answer(_("Your own association cannot be its own partner."), show_alert=True)
        return ConversationHandler.END
    if not await partnering.may_partner(context, partner, organiser):
        await no_longer_valid(update)
        return ConversationHandler.END
    await query.answer()
    association = await context.store.associations.get(partner)
    question = _(
        "📅 A new activity with {partner}. What is it called? (at most {limit} characters)"
    )
    return await _begin(
        update,
        context,
        ActivityDraft(partners=[partner]),
        question.format(partner=esc(association.name), limit=MAX_TITLE),
    )


async def _checked_text(update: Update, limit: int, again: str) -> str | None:
    """The typed text, or None after saying why it cannot be used."""
    text = update.message.text.strip()
    if is_blank(text):
        await update.message.reply_text(again)
        return None
    if len(text) > limit:
        await update.message.reply_text(
            _(
                "That is {length} characters long; the limit is {limit}. Please send a shorter one."
            ).format(length=len(text), limit=limit)
        )
        return None
    return text


async def receive_title(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    title = await _checked_text(update, MAX_TITLE, _("Please type the title of the activity."))
    if title is None:
        return None
    draft.title = title
    draft.save(context)
    await _ask_start(update, context, draft)
    return START


# --- when: typed, or picked on the month calendar -----------------------------------------------


def _examples(context: KapstokContext) -> tuple[str, str]:
    """A moment two weeks ahead at 14:00, in figures and in words, as the user may type it."""
    day = today(context.store, context.config) + EXAMPLE_AHEAD
    locale = i18n.babel_locale()
    words = babel_dates.format_date(day, "d MMMM y", locale=locale)
    return f"{day:%d/%m/%Y} 14:00", f"{words} 14:00"


def _pick_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "📅 Pick a day"),
                    callback_data=callbacks.CALENDAR_PICK.data(),
                )
            ]
        ]
    )


async def _ask_start(update: Update, context: KapstokContext, draft: ActivityDraft) -> None:
    figures, words = _examples(context)
    await _say(
        update,
        context,
        _(
            "When does it start? Type the date and the time, like {figures} or {words}, or pick "
            "a day on the calendar."
        ).format(figures=figures, words=words),
        _pick_keyboard(),
    )


async def _ask_end(update: Update, context: KapstokContext, draft: ActivityDraft) -> None:
    await _say(
        update,
        context,
        _(
            "It starts {start}. When does it end? Type a time on the same day, like 17:00, or "
            "a date and a time."
        ).format(start=i18n.format_datetime(draft.start()))
        + " "
        + _("You can also pick a day on the calendar."),
        _pick_keyboard(),
    )


def _problem_text(problem: WhenProblem, context: KapstokContext, draft: ActivityDraft) -> str:
    zone = zone_of(context)
    if problem is WhenProblem.ORDER:
        return _("It must end after it starts ({start}). When does it end?").format(
            start=short_when(draft.start(), zone)
        )
    if problem is WhenProblem.PAST:
        return _("That moment has passed. An activity starts in the future: when does it start?")
    last = last_day_ahead(today(context.store, context.config))
    return _(
        "That is more than two years ahead. An activity starts on {last} at the latest: when "
        "does it start?"
    ).format(last=i18n.format_day(last))


async def _take_start(
    update: Update, context: KapstokContext, draft: ActivityDraft, day: date, at: time
) -> str:
    zone = zone_of(context)
    starts_at = moment(day, at, zone)
    problem = when_problem(starts_at, starts_at + timedelta(hours=1), context.store.now(), zone)
    if problem is not None:
        await _say(update, context, _problem_text(problem, context, draft), _pick_keyboard())
        return START
    draft.starts_at, draft.picked_day = starts_at.isoformat(), None
    draft.save(context)
    await _ask_end(update, context, draft)
    return END


async def _take_end(
    update: Update, context: KapstokContext, draft: ActivityDraft, day: date, at: time
) -> str | int:
    zone = zone_of(context)
    ends_at = moment(day, at, zone)
    problem = when_problem(draft.start(), ends_at, context.store.now(), zone)
    if problem is WhenProblem.ORDER:
        await _say(update, context, _problem_text(problem, context, draft), _pick_keyboard())
        return END
    if problem is not None:  # the start passed meanwhile
        await _say(update, context, _problem_text(problem, context, draft), _pick_keyboard())
        return START
    draft.ends_at, draft.picked_day = ends_at.isoformat(), None
    draft.save(context)
    if draft.editing == "when" or draft.complete:
        return await _review(update, context, draft)
    await _ask_place(update, context, draft)
    return PLACE


async def receive_start(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    typed = parse_typed_moment(
        update.message.text,
        i18n.babel_locale(),
        today(context.store, context.config),
        _others(),
    )
    if typed is None:
        figures, words = _examples(context)
        await update.message.reply_text(
            _(
                "I could not read that as a date and a time. Type it like {figures} or {words}, "
                "or pick a day on the calendar."
            ).format(figures=figures, words=words),
            reply_markup=_pick_keyboard(),
        )
        return None
    return await _take_start(update, context, draft, *typed)


async def receive_end(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None or draft.start() is None:
        return ConversationHandler.END
    zone = zone_of(context)
    typed = parse_end(
        update.message.text,
        i18n.babel_locale(),
        draft.start().astimezone(zone).date(),
        today(context.store, context.config),
        _others(),
    )
    if typed is None:
        await update.message.reply_text(
            _(
                "I could not read that as an end. Type a time on the same day, like 17:00, or a "
                "date and a time, like {figures}."
            ).format(figures=_examples(context)[0]),
            reply_markup=_pick_keyboard(),
        )
        return None
    return await _take_end(update, context, draft, *typed)


def _first_and_last(context: KapstokContext, draft: ActivityDraft, state: str) -> tuple[date, date]:
    """The days the calendar offers: from today (or the start's day, for the end) on."""
    day = today(context.store, context.config)
    last = last_day_ahead(day)
    if state == END and draft.start() is not None:
        start_day = draft.start().astimezone(zone_of(context)).date()
        return start_day, start_day + timedelta(days=31)
    return day, last


def _picker(state: str):
    """The month calendar's buttons, in the step that asks for the start or the end."""

    async def pick(update: Update, context: KapstokContext) -> str | int | None:
        query = update.callback_query
        if not await _member(update, context):
            return ConversationHandler.END
        draft = ActivityDraft.load(context)
        if draft is None or (state == END and draft.start() is None):
            await no_longer_valid(update)
            return ConversationHandler.END
        first, last = _first_and_last(context, draft, state)
        data = query.data
        if callbacks.CALENDAR_PICK.matches(data):
            month = first.replace(day=1)
        elif callbacks.CALENDAR_MONTH.matches(data):
            month = picker.month_of_number(callbacks.CALENDAR_MONTH.value(data))
            if month is None or not first.replace(day=1) <= month <= last:
                await no_longer_valid(update)
                return None
        elif callbacks.CALENDAR_DAY.matches(data):
            day = picker.day_of_number(callbacks.CALENDAR_DAY.value(data))
            if day is None or not first <= day <= last:
                await no_longer_valid(update)
                return None
            draft.picked_day = day.isoformat()
            draft.save(context)
            await query.answer()
            await show(
                query,
                _("{day}: at what time?").format(day=i18n.format_day(day)),
                picker.time_keyboard(day),
            )
            return None
        else:  # a time
            at = picker.time_of(callbacks.CALENDAR_TIME.value(data))
            if draft.picked_day is None or at is None:
                await no_longer_valid(update)
                return None
            await query.answer()
            day = date.fromisoformat(draft.picked_day)
            await show(
                query,
                _("Picked: {day}, {time}").format(
                    day=i18n.format_day(day),
                    time=babel_dates.format_time(at, "short", locale=i18n.babel_locale()),
                ),
            )
            if state == START:
                return await _take_start(update, context, draft, day, at)
            return await _take_end(update, context, draft, day, at)
        await query.answer()
        await show(
            query,
            _("Pick the day it starts:") if state == START else _("Pick the day it ends:"),
            picker.month_keyboard(month, first, last),
        )
        return None

    return pick


# --- the place and the description --------------------------------------------------------------


async def _ask_place(update: Update, context: KapstokContext, draft: ActivityDraft) -> None:
    text = _("Where does it take place? Type the place (at most {limit} characters).").format(
        limit=MAX_PLACE
    )
    if draft.editing == "place":
        text += "\n" + _("Now: {place}").format(place=esc(draft.place))
    await _say(update, context, text)


async def receive_place(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    place = await _checked_text(update, MAX_PLACE, _("Please type the place of the activity."))
    if place is None:
        return None
    draft.place = place
    draft.save(context)
    if draft.editing == "place" or draft.complete:
        return await _review(update, context, draft)
    await _ask_description(update, context, draft)
    return DESCRIPTION


async def _ask_description(update: Update, context: KapstokContext, draft: ActivityDraft) -> None:
    text = _(
        "Describe the activity for your partners and, if it is public, for the other "
        "associations (at most {limit} characters)."
    ).format(limit=MAX_DESCRIPTION)
    if draft.editing == "description" and draft.description:
        text += "\n\n" + _("Now: {description}").format(description=esc(draft.description))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "No description"),
                    callback_data=callbacks.ACTIVITY_NO_DESCRIPTION.data(),
                )
            ]
        ]
    )
    await _say(update, context, text, keyboard)


async def _take_description(
    update: Update, context: KapstokContext, draft: ActivityDraft, description: str
) -> str | int:
    draft.description = description
    draft.save(context)
    if draft.editing == "description":
        return await _save_change(update, context, draft)
    await _ask_public(update, context)
    return PUBLIC


async def receive_description(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    description = await _checked_text(
        update, MAX_DESCRIPTION, _("Please type a description, or press “No description”.")
    )
    if description is None:
        return None
    return await _take_description(update, context, draft, description)


async def no_description(update: Update, context: KapstokContext) -> str | int:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await update.callback_query.answer()
    await show(update.callback_query, _("No description."))
    return await _take_description(update, context, draft, "")


# --- public or not, and the partners ------------------------------------------------------------


async def _ask_public(update: Update, context: KapstokContext) -> None:
    await _say(
        update,
        context,
        _(
            "Is it public? A public activity appears in the calendar of every association and "
            "in the municipality's; one that is not public only in yours and your partners'."
        ),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "🌍 Public"),
                        callback_data=callbacks.ACTIVITY_PUBLIC.data("yes"),
                    ),
                    InlineKeyboardButton(
                        pgettext("button", "🔒 Not public"),
                        callback_data=callbacks.ACTIVITY_PUBLIC.data("no"),
                    ),
                ]
            ]
        ),
    )


async def choose_public(update: Update, context: KapstokContext) -> str | int:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    query = update.callback_query
    draft.public = callbacks.ACTIVITY_PUBLIC.value(query.data) == "yes"
    draft.save(context)
    await query.answer()
    await show(query, _("🌍 Public.") if draft.public else _("🔒 Not public."))
    await _ask_partners(update, context, draft)
    return PARTNERS


async def buttons_please(update: Update, context: KapstokContext) -> None:
    """Text where a button is the answer."""
    await update.message.reply_text(
        _("Please answer with the buttons above, or stop with /cancel.")
    )


async def _partner_names(context: KapstokContext, draft: ActivityDraft) -> list[str]:
    names = []
    for number in draft.partners:
        association = await context.store.associations.get(number)
        if association is not None:
            names.append(association.name)
    return names


def _done_keyboard(draft: ActivityDraft, suggestions=()) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                "🤝 " + named.name,
                callback_data=callbacks.ACTIVITY_PARTNER.data(named.association_id),
            )
        ]
        for named in suggestions
    ]
    label = pgettext("button", "✅ Done") if draft.partners else pgettext("button", "No partners")
    rows.append(
        [InlineKeyboardButton(label, callback_data=callbacks.ACTIVITY_PARTNERS_DONE.data())]
    )
    return InlineKeyboardMarkup(rows)


async def _ask_partners(
    update: Update, context: KapstokContext, draft: ActivityDraft, prefix: str = ""
) -> None:
    names = await _partner_names(context, draft)
    text = _(
        "Which associations organise it with you? Type the name of a partner association, one "
        "per message: only associations listed in the directory can be partners. Their board "
        "is asked to confirm."
    )
    if names:
        text += "\n\n" + _("Partners so far: {names}").format(
            names=", ".join(esc(name) for name in names)
        )
    await _say(update, context, f"{prefix}\n\n{text}" if prefix else text, _done_keyboard(draft))


async def _add_partner(update: Update, context: KapstokContext, draft: ActivityDraft, named):
    draft.partners.append(named.association_id)
    draft.suggestions = []
    draft.save(context)
    await _ask_partners(
        update,
        context,
        draft,
        _("🤝 {association} is a partner.").format(association=esc(named.name)),
    )


async def receive_partner(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    typed = await _checked_text(update, MAX_TITLE, _("Please type the name of an association."))
    if typed is None:
        return None
    if len(draft.partners) >= MAX_PARTNERS:
        await update.message.reply_text(partnering.too_many(), reply_markup=_done_keyboard(draft))
        return None
    organiser = context.profile.association_id
    found = await partnering.look_up(context, typed, organiser, draft.partners)
    if found.own:
        await update.message.reply_text(
            _(
                "That is your own association, the organiser. Partners are other associations: "
                "type another name, or press the button below."
            ),
            reply_markup=_done_keyboard(draft),
        )
        return None
    if found.found is not None:
        if found.found.association_id in draft.partners:
            await update.message.reply_text(
                _("{association} is a partner already.").format(association=esc(found.found.name)),
                reply_markup=_done_keyboard(draft),
            )
            return None
        await _add_partner(update, context, draft, found.found)
        return None
    draft.suggestions = [named.association_id for named in found.suggestions]
    draft.save(context)
    text = _("I know no listed association called “{name}”.").format(name=esc(typed))
    if found.suggestions:
        text += " " + _("Did you mean one of these?")
    else:
        text += " " + _(
            "Only associations listed in the directory (kapstok 3) can be partners. Check the "
            "name, or go on without this partner."
        )
    await update.message.reply_text(text, reply_markup=_done_keyboard(draft, found.suggestions))
    return None


async def pick_partner(update: Update, context: KapstokContext) -> str | int | None:
    """A suggested association's button: it becomes a partner (still listed, not oneself)."""
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    number = callbacks.ACTIVITY_PARTNER.value(update.callback_query.data)
    if draft is None or number not in draft.suggestions or number in draft.partners:
        await no_longer_valid(update)
        return None
    organiser = context.profile.association_id
    if not await partnering.may_partner(context, number, organiser):
        await no_longer_valid(update)
        return None
    if len(draft.partners) >= MAX_PARTNERS:
        await update.callback_query.answer(partnering.too_many(), show_alert=True)
        return None
    association = await context.store.associations.get(number)
    await update.callback_query.answer()
    await _add_partner(update, context, draft, Named(number, association.name))
    return None


async def partners_done(update: Update, context: KapstokContext) -> str | int:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await update.callback_query.answer()
    draft.complete, draft.suggestions = True, []
    draft.save(context)
    return await _review(update, context, draft)


# --- the review: clashes, then save -------------------------------------------------------------


async def _clashes(context: KapstokContext, draft: ActivityDraft):
    organiser = await context.store.associations.get(context.profile.association_id)
    plan = Plan(
        organiser.association_id,
        organiser.kind,
        draft.start(),
        draft.end(),
        draft.place,
        draft.activity_id,
    )
    nearby = await context.store.activities.between(
        draft.start() - timedelta(days=1), draft.end() + timedelta(days=1)
    )
    return clashes(plan, nearby, zone_of(context))


def _review_keyboard(found: bool, editing: bool) -> InlineKeyboardMarkup:
    save = pgettext("button", "✅ Save anyway") if found else pgettext("button", "✅ Save")
    rows = [[InlineKeyboardButton(save, callback_data=callbacks.ACTIVITY_SAVE.data())]]
    if found:
        rows.append(
            [
                InlineKeyboardButton(
                    pgettext("button", "🕒 Change the date"),
                    callback_data=callbacks.ACTIVITY_REDATE.data(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "✖️ Stop") if editing else pgettext("button", "✖️ Discard"),
                callback_data=callbacks.ACTIVITY_DISCARD.data(),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _draft_card(context: KapstokContext, draft: ActivityDraft) -> str:
    zone = zone_of(context)
    lines = [
        f"<b>{esc(draft.title)}</b>",
        "🕒 " + when_text(draft.start(), draft.end(), zone),
        "📍 " + esc(draft.place),
        _("🌍 Public: every association sees it in its calendar.")
        if draft.public
        else _("🔒 Not public: only the organiser and its partners see it."),
    ]
    names = await _partner_names(context, draft)
    if names:
        lines.append(_("Partners: {names}").format(names=", ".join(esc(n) for n in names)))
    if draft.description:
        lines += ["", esc(draft.description)]
    return "\n".join(lines)


async def _review(update: Update, context: KapstokContext, draft: ActivityDraft) -> str | int:
    """Warn of clashes; a change without any is saved at once, a new activity is shown first."""
    found = await _clashes(context, draft)
    editing = draft.activity_id is not None
    if editing and not found:
        return await _save_change(update, context, draft)
    blocks = []
    if found:
        warning = [_("<b>Look out: this may clash with other activities.</b>")]
        warning += clash_lines(found, zone_of(context))
        warning.append(_("You can save it anyway, or choose another date."))
        blocks.append("\n".join(warning))
    if not editing:
        blocks.append(await _draft_card(context, draft))
    text = "\n\n".join(blocks)
    await _say(update, context, text, _review_keyboard(bool(found), editing))
    return REVIEW


async def redate(update: Update, context: KapstokContext) -> str | int:
    """*Change the date* after a clash warning: the start again."""
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await update.callback_query.answer()
    if draft.editing == "place":
        draft.editing = "when"  # the place stays as typed; the time changes with it
    draft.save(context)
    await show(update.callback_query, _("Another date, then."))
    await _ask_start(update, context, draft)
    return START


async def discard(update: Update, context: KapstokContext) -> int:
    ActivityDraft.drop(context)
    await update.callback_query.answer()
    await show(update.callback_query, _("Stopped. Nothing was saved."))
    return ConversationHandler.END


async def save(update: Update, context: KapstokContext) -> str | int:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = ActivityDraft.load(context)
    if draft is None or draft.start() is None or draft.end() is None:
        await no_longer_valid(update)
        return ConversationHandler.END
    await update.callback_query.answer()
    if draft.activity_id is not None:
        return await _save_change(update, context, draft)
    return await _create(update, context, draft)


async def _create(update: Update, context: KapstokContext, draft: ActivityDraft) -> str | int:
    zone, store, profile = zone_of(context), context.store, context.profile
    problem = when_problem(draft.start(), draft.end(), store.now(), zone)
    if problem is not None:
        await _say(update, context, _problem_text(problem, context, draft), _pick_keyboard())
        return START
    partners = [
        number
        for number in draft.partners
        if await partnering.may_partner(context, number, profile.association_id)
    ]
    activity = await store.activities.create(
        profile.association_id,
        profile.user_id,
        draft.title,
        draft.start(),
        draft.end(),
        draft.place,
        draft.description,
        draft.public,
        partners,
    )
    ActivityDraft.drop(context)
    await partnering.invite(context, activity)
    if activity.public:
        await _notice_in_topic(context, activity)
    await show(update.callback_query, _("✅ Saved."))
    text = card(activity, zone, profile.association_id)
    if activity.partners:
        text += "\n\n" + _(
            "Your partners are asked to confirm; their answers come here and show in the "
            "activity's details."
        )
    await _say(update, context, text, detail_keyboard(activity, profile.association_id))
    return ConversationHandler.END


async def _notice_in_topic(context: KapstokContext, activity: Activity) -> None:
    """A new public activity: one line in the organiser's topic of the liaison group."""
    config = context.config
    with i18n.use_language(config.default_language):
        text = _("📅 New public activity: {title}, {when}, {place}.").format(
            title=esc(activity.title),
            when=when_text(activity.starts_at, activity.ends_at, config.timezone),
            place=esc(activity.place),
        )
    await queue(
        context.application,
        [thread_rows.topic_notice(config.liaison_chat_id, activity.association_id, text)],
    )


# --- changing an activity -----------------------------------------------------------------------


async def own_activity(update: Update, context: KapstokContext, number: int | None):
    """The activity, if the presser's association organises it and it is not cancelled;
    otherwise they are told why not, and None."""
    activity = await context.store.activities.get(number) if number else None
    association = context.profile.association_id
    if activity is None or not (activity.public or activity.involves(association)):
        await no_longer_valid(update)
        return None
    if not may_edit(activity, association):
        await refuse(update, only_the_organiser())
        return None
    if activity.cancelled:
        await refuse(update, _("This activity was cancelled."))
        return None
    return activity


def only_the_organiser() -> str:
    return _("Only the board of the association that organises this activity can change it.")


async def start_change(update: Update, context: KapstokContext) -> str | int:
    """*Time*, *Place* or *Description* on an activity's details: ask for the new one."""
    if not await _member(update, context):
        return ConversationHandler.END
    number, what = callbacks.ACTIVITY_EDIT.parse(update.callback_query.data)
    activity = await own_activity(update, context, number)
    if activity is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    draft = ActivityDraft(
        activity_id=activity.activity_id,
        editing=what,
        title=activity.title,
        starts_at=activity.starts_at.isoformat(),
        ends_at=activity.ends_at.isoformat(),
        place=activity.place,
        description=activity.description,
        public=activity.public,
        complete=True,
    )
    draft.save(context)
    intro = _("Changing {title}.").format(title=esc(activity.title)) + " " + _stop_hint()
    await _say(update, context, intro)
    if what == "when":
        await _ask_start(update, context, draft)
        return START
    if what == "place":
        await _ask_place(update, context, draft)
        return PLACE
    await _ask_description(update, context, draft)
    return DESCRIPTION


def _changes(before: Activity, after: Activity, zone) -> list[tuple[str, str, str]]:
    """(what, old, new) of every field that changed, in the reader's language."""
    found = []
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        found.append(
            (
                _("When"),
                when_text(before.starts_at, before.ends_at, zone),
                when_text(after.starts_at, after.ends_at, zone),
            )
        )
    if before.place != after.place:
        found.append((_("Place"), esc(before.place), esc(after.place)))
    if before.description != after.description:
        found.append(
            (_("Description"), esc(before.description) or "–", esc(after.description) or "–")
        )
    return found


def changes_text(before: Activity, after: Activity, zone) -> str:
    return "\n\n".join(
        f"<b>{what}</b>\n"
        + _("was: {old}").format(old=old)
        + "\n"
        + _("now: {new}").format(new=new)
        for what, old, new in _changes(before, after, zone)
    )


async def _save_change(update: Update, context: KapstokContext, draft: ActivityDraft):
    store, zone, profile = context.store, zone_of(context), context.profile
    before = await store.activities.get(draft.activity_id)
    ActivityDraft.drop(context)
    if before is None or before.cancelled or not may_edit(before, profile.association_id):
        await _say(update, context, only_the_organiser() if before else _("Nothing was saved."))
        return ConversationHandler.END
    changed = {}
    if (draft.start(), draft.end()) != (before.starts_at, before.ends_at):
        problem = when_problem(draft.start(), draft.end(), store.now(), zone)
        if problem is not None:
            await _say(update, context, _problem_text(problem, context, draft))
            return ConversationHandler.END
        changed.update(starts_at=draft.start(), ends_at=draft.end())
    if draft.place != before.place:
        changed["place"] = draft.place
    if draft.description != before.description:
        changed["description"] = draft.description
    if not changed:
        await _say(
            update,
            context,
            _("Nothing changed.") + "\n\n" + card(before, zone, profile.association_id),
            detail_keyboard(before, profile.association_id),
        )
        return ConversationHandler.END
    after = await store.activities.change(before.activity_id, **changed)
    if after is None:
        await _say(update, context, _("Nothing was saved."))
        return ConversationHandler.END
    if _changes(before, after, zone):
        await _tell_partners_of_change(context, before, after)
    await _say(
        update,
        context,
        _("✅ Changed. Your confirmed partners are told.")
        + "\n\n"
        + card(after, zone, profile.association_id),
        detail_keyboard(after, profile.association_id),
    )
    return ConversationHandler.END


async def _tell_partners_of_change(context: KapstokContext, before: Activity, after: Activity):
    zone = zone_of(context)
    for partner in after.confirmed_partners():
        await partnering.tell_board(
            context,
            partner.association_id,
            lambda: (
                _("✏️ {organiser} changed {title}:").format(
                    organiser=esc(after.association_name), title=esc(after.title)
                )
                + "\n\n"
                + changes_text(before, after, zone)
            ),
            lambda: InlineKeyboardMarkup([[view_button(after.activity_id)]]),
        )


# --- the steps' wiring --------------------------------------------------------------------------


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    text, other = private & TEXT, private & NOT_TEXT

    async def type_it(update: Update, context: KapstokContext) -> None:
        await update.message.reply_text(_("Please type it as a text message, or /cancel."))

    def typed(step) -> list:
        return [MessageHandler(text, step), MessageHandler(other, type_it)]

    def picking(state: str) -> list:
        pick = _picker(state)
        return [
            CallbackQueryHandler(pick, pattern=button.matches)
            for button in (
                callbacks.CALENDAR_PICK,
                callbacks.CALENDAR_MONTH,
                callbacks.CALENDAR_DAY,
                callbacks.CALENDAR_TIME,
            )
        ]

    buttons_only = [MessageHandler(private & (TEXT | NOT_TEXT), buttons_please)]
    return [
        ConversationHandler(
            name="activity",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=TIMEOUT,
            entry_points=[
                CommandHandler("activity", start_new, filters=private),
                CallbackQueryHandler(start_new, pattern=callbacks.ACTIVITY_NEW.matches),
                CallbackQueryHandler(start_with_partner, pattern=callbacks.ACTIVITY_WITH.matches),
                CallbackQueryHandler(start_change, pattern=callbacks.ACTIVITY_EDIT.matches),
            ],
            states={
                TITLE: typed(receive_title),
                START: [*typed(receive_start), *picking(START)],
                END: [*typed(receive_end), *picking(END)],
                PLACE: typed(receive_place),
                DESCRIPTION: [
                    *typed(receive_description),
                    CallbackQueryHandler(
                        no_description, pattern=callbacks.ACTIVITY_NO_DESCRIPTION.matches
                    ),
                ],
                PUBLIC: [
                    *buttons_only,
                    CallbackQueryHandler(choose_public, pattern=callbacks.ACTIVITY_PUBLIC.matches),
                ],
                PARTNERS: [
                    *typed(receive_partner),
                    CallbackQueryHandler(pick_partner, pattern=callbacks.ACTIVITY_PARTNER.matches),
                    CallbackQueryHandler(
                        partners_done, pattern=callbacks.ACTIVITY_PARTNERS_DONE.matches
                    ),
                ],
                REVIEW: [
                    *buttons_only,
                    CallbackQueryHandler(save, pattern=callbacks.ACTIVITY_SAVE.matches),
                    CallbackQueryHandler(redate, pattern=callbacks.ACTIVITY_REDATE.matches),
                    CallbackQueryHandler(discard, pattern=callbacks.ACTIVITY_DISCARD.matches),
                ],
            },
            fallbacks=fallbacks(ActivityDraft.KEY),
        )
    ]
