"""Conversation states and drafts kept in Kapstok's SQLite file, written with the update that
changed them.

python-telegram-bot hands changes to a persistence from `update_persistence()`, for every
update at once. This one keeps them in memory until the inbox writes those of one update
(`write_for`), inside that update's transaction; what belongs to no update (a conversation that
timed out) is written by `flush()`.
"""

from __future__ import annotations

import json
from collections.abc import Hashable

from telegram.ext import BasePersistence, PersistenceInput

from storage import Store

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
# Changes not written yet: ("user", user_id) -> data (None: drop), ("conversation", name, key)
# -> state.
Pending = dict[tuple, object]
NEVER = 365 * 24 * 3600.0


class StorePersistence(BasePersistence[dict, dict, dict]):
    """Keeps user_data (drafts) and conversation states; chat and bot data are not persisted."""

    def __init__(self, store: Store) -> None:
        # The application's own timer never writes: every update writes its own changes.
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=NEVER,
        )
        self._store = store
        self._pending: Pending = {}
        self._saved_user_data: dict[int, str] = {}

    async def get_user_data(self) -> dict[int, dict]:
        data = await self._store.conversations.user_data()
        self._saved_user_data = {user_id: json.dumps(value) for user_id, value in data.items()}
        return data

    async def update_user_data(self, user_id: int, data: dict) -> None:
        encoded = json.dumps(data)
        if self._saved_user_data.get(user_id, "{}") != encoded:
            self._pending[("user", user_id)] = json.loads(encoded)

    async def drop_user_data(self, user_id: int) -> None:
        self._pending[("user", user_id)] = None

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to do: only this process writes user_data."""

    async def get_conversations(self, name: str) -> ConversationDict:
        return await self._store.conversations.states(name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self._pending[("conversation", name, tuple(key))] = new_state

    def _belongs(self, change: tuple, ids: set[int]) -> bool:
        if change[0] == "user":
            return change[1] in ids
        return set(change[2]) <= ids

    async def write_for(self, keys: set[Hashable]) -> None:
        """Write the changes of the update with these keys (its user and chat)."""
        ids = {key[1] for key in keys if isinstance(key, tuple)}
        for change in [c for c in self._pending if self._belongs(c, ids)]:
            await self._write(change, self._pending.pop(change))

    async def flush(self) -> None:
        """Write whatever is still waiting (at shutdown, and now and then)."""
        while self._pending:
            change = next(iter(self._pending))
            await self._write(change, self._pending.pop(change))

    async def _write(self, change: tuple, value: object) -> None:
        conversations = self._store.conversations
        if change[0] == "user":
            user_id = change[1]
            if value:
                await conversations.save_user_data(user_id, value)
                self._saved_user_data[user_id] = json.dumps(value)
            else:
                await conversations.drop_user_data(user_id)
                self._saved_user_data.pop(user_id, None)
        else:
            _, name, key = change
            await conversations.save_state(name, key, value)

    # chat_data, bot_data and callback_data are not stored (see store_data above).

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def get_bot_data(self) -> dict:
        return {}

    async def update_bot_data(self, data: dict) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict) -> None:
        return None

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: object) -> None:
        return None
