"""Which messages are meant for the bot, and the question or command they carry.

In private chats every message is. In groups only commands addressed to the bot (python-
telegram-bot's CommandHandler checks `/cmd@bot` itself), messages mentioning `@bot`, and
replies to the bot's own messages; all other chatter is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import filters


def in_group(update: Update) -> bool:
    """Whether the update comes from a group (where replies quote the asker)."""
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


def mentions_bot(message: Message, username: str) -> bool:
    wanted = "@" + username.lower()
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    return any(mention.lower() == wanted for mention in mentions)


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def question_of(message: Message, username: str) -> str:
    """The message's text without the mentions of the bot."""
    text = message.text or ""
    wanted = "@" + username.lower()
    for mention in set(message.parse_entities([MessageEntity.MENTION]).values()):
        if mention.lower() == wanted:
            text = text.replace(mention, " ")
    return " ".join(text.split())


class AddressedInGroup(filters.MessageFilter):
    """A group message that mentions the bot or replies to one of its messages."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return mentions_bot(message, bot.username) or replies_to_bot(message, bot.id)


@dataclass(frozen=True)
class CaptionCommand:
    name: str
    arguments: tuple[str, ...]


def caption_command(message: Message, username: str) -> CaptionCommand | None:
    """A `/command args` caption of a document, unless addressed to another bot."""
    caption = message.caption or ""
    commands = message.parse_caption_entities([MessageEntity.BOT_COMMAND])
    first = next((e for e in commands if e.offset == 0), None)
    if first is None:
        return None
    name, _, addressee = commands[first].removeprefix("/").partition("@")
    if addressee and addressee.lower() != username.lower():
        return None
    return CaptionCommand(name.lower(), tuple(caption[first.length :].split()))


class CaptionCommandFilter(filters.MessageFilter):
    """A document whose caption is the command `name`, addressed to this bot or to all bots."""

    __slots__ = ("command_name",)

    def __init__(self, command_name: str) -> None:
        super().__init__(name=f"CaptionCommandFilter({command_name})")
        self.command_name = command_name

    def filter(self, message: Message) -> bool:
        command = caption_command(message, message.get_bot().username)
        return command is not None and command.name == self.command_name
