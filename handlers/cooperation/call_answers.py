"""Answers to calls, and the caller's side of its calls.

*Respond* under a delivered call: the respondent writes an answer (a text, or a photo with a
caption), and sends it with or without their association's contact; it reaches every board
member of the caller with the responding association's name. /calls lists the association's
calls and their answers, and closes one; for a liaison officer it lists every open call, each to
withdraw (call_withdraw.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import edit_row, queue
from bot.domain.calls import (
    MAX_ANSWER,
    Call,
    CallState,
    is_open,
    may_publish,
    may_respond,
    state_on,
)
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.cooperation import call_deliveries
from handlers.cooperation.call_text import answer_line, purpose_label, state_text, text_and_photo
from handlers.cooperation.contact import contact_html
from handlers.text import MESSAGE_LIMIT, plain_length
from handlers.ui import (
    esc,
    menu_button,
    no_longer_valid,
    reply,
    require_approved_member,
    show,
)

ANSWER = "calls.answer"
SHARE = "calls.share"
TIMEOUT = timedelta(hours=24)
LISTED = 10  # calls in the caller's list
ANSWERS_ROOM = MESSAGE_LIMIT - 600  # what a call's view leaves for its answers


@dataclass
class AnswerDraft(Draft):
    KEY = "call_answer"
    call_id: int | None = None
    text: str = ""
    file_id: str | None = None


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def carries_button(update: Update) -> bool:
    """Whether the pressed message carries this very button: a button acts only on its own
    message, not when its data is forged onto another."""
    query = update.callback_query
    message = query.message
    if message is None or message.reply_markup is None:
        return False
    rows = message.reply_markup.inline_keyboard
    return any(button.callback_data == query.data for row in rows for button in row)


def ended_text(call: Call, day) -> str:
    """Why a call takes no answers any more."""
    if state_on(call, day) is CallState.WITHDRAWN:
        return _("This call was withdrawn; it takes no answers any more.")
    return _("This call is closed; it takes no answers any more.")


# --- responding ----------------------------------------------------------------------------------


async def start_answer(update: Update, context: KapstokContext) -> str | int:
    """💬 Respond: write the answer."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    call = await context.store.calls.get(callbacks.CALL_RESPOND.value(query.data))
    day = today(context.store, context.config)
    if (
        call is None
        or call.association_id == context.profile.association_id
        or not carries_button(update)
        or update.effective_chat.id != context.profile.user_id
    ):
        await no_longer_valid(update)
        return ConversationHandler.END
    if not may_respond(call, context.profile.association_id, day):
        await query.answer(ended_text(call, day), show_alert=True)
        return ConversationHandler.END
    association = await context.store.associations.get(call.association_id)
    AnswerDraft(call.call_id).save(context)
    await query.answer()
    await context.bot.send_message(
        context.profile.user_id,
        _(
            "💬 Your answer to the call of <b>{association}</b> ({purpose}). Write it (at most "
            "{limit} characters), or send a photo with the text as its caption. Their board "
            "gets it with your association's name; you choose next whether your contact goes "
            "with it."
        ).format(
            association=esc(association.name),
            purpose=esc(purpose_label(call.purpose)),
            limit=MAX_ANSWER,
        )
        + "\n\n"
        + _("You can stop at any time with /cancel."),
    )
    return ANSWER


async def receive_answer(update: Update, context: KapstokContext) -> str | int:
    if not await require_approved_member(update, context):
        AnswerDraft.drop(context)
        return ConversationHandler.END
    draft = AnswerDraft.load(context)
    if draft is None or draft.call_id is None:
        await update.message.reply_text(_("Stopped. Nothing was saved."))
        return ConversationHandler.END
    written = await text_and_photo(update.message, MAX_ANSWER, _answer_again())
    if written is None:
        return ANSWER
    draft.text, draft.file_id = written
    draft.save(context)
    contact = await contact_html(context, context.profile.association_id)
    rows = []
    if contact is not None:
        rows.append(
            [
                _button(
                    pgettext("button", "📇 Send it with our contact"),
                    callbacks.CALL_ANSWER_SEND.data("yes"),
                )
            ]
        )
        text = _(
            "Shall your association's contact go with your answer? They would get: {contact}"
        ).format(contact=contact)
    else:
        text = _(
            "Your association's profile names no contact, so the answer goes without one. "
            "(/profile sets one.)"
        )
    rows.append(
        [
            _button(
                pgettext("button", "✉️ Send it without contact"),
                callbacks.CALL_ANSWER_SEND.data("no"),
            )
        ]
    )
    await update.message.reply_text(text, reply_markup=InlineKeyboardMarkup(rows))
    return SHARE


def _answer_again() -> str:
    return _(
        "Please send your answer as a text, or as a photo with the text as its caption; or /cancel."
    )


async def answer_not_text(update: Update, context: KapstokContext) -> str:
    await update.message.reply_text(_answer_again())
    return ANSWER


async def send_answer(update: Update, context: KapstokContext) -> str | int:
    """The answer goes to every board member of the caller."""
    if not await require_approved_member(update, context):
        AnswerDraft.drop(context)
        return ConversationHandler.END
    query = update.callback_query
    draft = AnswerDraft.load(context)
    if draft is None or draft.call_id is None or not draft.text:
        await no_longer_valid(update)
        return ConversationHandler.END
    store, profile = context.store, context.profile
    call = await store.calls.get(draft.call_id)
    day = today(store, context.config)
    AnswerDraft.drop(context)
    if call is None or not may_respond(call, profile.association_id, day):
        await query.answer()
        await show(query, ended_text(call, day) if call else _("Stopped. Nothing was saved."))
        return ConversationHandler.END
    with_contact = callbacks.CALL_ANSWER_SEND.value(query.data) == "yes"
    if with_contact and await contact_html(context, profile.association_id) is None:
        with_contact = False
    answer = await store.calls.add_answer(
        call.call_id,
        profile.association_id,
        draft.text,
        draft.file_id,
        with_contact,
        profile.user_id,
    )
    caller = await store.associations.get(call.association_id)
    await queue(
        context.application,
        [
            call_deliveries.answer_row(member.user_id, answer.answer_id)
            for member in await store.associations.board_members(call.association_id)
        ],
    )
    await query.answer()
    await show(
        query,
        (
            _("Your answer is on its way to the board of {association}, with your contact.")
            if with_contact
            else _("Your answer is on its way to the board of {association}.")
        ).format(association=esc(caller.name)),
    )
    return ConversationHandler.END


# --- the caller's calls --------------------------------------------------------------------------


async def our_calls(update: Update, context: KapstokContext) -> None:
    """/calls for a board member: the association's calls, each to open."""
    await reply(update, *await _our_calls(context))


async def _our_calls(context: KapstokContext) -> tuple[str, InlineKeyboardMarkup]:
    store, profile = context.store, context.profile
    day = today(store, context.config)
    calls = await store.calls.of_association(profile.association_id, LISTED)
    counts = await store.calls.answer_counts([call.call_id for call in calls])
    lines = [_("<b>📋 Your association's calls</b>")]
    rows = []
    if not calls:
        lines.append(_("Your association has not published a call yet."))
    for call in calls:
        answers = counts.get(call.call_id, 0)
        lines.append(
            _("#{number} · {purpose} · {state} · {answers}").format(
                number=call.call_id,
                purpose=esc(purpose_label(call.purpose)),
                state=esc(state_text(call, day)),
                answers=ngettext("{count} answer", "{count} answers", answers).format(
                    count=answers
                ),
            )
        )
        rows.append(
            [
                _button(
                    f"#{call.call_id} · {purpose_label(call.purpose)}",
                    callbacks.CALL_VIEW.data(call.call_id),
                )
            ]
        )
    open_calls = await store.calls.open_count(profile.association_id, day)
    if may_publish(open_calls):
        rows.append([_button(pgettext("button", "📢 Publish a call"), callbacks.CALL_NEW.data())])
    rows.append([menu_button()])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def list_button(update: Update, context: KapstokContext) -> None:
    """📋 Our calls (on kapstok 3's page, or back from a call)."""
    if not await require_approved_member(update, context):
        return
    await reply(update, *await _our_calls(context))


async def _own_call(update: Update, context: KapstokContext, button) -> Call | None:
    """The call a button names, if it is the presser's association's; else refused."""
    if not await require_approved_member(update, context):
        return None
    call = await context.store.calls.get(button.value(update.callback_query.data))
    if call is None or call.association_id != context.profile.association_id:
        await no_longer_valid(update)
        return None
    return call


async def _call_view(context: KapstokContext, call: Call) -> tuple[str, InlineKeyboardMarkup]:
    """A call with its text and its answers (as many as fit; each also reached the board as
    a message of its own)."""
    store = context.store
    day = today(store, context.config)
    text = " ".join(call.text.split())
    if len(text) > 400:
        text = text[:399] + "…"
    lines = [
        _("<b>📢 Call #{number}</b>: {purpose}").format(
            number=call.call_id, purpose=esc(purpose_label(call.purpose))
        ),
        _capitalized(esc(state_text(call, day))) + ".",
        "",
        esc(text),
        "",
    ]
    answers = await store.calls.answers(call.call_id)
    if not answers:
        lines.append(_("No answers yet."))
    else:
        lines.append(
            ngettext("<b>{count} answer:</b>", "<b>{count} answers:</b>", len(answers)).format(
                count=len(answers)
            )
        )
    used = plain_length("\n".join(lines))
    for shown, answer in enumerate(answers):
        respondent = await store.associations.get(answer.association_id)
        line = answer_line(answer, respondent.name if respondent else "?")
        if answer.with_contact:
            contact = await contact_html(context, answer.association_id)
            if contact is not None:
                line += "\n   " + _("How to reach them: {contact}").format(contact=contact)
        if used + plain_length(line) + 1 > ANSWERS_ROOM:
            lines.append(
                _("… and {count} more: each reached your board as a message.").format(
                    count=len(answers) - shown
                )
            )
            break
        lines.append(line)
        used += plain_length(line) + 1
    rows = []
    if is_open(call, day):
        rows.append(
            [
                _button(
                    pgettext("button", "🔒 Close this call"),
                    callbacks.CALL_CLOSE.data(call.call_id),
                )
            ]
        )
    rows.append([_button(pgettext("button", "⬅️ Back"), callbacks.CALL_LIST.data())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


async def view(update: Update, context: KapstokContext) -> None:
    call = await _own_call(update, context, callbacks.CALL_VIEW)
    if call is None:
        return
    await reply(update, *await _call_view(context, call))


async def close(update: Update, context: KapstokContext) -> None:
    """🔒 Close this call: no more answers; who has not got it yet does not get it."""
    call = await _own_call(update, context, callbacks.CALL_CLOSE)
    if call is None:
        return
    store = context.store
    day = today(store, context.config)
    query = update.callback_query
    if not is_open(call, day) or not await store.calls.close(call.call_id, context.profile.user_id):
        await query.answer(_("This call has already ended."), show_alert=True)
    else:
        await store.outbox.skip_batch(call.batch)
        await redraw_topic(context, call.call_id)
        await query.answer(_("The call is closed."))
    current = await store.calls.get(call.call_id)
    await show(query, *await _call_view(context, current))


async def redraw_topic(context: KapstokContext, call_id: int) -> None:
    """The call's message in the liaison group shows how it ended, without its button."""
    call = await context.store.calls.get(call_id)
    if call is None or call.topic_message_id is None:
        return
    association = await context.store.associations.get(call.association_id)
    day = today(context.store, context.config)
    with i18n.use_language(context.config.default_language):
        text = call_deliveries.topic_text(call, association.name, day)
    await queue(
        context.application,
        [edit_row(call.topic_chat_id, call.topic_message_id, text)],
    )


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    photo = filters.UpdateType.MESSAGE & filters.PHOTO & private
    answering = ConversationHandler(
        name="call_respond",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[CallbackQueryHandler(start_answer, pattern=callbacks.CALL_RESPOND.matches)],
        states={
            ANSWER: [
                MessageHandler(private & TEXT, receive_answer),
                MessageHandler(photo, receive_answer),
                MessageHandler(private & NOT_TEXT, answer_not_text),
            ],
            SHARE: [
                CallbackQueryHandler(send_answer, pattern=callbacks.CALL_ANSWER_SEND.matches),
            ],
        },
        fallbacks=fallbacks(AnswerDraft.KEY),
    )
    return [
        answering,
        CallbackQueryHandler(list_button, pattern=callbacks.CALL_LIST.matches),
        CallbackQueryHandler(view, pattern=callbacks.CALL_VIEW.matches),
        CallbackQueryHandler(close, pattern=callbacks.CALL_CLOSE.matches),
    ]
