"""The month calendar of borrowing gear: ◀ ▶ months and a button per day that may be chosen, in
the user's language (Babel's month and day names). The same grid as kapstok 4's picker, with
buttons of its own, so a day pressed here never reaches a conversation of kapstok 4."""

from __future__ import annotations

import calendar
from datetime import date

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from handlers import callbacks

BLANK = "·"


def month_number(day: date) -> int:
    return day.year * 100 + day.month


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def month_of_number(number: int) -> date | None:
    """202703 → 1 March 2027; None for what is no month."""
    year, month = divmod(number, 100)
    try:
        return date(year, month, 1)
    except (ValueError, OverflowError):
        return None


def day_of_number(number: int) -> date | None:
    """20270312 → 12 March 2027; None for what is no day."""
    year, rest = divmod(number, 10000)
    month, day = divmod(rest, 100)
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_keyboard(month: date, first: date, last: date) -> InlineKeyboardMarkup:
    """The days of `month`; days outside [first, last] cannot be chosen (they redraw)."""
    locale = i18n.babel_locale()
    here = callbacks.BORROW_MONTH.data(month_number(month))

    def inert(text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=here)

    rows = [[inert(babel_dates.format_skeleton("yMMMM", month, locale=locale))]]
    names = babel_dates.get_day_names("short", "stand-alone", locale)
    rows.append([inert(names[weekday]) for weekday in range(7)])  # Monday first
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            if day.month != month.month:
                row.append(inert(BLANK))
            elif not first <= day <= last:
                row.append(inert(f"({day.day})"))
            else:
                data = callbacks.BORROW_DAY.data(day_number(day))
                row.append(InlineKeyboardButton(str(day.day), callback_data=data))
        rows.append(row)
    navigation = []
    before, after = _shift(month, -1), _shift(month, 1)
    if before >= first.replace(day=1):
        data = callbacks.BORROW_MONTH.data(month_number(before))
        navigation.append(InlineKeyboardButton("◀", callback_data=data))
    if after <= last:
        data = callbacks.BORROW_MONTH.data(month_number(after))
        navigation.append(InlineKeyboardButton("▶", callback_data=data))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows)
