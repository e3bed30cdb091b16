"""An offline Bot API: answers the methods Kapstok uses, records every call, refuses the rest.

It checks what Telegram checks and a unit test would miss: HTML that does not parse, texts over
4,096 characters, callback data over 64 bytes, editing a message that does not exist.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "kapstok_test_bot"
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)(\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadRequest(Exception):
    """What Telegram would answer with 400."""


def html_to_text(markup: str) -> str:
    """Parse Telegram HTML like Telegram does; raise BadRequest where Telegram would refuse."""
    stack: list[str] = []
    position = 0
    plain = []
    for match in _TAG.finditer(markup):
        plain.append(markup[position : match.start()])
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            raise BadRequest(f'can\'t parse entities: unsupported start tag "{name}"')
        if closing:
            if not stack or stack.pop() != name:
                raise BadRequest(f'can\'t parse entities: unexpected end tag "{name}"')
        else:
            stack.append(name)
        position = match.end()
    plain.append(markup[position:])
    if stack:
        raise BadRequest(
            f"can't parse entities: can't find end tag corresponding to \"{stack[-1]}\""
        )
    text = "".join(plain)
    if "<" in text or ">" in text:
        raise BadRequest("can't parse entities: unescaped < or > in text")
    for ampersand in re.finditer("&", text):
        if not _ENTITY.match(text, ampersand.start()):
            raise BadRequest("can't parse entities: unescaped & in text")
    return html.unescape(text)


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeTelegram(BaseRequest):
    """The Bot API, offline. Chats with a negative id are supergroups, others private chats."""

    calls: list[Call] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    messages: dict[tuple[int, int], dict] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    forum: bool = True
    topics: dict[int, dict] = field(default_factory=dict)
    user_messages: dict[tuple[int, int], dict] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    uploads: list[dict] = field(default_factory=list)
    fail_next: dict[str, int] = field(default_factory=dict)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(5000))
    _topic_ids: itertools.count = field(default_factory=lambda: itertools.count(100))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            path = url.split("/file/bot", 1)[1].split("/", 1)[1]
            if path not in self.files:
                return self._error(404, "Not Found: file")
            return 200, self.files[path]
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            for name, value in (request_data.multipart_data or {}).items():
                content = value[1] if isinstance(value, tuple) else value
                self.uploads.append({"method": api_method, "field": name, "content": content})
        self.calls.append(Call(api_method, params))
        if self.fail_next.get(api_method):
            self.fail_next[api_method] -= 1
            return self._error(500, "Internal Server Error: the offline fake was told to fail")
        answer = getattr(self, f"api_{api_method}", None)
        if answer is None:
            self.unexpected.append(api_method)
            return self._error(400, f"Bad Request: the offline fake does not know {api_method}")
        try:
            result = answer(params)
        except BadRequest as error:
            return self._error(400, f"Bad Request: {error}")
        except PermissionError as error:
            return self._error(403, f"Forbidden: {error}")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    def _error(code: int, description: str) -> tuple[int, bytes]:
        return code, json.dumps(
            {"ok": False, "error_code": code, "description": description}
        ).encode()

    # --- the methods -----------------------------------------------------------------------

    def api_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Kapstok",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_setMyCommands(self, params: dict) -> bool:
        for command in params["commands"]:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise BadRequest("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise BadRequest("command description is too long or empty")
        return True

    def api_answerCallbackQuery(self, params: dict) -> bool:
        if len(params.get("text", "")) > 200:
            raise BadRequest("MESSAGE_TOO_LONG")
        return True

    def api_sendMessage(self, params: dict) -> dict:
        message = self._new_message(params)
        message["text"] = self._text(params)
        message["_html"] = params["text"]
        return self._store(message)

    def _new_message(self, params: dict) -> dict:
        """A message from the bot, checked for the chat, topic, keyboard and reply it names."""
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise PermissionError("bot was blocked by the user")
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": self.api_getMe({}),
        }
        thread_id = params.get("message_thread_id")
        if thread_id:
            topic = self.topics.get(int(thread_id))
            if chat_id > 0 or not self.forum or topic is None or topic["deleted"]:
                raise BadRequest("message thread not found")
            if topic["closed"]:
                raise BadRequest("TOPIC_CLOSED")
            message["message_thread_id"] = int(thread_id)
            message["is_topic_message"] = True
        markup = self._markup(params.get("reply_markup"))
        if markup:
            message["reply_markup"] = markup
        message["_reply_markup"] = params.get("reply_markup")
        reply = params.get("reply_parameters") or {}
        if reply.get("message_id"):
            replied = self.messages.get((chat_id, int(reply["message_id"])))
            replied = replied or self.user_messages.get((chat_id, int(reply["message_id"])))
            if replied is None and not reply.get("allow_sending_without_reply"):
                raise BadRequest("message to be replied not found")
            if replied is not None:
                message["reply_to_message"] = self.public(replied)
        return message

    def _store(self, message: dict) -> dict:
        self.messages[(message["chat"]["id"], message["message_id"])] = message
        return self.public(message)

    def api_copyMessage(self, params: dict) -> dict:
        source = self.user_messages.get((int(params["from_chat_id"]), int(params["message_id"])))
        source = source or self.messages.get(
            (int(params["from_chat_id"]), int(params["message_id"]))
        )
        if source is None:
            raise BadRequest("message to copy not found")
        message = self._new_message(params)
        for kind in ("text", "photo", "document", "voice", "video", "audio", "sticker"):
            if kind in source:
                message[kind] = source[kind]
        message["_html"] = html.escape(source.get("text", ""), quote=False)
        if "caption" in params:
            message["caption"] = (
                html_to_text(params["caption"])
                if params.get("parse_mode") == "HTML"
                else params["caption"]
            )
            message["_html"] = params["caption"]
            if len(message["caption"]) > 1024:
                raise BadRequest("message caption is too long")
        elif "caption" in source:
            message["caption"] = source["caption"]
            message["_html"] = html.escape(source["caption"], quote=False)
        self._store(message)
        return {"message_id": message["message_id"]}

    def api_editMessageCaption(self, params: dict) -> dict:
        message = self._stored(params)
        caption = params.get("caption", "")
        if params.get("parse_mode") == "HTML":
            caption = html_to_text(caption)
        if message.get("caption") == caption:
            raise BadRequest("message is not modified")
        message["caption"] = caption
        message["_html"] = params.get("caption", "")
        return self.public(message)

    def api_sendDocument(self, params: dict) -> dict:
        message = self._new_message(params)
        message["document"] = {
            "file_id": params.get("document")
            if isinstance(params.get("document"), str)
            else f"doc-{message['message_id']}",
            "file_unique_id": f"u-{message['message_id']}",
            "file_name": "upload",
        }
        self._caption(message, params)
        return self._store(message)

    def api_sendPhoto(self, params: dict) -> dict:
        message = self._new_message(params)
        file_id = params.get("photo")
        message["photo"] = [
            {
                "file_id": file_id
                if isinstance(file_id, str)
                else f"photo-{message['message_id']}",
                "file_unique_id": f"u-{message['message_id']}",
                "width": 800,
                "height": 450,
            }
        ]
        self._caption(message, params)
        return self._store(message)

    @staticmethod
    def _caption(message: dict, params: dict) -> None:
        """A caption as Telegram checks it: at most 1,024 characters once its HTML is read."""
        caption = params.get("caption") or ""
        text = html_to_text(caption) if params.get("parse_mode") == "HTML" else caption
        if len(text) > 1024:
            raise BadRequest("message caption is too long")
        if caption:
            message["caption"] = text
        message["_html"] = caption

    def api_getFile(self, params: dict) -> dict:
        file_id = params["file_id"]
        path = f"documents/{file_id}"
        if path not in self.files:
            raise BadRequest("wrong file_id or the file is temporarily unavailable")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self.files[path]),
            "file_path": path,
        }

    def api_getChat(self, params: dict) -> dict:
        chat = {
            **self.chat(int(params["chat_id"])),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat["type"] == "supergroup":
            chat["is_forum"] = self.forum
        return chat

    def api_createForumTopic(self, params: dict) -> dict:
        if not self.forum:
            raise BadRequest("the chat is not a forum")
        if not 1 <= len(params["name"]) <= 128:
            raise BadRequest("TOPIC_TITLE_INVALID")
        topic_id = next(self._topic_ids)
        self.topics[topic_id] = {"name": params["name"], "closed": False, "deleted": False}
        return {"message_thread_id": topic_id, "name": params["name"], "icon_color": 7322096}

    def api_editForumTopic(self, params: dict) -> bool:
        topic = self._topic(params)
        if "name" in params:
            topic["name"] = params["name"]
        return True

    def api_reopenForumTopic(self, params: dict) -> bool:
        topic = self._topic(params)
        if not topic["closed"]:
            raise BadRequest("TOPIC_NOT_MODIFIED")
        topic["closed"] = False
        return True

    def api_setMessageReaction(self, params: dict) -> bool:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.user_messages and key not in self.messages:
            raise BadRequest("message to react not found")
        return True

    def _topic(self, params: dict) -> dict:
        topic = self.topics.get(int(params["message_thread_id"]))
        if topic is None or topic["deleted"]:
            raise BadRequest("TOPIC_ID_INVALID")
        return topic

    def api_editMessageText(self, params: dict) -> dict:
        message = self._stored(params)
        if "text" not in message:  # a photo or a document: Telegram edits only a text
            raise BadRequest("there is no text in the message to edit")
        text = self._text(params)
        markup = self._markup(params.get("reply_markup"))
        if message["text"] == text and message.get("reply_markup") == markup:
            raise BadRequest(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        message["text"] = text
        message["_html"] = params["text"]
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return self.public(message)

    def api_editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._stored(params)
        markup = self._markup(params.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise BadRequest("message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return self.public(message)

    def api_deleteMessage(self, params: dict) -> bool:
        self._stored(params)
        del self.messages[(int(params["chat_id"]), int(params["message_id"]))]
        return True

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def chat(chat_id: int) -> dict:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": "Verenigingsloket"}
        return {"id": chat_id, "type": "private", "first_name": f"user {chat_id}"}

    @staticmethod
    def public(message: dict) -> dict:
        return {key: value for key, value in message.items() if not key.startswith("_")}

    def _stored(self, params: dict) -> dict:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if key not in self.messages:
            raise BadRequest("message to edit not found")
        return self.messages[key]

    @staticmethod
    def _text(params: dict) -> str:
        text = params["text"]
        if params.get("parse_mode") == "HTML":
            text = html_to_text(text)
        if not text.strip():
            raise BadRequest("message text is empty")
        if len(text) > 4096:
            raise BadRequest("message is too long")
        return text

    @staticmethod
    def _markup(markup: dict | None) -> dict | None:
        """Check an inline keyboard as Telegram would; other keyboards are not echoed back."""
        if not markup or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise BadRequest("BUTTON_TEXT_EMPTY")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise BadRequest("BUTTON_DATA_INVALID")
        return markup

    # --- what tests read -------------------------------------------------------------------

    def in_topic(self, chat_id: int, topic_id: int | None) -> list[dict]:
        """The bot's messages in one topic of a group (None: outside any topic)."""
        return [m for m in self.sent_to(chat_id) if m.get("message_thread_id") == topic_id]

    def sent_to(self, chat_id: int) -> list[dict]:
        """The bot's messages in a chat, oldest first, as they are now (after edits)."""
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]
