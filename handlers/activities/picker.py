"""The inline month calendar: ◀ ▶ months, a button per day, then a button per half hour; in the
user's language (Babel's month and day names)."""

from __future__ import annotations

import calendar
from datetime import date, time

from babel import dates as babel_dates
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.i18n import pgettext
from handlers import callbacks

FIRST_HOUR = 0  # the time buttons run from 00:00 to 23:30
PER_ROW = 6
BLANK = "·"


def month_number(day: date) -> int:
    return day.year * 100 + day.month


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


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_keyboard(month: date, first: date, last: date) -> InlineKeyboardMarkup:
    """The days of `month`; days outside [first, last] cannot be pressed (they redraw)."""
    locale = i18n.babel_locale()
    here = callbacks.CALENDAR_MONTH.data(month_number(month))

    def inert(text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=here)

    title = babel_dates.format_skeleton("yMMMM", month, locale=locale)
    rows = [[inert(title)]]
    names = babel_dates.get_day_names("short", "stand-alone", locale)
    rows.append([inert(names[weekday]) for weekday in range(7)])  # Monday first
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            if day.month != month.month or not first <= day <= last:
                row.append(inert(BLANK if day.month != month.month else f"({day.day})"))
            else:
                row.append(
                    InlineKeyboardButton(
                        str(day.day), callback_data=callbacks.CALENDAR_DAY.data(day_number(day))
                    )
                )
        rows.append(row)
    navigation = []
    before, after = _shift(month, -1), _shift(month, 1)
    if before >= first.replace(day=1):
        navigation.append(
            InlineKeyboardButton(
                "◀", callback_data=callbacks.CALENDAR_MONTH.data(month_number(before))
            )
        )
    if after <= last:
        navigation.append(
            InlineKeyboardButton(
                "▶", callback_data=callbacks.CALENDAR_MONTH.data(month_number(after))
            )
        )
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows)


def time_keyboard(day: date) -> InlineKeyboardMarkup:
    """A button per half hour of the day, and the way back to its month."""
    locale = i18n.babel_locale()
    buttons = [
        InlineKeyboardButton(
            babel_dates.format_time(time(hour, minute), "short", locale=locale),
            callback_data=callbacks.CALENDAR_TIME.data(f"{hour:02d}{minute:02d}"),
        )
        for hour in range(FIRST_HOUR, 24)
        for minute in (0, 30)
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "◀ Another day"),
                callback_data=callbacks.CALENDAR_MONTH.data(month_number(day)),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def time_of(text: str) -> time | None:
    """'1430' → 14:30."""
    if len(text) != 4 or not text.isdigit():
        return None
    hour, minute = int(text[:2]), int(text[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None
