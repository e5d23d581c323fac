"""The bot in groups: only what is addressed to it, replies to the asker, a cooldown."""

from pathlib import Path

import pytest

from bot.corpus import Corpus

from .fake_bot_api import ALICE, BOB, FakeBot, FakeBotApi, FakeChat
from .harness import Clock, RunningBot, running_bot, settings_for

NEWSROOM = FakeChat.supergroup(-1_001_234_567_890, "Newsroom")


@pytest.mark.parametrize(
    "question",
    [
        "/ask@whosaidbot Azaz",
        "/ask Azaz",
        "/who@whosaidbot Azaz",
        "@whosaidbot who said what about Azaz?",
        "who said what about Azaz, @WhoSaidBot?",
    ],
)
async def test_questions_addressed_to_the_bot_get_a_reply_to_the_asker(
    bot: RunningBot, question: str
) -> None:
    since = bot.mark()
    asked = bot.say(NEWSROOM, question, user=BOB)

    reply = await bot.next_message(NEWSROOM, since)

    assert reply.reply_to is asked
    assert "Maria Zakharova" in (reply.text or "")


async def test_a_reply_to_the_bots_message_is_a_question(bot: RunningBot) -> None:
    since = bot.mark()
    bot.say(NEWSROOM, "/ask Tarsus")
    first = await bot.next_message(NEWSROOM, since)

    since = bot.mark()
    follow_up = bot.say(NEWSROOM, "Azaz", user=BOB, reply_to=first)
    reply = await bot.next_message(NEWSROOM, since)

    assert reply.reply_to is follow_up
    assert "Maria Zakharova" in (reply.text or "")


@pytest.mark.parametrize(
    "chatter",
    [
        "just chatting about Azaz",
        "/ask@otherbot Azaz",
        "hey @someone_else, Azaz?",
    ],
)
async def test_chatter_and_other_bots_commands_are_ignored_even_when_delivered(
    corpus_dir: Path, corpus: Corpus, chatter: str
) -> None:
    # A bot allowed to read every group message still answers only what is meant for it.
    async with (
        FakeBotApi(me=FakeBot(can_read_all_group_messages=True)) as fake,
        running_bot(fake, settings_for(fake, corpus_dir), corpus) as bot,
    ):
        since = bot.mark()
        bot.say(NEWSROOM, chatter, user=BOB)
        question = bot.say(NEWSROOM, "/ask@whosaidbot Tarsus")

        reply = await bot.next_message(NEWSROOM, since)

        # Updates are handled in order, so had the chatter got an answer, it would come first.
        assert reply.reply_to is question
        assert len(bot.bot_calls("sendMessage", since)) == 1
        assert len(bot.bot_calls("sendChatAction", since)) == 1


async def test_a_group_is_answered_once_per_cooldown(
    fake_telegram: FakeBotApi, corpus_dir: Path, corpus: Corpus
) -> None:
    clock = Clock()
    settings = settings_for(fake_telegram, corpus_dir, chat_cooldown_seconds=3.0)
    other_group = FakeChat.group(-4_000_000_001, "Desk")
    async with running_bot(fake_telegram, settings, corpus, clock=clock) as bot:
        since = bot.mark()
        first = bot.say(NEWSROOM, "/ask Azaz")
        bot.say(NEWSROOM, "/ask Tarsus", user=BOB)  # within the cooldown: dropped
        elsewhere = bot.say(other_group, "/ask Tarsus")  # another chat has its own
        answered = await bot.next_message(other_group, since)  # so all three were handled
        clock.advance(3.0)
        since_cooled = bot.mark()
        later = bot.say(NEWSROOM, "/ask Tarsus", user=BOB)
        after_cooldown = await bot.next_message(NEWSROOM, since_cooled)

    replies_in_newsroom = [
        call
        for call in bot.bot_calls("sendMessage", since)
        if call.params["chat_id"] == NEWSROOM.id
    ]
    assert [call.params["reply_parameters"]["message_id"] for call in replies_in_newsroom] == [
        first.message_id,
        later.message_id,
    ]
    assert answered.reply_to is elsewhere and after_cooldown.reply_to is later


async def test_private_chats_have_no_cooldown(
    fake_telegram: FakeBotApi, corpus_dir: Path, corpus: Corpus
) -> None:
    settings = settings_for(fake_telegram, corpus_dir, chat_cooldown_seconds=60.0)
    chat = FakeChat.private(ALICE)
    async with running_bot(fake_telegram, settings, corpus) as bot:
        since = bot.mark()
        bot.say(chat, "Azaz")
        bot.say(chat, "Tarsus")
        await bot.next_call("sendMessage", since, lambda call: "Tarsus" in call.params["text"])

    assert len(bot.bot_calls("sendMessage", since)) == 2
