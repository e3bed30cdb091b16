"""Albums: one message that arrives as several updates. The first item decides where the album
goes (a question being written, or a thread); the later items follow it there."""

from __future__ import annotations

import time
from dataclasses import asdict

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot.context import KapstokContext
from bot.domain.threads import Direction, belongs_to_board
from handlers.threads.relay import message_part, relay_in

ALBUM_MEMORY_SECONDS = 120


def remember_album(
    context: KapstokContext, media_group_id: str | None, user_id: int, **where
) -> None:
    """Remember where an album's first item went: `draft=KEY` (a conversation's draft in
    user_data) or `thread=N`."""
    if not media_group_id:
        return
    now = time.monotonic()
    albums = context.bot_data.media_groups
    for key in [k for k, v in albums.items() if now - v["at"] > ALBUM_MEMORY_SECONDS]:
        del albums[key]
    albums[media_group_id] = {"user": user_id, "at": now, **where}


class AlbumContinuation(filters.MessageFilter):
    """A later item of an album whose first item Kapstok already took."""

    def __init__(self, albums: dict[str, dict]) -> None:
        super().__init__(name="AlbumContinuation")
        self.albums = albums

    def filter(self, message: Message) -> bool:
        album = self.albums.get(message.media_group_id) if message.media_group_id else None
        return (
            album is not None
            and message.from_user is not None
            and album["user"] == message.from_user.id
        )


async def continue_album(update: Update, context: KapstokContext) -> None:
    """Add an album's later item where its first item went: the draft, or the thread."""
    message = update.message
    album = context.bot_data.media_groups[message.media_group_id]
    part = message_part(message)
    if part is None:
        return
    if album.get("draft"):
        draft = context.user_data.setdefault(album["draft"], {})
        draft.setdefault("parts", []).append(asdict(part))
        return
    profile = context.profile
    thread = await context.store.threads.thread(album["thread"])
    if thread is None or not belongs_to_board(thread, profile):
        return
    thread, added, _reopened = await context.store.threads.add_message(
        thread, Direction.IN, profile.user_id, profile.full_name, part
    )
    await relay_in(context, thread, [added])


def build_handlers(albums: dict[str, dict]) -> list:
    continuation = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & AlbumContinuation(albums)
    return [MessageHandler(continuation, continue_album)]
