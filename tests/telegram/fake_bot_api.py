"""A local fake of the Telegram Bot API, served over real HTTP, for end-to-end tests.

The real python-telegram-bot (``telegram.Bot`` or a whole ``telegram.ext.Application``) is
pointed at it with ``base_url``/``base_file_url``. The fake decodes form, multipart and JSON
bodies as Telegram does, answers with Telegram's ``{"ok": ...}`` envelope and status codes,
validates what Telegram validates (HTML parse mode, message length, callback data, inline
results, command lists) with Telegram's error descriptions, and records every call. A test plays
the users: it injects messages, edits, button presses, inline queries and documents, which the
bot receives through ``getUpdates`` long polling.

Example, with the ``fake_telegram`` fixture from ``tests/telegram/conftest.py``::

    async def test_bot_answers_a_command(fake_telegram: FakeBotApi) -> None:
        application = (
            Application.builder()
            .token(fake_telegram.token)
            .base_url(fake_telegram.base_url)
            .base_file_url(fake_telegram.base_file_url)
            .build()
        )
        application.add_handler(CommandHandler("ask", ask))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0)
            chat = FakeChat.private(ALICE)
            fake_telegram.send_text(chat, ALICE, "/ask who said what about taxes")
            call = await fake_telegram.wait_for_call("sendMessage")
            assert call.params["parse_mode"] == "HTML"  # what the bot sent
            assert "taxes" in fake_telegram.sent_messages(chat)[-1].text  # what Telegram shows
            await application.updater.stop()
            await application.stop()

Outside pytest, ``async with FakeBotApi() as fake:`` starts and stops it the same way, and
``fake.make_bot()`` gives a plain ``telegram.Bot`` for it. ``FakeBotApi``'s docstring lists what
a test can do.

Faithful to Telegram, so that tests catch what production would: groups deliver only what a
bot in privacy mode sees (commands, mentions of the bot, replies to it) unless the bot is
configured with ``can_read_all_group_messages=True``; message text is trimmed and measured in
UTF-16 code units after entity parsing; editing without ``reply_markup`` removes the keyboard;
a newer ``getUpdates`` ends an older pending one with 409 Conflict.

Deliberate differences: a bare ``&`` in HTML is rejected (the Bot API documentation demands
``&amp;``; Telegram itself tolerates it), Markdown parse modes are accepted without validation,
and only the methods listed by ``FakeBotApi.methods`` exist; any other answers 404 "Not Found",
which python-telegram-bot reports as ``InvalidToken`` (look at ``calls()`` to see which).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import telegram
from aiohttp import web

JSONDict = dict[str, Any]
T = TypeVar("T")

_LOGGER = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:AAFakeTokenForEndToEndTests_0123456789"

# Telegram's limits, as documented in the Bot API.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_KEYBOARD_BUTTONS = 100
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION_LENGTH = 256
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPDATES_PER_POLL = 100

# Error descriptions that more than one method shares.
CHAT_NOT_FOUND = "Bad Request: chat not found"
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class BotApiError(Exception):
    """A Telegram error answer: HTTP status = error_code, plus description and parameters."""

    def __init__(
        self, error_code: int, description: str, parameters: JSONDict | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        envelope: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            envelope["parameters"] = self.parameters
        return envelope


# --------------------------------------------------------------------------------------------
# The people and chats a test plays.


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user as the bot sees it."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_json(self) -> JSONDict:
        return _without_none(
            {
                "id": self.id,
                "is_bot": self.is_bot,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": self.language_code,
            }
        )


@dataclass(frozen=True)
class FakeBot:
    """The bot's own account, as getMe describes it."""

    id: int = 7_000_000_001
    first_name: str = "Who Said What"
    username: str = "whosaidbot"
    can_join_groups: bool = True
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = True

    @property
    def user(self) -> FakeUser:
        return FakeUser(
            self.id, self.first_name, username=self.username, language_code=None, is_bot=True
        )

    def to_json(self) -> JSONDict:
        return {
            **self.user.to_json(),
            "can_join_groups": self.can_join_groups,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }


ChatType = Literal["private", "group", "supergroup", "channel"]


@dataclass(frozen=True)
class FakeChat:
    """A chat; build one with ``private(user)``, ``group(id, title)`` or ``supergroup(...)``."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    @classmethod
    def private(cls, user: FakeUser) -> FakeChat:
        """The private chat between the bot and ``user``; its id is the user's id."""
        return cls(
            user.id,
            "private",
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
        )

    @classmethod
    def group(cls, id: int, title: str) -> FakeChat:
        """A basic group; Telegram gives these negative ids such as -4_000_000_001."""
        return cls(id, "group", title=title)

    @classmethod
    def supergroup(cls, id: int, title: str, username: str | None = None) -> FakeChat:
        """A supergroup; Telegram gives these ids such as -1_001_234_567_890."""
        return cls(id, "supergroup", title=title, username=username)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_json(self) -> JSONDict:
        return _without_none(
            {
                "id": self.id,
                "type": self.type,
                "title": self.title,
                "username": self.username,
                "first_name": self.first_name,
                "last_name": self.last_name,
            }
        )


ALICE = FakeUser(1001, "Alice", username="alice_w")
BOB = FakeUser(1002, "Bob", username="bob_r", language_code="de")


# --------------------------------------------------------------------------------------------
# What the fake stores and records.


@dataclass(frozen=True)
class StoredFile:
    """A file the bot can fetch with getFile and download from the file route."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.content)

    def to_file_json(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def to_document_json(self) -> JSONDict:
        return _without_none(
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_name": self.file_name,
                "mime_type": self.mime_type,
                "file_size": self.file_size,
            }
        )


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request, as it appears in recorded params."""

    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(eq=False)
class StoredMessage:
    """A message in a chat, sent by a user (injected) or by the bot; edits update it in place.

    ``text``/``caption`` hold what Telegram shows (HTML already parsed, trimmed), ``entities``
    the formatting it derived; ``raw_text`` is exactly what the bot sent with ``parse_mode``.
    """

    chat: FakeChat
    message_id: int
    sender: FakeUser
    date: int
    text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSONDict] = field(default_factory=list)
    document: StoredFile | None = None
    reply_markup: JSONDict | None = None
    reply_to: StoredMessage | None = None
    edit_date: int | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    deleted: bool = False

    @property
    def outgoing(self) -> bool:
        """Whether the bot sent this message."""
        return self.sender.is_bot

    def buttons(self) -> list[JSONDict]:
        """The inline keyboard's buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def callback_data(self) -> list[str]:
        """The callback_data of every inline button, in keyboard order."""
        return [button["callback_data"] for button in self.buttons() if "callback_data" in button]

    def to_json(self, *, with_reply: bool = True) -> JSONDict:
        message: JSONDict = {
            "message_id": self.message_id,
            "from": self.sender.to_json(),
            "chat": self.chat.to_json(),
            "date": self.date,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_to is not None and with_reply:
            message["reply_to_message"] = self.reply_to.to_json(with_reply=False)
        if self.text is not None:
            message["text"] = self.text
        if self.entities:
            message["entities"] = [dict(entity) for entity in self.entities]
        if self.document is not None:
            message["document"] = self.document.to_document_json()
        if self.caption is not None:
            message["caption"] = self.caption
        if self.caption_entities:
            message["caption_entities"] = [dict(entity) for entity in self.caption_entities]
        if self.reply_markup is not None:
            message["reply_markup"] = self.reply_markup
        return message


@dataclass(eq=False)
class RecordedCall:
    """One Bot API request: its method, decoded params and, once answered, its outcome.

    ``status`` is the HTTP status (200 on success); it is None only while a getUpdates long
    poll is still waiting.
    """

    index: int
    method: str
    params: JSONDict
    at: float
    status: int | None = None
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(eq=False)
class _CallWaiter:
    method: str
    predicate: Callable[[RecordedCall], bool] | None
    future: asyncio.Future[RecordedCall]


# --------------------------------------------------------------------------------------------
# Decoding requests: python-telegram-bot sends strings as they are and every other value
# JSON-encoded, so which form fields to decode, and into what, is a per-parameter table.

ParameterKind = Literal["json", "int", "float", "bool", "chat_id"]

_JSON_PARAMETERS = """
    reply_markup results commands scope link_preview_options reply_parameters entities
    caption_entities allowed_updates media button menu_button rights reaction permissions
"""
_INT_PARAMETERS = """
    message_id offset limit user_id reply_to_message_id message_thread_id from_chat_id
    cache_time max_connections
"""
_BOOL_PARAMETERS = """
    disable_notification protect_content allow_paid_broadcast show_alert is_personal
    drop_pending_updates disable_web_page_preview allow_sending_without_reply
    disable_content_type_detection has_spoiler revoke
"""
_PARAMETER_KINDS: dict[str, ParameterKind] = {
    **dict.fromkeys(_JSON_PARAMETERS.split(), "json"),
    **dict.fromkeys(_INT_PARAMETERS.split(), "int"),
    **dict.fromkeys(_BOOL_PARAMETERS.split(), "bool"),
    "timeout": "float",
    "chat_id": "chat_id",
}


async def _read_parameters(request: web.Request) -> JSONDict:
    """The request's parameters from its query string and its body, decoded."""
    raw: JSONDict = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise BotApiError(400, "Bad Request: can't parse JSON request body") from error
        if not isinstance(body, dict):
            raise BotApiError(400, "Bad Request: the JSON request body must be an object")
        raw.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                raw[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                raw[name] = value
    params = {name: _decode_parameter(name, value) for name, value in raw.items()}
    for name, value in params.items():
        if isinstance(value, str) and value.startswith("attach://"):
            params[name] = raw.get(value.removeprefix("attach://"), value)
    return params


def _decode_parameter(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    kind = _PARAMETER_KINDS.get(name)
    try:
        if kind == "json":
            return json.loads(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError as error:
        raise BotApiError(400, f"Bad Request: can't parse parameter {name!r}") from error
    if kind == "bool":
        if value.lower() not in ("true", "false", "1", "0"):
            raise BotApiError(400, f"Bad Request: can't parse parameter {name!r} as a boolean")
        return value.lower() in ("true", "1")
    if kind == "chat_id" and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


class _Params:
    """Typed access to a request's decoded parameters, failing the way Telegram does."""

    def __init__(self, values: JSONDict) -> None:
        self.values = values

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        return str(value) if isinstance(value, int | float) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise BotApiError(400, f"Bad Request: parameter {name!r} must be an integer")

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or isinstance(value, int | float):
            return value
        raise BotApiError(400, f"Bad Request: parameter {name!r} must be a number")

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name, False))


def _required(value: T | None, name: str) -> T:
    if value is None or value == "":
        raise BotApiError(400, f"Bad Request: parameter {name!r} is required")
    return value


# --------------------------------------------------------------------------------------------
# Text: Telegram's HTML parse mode, automatic entities in what users type, trimming, length.

_TAG_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_CHARACTER_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_MARKUP_START = re.compile(r"[<&]")
_TAG_NAME = re.compile(r"[A-Za-z0-9-]*")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_-]+")
_UNQUOTED_VALUE = re.compile(r"[^\s>\"']+")
_WHITESPACE = re.compile(r"\s*")
_CHARACTER_ENTITY = re.compile(
    r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]*));"
)


def _match_at(pattern: re.Pattern[str], text: str, position: int) -> str:
    match = pattern.match(text, position)
    return match.group() if match else ""


def _utf16_length(text: str) -> int:
    """Length in UTF-16 code units: Telegram's unit for entity offsets and text limits."""
    return len(text.encode("utf-16-le")) // 2


def _utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def _parse_error(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: can't parse entities: {detail}")


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int
    order: int
    language: str | None = None


class _HtmlParser:
    """Telegram's HTML parse mode: the plain text it shows and the entities it derives."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.position = 0
        self.parts: list[str] = []
        self.length = 0
        self.open_tags: list[_OpenTag] = []
        self.entities: list[tuple[int, JSONDict]] = []  # with the order their tags opened
        self.tags_opened = 0

    def parse(self) -> tuple[str, list[JSONDict]]:
        while self.position < len(self.source):
            char = self.source[self.position]
            if char == "<":
                self._tag()
            elif char == "&":
                decoded, self.position = self._character_entity_at(self.position)
                self._append(decoded)
            else:
                special = _MARKUP_START.search(self.source, self.position)
                stop = special.start() if special else len(self.source)
                self._append(self.source[self.position : stop])
                self.position = stop
        if self.open_tags:
            name = self.open_tags[-1].name
            raise _parse_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        # Telegram's order: by offset, the longer first, the outer first when they coincide.
        self.entities.sort(key=lambda item: (item[1]["offset"], -item[1]["length"], item[0]))
        return "".join(self.parts), [entity for _, entity in self.entities]

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += _utf16_length(text)

    def _byte_offset(self, position: int) -> int:
        return len(self.source[:position].encode())

    def _tag(self) -> None:
        start = self.position
        if self.source.startswith("</", start):
            self._end_tag(start)
            return
        name = _match_at(_TAG_NAME, self.source, start + 1).lower()
        if name not in _TAG_ENTITY_TYPES:
            raise _parse_error(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(start)}'
            )
        self.position = start + 1 + len(name)
        attributes = self._attributes(start)
        self._check_required_attributes(name, attributes, start)
        self.open_tags.append(_OpenTag(name, attributes, self.length, self.tags_opened))
        self.tags_opened += 1

    def _attributes(self, tag_start: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        while True:
            self._skip_whitespace()
            if self.position >= len(self.source):
                raise _parse_error(
                    f"Unclosed start tag at byte offset {self._byte_offset(tag_start)}"
                )
            if self.source[self.position] == ">":
                self.position += 1
                return attributes
            name = _match_at(_ATTRIBUTE_NAME, self.source, self.position)
            if not name:
                raise _parse_error(
                    f"Expected an attribute name at byte offset {self._byte_offset(self.position)}"
                )
            self.position += len(name)
            self._skip_whitespace()
            value = ""
            if self.source.startswith("=", self.position):
                self.position += 1
                self._skip_whitespace()
                value = self._attribute_value(tag_start)
            attributes[name.lower()] = value

    def _attribute_value(self, tag_start: int) -> str:
        quote = self.source[self.position : self.position + 1]
        if quote in ('"', "'"):
            end = self.source.find(quote, self.position + 1)
            if end == -1:
                raise _parse_error(
                    f"Unclosed start tag at byte offset {self._byte_offset(tag_start)}"
                )
            value = self._decoded(self.position + 1, end)
            self.position = end + 1
            return value
        raw = _match_at(_UNQUOTED_VALUE, self.source, self.position)
        value = self._decoded(self.position, self.position + len(raw))
        self.position += len(raw)
        return value

    def _skip_whitespace(self) -> None:
        self.position += len(_match_at(_WHITESPACE, self.source, self.position))

    def _decoded(self, start: int, stop: int) -> str:
        parts: list[str] = []
        position = start
        while position < stop:
            ampersand = self.source.find("&", position, stop)
            if ampersand == -1:
                parts.append(self.source[position:stop])
                break
            parts.append(self.source[position:ampersand])
            decoded, position = self._character_entity_at(ampersand)
            parts.append(decoded)
        return "".join(parts)

    def _character_entity_at(self, position: int) -> tuple[str, int]:
        match = _CHARACTER_ENTITY.match(self.source, position)
        offset = self._byte_offset(position)
        if match is None:
            raise _parse_error(f'Character "&" at byte offset {offset} must be escaped as "&amp;"')
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED_CHARACTER_ENTITIES:
                raise _parse_error(f'Unsupported HTML entity "&{name};" at byte offset {offset}')
            return _NAMED_CHARACTER_ENTITIES[name], match.end()
        code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not 0 < code_point <= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
            raise _parse_error(f"Invalid numeric HTML entity at byte offset {offset}")
        return chr(code_point), match.end()

    def _check_required_attributes(self, name: str, attributes: dict[str, str], start: int) -> None:
        offset = self._byte_offset(start)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise _parse_error(
                f'Tag "tg-emoji" must have a numeric attribute "emoji-id" at byte offset {offset}'
            )

    def _end_tag(self, start: int) -> None:
        offset = self._byte_offset(start)
        name = _match_at(_TAG_NAME, self.source, start + 2).lower()
        self.position = start + 2 + len(name)
        self._skip_whitespace()
        if not self.source.startswith(">", self.position):
            raise _parse_error(f"Unclosed end tag at byte offset {offset}")
        self.position += 1
        if not self.open_tags:
            raise _parse_error(f"Unexpected end tag at byte offset {offset}")
        tag = self.open_tags[-1]
        if tag.name != name:
            raise _parse_error(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
                f'found "</{name}>"'
            )
        self.open_tags.pop()
        entity = self._entity_for(tag)
        length = self.length - tag.start
        if entity is not None and length > 0:
            self.entities.append((tag.order, {"offset": tag.start, "length": length, **entity}))

    def _entity_for(self, tag: _OpenTag) -> JSONDict | None:
        """The entity a closed tag makes, without offset and length; None if it makes none."""
        parent = self.open_tags[-1] if self.open_tags else None
        if tag.name == "code" and parent is not None and parent.name == "pre":
            # <pre><code class="language-x"> is one pre entity that carries the language.
            language = tag.attributes.get("class", "")
            if language.startswith("language-"):
                parent.language = language.removeprefix("language-")
            return None
        if tag.name == "a":
            href = tag.attributes.get("href")
            return {"type": "text_link", "url": href} if href else None
        if tag.name == "pre" and tag.language:
            return {"type": "pre", "language": tag.language}
        if tag.name == "blockquote" and "expandable" in tag.attributes:
            return {"type": "expandable_blockquote"}
        if tag.name == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": tag.attributes["emoji-id"]}
        return {"type": _TAG_ENTITY_TYPES[tag.name]}


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """The plain text and entities Telegram derives from ``source`` in HTML parse mode.

    Raises BotApiError(400, "Bad Request: can't parse entities: ...") as Telegram would.
    """
    return _HtmlParser(source).parse()


# What Telegram recognises by itself in text users type, in the order that wins overlaps.
_AUTOMATIC_ENTITY_PATTERNS = (
    ("url", re.compile(r"(?<![\w@/])https?://[^\s<>\"]*[^\s<>\".,;:!?)\]']")),
    (
        "bot_command",
        re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])"),
    ),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}(?![\w@])")),
)


def automatic_entities(text: str) -> list[JSONDict]:
    """The url, bot_command and mention entities Telegram attaches to a user's text."""
    found: list[tuple[int, int, str]] = []
    for entity_type, pattern in _AUTOMATIC_ENTITY_PATTERNS:
        for match in pattern.finditer(text):
            overlaps = any(match.start() < end and start < match.end() for start, end, _ in found)
            if not overlaps:
                found.append((match.start(), match.end(), entity_type))
    return [
        {
            "offset": _utf16_length(text[:start]),
            "length": _utf16_length(text[start:end]),
            "type": entity_type,
        }
        for start, end, entity_type in sorted(found)
    ]


def _checked_entities(entities: Any) -> list[JSONDict]:
    if entities is None:
        return []
    valid = isinstance(entities, list) and all(
        isinstance(entity, dict)
        and isinstance(entity.get("offset"), int)
        and isinstance(entity.get("length"), int)
        and isinstance(entity.get("type"), str)
        for entity in entities
    )
    if not valid:
        raise BotApiError(400, "Bad Request: can't parse entities JSON object")
    return list(entities)


def _trimmed(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Telegram drops whitespace around a message and shifts the entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = _utf16_length(text[: len(text) - len(text.lstrip())])
    end = _utf16_length(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def _formatted(
    text: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, list[JSONDict]]:
    """What Telegram shows for ``text`` sent with ``parse_mode`` or explicit ``entities``."""
    source = text or ""
    mode = (parse_mode or "").lower()
    if entities is not None or not mode:
        return _trimmed(source, _checked_entities(entities))
    if mode == "html":
        return _trimmed(*parse_html(source))
    if mode in ("markdown", "markdownv2"):
        return _trimmed(source, [])
    raise BotApiError(400, "Bad Request: unsupported parse_mode")


def _message_text(
    text: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, list[JSONDict]]:
    plain, found = _formatted(text, parse_mode, entities)
    if not plain:
        raise BotApiError(400, "Bad Request: message text is empty")
    if _utf16_length(plain) > MAX_TEXT_LENGTH:
        raise BotApiError(400, "Bad Request: message is too long")
    return plain, found


def _caption(
    caption: str | None, parse_mode: str | None, entities: Any
) -> tuple[str | None, list[JSONDict]]:
    plain, found = _formatted(caption, parse_mode, entities)
    if _utf16_length(plain) > MAX_CAPTION_LENGTH:
        raise BotApiError(400, "Bad Request: message caption is too long")
    return (plain or None), found


# --------------------------------------------------------------------------------------------
# Keyboards, inline results and commands, checked as Telegram checks them.

_BUTTON_ACTIONS = """
    url callback_data switch_inline_query switch_inline_query_current_chat
    switch_inline_query_chosen_chat copy_text web_app login_url callback_game pay
""".split()
_BUTTON_URL = re.compile(r"(https?|tg)://\S+")
_INLINE_RESULT_TYPES = frozenset(
    """
    article audio contact document game gif location mpeg4_gif photo sticker venue video voice
    """.split()
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"([a-z]{2})?")
_SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
_CHAT_ACTIONS = frozenset(
    """
    typing upload_photo record_video upload_video record_voice upload_voice upload_document
    choose_sticker find_location record_video_note upload_video_note
    """.split()
)


def _inline_markup(markup: Any) -> JSONDict | None:
    """Validate any reply_markup; return it if it is an inline keyboard (messages echo those)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise BotApiError(400, "Bad Request: can't parse inline keyboard markup JSON object")
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_KEYBOARD_BUTTONS:
        raise BotApiError(400, "Bad Request: reply markup is too long")
    for button in buttons:
        _check_inline_button(button)
    return markup


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise BotApiError(
            400, 'Bad Request: can\'t parse inline keyboard button: Field "text" must be a String'
        )
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise BotApiError(
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _BUTTON_URL.fullmatch(url):
            raise BotApiError(400, f"Bad Request: inline keyboard button URL '{url}' is invalid")


def _check_inline_results(results: Any) -> None:
    if not isinstance(results, list):
        raise BotApiError(400, "Bad Request: can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise BotApiError(400, "Bad Request: RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict) or result.get("type") not in _INLINE_RESULT_TYPES:
            raise BotApiError(400, "Bad Request: RESULT_TYPE_INVALID")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not (
            1 <= len(result_id.encode()) <= MAX_INLINE_RESULT_ID_BYTES
        ):
            raise BotApiError(400, "Bad Request: RESULT_ID_INVALID")
        if result_id in seen:
            raise BotApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        seen.add(result_id)
        _check_inline_result_content(result)
        _inline_markup(result.get("reply_markup"))


def _check_inline_result_content(result: JSONDict) -> None:
    if result["type"] == "article" and not result.get("title"):
        raise BotApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
    content = result.get("input_message_content")
    if result["type"] == "article" and not isinstance(content, dict):
        raise BotApiError(400, "Bad Request: can't parse input message content")
    if isinstance(content, dict) and "message_text" in content:
        _message_text(content["message_text"], content.get("parse_mode"), content.get("entities"))


def _checked_commands(commands: Any) -> list[JSONDict]:
    if not isinstance(commands, list) or not all(isinstance(item, dict) for item in commands):
        raise BotApiError(400, "Bad Request: can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise BotApiError(400, "Bad Request: too many commands specified")
    checked = []
    for command in commands:
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
            raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not (
            1 <= len(description.strip()) <= MAX_COMMAND_DESCRIPTION_LENGTH
        ):
            raise BotApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    return checked


def _scope_key(scope: Any, language_code: str | None) -> tuple[str, ...]:
    """Commands are stored per (scope type, its chat/user ids, language code)."""
    scope = {"type": "default"} if scope is None else scope
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_FIELDS:
        raise BotApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
    values = []
    for name in _SCOPE_FIELDS[scope["type"]]:
        if scope.get(name) in (None, ""):
            raise BotApiError(400, f"Bad Request: {name} is empty")
        values.append(str(scope[name]))
    language = language_code or ""
    if not _LANGUAGE_CODE.fullmatch(language):
        raise BotApiError(400, "Bad Request: invalid language code specified")
    return (scope["type"], *values, language)


def _update_kind(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


def _without_none(values: JSONDict) -> JSONDict:
    return {key: value for key, value in values.items() if value is not None}


def _json_response(envelope: JSONDict, status: int = 200) -> web.Response:
    return web.json_response(envelope, status=status)


# --------------------------------------------------------------------------------------------
# The server.

Handler = Callable[[_Params], Awaitable[Any]]


class FakeBotApi:
    """A fake Telegram Bot API server on 127.0.0.1 and a random free port.

    Lifecycle: ``await start()`` / ``await stop()``, or ``async with FakeBotApi() as fake``.
    Point a bot at it with ``make_bot()`` or ``token``, ``base_url`` and ``base_file_url``.

    Play the users (each returns at once; the bot gets the update on its next getUpdates):
    ``send_text``, ``edit_text``, ``send_document``, ``press_button``, ``inline_query``,
    ``expire_queries``; ``add_chat`` lets the bot write to a chat nobody has written in yet.

    Observe the bot: ``calls(method)``, ``await wait_for_call(method, predicate)``,
    ``sent_messages(chat)``, ``messages(chat)``, ``commands(scope)``, ``webhook``,
    ``pending_updates``, ``await wait_until_updates_confirmed()``.

    Make Telegram misbehave: ``fail_next(method, retry_after=1)`` or
    ``fail_next(method, error_code=403, description="Forbidden: bot was blocked by the user")``.
    """

    def __init__(self, token: str = DEFAULT_TOKEN, me: FakeBot | None = None) -> None:
        self.token = token
        self.me = me or FakeBot()
        self.server_errors: list[Exception] = []
        self._calls: list[RecordedCall] = []
        self._waiters: list[_CallWaiter] = []
        self._failures: dict[str, deque[BotApiError]] = {}
        self._chats: dict[int, FakeChat] = {}
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._message_log: list[StoredMessage] = []
        self._last_message_id: dict[int, int] = {}
        self._updates: list[JSONDict] = []
        self._last_update_id = 100_000
        self._confirmed_offset = 0
        self._poll_wakeup = asyncio.Event()
        self._poll_generation = 0
        self._query_ids = itertools.count(4_382_000_000_000_000_001)
        self._open_callback_queries: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self._file_numbers = itertools.count(1)
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._commands: dict[tuple[str, ...], list[JSONDict]] = {}
        self._webhook: JSONDict | None = None
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._log_out,
            "close": self._close,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document,
            "getFile": self._get_file,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
        }
        # Telegram matches method names without regard to letter case.
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    @property
    def methods(self) -> list[str]:
        """The Bot API methods the fake implements; any other answers 404 "Not Found"."""
        return [name for name, _ in self._methods.values()]

    # ---- lifecycle and addresses -----------------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None or self._closing:
            raise RuntimeError("a fake Bot API server starts once; make a new one")
        app = web.Application(client_max_size=2 * MAX_DOWNLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_download)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        """Wake pending long polls (they answer with no updates) and close the server."""
        self._closing = True
        self._poll_wakeup.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("start() the fake Bot API server first")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)`` and ``ApplicationBuilder().base_url(...)``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)`` and ``ApplicationBuilder().base_file_url(...)``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def make_bot(self, token: str | None = None) -> telegram.Bot:
        """A real ``telegram.Bot`` talking to this server; use it as ``async with bot:``."""
        return telegram.Bot(
            token or self.token, base_url=self.base_url, base_file_url=self.base_file_url
        )

    # ---- recording ---------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Every recorded call in arrival order, or those of one method (any letter case)."""
        if method is None:
            return list(self._calls)
        wanted = self._canonical(method)
        return [call for call in self._calls if call.method == wanted]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        timeout: float = 5.0,
        since: int | None = None,
    ) -> RecordedCall:
        """The first call of ``method`` matching ``predicate`` recorded at index >= ``since``.

        ``since`` defaults to now, so only calls made after this one count; pass
        ``since=len(fake.calls())`` taken earlier (or 0) to accept calls already recorded. The
        predicate sees the call on arrival; its outcome is filled in by the time this returns,
        except for a getUpdates long poll that is still waiting. Raises TimeoutError.
        """
        wanted = self._canonical(method)
        start = len(self._calls) if since is None else since
        for call in self._calls[start:]:
            if call.method == wanted and (predicate is None or predicate(call)):
                return call
        waiter = _CallWaiter(wanted, predicate, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError:
            made = ", ".join(call.method for call in self._calls[start:]) or "none"
            raise TimeoutError(
                f"no matching {wanted} call within {timeout} s; calls meanwhile: {made}"
            ) from None
        finally:
            self._waiters.remove(waiter)

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        retry_after: int | None = None,
        error_code: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        With ``retry_after`` (whole seconds, at least 1) they get Telegram's flood-control 429,
        which python-telegram-bot raises as ``RetryAfter``; otherwise they get ``error_code``
        with ``description``, e.g. ``403, "Forbidden: bot was blocked by the user"``.
        """
        if retry_after is not None:
            if retry_after < 1:
                raise ValueError("retry_after must be at least 1: Telegram never sends 0")
            error = BotApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        elif error_code is not None and description is not None:
            error = BotApiError(error_code, description)
        else:
            raise ValueError("give retry_after, or both error_code and description")
        queue = self._failures.setdefault(self._canonical(method), deque())
        queue.extend([error] * times)

    def sent_messages(self, chat: FakeChat | int | None = None) -> list[StoredMessage]:
        """The bot's messages in sending order (current state, deleted ones flagged)."""
        return [message for message in self.messages(chat) if message.outgoing]

    def messages(self, chat: FakeChat | int | None = None) -> list[StoredMessage]:
        """Every message, injected or sent by the bot, in order; optionally of one chat."""
        chat_id = chat.id if isinstance(chat, FakeChat) else chat
        return [m for m in self._message_log if chat_id is None or m.chat.id == chat_id]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The commands set for a scope such as ``{"type": "all_group_chats"}`` (or default)."""
        return list(self._commands.get(_scope_key(scope, language_code), []))

    @property
    def webhook(self) -> JSONDict | None:
        """The parameters of the last setWebhook, or None when no webhook is set."""
        return self._webhook

    # ---- playing the users ---------------------------------------------------------------------

    def add_chat(self, chat: FakeChat) -> FakeChat:
        """Make a chat known, so the bot can send to it before anyone has written there."""
        self._chats[chat.id] = chat
        return chat

    def send_text(
        self,
        chat: FakeChat,
        user: FakeUser,
        text: str,
        *,
        reply_to: StoredMessage | None = None,
        entities: Sequence[JSONDict] | None = None,
    ) -> StoredMessage:
        """``user`` writes ``text`` in ``chat``; queues a ``message`` update if the bot sees it.

        Entities default to what Telegram detects (bot_command, mention, url); pass ``[]`` for
        none. In groups, privacy mode applies: see the module docstring.
        """
        found = automatic_entities(text) if entities is None else list(entities)
        message = self._store_message(chat, user, reply_to=reply_to, text=text, entities=found)
        self._deliver("message", message)
        return message

    def edit_text(
        self, message: StoredMessage, new_text: str, *, entities: Sequence[JSONDict] | None = None
    ) -> StoredMessage:
        """The user who wrote ``message`` edits it; queues an ``edited_message`` update."""
        if message.outgoing:
            raise ValueError("edit_text plays a user; the bot edits with editMessageText")
        message.text = new_text
        message.entities = automatic_entities(new_text) if entities is None else list(entities)
        message.edit_date = int(time.time())
        self._deliver("edited_message", message)
        return message

    def send_document(
        self,
        chat: FakeChat,
        user: FakeUser,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
        reply_to: StoredMessage | None = None,
    ) -> StoredMessage:
        """``user`` sends a document; the bot can fetch it with getFile and download it."""
        document = self.register_file(content, file_name=file_name, mime_type=mime_type)
        message = self._store_message(
            chat,
            user,
            reply_to=reply_to,
            document=document,
            caption=caption,
            caption_entities=automatic_entities(caption or ""),
        )
        self._deliver("message", message)
        return message

    def press_button(self, message: StoredMessage, callback_data: str, user: FakeUser) -> str:
        """``user`` presses the inline button carrying ``callback_data``; returns the query id."""
        if message.deleted:
            raise ValueError(f"message {message.message_id} was deleted; nobody can press it")
        if callback_data not in message.callback_data():
            raise ValueError(
                f"message {message.message_id} has no button with callback_data "
                f"{callback_data!r}; it has {message.callback_data()!r}"
            )
        query_id = str(next(self._query_ids))
        self._open_callback_queries.add(query_id)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": message.to_json(),
                "chat_instance": str(4_000_000_000_000 + message.chat.id),
                "data": callback_data,
            },
        )
        return query_id

    def inline_query(
        self, user: FakeUser, query: str, *, chat_type: str | None = "private", offset: str = ""
    ) -> str:
        """``user`` types ``@bot query`` in a chat of ``chat_type``; returns the query id."""
        if not self.me.supports_inline_queries:
            raise ValueError("this bot does not support inline queries (see FakeBot)")
        query_id = str(next(self._query_ids))
        self._open_inline_queries.add(query_id)
        payload = {"id": query_id, "from": user.to_json(), "query": query, "offset": offset}
        self._enqueue("inline_query", _without_none({**payload, "chat_type": chat_type}))
        return query_id

    def expire_queries(self) -> None:
        """Let every unanswered callback and inline query time out, as Telegram does."""
        self._open_callback_queries.clear()
        self._open_inline_queries.clear()

    def register_file(
        self, content: bytes, *, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Store a file under a fresh file_id, for getFile and the download route."""
        number = next(self._file_numbers)
        suffix = PurePosixPath(file_name).suffix if file_name else ""
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:012d}",
            file_unique_id=f"AgADfake{number:06d}",
            file_path=f"documents/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued for the bot and not yet confirmed through a getUpdates offset."""
        return list(self._updates)

    async def wait_until_updates_confirmed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed every update queued so far.

        Confirmed means fetched and acknowledged with a later offset, not handled: a handler
        may still be running.
        """
        target = self._last_update_id
        if self._confirmed_offset > target:
            return
        await self.wait_for_call(
            "getUpdates", lambda call: (call.params.get("offset") or 0) > target, timeout=timeout
        )

    # ---- HTTP --------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        route = self._methods.get(request.match_info["method"].lower())
        method, handler = route or (request.match_info["method"], None)
        if request.match_info["token"] != self.token:
            return self._answer_error(self._record(method, {}), BotApiError(401, "Unauthorized"))
        try:
            params = await _read_parameters(request)
        except BotApiError as error:
            return self._answer_error(self._record(method, {}), error)
        call = self._record(method, params)
        if handler is None:
            return self._answer_error(call, BotApiError(404, "Not Found"))
        try:
            self._raise_armed_failure(method)
            result = await handler(_Params(params))
        except BotApiError as error:
            return self._answer_error(call, error)
        except Exception as error:
            # A bug in the fake, not a Telegram answer: fail the request loudly and keep the
            # error so the fixture can fail the test too.
            _LOGGER.exception("the fake Bot API crashed in %s", method)
            self.server_errors.append(error)
            crash = BotApiError(500, f"Internal Server Error: the fake crashed: {error!r}")
            return self._answer_error(call, crash)
        call.status, call.result = 200, result
        return _json_response({"ok": True, "result": result})

    async def _handle_download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(BotApiError(401, "Unauthorized").to_json(), 401)
        stored = self._files_by_path.get(request.match_info["file_path"])
        if stored is None:
            return _json_response(BotApiError(404, "Not Found").to_json(), 404)
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    def _canonical(self, method: str) -> str:
        route = self._methods.get(method.lower())
        return route[0] if route else method

    def _record(self, method: str, params: JSONDict) -> RecordedCall:
        call = RecordedCall(len(self._calls), method, params, time.monotonic())
        self._calls.append(call)
        for waiter in self._waiters:
            if waiter.future.done() or waiter.method != method:
                continue
            try:
                matched = waiter.predicate is None or waiter.predicate(call)
            except Exception as error:
                waiter.future.set_exception(error)
                continue
            if matched:
                waiter.future.set_result(call)
        return call

    def _answer_error(self, call: RecordedCall, error: BotApiError) -> web.Response:
        call.status, call.description = error.error_code, error.description
        return _json_response(error.to_json(), error.error_code)

    def _raise_armed_failure(self, method: str) -> None:
        queue = self._failures.get(method)
        if queue:
            raise queue.popleft()

    # ---- chats, messages, updates ------------------------------------------------------------

    def _chat_of(self, params: _Params) -> FakeChat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise BotApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        else:
            username = str(chat_id).removeprefix("@").lower()
            chat = next(
                (c for c in self._chats.values() if (c.username or "").lower() == username), None
            )
        if chat is None:
            raise BotApiError(400, CHAT_NOT_FOUND)
        return chat

    def _find_message(self, chat: FakeChat, message_id: int | None) -> StoredMessage | None:
        message = self._messages.get((chat.id, message_id or 0))
        return None if message is None or message.deleted else message

    def _store_message(self, chat: FakeChat, sender: FakeUser, **content: Any) -> StoredMessage:
        if chat.type == "private" and not sender.is_bot and sender.id != chat.id:
            raise ValueError("in a private chat only its user (chat id = user id) can write")
        self.add_chat(chat)
        message_id = self._last_message_id.get(chat.id, 0) + 1
        self._last_message_id[chat.id] = message_id
        message = StoredMessage(chat, message_id, sender, int(time.time()), **content)
        self._messages[(chat.id, message_id)] = message
        self._message_log.append(message)
        return message

    def _deliver(self, kind: str, message: StoredMessage) -> None:
        if self._bot_sees(message):
            self._enqueue(kind, message.to_json())

    def _bot_sees(self, message: StoredMessage) -> bool:
        """Privacy mode: in groups the bot sees commands, mentions of it and replies to it."""
        if not message.chat.is_group or self.me.can_read_all_group_messages:
            return True
        if message.reply_to is not None and message.reply_to.sender.id == self.me.id:
            return True
        text = message.text if message.text is not None else message.caption or ""
        entities = message.entities if message.text is not None else message.caption_entities
        username = self.me.username.lower()
        for entity in entities:
            covered = _utf16_slice(text, entity["offset"], entity["length"]).lower()
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                return "@" not in covered or covered.endswith("@" + username)
            if entity["type"] == "mention" and covered == "@" + username:
                return True
        return False

    def _enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append(update)
        self._poll_wakeup.set()
        return update

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._updates = self._updates[offset:]
            return
        self._updates = [update for update in self._updates if update["update_id"] >= offset]
        self._confirmed_offset = max(self._confirmed_offset, offset)

    def _editable_message(self, params: _Params) -> StoredMessage:
        if params.get("inline_message_id") is not None:
            raise BotApiError(400, "Bad Request: the fake does not support inline message edits")
        message = self._find_message(self._chat_of(params), params.integer("message_id"))
        if message is None:
            raise BotApiError(400, MESSAGE_TO_EDIT_NOT_FOUND)
        if not message.outgoing:
            raise BotApiError(400, "Bad Request: message can't be edited")
        return message

    def _reply_target(self, chat: FakeChat, params: _Params) -> StoredMessage | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            tolerant = bool(reply.get("allow_sending_without_reply"))
        else:
            message_id = params.integer("reply_to_message_id")
            tolerant = params.flag("allow_sending_without_reply")
        if message_id is None:
            return None
        target = self._find_message(chat, message_id)
        if target is None and not tolerant:
            raise BotApiError(400, "Bad Request: message to be replied not found")
        return target

    # ---- Bot API methods: one coroutine per method, named after it -------------------------

    async def _get_me(self, params: _Params) -> JSONDict:
        return self.me.to_json()

    async def _get_updates(self, params: _Params) -> list[JSONDict]:
        if self._webhook is not None:
            raise BotApiError(409, WEBHOOK_CONFLICT)
        offset = params.integer("offset")
        if offset is not None:
            self._confirm(offset)
        limit = min(max(params.integer("limit") or MAX_UPDATES_PER_POLL, 1), MAX_UPDATES_PER_POLL)
        allowed = params.get("allowed_updates") or []
        self._poll_generation += 1
        generation = self._poll_generation
        self._poll_wakeup.set()  # an older poll still waiting must end with a Conflict
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(params.number("timeout") or 0.0, 0.0)
        while True:
            if generation != self._poll_generation:
                raise BotApiError(409, POLL_CONFLICT)
            if self._webhook is not None:
                raise BotApiError(409, "Conflict: terminated by setWebhook request")
            batch = [u for u in self._updates if not allowed or _update_kind(u) in allowed]
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch[:limit]
            self._poll_wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poll_wakeup.wait(), remaining)

    async def _set_webhook(self, params: _Params) -> bool:
        url = params.text("url") or ""
        if not url:
            self._webhook = None
            return True
        if not url.startswith("https://"):
            raise BotApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {k: v for k, v in params.values.items() if k != "certificate"}
        self._poll_wakeup.set()
        return True

    async def _delete_webhook(self, params: _Params) -> bool:
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        return True

    async def _get_webhook_info(self, params: _Params) -> JSONDict:
        webhook = self._webhook or {}
        return _without_none(
            {
                "url": webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
                "max_connections": webhook.get("max_connections"),
                "allowed_updates": webhook.get("allowed_updates"),
            }
        )

    async def _log_out(self, params: _Params) -> bool:
        return True

    async def _close(self, params: _Params) -> bool:
        return True

    async def _send_message(self, params: _Params) -> JSONDict:
        chat = self._chat_of(params)
        raw_text, parse_mode = params.text("text"), params.text("parse_mode")
        text, entities = _message_text(raw_text, parse_mode, params.get("entities"))
        markup = _inline_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message = self._store_message(
            chat,
            self.me.user,
            text=text,
            entities=entities,
            reply_markup=markup,
            reply_to=reply_to,
            raw_text=raw_text,
            parse_mode=parse_mode,
        )
        return message.to_json()

    async def _edit_message_text(self, params: _Params) -> JSONDict:
        message = self._editable_message(params)
        raw_text, parse_mode = params.text("text"), params.text("parse_mode")
        text, entities = _message_text(raw_text, parse_mode, params.get("entities"))
        markup = _inline_markup(params.get("reply_markup"))
        if message.text is None:
            raise BotApiError(400, "Bad Request: there is no text in the message to edit")
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise BotApiError(400, MESSAGE_NOT_MODIFIED)
        message.text, message.entities, message.reply_markup = text, entities, markup
        message.raw_text, message.parse_mode = raw_text, parse_mode
        message.edit_date = int(time.time())
        return message.to_json()

    async def _edit_message_reply_markup(self, params: _Params) -> JSONDict:
        message = self._editable_message(params)
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise BotApiError(400, MESSAGE_NOT_MODIFIED)
        message.reply_markup = markup
        message.edit_date = int(time.time())
        return message.to_json()

    async def _delete_message(self, params: _Params) -> bool:
        message = self._find_message(self._chat_of(params), params.integer("message_id"))
        if message is None:
            raise BotApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        return True

    async def _send_chat_action(self, params: _Params) -> bool:
        self._chat_of(params)
        if params.text("action") not in _CHAT_ACTIONS:
            raise BotApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _send_document(self, params: _Params) -> JSONDict:
        chat = self._chat_of(params)
        document = self._document_of(params.get("document"))
        raw_caption, parse_mode = params.text("caption"), params.text("parse_mode")
        caption, entities = _caption(raw_caption, parse_mode, params.get("caption_entities"))
        message = self._store_message(
            chat,
            self.me.user,
            document=document,
            caption=caption,
            caption_entities=entities,
            reply_markup=_inline_markup(params.get("reply_markup")),
            reply_to=self._reply_target(chat, params),
            raw_text=raw_caption,
            parse_mode=parse_mode,
        )
        return message.to_json()

    def _document_of(self, document: Any) -> StoredFile:
        if isinstance(document, UploadedFile):
            return self.register_file(
                document.content, file_name=document.filename, mime_type=document.content_type
            )
        if isinstance(document, str) and document in self._files:
            return self._files[document]
        if isinstance(document, str) and document.startswith(("http://", "https://")):
            raise BotApiError(400, "Bad Request: failed to get HTTP URL content")
        raise BotApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    async def _get_file(self, params: _Params) -> JSONDict:
        stored = self._files.get(_required(params.text("file_id"), "file_id"))
        if stored is None:
            raise BotApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise BotApiError(400, "Bad Request: file is too big")
        return stored.to_file_json()

    async def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.text("callback_query_id")
        if query_id not in self._open_callback_queries:
            raise BotApiError(400, QUERY_INVALID)
        if len(params.text("text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise BotApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callback_queries.discard(query_id)
        return True

    async def _answer_inline_query(self, params: _Params) -> bool:
        query_id = params.text("inline_query_id")
        if query_id not in self._open_inline_queries:
            raise BotApiError(400, QUERY_INVALID)
        _check_inline_results(params.get("results"))
        if len((params.text("next_offset") or "").encode()) > 64:
            raise BotApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        self._open_inline_queries.discard(query_id)
        return True

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = _checked_commands(params.get("commands"))
        key = _scope_key(params.get("scope"), params.text("language_code"))
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    async def _delete_my_commands(self, params: _Params) -> bool:
        self._commands.pop(_scope_key(params.get("scope"), params.text("language_code")), None)
        return True

    async def _get_my_commands(self, params: _Params) -> list[JSONDict]:
        key = _scope_key(params.get("scope"), params.text("language_code"))
        return list(self._commands.get(key, []))
