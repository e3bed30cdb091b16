"""One forum topic per association in the liaison group, kept alive whatever happens to it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, TelegramError

from bot.context import KapstokContext
from bot.domain.associations import Association
from bot.domain.threads import Topic

log = logging.getLogger(__name__)

T = TypeVar("T")
TOPIC_NAME_LIMIT = 128
_DELETED = ("thread not found", "topic_deleted", "topic_id_invalid", "thread_id_invalid")
_CLOSED = ("topic_closed", "topic closed")


async def liaison_group_is_forum(context: KapstokContext) -> bool:
    """Ask Telegram once whether the liaison group has topics. When Telegram cannot say, the
    error goes to the caller: the outbox tries again, rather than post outside the topic."""
    data = context.bot_data
    if data.liaison_is_forum is None:
        chat = await context.bot.get_chat(context.config.liaison_chat_id)
        data.liaison_is_forum = bool(chat.is_forum)
    return data.liaison_is_forum


async def _create_topic(context: KapstokContext, association: Association) -> Topic:
    name = association.name[:TOPIC_NAME_LIMIT]
    created = await context.bot.create_forum_topic(context.config.liaison_chat_id, name)
    topic = Topic(
        association.association_id,
        context.config.liaison_chat_id,
        created.message_thread_id,
        name,
    )
    await context.store.topics.save(topic)
    return topic


async def association_topic(context: KapstokContext, association: Association) -> Topic | None:
    """The association's topic, created when first needed and renamed with the association."""
    if not await liaison_group_is_forum(context):
        return None
    topic = await context.store.topics.of_association(association.association_id)
    if topic is None:
        return await _create_topic(context, association)
    name = association.name[:TOPIC_NAME_LIMIT]
    if topic.name != name:
        try:
            await context.bot.edit_forum_topic(topic.chat_id, topic.message_thread_id, name=name)
            topic = Topic(topic.association_id, topic.chat_id, topic.message_thread_id, name)
            await context.store.topics.save(topic)
        except TelegramError as error:
            log.warning("could not rename the topic of %s: %s", association.name, error)
    return topic


async def post_in_topic(
    context: KapstokContext,
    association: Association,
    send: Callable[[int | None], Awaitable[T]],
    *,
    new_topic: list[bool] | None = None,
) -> T:
    """Send into the association's topic; a topic closed or deleted by hand is reopened or
    made anew, and the message goes there."""
    topic = await association_topic(context, association)
    thread_id = topic.message_thread_id if topic else None
    try:
        return await send(thread_id)
    except BadRequest as error:
        reason = str(error).lower()
        if topic is None:
            raise
        if any(marker in reason for marker in _CLOSED):
            log.info("reopening the closed topic of %s", association.name)
            await context.bot.reopen_forum_topic(topic.chat_id, topic.message_thread_id)
            return await send(topic.message_thread_id)
        if any(marker in reason for marker in _DELETED):
            log.info("the topic of %s was deleted; making a new one", association.name)
            topic = await _create_topic(context, association)
            # The cards went with the old topic: each thread gets a new card when it next speaks.
            await context.store.threads.forget_cards(association.association_id)
            if new_topic is not None:
                new_topic.append(True)
            return await send(topic.message_thread_id)
        raise
