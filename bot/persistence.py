"""Conversation states and drafts kept in Kapstok's SQLite file, so a restart loses nothing."""

from __future__ import annotations

from telegram.ext import BasePersistence, PersistenceInput

from storage import Store

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]


class StorePersistence(BasePersistence[dict, dict, dict]):
    """Keeps user_data (drafts) and conversation states; chat and bot data are not persisted."""

    def __init__(self, store: Store, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._store = store

    async def get_user_data(self) -> dict[int, dict]:
        return await self._store.conversations.user_data()

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._store.conversations.save_user_data(user_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._store.conversations.drop_user_data(user_id)

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to do: only this process writes user_data."""

    async def get_conversations(self, name: str) -> ConversationDict:
        return await self._store.conversations.states(name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        await self._store.conversations.save_state(name, key, new_state)

    async def flush(self) -> None:
        """Nothing to do: every update is written at once."""

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
