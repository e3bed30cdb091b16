"""A barometer round's message to a board member: the five kapstokken to score from 1 to 5,
the comment, and who of the board answered; drawn in the reader's language."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.domain.barometer import SCORES
from bot.domain.kapstokken import KAPSTOKKEN
from bot.domain.preferences import Kind
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.bulk import fewer_button
from handlers.ui import esc, kapstok_title
from storage.barometer import Round, StoredAnswer


def ballot_text(
    round_: Round, answer: StoredAnswer | None, now: datetime, *, reminder: bool = False
) -> str:
    scores = answer.scores if answer else {}
    lines = []
    if reminder:
        lines += [_("⏰ <b>Reminder:</b> your association has not answered yet."), ""]
    lines += [
        _("📊 <b>Barometer: how is the cooperation going?</b>"),
        _(
            "Score each kapstok from 1 (bad) to 5 (very good), for your association. Any board "
            "member may answer; the last answer sent before {closes} counts."
        ).format(closes=i18n.format_datetime(round_.closes_at)),
        "",
    ]
    for kapstok in KAPSTOKKEN:
        score = scores.get(kapstok.number)
        lines.append(
            f"{kapstok.emoji} <b>{kapstok.number}. {esc(kapstok_title(kapstok))}</b>: "
            + (f"<b>{score}</b>" if score else "–")
        )
        lines.append(f"<i>{esc(_(kapstok.meaning))}</i>")
    if answer and answer.comment:
        lines += ["", _("💬 Comment: {comment}").format(comment=esc(answer.comment))]
    lines.append("")
    lines.append(_status(round_, answer, now))
    return "\n".join(lines)


def _status(round_: Round, answer: StoredAnswer | None, now: datetime) -> str:
    if round_.closed_at is not None or now >= round_.closes_at:
        return _("This round is closed. Thank you!")
    if answer and answer.submitted_at:
        return _(
            "✅ Sent to the municipality by {name} on {moment}. You may still change it."
        ).format(
            name=esc(answer.answered_by_name or "?"),
            moment=i18n.format_datetime(answer.submitted_at),
        )
    if answer and answer.answered_by_name:
        return _("✏️ {name} is filling this in; it is not sent yet.").format(
            name=esc(answer.answered_by_name)
        )
    return _("Not answered yet.")


def ballot_keyboard(
    round_: Round, answer: StoredAnswer | None, now: datetime
) -> InlineKeyboardMarkup | None:
    if round_.closed_at is not None or now >= round_.closes_at:
        return None
    scores = answer.scores if answer else {}
    rows = []
    for kapstok in KAPSTOKKEN:
        row = []
        for score in SCORES:
            text = f"✅{score}" if scores.get(kapstok.number) == score else str(score)
            if score == SCORES[0]:
                text = f"{kapstok.emoji} {text}"
            row.append(
                InlineKeyboardButton(
                    text,
                    callback_data=callbacks.BAROMETER_SCORE.data(
                        round_.round_id, kapstok.number, score
                    ),
                )
            )
        rows.append(row)
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "💬 Comment"),
                callback_data=callbacks.BAROMETER_COMMENT.data(round_.round_id),
            ),
            InlineKeyboardButton(
                pgettext("button", "📨 Send our answer"),
                callback_data=callbacks.BAROMETER_SUBMIT.data(round_.round_id),
            ),
        ]
    )
    rows.append([fewer_button(Kind.CHECKINS)])
    return InlineKeyboardMarkup(rows)
