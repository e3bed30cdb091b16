"""Borrowing gear from the municipality's lending service: *Borrow gear* on kapstok 5's page
asks a board member for the pick-up date and the return date (typed in their locale, or picked
on a month calendar), shows the catalog for those dates by category with how many are free for
the whole period, lets them choose quantities with − and + on one message edited in place,
sums the basket up with the deposit, optionally links one of the association's activities,
takes a note and submits: request #N, whose card goes to the association's topic.

Whatever may not be had is refused at the moment it is chosen (the dates, or the + press),
with the reason and the way out; submitting checks everything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.domain.activities import Activity
from bot.domain.amounts import format_amount
from bot.domain.associations import AssociationKind
from bot.domain.borrowing import (
    MAX_NOTE,
    Window,
    change,
    misfits,
    nearest_period,
    parse_loan_day,
    pick_up_problem,
    return_problem,
    window,
)
from bot.domain.faq import is_blank
from bot.domain.gear import GearItem, deposit_total, refusal
from bot.domain.lending import allowed_pick_ups, loan_days
from bot.domain.recognition import RecognitionStatus
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.support import borrowing_calendar as calendar
from handlers.support import gear_card
from handlers.support.borrowing_cancel import cancel_button
from handlers.support.recognition import advice, short_date
from handlers.ui import esc, kind_label, no_longer_valid, require_approved_member, show

PICK_UP, RETURN, CHOOSE, ACTIVITY, NOTE, REVIEW = (
    "borrowing.pick_up",
    "borrowing.return",
    "borrowing.choose",
    "borrowing.activity",
    "borrowing.note",
    "borrowing.review",
)
TIMEOUT = timedelta(hours=24)
EXAMPLE_AHEAD = timedelta(days=21)
PER_VIEW = 12  # items on one page of the catalog
ACTIVITIES_OFFERED = 6
BUTTON_NAME = 32  # characters of an item's name on its button
SNIPPET = 500  # characters of an item's note or pick-up details in a message


@dataclass
class BorrowDraft(Draft):
    """The request as far as it is chosen."""

    KEY = "borrowing"
    pick_up: str | None = None  # ISO dates
    return_on: str | None = None
    basket: dict = field(default_factory=dict)  # str(item id) -> quantity (JSON keys are text)
    view: int = 1  # the catalog's page shown, from 1
    noted: list = field(default_factory=list)  # items whose note was shown
    activity_id: int | None = None
    note: str = ""

    def period(self) -> tuple[date, date] | None:
        if self.pick_up is None or self.return_on is None:
            return None
        return date.fromisoformat(self.pick_up), date.fromisoformat(self.return_on)

    def quantities(self) -> dict[int, int]:
        return {int(item): quantity for item, quantity in self.basket.items()}

    def set_quantities(self, quantities: dict[int, int]) -> None:
        self.basket = {str(item): quantity for item, quantity in quantities.items()}


@dataclass(frozen=True)
class Standing:
    """What the rules ask of the association: its kind, and whether it is recognised."""

    kind: str
    recognised: bool


# --- small words -------------------------------------------------------------------------------


def _language() -> str:
    return i18n.current_language()


def _money(cents: int) -> str:
    return format_amount(Decimal(cents) / 100, _language())


def _snippet(text: str, limit: int = SNIPPET) -> str:
    """A catalog's text (a note, where to pick up) short enough for one message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(item: GearItem) -> str:
    return esc(item.name(_language()))


def _days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


def _period_text(pick_up: date, return_on: date) -> str:
    return _("from {pick_up} to {return_on} ({days})").format(
        pick_up=i18n.format_day(pick_up),
        return_on=i18n.format_day(return_on),
        days=_days(loan_days(pick_up, return_on)),
    )


def _others() -> tuple[str, ...]:
    """The other locales whose month names are read too ('12 mars' from a Dutch speaker)."""
    return tuple(code for code in i18n.BABEL_LOCALES.values() if code != i18n.babel_locale())


def _examples(context: KapstokContext) -> tuple[str, str]:
    """A day three weeks ahead, in figures and in words, as the user may type it."""
    day = today(context.store, context.config) + EXAMPLE_AHEAD
    words = babel_dates.format_date(day, "d MMMM y", locale=i18n.babel_locale())
    return short_date(day), words


def _stop_hint() -> str:
    return _("You can stop at any time with /cancel.")


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


async def _say(update: Update, context: KapstokContext, text: str, keyboard=None) -> None:
    """A new message in the chat (after a button too: the earlier one stays readable above)."""
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)


async def _member(update: Update, context: KapstokContext) -> bool:
    """Still an approved board member; otherwise the draft goes and they are told why."""
    if await require_approved_member(update, context):
        return True
    BorrowDraft.drop(context)
    return False


async def _standing(context: KapstokContext) -> Standing:
    store, association_id = context.store, context.profile.association_id
    association = await store.associations.get(association_id)
    recognition = await store.recognition.get(association_id)
    return Standing(
        kind=association.kind.value,
        recognised=recognition.status is RecognitionStatus.RECOGNISED,
    )


def _today(context: KapstokContext) -> date:
    return today(context.store, context.config)


async def _window(context: KapstokContext) -> Window | None:
    return window(await context.store.gear.catalog(), _today(context))


# --- the dates -----------------------------------------------------------------------------------


def _pick_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(pgettext("button", "📅 Pick a day"), callbacks.BORROW_PICK.data())]]
    )


def _pick_up_question(context: KapstokContext) -> str:
    figures, words = _examples(context)
    return _(
        "📅 When do you pick the gear up? Type the date, like {figures} or {words}, or pick a "
        "day on the calendar."
    ).format(figures=figures, words=words)


def _return_question(context: KapstokContext, pick_up: date) -> str:
    figures, _words = _examples(context)
    return _(
        "Pick-up on {pick_up}. When do you bring the gear back? Type the date, like {figures}, "
        "or pick a day on the calendar."
    ).format(pick_up=i18n.format_day(pick_up), figures=figures)


async def start(update: Update, context: KapstokContext) -> str | int:
    """*Borrow gear*: when is it picked up?"""
    if not await _member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    if await _window(context) is None:
        await query.answer(
            _("The lending service has no gear in its catalog yet. Please try again later."),
            show_alert=True,
        )
        return ConversationHandler.END
    await query.answer()
    BorrowDraft().save(context)
    await _say(
        update,
        context,
        _pick_up_question(context) + "\n\n" + _stop_hint(),
        _pick_keyboard(),
    )
    return PICK_UP


def _unreadable(context: KapstokContext) -> str:
    figures, words = _examples(context)
    return _(
        "I could not read that as a date. Type it like {figures} or {words}, or pick a day on "
        "the calendar."
    ).format(figures=figures, words=words)


def _pick_up_refusal(problem: str, day: date, catalog: Window) -> str:
    shown = i18n.format_day(day)
    if problem == "past":
        return _("{day} has passed. When do you pick the gear up?").format(day=shown)
    if problem == "too_soon":
        return _(
            "{day} is too soon: gear is picked up from {first} on. When do you pick it up?"
        ).format(day=shown, first=i18n.format_day(catalog.first))
    return _(
        "{day} is too far ahead: gear can be asked for until {last}. When do you pick it up?"
    ).format(day=shown, last=i18n.format_day(catalog.last))


def _return_refusal(problem: str, pick_up: date, catalog: Window) -> str:
    if problem == "order":
        return _(
            "The gear cannot go back before it is picked up ({pick_up}). When do you bring it back?"
        ).format(pick_up=i18n.format_day(pick_up))
    return ngettext(
        "Gear is lent for at most {count} day. When do you bring it back?",
        "Gear is lent for at most {count} days. When do you bring it back?",
        catalog.longest,
    ).format(count=catalog.longest)


async def _take_pick_up(
    update: Update, context: KapstokContext, draft: BorrowDraft, day: date
) -> str | int:
    catalog = await _window(context)
    if catalog is None:
        BorrowDraft.drop(context)
        await _say(update, context, _("The lending service has no gear in its catalog yet."))
        return ConversationHandler.END
    problem = pick_up_problem(day, _today(context), catalog)
    if problem is not None:
        await _say(update, context, _pick_up_refusal(problem, day, catalog), _pick_keyboard())
        return PICK_UP
    draft.pick_up, draft.return_on = day.isoformat(), None
    draft.save(context)
    await _say(update, context, _return_question(context, day), _pick_keyboard())
    return RETURN


async def _take_return(
    update: Update, context: KapstokContext, draft: BorrowDraft, day: date
) -> str | int:
    catalog = await _window(context)
    if catalog is None:
        BorrowDraft.drop(context)
        await _say(update, context, _("The lending service has no gear in its catalog yet."))
        return ConversationHandler.END
    pick_up = date.fromisoformat(draft.pick_up)
    problem = return_problem(pick_up, day, catalog)
    if problem is not None:
        await _say(update, context, _return_refusal(problem, pick_up, catalog), _pick_keyboard())
        return RETURN
    draft.return_on, draft.view = day.isoformat(), 1
    draft.save(context)
    text, keyboard = await catalog_view(context, draft)
    await _say(update, context, text, keyboard)
    return CHOOSE


async def receive_pick_up(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = BorrowDraft.load(context)
    if draft is None:
        return ConversationHandler.END
    day = parse_loan_day(update.message.text, i18n.babel_locale(), _today(context), _others())
    if day is None:
        await update.message.reply_text(_unreadable(context), reply_markup=_pick_keyboard())
        return None
    return await _take_pick_up(update, context, draft, day)


async def receive_return(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = BorrowDraft.load(context)
    if draft is None or draft.pick_up is None:
        return ConversationHandler.END
    day = parse_loan_day(update.message.text, i18n.babel_locale(), _today(context), _others())
    if day is None:
        await update.message.reply_text(_unreadable(context), reply_markup=_pick_keyboard())
        return None
    return await _take_return(update, context, draft, day)


def _picker(state: str):
    """The month calendar's buttons, in the step that asks for the pick-up or the return."""

    async def pick(update: Update, context: KapstokContext) -> str | int | None:
        query = update.callback_query
        if not await _member(update, context):
            return ConversationHandler.END
        draft = BorrowDraft.load(context)
        catalog = await _window(context)
        if draft is None or catalog is None or (state == RETURN and draft.pick_up is None):
            await no_longer_valid(update)
            return ConversationHandler.END
        if state == PICK_UP:
            first, last = max(_today(context), catalog.first), catalog.last
        else:
            first = date.fromisoformat(draft.pick_up)
            last = first + timedelta(days=catalog.longest - 1)
        data = query.data
        if callbacks.BORROW_PICK.matches(data):
            month = first.replace(day=1)
        elif callbacks.BORROW_MONTH.matches(data):
            month = calendar.month_of_number(callbacks.BORROW_MONTH.value(data))
            if month is None or not first.replace(day=1) <= month <= last:
                await no_longer_valid(update)
                return None
        else:
            day = calendar.day_of_number(callbacks.BORROW_DAY.value(data))
            if day is None or not first <= day <= last:
                await no_longer_valid(update)
                return None
            await query.answer()
            await show(query, "📅 " + i18n.format_day(day))
            take = _take_pick_up if state == PICK_UP else _take_return
            return await take(update, context, draft, day)
        await query.answer()
        question = _pick_up_question(context) if state == PICK_UP else _("Pick a day:")
        await show(query, question, calendar.month_keyboard(month, first, last))
        return None

    return pick


# --- the catalog for the dates, and the basket ---------------------------------------------------


def _pages(items: list[GearItem]) -> list[list[GearItem]]:
    """The catalog's pages, of at most PER_VIEW items each (in the catalog's order: by
    category, then name)."""
    return [items[start : start + PER_VIEW] for start in range(0, len(items), PER_VIEW)]


def _short_reason(reason: str, item: GearItem, today_: date) -> str:
    """Why an item cannot be had for the period, in a few words for the catalog's list."""
    if reason == "kind":
        return _("not for your kind of association")
    if reason == "recognition":
        return _("for recognised associations only")
    if reason == "too_long":
        return ngettext(
            "lent for at most {count} day", "lent for at most {count} days", item.max_loan_days
        ).format(count=item.max_loan_days)
    first, last = allowed_pick_ups(today_, item.min_lead_days, item.max_lead_days)
    return _("picked up from {first} to {last}").format(
        first=i18n.format_day(max(first, today_)), last=i18n.format_day(last)
    )


async def _basket_line(context: KapstokContext, quantities: dict[int, int]) -> str:
    if not quantities:
        return _("🧺 Your basket is empty.")
    items = await context.store.gear.many(quantities)
    count = sum(quantities.values())
    return ngettext(
        "🧺 Your basket: {count} piece, deposit {amount}.",
        "🧺 Your basket: {count} pieces, deposit {amount}.",
        count,
    ).format(count=count, amount=_money(deposit_total(quantities, items)))


async def catalog_view(
    context: KapstokContext, draft: BorrowDraft, notice: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The catalog's page for the draft's dates, with the basket, and a notice under it."""
    store = context.store
    pages = _pages(await store.gear.catalog())
    pick_up, return_on = draft.period()
    if not pages:
        return _("The lending service has no gear in its catalog yet."), None
    draft.view = min(max(draft.view, 1), len(pages))
    shown = pages[draft.view - 1]
    free = await store.gear_requests.free(
        {item.item_id: item.stock for item in shown}, pick_up, return_on
    )
    standing, today_ = await _standing(context), _today(context)
    quantities = draft.quantities()
    title = _("🧺 <b>Borrowing gear</b> {period}").format(period=_period_text(pick_up, return_on))
    if len(pages) > 1:
        title += f" ({draft.view}/{len(pages)})"
    lines = [title]
    category = None
    rows = []
    for item in shown:
        if item.category != category:
            category = item.category
            lines += ["", f"<b>{esc(category)}</b>"]
        reason = refusal(
            item,
            association_kind=standing.kind,
            recognised=standing.recognised,
            pick_up=pick_up,
            return_on=return_on,
            today=today_,
        )
        if reason is not None:
            state = "🚫 " + _short_reason(reason, item, today_)
        else:
            available = max(free[item.item_id], 0)
            state = ngettext("{count} free", "{count} free", available).format(count=available)
        line = f"• <b>{_name(item)}</b>{' ⚠️' if item.note else ''}: {state}"
        if item.deposit_cents:
            line += " · " + _("deposit {amount}").format(amount=_money(item.deposit_cents))
        if quantities.get(item.item_id):
            line += " · " + _("🧺 {count}").format(count=quantities[item.item_id])
        lines.append(line)
        label = item.name(_language())
        if len(label) > BUTTON_NAME:
            label = label[: BUTTON_NAME - 1] + "…"
        if quantities.get(item.item_id):
            label += f" ×{quantities[item.item_id]}"
        rows.append(
            [
                _button("➖", callbacks.BORROW_LESS.data(item.item_id)),
                _button(label, callbacks.BORROW_ITEM.data(item.item_id)),
                _button("➕", callbacks.BORROW_MORE.data(item.item_id)),
            ]
        )
    lines += ["", await _basket_line(context, quantities)]
    text = "\n".join(lines)
    if notice:
        text += "\n\n" + notice
    if len(pages) > 1:
        before = (draft.view - 2) % len(pages) + 1
        after = draft.view % len(pages) + 1
        rows.append(
            [
                _button("◀", callbacks.BORROW_VIEW.data(before)),
                _button("▶", callbacks.BORROW_VIEW.data(after)),
            ]
        )
    rows.append(
        [
            _button(pgettext("button", "📅 Other dates"), callbacks.BORROW_DATES.data()),
            _button(pgettext("button", "🧺 To the basket"), callbacks.BORROW_BASKET.data()),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


async def _choosing(update: Update, context: KapstokContext) -> BorrowDraft | None:
    """The draft of a member who is choosing; None (and the press answered) otherwise."""
    if not await _member(update, context):
        return None
    draft = BorrowDraft.load(context)
    if draft is None or draft.period() is None:
        await no_longer_valid(update)
        return None
    return draft


async def _redraw(update: Update, context: KapstokContext, draft: BorrowDraft, notice="") -> str:
    draft.save(context)
    text, keyboard = await catalog_view(context, draft, notice)
    await show(update.callback_query, text, keyboard)
    return CHOOSE


async def turn_page(update: Update, context: KapstokContext) -> str | int | None:
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    draft.view = callbacks.BORROW_VIEW.value(update.callback_query.data)
    return await _redraw(update, context, draft)


async def _catalog_item(update: Update, context: KapstokContext, data_button) -> GearItem | None:
    """The item a button names, if it is still in the catalog; else the press is refused."""
    item = await context.store.gear.get(data_button.value(update.callback_query.data))
    if item is None or not item.active:
        await update.callback_query.answer(
            _("This item is no longer in the catalog."), show_alert=True
        )
        return None
    return item


def _item_details(item: GearItem, today_: date) -> str:
    first, last = allowed_pick_ups(today_, item.min_lead_days, item.max_lead_days)
    lines = [f"ℹ️ <b>{_name(item)}</b>"]
    if item.unit:
        lines.append(_("Per {unit}.").format(unit=esc(item.unit)))
    if item.deposit_cents:
        lines.append(_("Deposit: {amount} each.").format(amount=_money(item.deposit_cents)))
    lines.append(
        _("Picked up from {first} to {last}, lent for at most {days}.").format(
            first=i18n.format_day(max(first, today_)),
            last=i18n.format_day(last),
            days=_days(item.max_loan_days),
        )
    )
    if item.needs_recognition:
        lines.append(_("For recognised associations only."))
    if item.kinds:
        lines.append(_("For: {kinds}.").format(kinds=_kinds(item)))
    if item.note:
        lines.append("⚠️ " + esc(_snippet(item.note)))
    if item.pick_up_info:
        lines.append("📍 " + esc(_snippet(item.pick_up_info)))
    return "\n".join(lines)


def _kinds(item: GearItem) -> str:
    labels = []
    for kind in sorted(item.kinds):
        try:
            labels.append(kind_label(AssociationKind(kind)))
        except ValueError:
            labels.append(esc(kind))
    return ", ".join(labels)


async def item_details(update: Update, context: KapstokContext) -> str | int | None:
    """The item's name: what there is to know about it."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    item = await _catalog_item(update, context, callbacks.BORROW_ITEM)
    if item is None:
        return None
    await update.callback_query.answer()
    return await _redraw(update, context, draft, _item_details(item, _today(context)))


async def less(update: Update, context: KapstokContext) -> str | int | None:
    """− one of an item."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    query = update.callback_query
    item_id = callbacks.BORROW_LESS.value(query.data)
    quantities = draft.quantities()
    if not quantities.get(item_id):
        await query.answer(_("There is none of it in your basket."))
        return None
    await query.answer()
    draft.set_quantities(change(quantities, item_id, -1))
    return await _redraw(update, context, draft)


async def more(update: Update, context: KapstokContext) -> str | int | None:
    """+ one of an item: refused here, with the reason and the way out, when it may not be had;
    an item with a note shows it first."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    item = await _catalog_item(update, context, callbacks.BORROW_MORE)
    if item is None:
        return None
    await update.callback_query.answer()
    pick_up, return_on = draft.period()
    quantities = draft.quantities()
    wanted = quantities.get(item.item_id, 0) + 1
    free = await context.store.gear_requests.free({item.item_id: item.stock}, pick_up, return_on)
    standing, today_ = await _standing(context), _today(context)
    reason = refusal(
        item,
        association_kind=standing.kind,
        recognised=standing.recognised,
        pick_up=pick_up,
        return_on=return_on,
        today=today_,
        wanted=wanted,
        free=free[item.item_id],
    )
    if reason is not None:
        notice = await refusal_text(context, item, reason, draft, wanted, free[item.item_id])
        return await _redraw(update, context, draft, notice)
    if item.note and item.item_id not in draft.noted:
        draft.noted.append(item.item_id)
        notice = f"⚠️ <b>{_name(item)}</b>: {esc(_snippet(item.note))}\n" + _(
            "Press ➕ again to add it to your basket."
        )
        return await _redraw(update, context, draft, notice)
    draft.set_quantities(change(quantities, item.item_id, 1))
    return await _redraw(update, context, draft)


async def refusal_text(
    context: KapstokContext,
    item: GearItem,
    reason: str,
    draft: BorrowDraft,
    wanted: int,
    free: int,
) -> str:
    """Why the item may not be had (one of gear.REASONS or 'gone'), and the way out."""
    name, today_ = _name(item), _today(context)
    pick_up, return_on = draft.period()
    if reason == "gone":
        return _("⛔ {item} is no longer in the catalog.").format(item=name)
    if reason == "kind":
        return _("⛔ {item} is lent only to these kinds of association: {kinds}.").format(
            item=name, kinds=_kinds(item)
        )
    if reason == "recognition":
        recognition = await context.store.recognition.get(context.profile.association_id)
        return (
            _("⛔ {item} is lent only to associations recognised by the municipality.").format(
                item=name
            )
            + " "
            + advice(recognition)
        )
    if reason in ("order", "past", "too_soon", "too_late"):
        first, last = allowed_pick_ups(today_, item.min_lead_days, item.max_lead_days)
        return _(
            "⛔ {item} can be picked up from {first} to {last}, not on {pick_up}. Choose other "
            "dates with 📅 Other dates."
        ).format(
            item=name,
            first=i18n.format_day(max(first, today_)),
            last=i18n.format_day(last),
            pick_up=i18n.format_day(pick_up),
        )
    if reason == "too_long":
        return ngettext(
            "⛔ {item} is lent for at most {count} day at a time, and your period lasts {days}. "
            "Choose a shorter one with 📅 Other dates.",
            "⛔ {item} is lent for at most {count} days at a time, and your period lasts {days}. "
            "Choose a shorter one with 📅 Other dates.",
            item.max_loan_days,
        ).format(item=name, count=item.max_loan_days, days=_days(loan_days(pick_up, return_on)))
    return await _shortage_text(context, item, draft, wanted, free)


async def _shortage_text(
    context: KapstokContext, item: GearItem, draft: BorrowDraft, wanted: int, free: int
) -> str:
    """More than is free: how many are, and the nearest dates when the quantity asked is."""
    name, today_ = _name(item), _today(context)
    pick_up, return_on = draft.period()
    if free <= 0:
        text = _("⛔ {item} is fully booked {period}.").format(
            item=name, period=_period_text(pick_up, return_on)
        )
    else:
        text = ngettext(
            "⛔ Only {count} of {item} is free for the whole period.",
            "⛔ Only {count} of {item} are free for the whole period.",
            free,
        ).format(count=free, item=name)
    reservations = await context.store.gear_requests.item_reservations(item.item_id, today_)
    length = loan_days(pick_up, return_on)
    nearest = nearest_period(item, reservations, wanted, length, today_, pick_up)
    if nearest is not None:
        way_out = ngettext(
            "{count} is free {period}: choose those dates with 📅 Other dates, or take fewer.",
            "{count} are free {period}: choose those dates with 📅 Other dates, or take fewer.",
            wanted,
        ).format(count=wanted, period=_period_text(*nearest))
    else:
        way_out = _("No period of the same length in the coming months has {count} free.").format(
            count=wanted
        )
    return text + "\n" + way_out


async def other_dates(update: Update, context: KapstokContext) -> str | int | None:
    """*Other dates*: the pick-up date again (the basket stays, and is checked again)."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    draft.pick_up = draft.return_on = None
    draft.save(context)
    await _say(update, context, _pick_up_question(context), _pick_keyboard())
    return PICK_UP


# --- the basket, an activity, a note -------------------------------------------------------------


async def _misfit_notice(context: KapstokContext, draft: BorrowDraft) -> str:
    """What of the basket may not be had as it is now (empty when everything fits)."""
    store = context.store
    quantities = draft.quantities()
    pick_up, return_on = draft.period()
    items = await store.gear.many(quantities)
    stock = {item_id: item.stock for item_id, item in items.items()}
    free = await store.gear_requests.free(stock, pick_up, return_on) if stock else {}
    standing = await _standing(context)
    found = misfits(
        quantities,
        items,
        free,
        association_kind=standing.kind,
        recognised=standing.recognised,
        pick_up=pick_up,
        return_on=return_on,
        today=_today(context),
    )
    if not found:
        return ""
    lines = [_("<b>This no longer fits; change your basket:</b>")]
    for item_id, reason in found.items():
        item = items.get(item_id) or GearItem(item_id, f"#{item_id}", "", 0)
        wanted = quantities[item_id]
        lines.append(await refusal_text(context, item, reason, draft, wanted, free.get(item_id, 0)))
    return "\n".join(lines)


async def _summary(context: KapstokContext, draft: BorrowDraft) -> str:
    """The basket as it will be sent: period, quantities, deposit, pick-up, activity, note."""
    store = context.store
    quantities = draft.quantities()
    items = await store.gear.many(quantities)
    pick_up, return_on = draft.period()
    lines = [
        _("🧺 <b>Your request</b>"),
        "📅 " + _period_text(pick_up, return_on),
    ]
    for item_id, quantity in sorted(quantities.items()):
        line = f"• {quantity} × {_name(items[item_id])}"
        if items[item_id].deposit_cents:
            line += " · " + _money(items[item_id].deposit_cents * quantity)
        lines.append(line)
    lines.append(
        _("💶 Deposit to bring: {amount}").format(amount=_money(deposit_total(quantities, items)))
    )
    places = sorted({item.pick_up_info for item in items.values() if item.pick_up_info})
    lines += ["📍 " + esc(_snippet(place)) for place in places]
    if draft.activity_id is not None:
        activity = await store.activities.get(draft.activity_id)
        if activity is not None:
            lines.append(
                _("🔗 For: {activity}").format(activity=_activity_label(context, activity))
            )
    if draft.note:
        lines.append("📝 " + esc(draft.note))
    return "\n".join(lines)


def _activity_label(context: KapstokContext, activity: Activity) -> str:
    day = activity.starts_at.astimezone(context.config.timezone).date()
    return f"{esc(activity.title)} ({i18n.format_day(day)})"


async def _own_activities(context: KapstokContext, draft: BorrowDraft) -> list[Activity]:
    """The association's own planned activities still to come, those nearest the pick-up."""
    store, association_id = context.store, context.profile.association_id
    now = store.now()
    upcoming = [
        activity
        for activity in await store.activities.of_association(association_id)
        if activity.association_id == association_id
        and not activity.cancelled
        and activity.ends_at > now
    ]
    pick_up = date.fromisoformat(draft.pick_up) if draft.pick_up else _today(context)
    zone = context.config.timezone
    upcoming.sort(key=lambda a: abs((a.starts_at.astimezone(zone).date() - pick_up).days))
    return sorted(upcoming[:ACTIVITIES_OFFERED], key=lambda a: a.starts_at)


async def to_basket(update: Update, context: KapstokContext) -> str | int | None:
    """*To the basket*: its summary, checked again; then which activity it is for."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    query = update.callback_query
    if not draft.quantities():
        await query.answer(
            _("Your basket is empty: add at least one item with ➕."), show_alert=True
        )
        return None
    await query.answer()
    notice = await _misfit_notice(context, draft)
    if notice:
        return await _redraw(update, context, draft, notice)
    draft.activity_id = None
    draft.save(context)
    activities = await _own_activities(context, draft)
    zone = context.config.timezone
    rows = [
        [
            _button(
                f"🔗 {activity.title[:40]} ({short_date(activity.starts_at.astimezone(zone))})",
                callbacks.BORROW_ACTIVITY.data(activity.activity_id),
            )
        ]
        for activity in activities
    ]
    rows.append([_button(pgettext("button", "No activity"), callbacks.BORROW_NO_ACTIVITY.data())])
    rows.append([_button(pgettext("button", "◀ Change the basket"), callbacks.BORROW_BACK.data())])
    question = (
        _("Is it for one of your activities? Then choose it.")
        if activities
        else _("Your association has no activity planned; you can go on without one.")
    )
    text = await _summary(context, draft) + "\n\n" + question
    await show(query, text, InlineKeyboardMarkup(rows))
    return ACTIVITY


async def back_to_catalog(update: Update, context: KapstokContext) -> str | int | None:
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    return await _redraw(update, context, draft)


def _note_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(pgettext("button", "Skip"), callbacks.BORROW_NO_NOTE.data())]]
    )


async def _ask_note(update: Update, context: KapstokContext) -> str:
    await _say(
        update,
        context,
        _(
            "📝 Anything the lending service should know (who picks it up, what it is for)? Type a "
            "note of at most {limit} characters, or skip."
        ).format(limit=MAX_NOTE),
        _note_keyboard(),
    )
    return NOTE


async def choose_activity(update: Update, context: KapstokContext) -> str | int | None:
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    query = update.callback_query
    number = callbacks.BORROW_ACTIVITY.value(query.data)
    offered = {a.activity_id: a for a in await _own_activities(context, draft)}
    if number not in offered:
        await no_longer_valid(update)
        return None
    await query.answer()
    draft.activity_id = number
    draft.save(context)
    await show(query, await _summary(context, draft))
    return await _ask_note(update, context)


async def no_activity(update: Update, context: KapstokContext) -> str | int | None:
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    draft.activity_id = None
    draft.save(context)
    await show(update.callback_query, await _summary(context, draft))
    return await _ask_note(update, context)


def _review_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(pgettext("button", "✅ Submit"), callbacks.BORROW_SUBMIT.data())],
            [_button(pgettext("button", "◀ Change the basket"), callbacks.BORROW_BACK.data())],
            [_button(pgettext("button", "✖️ Discard"), callbacks.BORROW_DISCARD.data())],
        ]
    )


async def _review_text(context: KapstokContext, draft: BorrowDraft) -> str:
    return (
        await _summary(context, draft)
        + "\n\n"
        + _("Submit it to the lending service? A liaison officer decides; you hear it here.")
    )


async def receive_note(update: Update, context: KapstokContext) -> str | int | None:
    if not await _member(update, context):
        return ConversationHandler.END
    draft = BorrowDraft.load(context)
    if draft is None or draft.period() is None:
        return ConversationHandler.END
    text = update.message.text.strip()
    if is_blank(text):
        await update.message.reply_text(
            _("Please type a note, or skip it."), reply_markup=_note_keyboard()
        )
        return None
    if len(text) > MAX_NOTE:
        await update.message.reply_text(
            _(
                "That is {length} characters long; the limit is {limit}. Please send a shorter one."
            ).format(length=len(text), limit=MAX_NOTE),
            reply_markup=_note_keyboard(),
        )
        return None
    draft.note = text
    draft.save(context)
    await _say(update, context, await _review_text(context, draft), _review_keyboard())
    return REVIEW


async def no_note(update: Update, context: KapstokContext) -> str | int | None:
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    draft.note = ""
    draft.save(context)
    await show(update.callback_query, await _review_text(context, draft), _review_keyboard())
    return REVIEW


# --- submitting ----------------------------------------------------------------------------------


async def discard(update: Update, context: KapstokContext) -> int:
    BorrowDraft.drop(context)
    await update.callback_query.answer()
    await show(update.callback_query, _("Stopped. Nothing was sent."))
    return ConversationHandler.END


async def submit(update: Update, context: KapstokContext) -> str | int | None:
    """*Submit*: everything checked once more, then request #N and its card in the topic."""
    draft = await _choosing(update, context)
    if draft is None:
        return ConversationHandler.END
    query = update.callback_query
    quantities = draft.quantities()
    if not quantities:
        await query.answer(
            _("Your basket is empty: add at least one item with ➕."), show_alert=True
        )
        return await _redraw(update, context, draft)
    await query.answer()
    notice = await _misfit_notice(context, draft)
    if notice:
        return await _redraw(update, context, draft, notice)
    store, profile = context.store, context.profile
    activity_id = draft.activity_id
    if activity_id is not None and activity_id not in {
        a.activity_id for a in await _own_activities(context, draft)
    }:
        activity_id = None  # cancelled meanwhile: the request goes without it
    pick_up, return_on = draft.period()
    request = await store.gear_requests.create(
        profile.association_id,
        profile.user_id,
        pick_up,
        return_on,
        quantities,
        activity_id=activity_id,
        note=draft.note,
    )
    number = request.request_id
    draft.activity_id = activity_id
    summary = await _summary(context, draft)
    BorrowDraft.drop(context)
    await gear_card.queue_card(context.application, number)
    text = (
        _("✅ Request #{number} is sent to the lending service.").format(number=number)
        + "\n\n"
        + summary
        + "\n\n"
        + _("You will hear here when a liaison officer has decided.")
    )
    await show(query, text, InlineKeyboardMarkup([[cancel_button(number)]]))
    return ConversationHandler.END


# --- the steps' wiring ---------------------------------------------------------------------------


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    text, other = private & TEXT, private & NOT_TEXT

    async def type_it(update: Update, context: KapstokContext) -> None:
        await update.message.reply_text(_("Please type it as a text message, or /cancel."))

    async def buttons_please(update: Update, context: KapstokContext) -> None:
        await update.message.reply_text(
            _("Please answer with the buttons above, or stop with /cancel.")
        )

    def typed(step) -> list:
        return [MessageHandler(text, step), MessageHandler(other, type_it)]

    def on(button, callback) -> CallbackQueryHandler:
        return CallbackQueryHandler(callback, pattern=button.matches)

    def picking(state: str) -> list:
        pick = _picker(state)
        return [
            on(button, pick)
            for button in (callbacks.BORROW_PICK, callbacks.BORROW_MONTH, callbacks.BORROW_DAY)
        ]

    buttons_only = [MessageHandler(private & (TEXT | NOT_TEXT), buttons_please)]
    choosing = [
        on(callbacks.BORROW_VIEW, turn_page),
        on(callbacks.BORROW_ITEM, item_details),
        on(callbacks.BORROW_LESS, less),
        on(callbacks.BORROW_MORE, more),
        on(callbacks.BORROW_DATES, other_dates),
        on(callbacks.BORROW_BASKET, to_basket),
    ]
    return [
        ConversationHandler(
            name="borrowing",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=TIMEOUT,
            entry_points=[on(callbacks.BORROW, start)],
            states={
                PICK_UP: [*typed(receive_pick_up), *picking(PICK_UP)],
                RETURN: [*typed(receive_return), *picking(RETURN)],
                CHOOSE: [*buttons_only, *choosing],
                ACTIVITY: [
                    *buttons_only,
                    on(callbacks.BORROW_ACTIVITY, choose_activity),
                    on(callbacks.BORROW_NO_ACTIVITY, no_activity),
                    on(callbacks.BORROW_BACK, back_to_catalog),
                ],
                NOTE: [*typed(receive_note), on(callbacks.BORROW_NO_NOTE, no_note)],
                REVIEW: [
                    *buttons_only,
                    on(callbacks.BORROW_SUBMIT, submit),
                    on(callbacks.BORROW_BACK, back_to_catalog),
                    on(callbacks.BORROW_DISCARD, discard),
                ],
            },
            fallbacks=fallbacks(BorrowDraft.KEY),
        )
    ]
