"""What every conversation shares: /cancel, and leaving it when the user sends another command."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import ClassVar, Self

from telegram import Message, MessageEntity, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import KapstokContext
from bot.i18n import _
from handlers import callbacks
from handlers.common.privacy import erase_and_end
from handlers.ui import esc

COMMANDS_GROUP = 0
# What a conversation step reads: new messages only (an edit of an earlier answer is not one).
TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
NOT_TEXT = filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
# Commands that answer without disturbing a conversation: it goes on after them.
HARMLESS_COMMANDS = frozenset({"help", "language", "mydata", "forgetme"})


def remember_prompt(context: KapstokContext, draft_key: str, prompt: Message) -> None:
    """Note the question the bot asked, so that in the group only a reply to it answers it."""
    context.user_data.setdefault(draft_key, {})["prompt"] = prompt.message_id


async def answers_prompt(update: Update, context: KapstokContext, draft_key: str) -> bool:
    """In a private chat every message answers the bot's question. In the liaison group only a
    reply to that question does; any other reply is left to the handlers of a later group, as it
    would be outside the conversation (an answer to a thread, or a note)."""
    message = update.effective_message
    if message.chat.type == "private":
        return True
    prompt = (context.user_data.get(draft_key) or {}).get("prompt")
    replied = message.reply_to_message
    return replied is not None and prompt is not None and replied.message_id == prompt


def for_another_bot(update: Update, context: KapstokContext) -> bool:
    """A command addressed to another bot by name in a group, like /help@otherbot (in a
    private chat with Kapstok everything gets an answer)."""
    if update.effective_chat is None or update.effective_chat.type == "private":
        return False
    message = update.effective_message
    command = next(
        (
            message.parse_entity(entity)
            for entity in message.entities
            if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0
        ),
        "",
    )
    _, at, addressee = command.partition("@")
    return bool(at) and addressee.lower() != (context.bot.username or "").lower()


def command_name(update: Update) -> str:
    text = update.effective_message.text or ""
    return text.split()[0][1:].split("@")[0].lower() if text.startswith("/") else ""


def _command_handler(
    update: Update, context: KapstokContext
) -> tuple[CommandHandler, object] | None:
    for handler in context.application.handlers.get(COMMANDS_GROUP, []):
        if isinstance(handler, CommandHandler):
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
    return None


async def unknown_command(update: Update, context: KapstokContext) -> None:
    await update.effective_message.reply_text(
        _("I don't know the command /{command}. /help lists the commands you can use.").format(
            command=esc(command_name(update)[:64])
        )
    )


async def dispatch_command(update: Update, context: KapstokContext) -> None:
    """Run the ordinary handler of this command, as if no conversation were going on."""
    found = _command_handler(update, context)
    if found is None:
        await unknown_command(update, context)
        return
    handler, check = found
    await handler.handle_update(update, context.application, check, context)


def fallbacks(draft_key: str) -> list[BaseHandler]:
    """/cancel ends the conversation; any other command ends it too, then runs, unless harmless."""

    async def cancel(update: Update, context: KapstokContext) -> int:
        context.user_data.pop(draft_key, None)
        await update.effective_message.reply_text(_("Stopped. Nothing was saved."))
        return ConversationHandler.END

    async def other_command(update: Update, context: KapstokContext) -> int | None:
        if for_another_bot(update, context):
            return None  # /help@otherbot in the group: not ours, the conversation goes on
        if command_name(update) in HARMLESS_COMMANDS or _command_handler(update, context) is None:
            await dispatch_command(update, context)
            return None
        context.user_data.pop(draft_key, None)
        await dispatch_command(update, context)
        return ConversationHandler.END

    return [
        CommandHandler("cancel", cancel),
        MessageHandler(filters.COMMAND, other_command),
        # Erasing everything ends the conversation too; keeping the data lets it go on.
        CallbackQueryHandler(erase_and_end, pattern=callbacks.FORGET_CONFIRM.matches),
    ]


class Draft:
    """What a conversation collected so far, kept in user_data (so it is persisted) as a plain
    dict; subclasses are dataclasses that name their KEY."""

    KEY: ClassVar[str]

    @classmethod
    def load(cls, context: KapstokContext) -> Self | None:
        data = context.user_data.get(cls.KEY)
        if not isinstance(data, dict):
            return None
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def save(self, context: KapstokContext) -> None:
        context.user_data[self.KEY] = asdict(self)

    @classmethod
    def drop(cls, context: KapstokContext) -> None:
        context.user_data.pop(cls.KEY, None)


# --- one conversation at a time ---------------------------------------------------------------

# The user_data key naming the conversation a user entered last: only that one takes their
# typed answers. A conversation left half-way (an old invite link, a question not finished)
# does not swallow the answer to a newer one.
ACTIVE = "conversation"


class InConversation(filters.UpdateFilter):
    """The sender's latest conversation is this one (or none is recorded)."""

    def __init__(self, name: str, user_data: Mapping[int, dict], ended: set[int]) -> None:
        super().__init__(name=f"InConversation({name})")
        self.conversation = name
        self.user_data = user_data
        self.ended = ended

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        if user is None:
            return True
        if user.id in self.ended:
            return False
        return self.user_data.get(user.id, {}).get(ACTIVE, self.conversation) == self.conversation


def _entering(name: str, callback):
    async def enter(update: Update, context: KapstokContext):
        context.user_data[ACTIVE] = name
        if update.effective_user is not None:
            context.bot_data.conversations_ended.discard(update.effective_user.id)
        return await callback(update, context)

    return enter


def one_at_a_time(
    conversation: ConversationHandler, user_data: Mapping[int, dict], ended: set[int]
) -> ConversationHandler:
    """Let the conversation take typed answers only while it is the sender's latest one."""
    for handler in conversation.entry_points:
        handler.callback = _entering(conversation.name, handler.callback)
    latest = InConversation(conversation.name, user_data, ended)
    for handlers in conversation.states.values():
        for handler in handlers:
            if isinstance(handler, MessageHandler):
                handler.filters = handler.filters & latest
    return conversation
