"""*Request a subsidy* on kapstok 5's page: a board member chooses a type (an association that
is not recognised hears at once when the type requires it, and what to do), types the amount in
their locale and the purpose, sends the attachments (documents or photos), links an activity if
they like, and submits: request #N. Its card goes to the association's topic; until a liaison
decides, the board may cancel it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import queue
from bot.domain.amounts import example_amount, parse_amount
from bot.domain.recognition import RecognitionStatus
from bot.domain.requests import Status
from bot.domain.subsidies import (
    MAX_ATTACHMENTS,
    MAX_FILE_BYTES,
    PURPOSE_LIMIT,
    Attachment,
    SubsidyType,
    amount_to_cents,
    too_big,
)
from bot.i18n import _, ngettext, pgettext
from handlers import callbacks
from handlers.bulk import today
from handlers.conversation import NOT_TEXT, TEXT, Draft, fallbacks
from handlers.support import subsidy_card
from handlers.support.recognition import advice, state_text
from handlers.support.subsidy_card import amount, amount_refusal, attachment_name, type_name
from handlers.ui import esc, no_longer_valid, refuse, reply, require_approved_member, show

TYPE, AMOUNT, PURPOSE, FILES, ACTIVITY, REVIEW = (
    "subsidy.type",
    "subsidy.amount",
    "subsidy.purpose",
    "subsidy.files",
    "subsidy.activity",
    "subsidy.review",
)
TIMEOUT = timedelta(hours=24)
ACTIVITIES_SHOWN = 8
ACTIVITIES_SINCE = timedelta(days=365)  # an activity of the past year may be linked


@dataclass
class SubsidyDraft(Draft):
    KEY = "subsidy_request"
    type_id: int | None = None
    amount_cents: int | None = None
    purpose: str = ""
    files: list = field(default_factory=list)  # Attachment fields, as dicts
    activity_id: int | None = None


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


async def _still_member(update: Update, context: KapstokContext) -> bool:
    if context.profile is not None and context.profile.is_approved_member:
        return True
    SubsidyDraft.drop(context)
    await require_approved_member(update, context)
    return False


async def _draft_and_type(
    update: Update, context: KapstokContext
) -> tuple[SubsidyDraft, SubsidyType] | None:
    """The request being written and its type, while its writer is a board member and the
    type is still offered (a button of a finished one says it is no longer valid)."""
    if not await _still_member(update, context):
        return None
    draft = SubsidyDraft.load(context)
    subsidy_type = (
        await context.store.subsidies.get_type(draft.type_id) if draft and draft.type_id else None
    )
    if draft is None or subsidy_type is None or not subsidy_type.active:
        SubsidyDraft.drop(context)
        if update.callback_query is not None:
            await no_longer_valid(update)
        else:
            await update.effective_message.reply_text(
                _("This subsidy can no longer be requested. Start again from kapstok 5.")
            )
        return None
    return draft, subsidy_type


# --- the type ----------------------------------------------------------------------------------


def type_details(subsidy_type: SubsidyType, day) -> str:
    """A type as the board sees it: what it is for, the maximum, the next deadline, whether it
    requires recognition, the attachments asked for."""
    language = i18n.current_language()
    lines = [f"💶 <b>{esc(subsidy_type.name(language))}</b>"]
    if subsidy_type.description(language):
        lines.append(esc(subsidy_type.description(language)))
    lines.append(_("<b>At most:</b> {amount}").format(amount=amount(subsidy_type.max_cents)))
    deadline = subsidy_type.next_deadline(day)
    if deadline is not None:
        lines.append(_("<b>Next deadline:</b> {date}").format(date=i18n.format_day(deadline)))
    if subsidy_type.needs_recognition:
        lines.append(_("Only for associations recognised by the municipality."))
    if subsidy_type.attachments:
        lines.append(_("<b>Attachments asked for:</b>"))
        lines += [f"• {esc(label)}" for label in subsidy_type.attachments]
    return "\n".join(lines)


def type_summary(subsidy_type: SubsidyType, day) -> str:
    """A type in the list to choose from: its name, maximum, next deadline and whether it
    requires recognition (the rest once it is chosen, so that many types fit in one message)."""
    lines = [
        f"💶 <b>{esc(subsidy_type.name(i18n.current_language()))}</b>",
        _("<b>At most:</b> {amount}").format(amount=amount(subsidy_type.max_cents)),
    ]
    deadline = subsidy_type.next_deadline(day)
    if deadline is not None:
        lines.append(_("<b>Next deadline:</b> {date}").format(date=i18n.format_day(deadline)))
    if subsidy_type.needs_recognition:
        lines.append(_("Only for associations recognised by the municipality."))
    return "\n".join(lines)


async def start(update: Update, context: KapstokContext) -> str | int:
    """💶 Request a subsidy: the types that can be requested."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    types = await context.store.subsidies.types()
    if not types:
        await reply(
            update,
            _("There are no subsidies to request at the moment. Ask the municipality through "
              "kapstok 1 (💬 Contact the liaison) if you expected one."),
        )  # fmt: skip
        return ConversationHandler.END
    SubsidyDraft().save(context)
    day = today(context.store, context.config)
    text = "\n\n".join(
        [_("💶 <b>Request a subsidy.</b> Which one?")]
        + [type_summary(subsidy_type, day) for subsidy_type in types]
        + [_("You can stop at any time with /cancel.")]
    )
    keyboard = InlineKeyboardMarkup(
        [[_button(type_name(t), callbacks.SUBSIDY_TYPE.data(t.type_id))] for t in types]
    )
    await reply(update, text, keyboard)
    return TYPE


def refusal_for_recognition(subsidy_type: SubsidyType, recognition) -> str:
    return (
        _("<b>{name}</b> is only for associations recognised by the municipality, and yours is "
          "not at the moment ({state}).").format(
            name=esc(type_name(subsidy_type)), state=state_text(recognition)
        )
        + "\n"
        + advice(recognition)
    )  # fmt: skip


async def choose_type(update: Update, context: KapstokContext) -> str | int:
    """A type: told at once when it requires a recognition the association has not; else the
    amount."""
    if not await require_approved_member(update, context):
        return ConversationHandler.END
    query = update.callback_query
    subsidy_type = await context.store.subsidies.get_type(callbacks.SUBSIDY_TYPE.value(query.data))
    if subsidy_type is None or not subsidy_type.active:
        await no_longer_valid(update)
        return ConversationHandler.END
    recognition = await context.store.recognition.get(context.profile.association_id)
    if subsidy_type.needs_recognition and recognition.status is not RecognitionStatus.RECOGNISED:
        SubsidyDraft.drop(context)
        await query.answer()
        await show(query, refusal_for_recognition(subsidy_type, recognition))
        return ConversationHandler.END
    SubsidyDraft(type_id=subsidy_type.type_id).save(context)
    await query.answer()
    day = today(context.store, context.config)
    text = type_details(subsidy_type, day) + "\n\n" + _ask_amount(subsidy_type)
    if _is_optional_message(query.message):
        await query.message.reply_text(text)  # a reminder stays as it is, with its 🔕
    else:
        await show(query, text)
    return AMOUNT


def _is_optional_message(message) -> bool:
    """A message sent to many (a deadline reminder), recognised by its 🔕 button."""
    markup = message.reply_markup if message is not None else None
    return markup is not None and any(
        callbacks.FEWER.matches(button.callback_data)
        for row in markup.inline_keyboard
        for button in row
    )


def _ask_amount(subsidy_type: SubsidyType) -> str:
    return _(
        "How much do you ask? Type the amount in euros, like {example} (at most {maximum})."
    ).format(
        example=example_amount(i18n.current_language()),
        maximum=amount(subsidy_type.max_cents),
    )


# --- the amount and the purpose ------------------------------------------------------------------


async def receive_amount(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    typed = parse_amount(update.message.text, i18n.current_language(), subsidy_type.maximum)
    if isinstance(typed, str):
        await update.message.reply_text(amount_refusal(typed, subsidy_type.max_cents))
        return AMOUNT
    draft.amount_cents = amount_to_cents(typed)
    draft.save(context)
    await update.message.reply_text(
        _("{amount}: noted.").format(amount=amount(draft.amount_cents)) + "\n\n" + _ask_purpose()
    )
    return PURPOSE


def _ask_purpose() -> str:
    return _("What is the subsidy for? Describe the purpose in at most {limit} characters.").format(
        limit=PURPOSE_LIMIT
    )


async def amount_not_text(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    await update.message.reply_text(amount_refusal("unreadable"))
    return AMOUNT


async def receive_purpose(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    text = update.message.text.strip()
    if not text or len(text) > PURPOSE_LIMIT:
        await update.message.reply_text(
            _("The purpose has at most {limit} characters; yours has {count}. Make it shorter.")
            .format(limit=PURPOSE_LIMIT, count=len(text))
            if text
            else _ask_purpose()
        )  # fmt: skip
        return PURPOSE
    draft.purpose = text
    draft.save(context)
    await update.message.reply_text(_ask_files(subsidy_type, 0), reply_markup=_done_keyboard())
    return FILES


async def purpose_not_text(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    await update.message.reply_text(_ask_purpose())
    return PURPOSE


# --- the attachments -----------------------------------------------------------------------


def _done_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(pgettext("button", "✅ Done"), callbacks.SUBSIDY_FILES_DONE.data())]]
    )


def _ask_files(subsidy_type: SubsidyType, count: int) -> str:
    lines = [
        _("Send the attachments as documents or photos, one or several (each at most 20 MB), "
          "then press Done.")
    ]  # fmt: skip
    if subsidy_type.attachments:
        lines.append(_("Asked for:"))
        lines += [f"• {esc(label)}" for label in subsidy_type.attachments]
    if count:
        lines.append(
            ngettext("{count} attachment so far.", "{count} attachments so far.", count).format(
                count=count
            )
        )
    return "\n".join(lines)


def _attachment_of(update: Update) -> Attachment | None:
    message = update.message
    caption = (message.caption or "").strip()[:100]
    if message.document is not None:
        document = message.document
        return Attachment(
            "document",
            document.file_id,
            document.file_unique_id,
            document.file_name,
            document.file_size,
            caption,
        )
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return Attachment(
            "photo", photo.file_id, photo.file_unique_id, None, photo.file_size, caption
        )
    return None


async def receive_file(update: Update, context: KapstokContext) -> str | int:
    """A document or a photo: kept, unless it is over 20 MB."""
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    attachment = _attachment_of(update)
    if too_big(attachment.file_size):
        await update.message.reply_text(
            _("That file is {size} MB; an attachment may be at most {limit} MB. Send a smaller "
              "file (a PDF, or a photo), or press Done.").format(
                size=i18n.format_decimal(attachment.file_size / 1024 / 1024, "#,##0.0"),
                limit=MAX_FILE_BYTES // 1024 // 1024,
            ),
            reply_markup=_done_keyboard(),
        )  # fmt: skip
        return FILES
    if len(draft.files) >= MAX_ATTACHMENTS:
        await update.message.reply_text(
            _("That is {count} attachments, the most a request takes. Press Done.").format(
                count=MAX_ATTACHMENTS
            ),
            reply_markup=_done_keyboard(),
        )
        return FILES
    draft.files.append(asdict(attachment))
    draft.save(context)
    await update.message.reply_text(
        _("📎 Added: {name}.").format(name=esc(attachment_name(attachment)))
        + "\n"
        + _ask_files(subsidy_type, len(draft.files)),
        reply_markup=_done_keyboard(),
    )
    return FILES


async def files_not_a_file(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    await update.message.reply_text(
        _ask_files(subsidy_type, len(draft.files)), reply_markup=_done_keyboard()
    )
    return FILES


async def files_done(update: Update, context: KapstokContext) -> str | int:
    """Done: at least one attachment when the type asks for some; then the activity."""
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    query = update.callback_query
    if subsidy_type.attachments and not draft.files:
        await refuse(update, _("This subsidy asks for attachments: send at least one first."))
        return FILES
    await query.answer()
    activities = await _linkable_activities(context)
    if not activities:
        return await _review(update, context, draft, subsidy_type)
    keyboard = [
        [
            _button(
                f"{a.title[:40]} · {i18n.format_date(a.starts_at)}",
                callbacks.SUBSIDY_ACTIVITY.data(a.activity_id),
            )
        ]
        for a in activities
    ]
    keyboard.append(
        [_button(pgettext("button", "No activity"), callbacks.SUBSIDY_NO_ACTIVITY.data())]
    )
    await show(
        query,
        _("Is the subsidy for one of your activities? Choose it, or press No activity."),
        InlineKeyboardMarkup(keyboard),
    )
    return ACTIVITY


# --- the activity, the review, and submitting ----------------------------------------------------


async def _linkable_activities(context: KapstokContext) -> list:
    association_id = context.profile.association_id
    since = context.store.now() - ACTIVITIES_SINCE
    found = [
        a
        for a in await context.store.activities.of_association(association_id)
        if not a.cancelled and a.ends_at >= since
    ]
    found.sort(key=lambda a: a.starts_at, reverse=True)
    return found[:ACTIVITIES_SHOWN]


async def choose_activity(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    number = callbacks.SUBSIDY_ACTIVITY.value(update.callback_query.data)
    if number not in {a.activity_id for a in await _linkable_activities(context)}:
        await no_longer_valid(update)
        return ACTIVITY
    draft.activity_id = number
    draft.save(context)
    await update.callback_query.answer()
    return await _review(update, context, draft, subsidy_type)


async def no_activity(update: Update, context: KapstokContext) -> str | int:
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    draft.activity_id = None
    draft.save(context)
    await update.callback_query.answer()
    return await _review(update, context, draft, subsidy_type)


async def _review(
    update: Update, context: KapstokContext, draft: SubsidyDraft, subsidy_type: SubsidyType
) -> str:
    lines = [
        _("<b>Your request, before it is sent:</b>"),
        _("<b>Subsidy:</b> {name}").format(name=esc(type_name(subsidy_type))),
        _("<b>Asked:</b> {amount}").format(amount=amount(draft.amount_cents)),
        _("<b>Purpose:</b> {purpose}").format(purpose=esc(draft.purpose)),
    ]
    if draft.files:
        names = ", ".join(esc(attachment_name(Attachment(**f))) for f in draft.files)
        lines.append(
            _("<b>Attachments ({count}):</b> {names}").format(count=len(draft.files), names=names)
        )
    else:
        lines.append(_("<b>Attachments:</b> none"))
    if draft.activity_id is not None:
        activity = await context.store.activities.get(draft.activity_id)
        if activity is not None:
            lines.append(
                _("<b>Activity:</b> {title}, {date}").format(
                    title=esc(activity.title), date=i18n.format_date(activity.starts_at)
                )
            )
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(pgettext("button", "📨 Send the request"), callbacks.SUBSIDY_SUBMIT.data()),
                _button(pgettext("button", "🗑 Discard"), callbacks.SUBSIDY_DISCARD.data()),
            ]
        ]
    )
    await show(update.callback_query, "\n".join(lines), keyboard)
    return REVIEW


async def submit(update: Update, context: KapstokContext) -> int:
    """The request is made, with its attachments, in one transaction; its card and files go to
    the association's topic."""
    found = await _draft_and_type(update, context)
    if found is None:
        return ConversationHandler.END
    draft, subsidy_type = found
    query = update.callback_query
    store = context.store
    association_id = context.profile.association_id
    recognition = await store.recognition.get(association_id)
    if subsidy_type.needs_recognition and recognition.status is not RecognitionStatus.RECOGNISED:
        SubsidyDraft.drop(context)
        await query.answer()
        await show(query, refusal_for_recognition(subsidy_type, recognition))
        return ConversationHandler.END
    if (
        draft.amount_cents is None
        or not draft.purpose
        or draft.amount_cents > subsidy_type.max_cents
    ):
        SubsidyDraft.drop(context)
        await no_longer_valid(update)
        return ConversationHandler.END
    activity_id = draft.activity_id
    if activity_id is not None and activity_id not in {
        a.activity_id for a in await _linkable_activities(context)
    }:
        activity_id = None
    request = await store.subsidies.create(
        association_id,
        context.profile.user_id,
        subsidy_type.type_id,
        draft.amount_cents,
        draft.purpose,
        [Attachment(**f) for f in draft.files],
        activity_id=activity_id,
    )
    await queue(
        context.application, subsidy_card.queue_rows(context.config.liaison_chat_id, request)
    )
    SubsidyDraft.drop(context)
    await query.answer()
    await show(
        query,
        _("📨 Sent: <b>request #{number}</b>, {name}, {amount}. The municipality looks at it; "
          "you will hear here what it decides.").format(
            number=request.request_id,
            name=esc(type_name(subsidy_type)),
            amount=amount(request.amount_cents),
        ),
        InlineKeyboardMarkup([[_cancel_button(request.request_id)]]),
    )  # fmt: skip
    return ConversationHandler.END


def _cancel_button(number: int) -> InlineKeyboardButton:
    return _button(
        pgettext("button", "✖️ Cancel request #{number}").format(number=number),
        callbacks.SUBSIDY_CANCEL.data(number),
    )


async def discard(update: Update, context: KapstokContext) -> int:
    if not await _still_member(update, context):
        return ConversationHandler.END
    SubsidyDraft.drop(context)
    await update.callback_query.answer()
    await show(update.callback_query, _("Discarded: nothing was sent."))
    return ConversationHandler.END


# --- cancelling before a decision -----------------------------------------------------------------


async def _own_waiting_request(update: Update, context: KapstokContext, number: int):
    """The association's own subsidy request that still waits for a decision, else why not."""
    request = await context.store.subsidies.get(number)
    if request is None or request.request.association_id != context.profile.association_id:
        await refuse(update, _("This request is not one of your association's."))
        return None
    if request.status is not Status.REQUESTED:
        await refuse(update, _("Request #{number} was decided already; it can no longer be "
                               "cancelled.").format(number=number))  # fmt: skip
        return None
    return request


async def ask_cancel(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    number = callbacks.SUBSIDY_CANCEL.value(query.data)
    if await _own_waiting_request(update, context, number) is None:
        return
    await query.answer()
    await show(
        query,
        _("Cancel subsidy request #{number}? The municipality will no longer decide on it.").format(
            number=number
        ),
        InlineKeyboardMarkup(
            [
                [
                    _button(
                        pgettext("button", "✖️ Yes, cancel it"),
                        callbacks.SUBSIDY_CANCEL_CONFIRM.data(number),
                    ),
                    _button(pgettext("button", "No, keep it"), callbacks.SUBSIDY_KEEP.data(number)),
                ]
            ]
        ),
    )


async def confirm_cancel(update: Update, context: KapstokContext) -> None:
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    number = callbacks.SUBSIDY_CANCEL_CONFIRM.value(query.data)
    if await _own_waiting_request(update, context, number) is None:
        return
    if not await context.store.subsidies.cancel(number, context.profile.user_id):
        await refuse(update, _("Request #{number} was decided already; it can no longer be "
                               "cancelled.").format(number=number))  # fmt: skip
        return
    await subsidy_card.redraw(context.application, number)
    await query.answer()
    await show(query, _("Subsidy request #{number} is cancelled.").format(number=number))


async def keep(update: Update, context: KapstokContext) -> None:
    """*No, keep it*: the request as it was sent, with its cancel button."""
    if not await require_approved_member(update, context):
        return
    query = update.callback_query
    number = callbacks.SUBSIDY_KEEP.value(query.data)
    request = await context.store.subsidies.get(number)
    if request is None or request.request.association_id != context.profile.association_id:
        await refuse(update, _("This request is not one of your association's."))
        return
    await query.answer()
    waiting = request.status is Status.REQUESTED
    await show(
        query,
        _("Request #{number} stays as it is.").format(number=number),
        InlineKeyboardMarkup([[_cancel_button(number)]]) if waiting else None,
    )


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    files = filters.UpdateType.MESSAGE & private & (filters.Document.ALL | filters.PHOTO)
    requesting = ConversationHandler(
        name="subsidy_request",
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CallbackQueryHandler(start, pattern=callbacks.SUBSIDY_NEW.matches),
            CallbackQueryHandler(choose_type, pattern=callbacks.SUBSIDY_TYPE.matches),
        ],
        states={
            TYPE: [],
            AMOUNT: [
                MessageHandler(private & TEXT, receive_amount),
                MessageHandler(private & NOT_TEXT, amount_not_text),
            ],
            PURPOSE: [
                MessageHandler(private & TEXT, receive_purpose),
                MessageHandler(private & NOT_TEXT, purpose_not_text),
            ],
            FILES: [
                MessageHandler(files, receive_file),
                MessageHandler(private & (TEXT | NOT_TEXT), files_not_a_file),
                CallbackQueryHandler(files_done, pattern=callbacks.SUBSIDY_FILES_DONE.matches),
            ],
            ACTIVITY: [
                CallbackQueryHandler(choose_activity, pattern=callbacks.SUBSIDY_ACTIVITY.matches),
                CallbackQueryHandler(no_activity, pattern=callbacks.SUBSIDY_NO_ACTIVITY.matches),
            ],
            REVIEW: [
                CallbackQueryHandler(submit, pattern=callbacks.SUBSIDY_SUBMIT.matches),
                CallbackQueryHandler(discard, pattern=callbacks.SUBSIDY_DISCARD.matches),
            ],
        },
        fallbacks=fallbacks(SubsidyDraft.KEY),
    )
    return [
        requesting,
        CallbackQueryHandler(ask_cancel, pattern=callbacks.SUBSIDY_CANCEL.matches),
        CallbackQueryHandler(confirm_cancel, pattern=callbacks.SUBSIDY_CANCEL_CONFIRM.matches),
        CallbackQueryHandler(keep, pattern=callbacks.SUBSIDY_KEEP.matches),
    ]
