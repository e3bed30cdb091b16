"""The outbox rows of the threads: what a handler queues, named and shaped in one place."""

from __future__ import annotations

from datetime import datetime

from storage.outbox import NewRow

CARD = "thread_card"
RELAY_TO_GROUP = "relay_to_group"
CARD_REFRESH = "card_refresh"
TOPIC_NOTICE = "topic_notice"
RELAY_TO_MEMBER = "relay_to_member"
EDIT_COPY = "edit_copy"


def new_card_key(thread_id: int) -> str:
    return f"card:new:{thread_id}"


def refresh_key(thread_id: int) -> str:
    return f"card:{thread_id}"


def card(chat_id: int, thread_id: int) -> NewRow:
    return NewRow(chat_id, CARD, {"thread_id": thread_id}, coalesce_key=new_card_key(thread_id))


def relay_to_group(chat_id: int, message_id: int) -> NewRow:
    return NewRow(chat_id, RELAY_TO_GROUP, {"message_id": message_id})


def card_refresh(chat_id: int, thread_id: int, not_before: datetime | None = None) -> NewRow:
    return NewRow(
        chat_id,
        CARD_REFRESH,
        {"thread_id": thread_id},
        coalesce_key=refresh_key(thread_id),
        not_before=not_before,
        ordered=False,
    )


def topic_notice(chat_id: int, association_id: int, text: str) -> NewRow:
    return NewRow(chat_id, TOPIC_NOTICE, {"association_id": association_id, "text": text})


def relay_to_member(member_id: int, message_id: int) -> NewRow:
    return NewRow(member_id, RELAY_TO_MEMBER, {"message_id": message_id})


def edit_copy(chat_id: int, message_id: int, telegram_message_id: int, part: int, language: str):
    """An edit goes with the chat's messages, in order: the copy it edits was sent before."""
    return NewRow(
        chat_id,
        EDIT_COPY,
        {
            "message_id": message_id,
            "telegram_message_id": telegram_message_id,
            "part": part,
            "language": language,
        },
    )
