"""The forum topic of each association in the liaison group."""

from __future__ import annotations

from bot.domain.threads import Topic
from storage.database import Database, Row


def _topic(row: Row) -> Topic:
    return Topic(row["association_id"], row["chat_id"], row["message_thread_id"], row["name"])


class TopicRepository:
    """Topics are read for every relay into the group, and kept in memory here."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, Topic | None] = {}

    async def of_association(self, association_id: int) -> Topic | None:
        if association_id in self._cache:
            return self._cache[association_id]
        row = await self._db.fetchone(
            "SELECT association_id, chat_id, message_thread_id, name FROM association_topics"
            " WHERE association_id = ?",
            (association_id,),
        )
        topic = _topic(row) if row else None
        self._cache[association_id] = topic
        return topic

    async def save(self, topic: Topic) -> None:
        await self._db.write(
            "INSERT INTO association_topics (association_id, chat_id, message_thread_id, name)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (association_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, message_thread_id = excluded.message_thread_id,"
            " name = excluded.name",
            (topic.association_id, topic.chat_id, topic.message_thread_id, topic.name),
        )
        self._cache.pop(topic.association_id, None)
        self._db.on_rollback(lambda: self._cache.pop(topic.association_id, None))

    async def association_of(self, chat_id: int, message_thread_id: int) -> int | None:
        """Whose topic this is."""
        row = await self._db.fetchone(
            "SELECT association_id FROM association_topics"
            " WHERE chat_id = ? AND message_thread_id = ?",
            (chat_id, message_thread_id),
        )
        return row["association_id"] if row else None
