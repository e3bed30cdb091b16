"""A conversation-first test client: people send texts and press buttons by their label."""

from __future__ import annotations

import html
import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import Application

from bot.application import build_application
from bot.config import Config
from bot.domain.pacing import Budget
from tests.fake_telegram import FakeTelegram

LIAISON_CHAT_ID = -1001234567890
# Tests of conversations do not wait for Telegram's limits (tests of pacing test those).
UNLIMITED = Budget(global_per_second=10**9, private_burst=10**9, group_per_window=10**9)
ADMIN_ID = 1


class FakeClock:
    """The store's clock, moved by tests (invite codes expire, wrong tries wear off)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Message:
    """A message the bot sent, as it looks now."""

    raw: dict

    @property
    def text(self) -> str:
        """Its text, or a photo's or a document's caption ('' without one)."""
        return self.raw.get("text", self.raw.get("caption", ""))

    @property
    def html(self) -> str:
        return self.raw["_html"]

    @property
    def buttons(self) -> list[str]:
        markup = self.raw.get("reply_markup") or {}
        return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]

    def callback_data(self, label: str) -> str | None:
        markup = self.raw.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return button["callback_data"]
        return None

    def __contains__(self, fragment: str) -> bool:
        return fragment in self.text


class Kapstok:
    """The real application, built by build_application, talking to the offline Bot API."""

    def __init__(
        self, tmp_path: Path, budget: Budget = UNLIMITED, drain: bool = True, **config_changes
    ) -> None:
        self.clock = FakeClock()
        self.telegram = FakeTelegram()
        self.errors: list[BaseException] = []
        self.config = Config(
            bot_token="123456789:TEST-token-abcdefghijklmnopqrstuvwxyz",
            liaison_chat_id=LIAISON_CHAT_ID,
            admin_ids=frozenset({ADMIN_ID}),
            database_path=tmp_path / "data" / "kapstok.sqlite3",
            default_language="nl",
            timezone=ZoneInfo("Europe/Brussels"),
            base_url="https://api.telegram.org/bot",
            base_file_url="https://api.telegram.org/file/bot",
        )
        if config_changes:
            self.config = Config(**{**self.config.__dict__, **config_changes})
        self.app: Application | None = None
        self.budget = budget
        # drain: the outbox sends after each update, on the test's clock; else it runs by
        # itself in the background, paced by `budget` in real time.
        self.drain = drain
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    async def start(self) -> Kapstok:
        self.app = await build_application(
            self.config,
            request=self.telegram,
            get_updates_request=self.telegram,
            clock=self.clock,
            budget=self.budget,
            send_in_background=not self.drain,
        )
        self.app.add_error_handler(self._record_error)
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.start()
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            await self.app.shutdown()
            await self.app.post_shutdown(self.app)
            self.app = None

    async def restart(self) -> None:
        """Stop the bot the way a restart does, and start a new one on the same database."""
        await self.stop()
        await self.start()

    async def _record_error(self, update: object, context) -> None:
        self.errors.append(context.error)

    async def process(self, data: dict) -> None:
        """Deliver an update the way Telegram does: into the inbox; then wait until it is
        handled."""
        data["update_id"] = next(self._update_ids)
        inbox = self.app.bot_data.inbox
        await inbox.accept([data])
        await inbox.drain()
        if self.drain:
            await self.drain_outbox()

    async def process_without_sending(self, data: dict) -> None:
        """Deliver an update and wait until it is handled, leaving the outbox alone."""
        data["update_id"] = next(self._update_ids)
        inbox = self.app.bot_data.inbox
        await inbox.accept([data])
        await inbox.drain()

    async def drain_outbox(self) -> None:
        """Let the outbox send what is due now (a test's clock does not move by itself)."""
        await self.app.bot_data.outbox.drain(timeout=10, later=False)

    async def pass_time(self, **delta: float) -> None:
        """Move the clock, then let the outbox send what became due."""
        self.clock.advance(**delta)
        await self.drain_outbox()

    def person(self, user_id: int, first_name: str, language: str | None = "nl", **more) -> Person:
        return Person(self, user_id, first_name, language, **more)

    def group(self) -> list[Message]:
        return [Message(m) for m in self.telegram.sent_to(LIAISON_CHAT_ID)]

    def topic_of(self, association_name: str) -> int:
        """The forum topic the bot made for an association (by its name)."""
        for topic_id, topic in self.telegram.topics.items():
            if topic["name"] == association_name and not topic["deleted"]:
                return topic_id
        raise AssertionError(f"no topic named {association_name!r}: {self.telegram.topics}")

    def in_topic(self, topic_id: int | None) -> list[Message]:
        return [Message(m) for m in self.telegram.in_topic(LIAISON_CHAT_ID, topic_id)]

    def job_context(self):
        """The context a scheduled job gets, to call a job's function directly."""
        from bot.context import KapstokContext

        return KapstokContext(self.app)

    async def run_job(self, job) -> object:
        """Run a job's function as its schedule would, then let the outbox send what it
        queued; return what the function returned."""
        result = await job(self.job_context())
        await self.drain_outbox()
        return result


@dataclass
class Person:
    """Someone using Telegram: a board member in their private chat, or a liaison officer."""

    bot: Kapstok
    user_id: int
    first_name: str
    language: str | None = "nl"
    last_name: str | None = None
    username: str | None = None
    alerts: list[str] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)

    @property
    def user(self) -> dict:
        user = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language:
            user["language_code"] = self.language
        return user

    # --- private chat ----------------------------------------------------------------------

    @property
    def inbox(self) -> list[Message]:
        return [Message(m) for m in self.bot.telegram.sent_to(self.user_id)]

    @property
    def last(self) -> Message:
        inbox = self.inbox
        assert inbox, f"the bot sent nothing to {self.first_name}"
        return inbox[-1]

    def command(self, text: str) -> dict:
        """A command in the private chat, as an update (for tests that deliver it themselves)."""
        message = self._message(self.bot.telegram.chat(self.user_id))
        message["text"] = text
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._remember(message)
        return {"message": message}

    async def send(self, text: str, *, reply_to: Message | None = None) -> list[Message]:
        """Write a text in the private chat; return what the bot sent back (new messages)."""
        return await self._send(self.bot.telegram.chat(self.user_id), text, reply_to)

    async def send_photo(
        self, caption: str | None = None, *, album: str | None = None, reply_to=None
    ) -> list[Message]:
        """Send a photo (a part of an album when `album` names its media group)."""
        media = {
            "photo": [
                {
                    "file_id": f"photo-{self.user_id}",
                    "file_unique_id": "p1",
                    "width": 90,
                    "height": 90,
                }
            ]
        }
        return await self._send_media(media, caption, album, reply_to)

    async def send_document(
        self, file_name: str, content: bytes, caption: str | None = None, *, in_group=False
    ) -> list[Message]:
        file_id = f"file-{self.user_id}-{len(self.bot.telegram.files)}"
        self.bot.telegram.files[f"documents/{file_id}"] = content
        media = {
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": file_name,
                "file_size": len(content),
            }
        }
        chat = LIAISON_CHAT_ID if in_group else self.user_id
        return await self._send_media(media, caption, None, None, chat_id=chat)

    async def send_voice(self, *, reply_to=None) -> list[Message]:
        media = {
            "voice": {"file_id": f"voice-{self.user_id}", "file_unique_id": "v1", "duration": 3}
        }
        return await self._send_media(media, None, None, reply_to)

    async def _send_media(self, media, caption, album, reply_to, chat_id=None) -> list[Message]:
        chat = self.bot.telegram.chat(chat_id or self.user_id)
        before = len(self.bot.telegram.messages)
        message = self._message(chat)
        message.update(media)
        if caption:
            message["caption"] = caption
        if album:
            message["media_group_id"] = album
        if reply_to is not None:
            message["reply_to_message"] = FakeTelegram.public(reply_to.raw)
        self._remember(message)
        await self.bot.process({"message": message})
        return self._new_messages(before, chat["id"])

    def _remember(self, message: dict) -> None:
        self.sent.append(message)
        self.bot.telegram.user_messages[(message["chat"]["id"], message["message_id"])] = message

    async def press(self, label: str, *, on: Message | None = None) -> list[Message]:
        """Press the button with this label on the newest message that has it."""
        return await self._press(self.user_id, label, on)

    # --- the liaison group -----------------------------------------------------------------

    async def send_in_group(
        self, text: str, *, reply_to: Message | None = None, topic: int | None = None
    ) -> list[Message]:
        """Write in the liaison group: as a reply, or plainly (in a topic when given)."""
        if topic is not None and reply_to is None:
            before = len(self.bot.telegram.messages)
            message = self._message(self.bot.telegram.chat(LIAISON_CHAT_ID))
            message.update(text=text, message_thread_id=topic, is_topic_message=True)
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            self._remember(message)
            await self.bot.process({"message": message})
            return self._new_messages(before, LIAISON_CHAT_ID)
        return await self._send(self.bot.telegram.chat(LIAISON_CHAT_ID), text, reply_to)

    async def press_in_group(self, label: str, *, on: Message | None = None) -> list[Message]:
        return await self._press(LIAISON_CHAT_ID, label, on)

    # --- the updates -----------------------------------------------------------------------

    def _message(self, chat: dict) -> dict:
        return {
            "message_id": next(self.bot._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user,
        }

    def _new_messages(self, before: int, chat_id: int) -> list[Message]:
        keys = list(self.bot.telegram.messages)[before:]
        return [Message(self.bot.telegram.messages[key]) for key in keys if key[0] == chat_id]

    async def _send(self, chat: dict, text: str, reply_to: Message | None) -> list[Message]:
        before = len(self.bot.telegram.messages)
        message = self._message(chat)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = FakeTelegram.public(reply_to.raw)
            if reply_to.raw.get("message_thread_id"):
                message["message_thread_id"] = reply_to.raw["message_thread_id"]
                message["is_topic_message"] = True
        self._remember(message)
        await self.bot.process({"message": message})
        return self._new_messages(before, chat["id"])

    async def edit_last(self, text: str) -> list[Message]:
        """Edit the last message this person sent (its text, or its caption)."""
        before = len(self.bot.telegram.messages)
        field = "text" if "text" in self.sent[-1] else "caption"
        edited = {**self.sent[-1], field: text, "edit_date": int(time.time())}
        self.sent[-1] = edited
        self._remember(edited)
        await self.bot.process({"edited_message": edited})
        return self._new_messages(before, edited["chat"]["id"])

    async def _press(self, chat_id: int, label: str, on: Message | None) -> list[Message]:
        candidates = (
            [on]
            if on is not None
            else [Message(m) for m in reversed(self.bot.telegram.sent_to(chat_id))]
        )
        for message in candidates:
            data = message.callback_data(label)
            if data is not None:
                break
        else:
            raise AssertionError(f"no button {label!r} in chat {chat_id}")
        before = len(self.bot.telegram.messages)
        calls_before = len(self.bot.telegram.calls)
        await self.bot.process(
            {
                "callback_query": {
                    "id": str(next(self.bot._query_ids)),
                    "from": self.user,
                    "chat_instance": f"chat-{chat_id}",
                    "data": data,
                    "message": FakeTelegram.public(message.raw),
                }
            }
        )
        for call in self.bot.telegram.calls[calls_before:]:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.alerts.append(call.params["text"])
        return self._new_messages(before, chat_id)

    async def press_data(self, data: str, *, on: Message, chat_id: int | None = None) -> None:
        """Send a callback with forged data, as a modified client could."""
        calls_before = len(self.bot.telegram.calls)
        await self.bot.process(
            {
                "callback_query": {
                    "id": str(next(self.bot._query_ids)),
                    "from": self.user,
                    "chat_instance": "forged",
                    "data": data,
                    "message": FakeTelegram.public(on.raw),
                }
            }
        )
        for call in self.bot.telegram.calls[calls_before:]:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.alerts.append(call.params["text"])


def say(language: str, msgid: str, **values) -> str:
    """What the bot says for this msgid in this language (plain text, placeholders filled)."""
    from bot import i18n
    from tests.fake_telegram import html_to_text

    with i18n.use_language(language):
        text = i18n._(msgid)
    escaped = {key: html.escape(str(value), quote=False) for key, value in values.items()}
    return html_to_text(text.format(**escaped) if values else text)


def label(language: str, msgid: str, context: str = "button") -> str:
    """A button's label in this language."""
    from bot import i18n

    with i18n.use_language(language):
        return i18n.pgettext(context, msgid)
