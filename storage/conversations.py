"""Half-finished conversations: their states and drafts, so a restart loses nothing."""

from __future__ import annotations

import json

from storage.database import Database


class ConversationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def user_data(self) -> dict[int, dict]:
        rows = await self._db.fetchall("SELECT user_id, data FROM user_data")
        return {row["user_id"]: json.loads(row["data"]) for row in rows}

    async def save_user_data(self, user_id: int, data: dict) -> None:
        if data:
            await self._db.write(
                "INSERT INTO user_data (user_id, data) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                (user_id, json.dumps(data)),
            )
        else:
            await self.drop_user_data(user_id)

    async def drop_user_data(self, user_id: int) -> None:
        await self._db.write("DELETE FROM user_data WHERE user_id = ?", (user_id,))

    async def states(self, name: str) -> dict[tuple, object]:
        rows = await self._db.fetchall(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(row["key"])): json.loads(row["state"]) for row in rows}

    async def save_state(self, name: str, key: tuple, state: object | None) -> None:
        if state is None:
            await self._db.write(
                "DELETE FROM conversation_states WHERE name = ? AND key = ?",
                (name, json.dumps(list(key))),
            )
        else:
            await self._db.write(
                "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, json.dumps(list(key)), json.dumps(state)),
            )

    async def forget_person(self, user_id: int) -> None:
        """Their drafts, and every conversation they are in (in any chat): its key holds
        their user id."""
        await self.drop_user_data(user_id)
        await self._db.write(
            "DELETE FROM conversation_states WHERE EXISTS"
            " (SELECT 1 FROM json_each(conversation_states.key) WHERE value = ?)",
            (user_id,),
        )
