"""The bot in a private chat, end to end: the real Application polling the fake Telegram."""

import pytest

from bot.telegram import texts

from .fake_bot_api import ALICE, BOB, FakeChat
from .harness import RunningBot

ALICE_CHAT = FakeChat.private(ALICE)
BOB_CHAT = FakeChat.private(BOB)


async def test_any_text_is_a_question_answered_in_html_without_link_previews(
    bot: RunningBot,
) -> None:
    since = bot.mark()
    bot.say(ALICE_CHAT, "who said what about Azaz?")

    reply = await bot.next_message(ALICE_CHAT, since)

    call = bot.bot_calls("sendMessage", since)[0]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert "Maria Zakharova" in (reply.text or "")
    assert "Azaz" in (reply.text or "")


async def test_typing_shows_before_the_answer(bot: RunningBot) -> None:
    since = bot.mark()
    bot.say(ALICE_CHAT, "Azaz")

    await bot.next_message(ALICE_CHAT, since)

    methods = [call.method for call in bot.fake.calls()[since:]]
    typing = bot.bot_calls("sendChatAction", since)
    assert typing and typing[0].params == {"chat_id": ALICE.id, "action": "typing"}
    assert methods.index("sendChatAction") < methods.index("sendMessage")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/ask who said what about Azaz?", "Maria Zakharova"),
        ("/who Azaz", "Maria Zakharova"),
        ("/said Konashenkov", "Konashenkov"),
        ("/ask", "Ask a question after the command"),
        ("/who", "Name a topic after the command"),
        ("/said", "Name a speaker after the command"),
        ("/start", "who said what about Azaz?"),
        ("/privacy", "Nothing about you"),
        ("/speakers", "Maria Zakharova"),
        ("/sources", "Storm damage in Marmaris harbour"),
        ("/frobnicate", "I don't know that command"),
    ],
)
async def test_commands_in_a_private_chat(bot: RunningBot, command: str, expected: str) -> None:
    since = bot.mark()
    bot.say(ALICE_CHAT, command)

    reply = await bot.next_message(ALICE_CHAT, since)

    assert expected in (reply.text or "")


async def test_help_shows_admin_commands_to_admins_only(bot: RunningBot) -> None:
    since = bot.mark()
    bot.say(ALICE_CHAT, "/help")
    for_admin = await bot.next_message(ALICE_CHAT, since)
    since = bot.mark()
    bot.say(BOB_CHAT, "/help", user=BOB)
    for_others = await bot.next_message(BOB_CHAT, since)

    assert "/reload" in (for_admin.text or "") and "/stats" in (for_admin.text or "")
    assert "@whosaidbot" in (for_others.text or "")
    assert "/reload" not in (for_others.text or "")
    assert "/stats" not in (for_others.text or "")


async def test_corpus_text_with_markup_characters_is_escaped(bot: RunningBot) -> None:
    since = bot.mark()
    bot.say(ALICE_CHAT, "Tarsus")

    reply = await bot.next_message(ALICE_CHAT, since)

    # The fake rejects a bare "&" or an unknown tag as Telegram would, so the answer only
    # arrives if every corpus string was escaped; Telegram then shows the characters as such.
    assert reply.raw_text is not None
    assert "&lt; 5% of revenue &amp; spending &gt; income" in reply.raw_text
    assert "< 5% of revenue & spending > income" in (reply.text or "")
    assert "Markup <tags> & ampersands" in (reply.text or "")


async def test_an_edited_question_edits_the_answer(bot: RunningBot) -> None:
    since = bot.mark()
    question = bot.say(ALICE_CHAT, "Tarsus")
    answer = await bot.next_message(ALICE_CHAT, since)

    since = bot.mark()
    bot.fake.edit_text(question, "Azaz")
    edit = await bot.next_call("editMessageText", since)

    assert edit.params["message_id"] == answer.message_id
    assert "Maria Zakharova" in (bot.message(ALICE_CHAT, answer.message_id).text or "")
    assert bot.bot_calls("sendMessage", since) == []


async def test_an_edited_command_question_edits_the_answer_too(bot: RunningBot) -> None:
    since = bot.mark()
    question = bot.say(ALICE_CHAT, "/who Tarsus")
    answer = await bot.next_message(ALICE_CHAT, since)

    since = bot.mark()
    bot.fake.edit_text(question, "/who Azaz")
    edit = await bot.next_call("editMessageText", since)

    assert edit.params["message_id"] == answer.message_id
    assert "Maria Zakharova" in (bot.message(ALICE_CHAT, answer.message_id).text or "")


async def test_inline_query_offers_matching_statements_as_quoted_articles(
    bot: RunningBot,
) -> None:
    since = bot.mark()
    bot.fake.inline_query(BOB, "Azaz")

    call = await bot.next_call("answerInlineQuery", since)

    results = call.params["results"]
    assert results and all(result["type"] == "article" for result in results)
    assert len({result["id"] for result in results}) == len(results) <= 50
    assert {result["title"] for result in results} == {"Maria Zakharova"}
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].startswith("<b>Maria Zakharova</b>")
    assert "Press TV" in content["message_text"]


async def test_inline_quotes_escape_corpus_text(bot: RunningBot) -> None:
    since = bot.mark()
    bot.fake.inline_query(BOB, "Tarsus")

    call = await bot.next_call("answerInlineQuery", since)

    [result] = call.params["results"]
    assert (
        "&lt; 5% of revenue &amp; spending &gt; income"
        in result["input_message_content"]["message_text"]
    )


async def test_empty_inline_query_offers_help(bot: RunningBot) -> None:
    since = bot.mark()
    bot.fake.inline_query(BOB, "")

    call = await bot.next_call("answerInlineQuery", since)

    [result] = call.params["results"]
    assert result["title"] == texts.INLINE_HELP_TITLE
    assert "@whosaidbot" in result["input_message_content"]["message_text"]


async def test_inline_query_nobody_answers_offers_a_help_button(bot: RunningBot) -> None:
    since = bot.mark()
    bot.fake.inline_query(BOB, "zeppelins")

    call = await bot.next_call("answerInlineQuery", since)

    assert call.params["results"] == []
    assert call.params["button"] == {"text": texts.INLINE_NOTHING_FOUND, "start_parameter": "help"}
