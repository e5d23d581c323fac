"""Tests of the fake Bot API server, driven by the real python-telegram-bot over real HTTP."""

import asyncio
import datetime as dtm
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, InvalidToken, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from .fake_bot_api import (
    ALICE,
    BOB,
    FakeBot,
    FakeBotApi,
    FakeChat,
    UploadedFile,
    automatic_entities,
    parse_html,
)

NEWSROOM = FakeChat.supergroup(-1_001_234_567_890, "Newsroom")


@pytest.fixture
async def bot(fake_telegram: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with fake_telegram.make_bot() as bot:
        yield bot


@pytest.fixture
def alice_chat(fake_telegram: FakeBotApi) -> FakeChat:
    return fake_telegram.add_chat(FakeChat.private(ALICE))


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(data, callback_data=data)] for data in callback_data]
    )


def articles(*ids: str) -> list[InlineQueryResultArticle]:
    return [
        InlineQueryResultArticle(result_id, f"Result {result_id}", InputTextMessageContent("quote"))
        for result_id in ids
    ]


# ---- identity, sending, recording --------------------------------------------------------------


async def test_get_me_describes_the_configured_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()

    assert me.username == "whosaidbot"
    assert me.is_bot
    assert me.can_join_groups
    assert not me.can_read_all_group_messages
    assert me.supports_inline_queries


async def test_sent_message_is_returned_stored_and_recorded(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    first = await bot.send_message(alice_chat.id, "Hello", reply_markup=keyboard("more"))
    second = await bot.send_message(alice_chat.id, "Again")

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.from_user is not None and first.from_user.id == fake_telegram.me.id
    assert first.chat.id == ALICE.id and first.text == "Hello"
    assert first.reply_markup == keyboard("more")
    assert [m.text for m in fake_telegram.sent_messages(alice_chat)] == ["Hello", "Again"]
    call = fake_telegram.calls("sendMessage")[0]
    assert call.ok and call.params["chat_id"] == ALICE.id
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "more", "callback_data": "more"}]]
    }


async def test_wait_for_call_resolves_when_a_matching_call_arrives(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    sending = asyncio.create_task(bot.send_message(alice_chat.id, "second"))
    other = asyncio.create_task(bot.send_message(alice_chat.id, "first"))

    call = await fake_telegram.wait_for_call("sendmessage", lambda c: c.params["text"] == "second")
    await asyncio.gather(sending, other)

    assert call.method == "sendMessage" and call.ok
    assert call.result["text"] == "second"


async def test_wait_for_call_times_out_naming_the_calls_made(fake_telegram: FakeBotApi) -> None:
    with pytest.raises(TimeoutError, match="no matching sendMessage call"):
        await fake_telegram.wait_for_call("sendMessage", timeout=0.01)


async def test_sending_to_an_unknown_chat_is_rejected(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "anyone?")


# ---- text limits and HTML --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("a" * 4096, True),
        ("a" * 4097, False),
        ("<b>" + "a" * 4096 + "</b>", True),  # tags are not counted
        ("&amp;" * 4096, True),  # an entity is one character
        ("😀" * 2048, True),  # UTF-16 code units: each of these is two
        ("😀" * 2049, False),
    ],
)
async def test_text_is_limited_to_4096_characters_after_parsing(
    bot: telegram.Bot, alice_chat: FakeChat, text: str, accepted: bool
) -> None:
    send = bot.send_message(alice_chat.id, text, parse_mode=ParseMode.HTML)
    if accepted:
        await send
        return
    with pytest.raises(BadRequest, match="Message is too long"):
        await send


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>"])
async def test_empty_text_is_rejected(bot: telegram.Bot, alice_chat: FakeChat, text: str) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(alice_chat.id, text, parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>unclosed", 'find end tag corresponding to start tag "b"'),
        ("<div>block</div>", 'unsupported start tag "div" at byte offset 0'),
        ("fish & chips", 'character "&" at byte offset 5'),
        ("&nbsp;", 'unsupported html entity "&nbsp;"'),
        ("<b><i>crossed</b></i>", 'expected "</i>", found "</b>"'),
        ("stray</b>", "unexpected end tag at byte offset 5"),
        ("<span>plain span</span>", 'tag "span" must have class "tg-spoiler"'),
        ("<a href='https://x.org>unterminated", "unclosed start tag at byte offset 0"),
        ("é<br>", 'unsupported start tag "br" at byte offset 2'),
    ],
)
async def test_malformed_html_is_rejected_like_telegram_does(
    bot: telegram.Bot, alice_chat: FakeChat, html: str, detail: str
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities") as error:
        await bot.send_message(alice_chat.id, html, parse_mode=ParseMode.HTML)

    assert detail.lower() in str(error.value).lower()


@pytest.mark.parametrize(
    ("html", "text", "entity_types"),
    [
        ("<b>bold</b> and <i>italic</i>", "bold and italic", ["bold", "italic"]),
        ("<strong><em>both</em></strong>", "both", ["bold", "italic"]),
        (
            "<u>u</u><ins>i</ins><s>s</s><del>d</del>",
            "uisd",
            ["underline"] * 2 + ["strikethrough"] * 2,
        ),
        ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link", ["text_link"]),
        ('<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>', "xy", ["spoiler"] * 2),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", ["pre"]),
        ("<code>inline</code>", "inline", ["code"]),
        ("<blockquote expandable>long quote</blockquote>", "long quote", ["expandable_blockquote"]),
        ("<blockquote>quote</blockquote>", "quote", ["blockquote"]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", ["custom_emoji"]),
        ("1 &lt; 2 &amp;&amp; &quot;x&quot; &#38; &#x263A; > 0", '1 < 2 && "x" & ☺ > 0', []),
    ],
)
async def test_telegram_html_is_accepted_and_parsed(
    bot: telegram.Bot, alice_chat: FakeChat, html: str, text: str, entity_types: list[str]
) -> None:
    message = await bot.send_message(alice_chat.id, html, parse_mode=ParseMode.HTML)

    assert message.text == text
    assert [entity.type for entity in message.entities] == entity_types


def test_entity_offsets_are_utf16_and_survive_trimming() -> None:
    text, entities = parse_html('😀 <b>x</b> <pre><code class="language-go">go</code></pre>')

    assert text == "😀 x go"
    assert entities == [
        {"offset": 3, "length": 1, "type": "bold"},
        {"offset": 5, "length": 2, "type": "pre", "language": "go"},
    ]


async def test_leading_whitespace_is_trimmed_and_entities_shift(
    bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_message(alice_chat.id, "  <b>hi</b>  ", parse_mode=ParseMode.HTML)

    assert message.text == "hi"
    assert message.entities == (MessageEntity("bold", 0, 2),)


# ---- edits, deletes, keyboards -----------------------------------------------------------------


async def test_editing_to_identical_text_and_markup_is_not_modified(
    bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_message(alice_chat.id, "<b>Same</b>", parse_mode=ParseMode.HTML)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Same</b>", alice_chat.id, message.message_id, parse_mode="HTML"
        )


async def test_editing_replaces_text_and_drops_a_keyboard_not_repeated(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_message(alice_chat.id, "Searching…", reply_markup=keyboard("stop"))

    edited = await bot.edit_message_text("Found it", alice_chat.id, message.message_id)

    assert isinstance(edited, telegram.Message)
    assert edited.text == "Found it" and edited.edit_date is not None
    assert edited.reply_markup is None
    assert fake_telegram.sent_messages(alice_chat)[0].text == "Found it"


async def test_editing_a_missing_or_deleted_message_is_rejected(
    bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_message(alice_chat.id, "Soon gone")
    assert await bot.delete_message(alice_chat.id, message.message_id)

    for message_id in (message.message_id, 999):
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("New", alice_chat.id, message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alice_chat.id, message.message_id)


async def test_edit_reply_markup_replaces_the_keyboard(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_message(alice_chat.id, "Pick", reply_markup=keyboard("a"))

    await bot.edit_message_reply_markup(
        alice_chat.id, message.message_id, reply_markup=keyboard("b")
    )

    assert fake_telegram.sent_messages(alice_chat)[0].callback_data() == ["b"]
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            alice_chat.id, message.message_id, reply_markup=keyboard("b")
        )


@pytest.mark.parametrize(
    ("callback_data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False)],
)
async def test_callback_data_is_limited_to_64_bytes(
    bot: telegram.Bot, alice_chat: FakeChat, callback_data: str, accepted: bool
) -> None:
    send = bot.send_message(alice_chat.id, "Pick", reply_markup=keyboard(callback_data))
    if accepted:
        await send
        return
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await send


# ---- callback and inline queries ---------------------------------------------------------------


async def test_pressed_button_arrives_as_a_callback_query_answerable_once(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    sent = await bot.send_message(alice_chat.id, "More?", reply_markup=keyboard("more:2"))
    message = fake_telegram.sent_messages(alice_chat)[0]

    query_id = fake_telegram.press_button(message, "more:2", ALICE)
    [update] = await bot.get_updates()

    assert update.callback_query is not None
    assert update.callback_query.id == query_id and update.callback_query.data == "more:2"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, text="Loading")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_pressing_a_button_the_message_lacks_is_a_test_error(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    await bot.send_message(alice_chat.id, "More?", reply_markup=keyboard("more:2"))

    with pytest.raises(ValueError, match="no button with callback_data 'more:3'"):
        fake_telegram.press_button(fake_telegram.sent_messages(alice_chat)[0], "more:3", ALICE)


async def test_expired_or_unknown_callback_queries_are_rejected(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    await bot.send_message(alice_chat.id, "More?", reply_markup=keyboard("more"))
    query_id = fake_telegram.press_button(fake_telegram.sent_messages()[0], "more", ALICE)
    fake_telegram.expire_queries()

    for unanswerable in (query_id, "123"):
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(unanswerable)


async def test_inline_query_accepts_up_to_50_unique_results(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    query_id = fake_telegram.inline_query(BOB, "taxes")
    [update] = await bot.get_updates()

    assert update.inline_query is not None and update.inline_query.query == "taxes"
    assert await bot.answer_inline_query(query_id, articles(*(str(n) for n in range(50))))
    results = fake_telegram.calls("answerInlineQuery")[0].params["results"]
    assert len(results) == 50 and results[0]["type"] == "article"


@pytest.mark.parametrize(
    ("results", "description"),
    [
        (articles(*(str(n) for n in range(51))), "Results_too_much"),
        (articles("same", "same"), "Result_id_duplicate"),
        (articles("x" * 65), "Result_id_invalid"),
        (
            [InlineQueryResultArticle("1", "t", InputTextMessageContent("<b>", parse_mode="HTML"))],
            "Can't parse entities",
        ),
    ],
)
async def test_invalid_inline_results_are_rejected(
    fake_telegram: FakeBotApi,
    bot: telegram.Bot,
    results: list[InlineQueryResultArticle],
    description: str,
) -> None:
    query_id = fake_telegram.inline_query(BOB, "taxes")

    with pytest.raises(BadRequest, match=description):
        await bot.answer_inline_query(query_id, results)


async def test_answering_an_unknown_inline_query_is_rejected(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query("4382", articles("1"))


# ---- commands ---------------------------------------------------------------------------------


async def test_commands_are_stored_per_scope_and_language(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    ask = BotCommand("ask", "Who said what about a topic")
    about = BotCommand("about", "What this bot does")

    await bot.set_my_commands([ask, about])
    await bot.set_my_commands([ask], scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands([about], scope=BotCommandScopeChat(NEWSROOM.id), language_code="de")

    assert await bot.get_my_commands() == (ask, about)
    assert await bot.get_my_commands(scope=BotCommandScopeAllGroupChats()) == (ask,)
    assert await bot.get_my_commands(scope=BotCommandScopeChat(NEWSROOM.id)) == ()
    assert fake_telegram.commands({"type": "chat", "chat_id": NEWSROOM.id}, "de") == [
        {"command": "about", "description": "What this bot does"}
    ]
    await bot.delete_my_commands(scope=BotCommandScopeAllGroupChats())
    assert fake_telegram.commands({"type": "all_group_chats"}) == []


@pytest.mark.parametrize(
    ("command", "description"),
    [
        (BotCommand("Ask", "capital letters"), "Bot_command_invalid"),
        (BotCommand("a" * 33, "too long a name"), "Bot_command_invalid"),
        (BotCommand("ask", ""), "Bot_command_description_invalid"),
        (BotCommand("ask", "x" * 257), "Bot_command_description_invalid"),
    ],
)
async def test_invalid_commands_are_rejected(
    bot: telegram.Bot, command: BotCommand, description: str
) -> None:
    with pytest.raises(BadRequest, match=description):
        await bot.set_my_commands([command])


# ---- updates: injection, long polling, offsets, privacy mode -----------------------------------


async def test_long_poll_wakes_as_soon_as_an_update_is_injected(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=30))
    call = await fake_telegram.wait_for_call("getUpdates")
    assert call.status is None, "the poll should be waiting for an update"

    fake_telegram.send_text(FakeChat.private(ALICE), ALICE, "/ask@whosaidbot who said it")
    [update] = await asyncio.wait_for(polling, 5)

    assert update.message is not None and update.message.text == "/ask@whosaidbot who said it"
    assert update.message.parse_entities([MessageEntity.BOT_COMMAND]) == {
        MessageEntity(MessageEntity.BOT_COMMAND, 0, 15): "/ask@whosaidbot"
    }
    assert call.ok and call.params["timeout"] == 30


async def test_offset_confirms_updates_and_limit_caps_a_batch(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    chat = FakeChat.private(ALICE)
    for text in ("one", "two", "three"):
        fake_telegram.send_text(chat, ALICE, text)

    first = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    confirmed = await bot.get_updates(offset=rest[-1].update_id + 1)

    assert [u.message.text for u in first + rest if u.message] == ["one", "two", "three"]
    assert [u.update_id for u in first + rest] == list(
        range(first[0].update_id, first[0].update_id + 3)
    )
    assert confirmed == () and fake_telegram.pending_updates == []
    await fake_telegram.wait_until_updates_confirmed()


async def test_injected_messages_carry_telegram_entities_and_replies(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    question = fake_telegram.send_text(NEWSROOM, ALICE, "/ask@whosaidbot budget")
    follow_up = fake_telegram.send_text(
        NEWSROOM, BOB, "@whosaidbot see https://example.org/a, please", reply_to=question
    )

    updates = await bot.get_updates()

    message = updates[1].message
    assert message is not None and message.chat.type == "supergroup"
    assert message.message_id == follow_up.message_id == question.message_id + 1
    assert message.reply_to_message is not None
    assert message.reply_to_message.text == "/ask@whosaidbot budget"
    assert list(message.parse_entities().values()) == ["@whosaidbot", "https://example.org/a"]


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("just chatting about the budget", False),
        ("/ask budget", True),
        ("/ask@WhoSaidBot budget", True),
        ("/ask@otherbot budget", False),
        ("hey @whosaidbot, who said it?", True),
        ("hey @someone_else", False),
    ],
)
def test_groups_deliver_only_what_a_bot_in_privacy_mode_sees(text: str, seen: bool) -> None:
    fake = FakeBotApi()
    fake.send_text(NEWSROOM, ALICE, text)

    assert len(fake.pending_updates) == int(seen)


async def test_replies_to_the_bot_reach_it_in_groups_and_privacy_can_be_off(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    fake_telegram.add_chat(NEWSROOM)
    await bot.send_message(NEWSROOM.id, "Who said what about what?")

    fake_telegram.send_text(NEWSROOM, ALICE, "taxes", reply_to=fake_telegram.sent_messages()[0])
    reading_everything = FakeBotApi(me=FakeBot(can_read_all_group_messages=True))
    reading_everything.send_text(NEWSROOM, ALICE, "just chatting")

    assert len(fake_telegram.pending_updates) == 1
    assert len(reading_everything.pending_updates) == 1


def test_automatic_entities_measure_in_utf16() -> None:
    assert automatic_entities("😀 /start now") == [
        {"offset": 3, "length": 6, "type": "bot_command"}
    ]


async def test_user_edit_arrives_as_edited_message(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    chat = FakeChat.private(ALICE)
    message = fake_telegram.send_text(chat, ALICE, "/ask taxs")
    fake_telegram.edit_text(message, "/ask taxes")

    updates = await bot.get_updates()

    edited = updates[1].edited_message
    assert edited is not None and edited.text == "/ask taxes" and edited.edit_date is not None
    assert edited.message_id == message.message_id


async def test_a_newer_poll_ends_an_older_one_with_conflict(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=30))
    await fake_telegram.wait_for_call("getUpdates")

    async with fake_telegram.make_bot() as second_instance:
        assert await second_instance.get_updates() == ()

    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(polling, 5)


async def test_stopping_the_server_wakes_a_pending_long_poll() -> None:
    fake = FakeBotApi()
    await fake.start()
    async with fake.make_bot() as bot:
        polling = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_for_call("getUpdates")

        await fake.stop()

        assert await asyncio.wait_for(polling, 5) == ()


async def test_webhook_blocks_polling_until_deleted(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    with pytest.raises(BadRequest, match="an https url must be provided"):
        await bot.set_webhook("http://example.org/hook")
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")

    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    assert fake_telegram.webhook is not None and fake_telegram.webhook["secret_token"] == "s3cret"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_application_polls_replies_and_stops_cleanly(fake_telegram: FakeBotApi) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>Asked:</b> {' '.join(context.args or [])}")

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
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0)
        fake_telegram.send_text(FakeChat.private(ALICE), ALICE, "/ask taxes")

        call = await fake_telegram.wait_for_call("sendMessage")

        await application.updater.stop()
        await application.stop()
    assert call.params["text"] == "<b>Asked:</b> taxes"
    assert fake_telegram.sent_messages(ALICE.id)[0].text == "Asked: taxes"
    assert fake_telegram.pending_updates == []


# ---- failures on demand, files, tokens, the wire ----------------------------------------------


async def test_armed_rate_limit_surfaces_as_retry_after(
    fake_telegram: FakeBotApi,
    bot: telegram.Bot,
    alice_chat: FakeChat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake_telegram.fail_next("sendMessage", retry_after=1)

    with pytest.raises(RetryAfter) as error:
        await bot.send_message(alice_chat.id, "Hello")
    await bot.send_message(alice_chat.id, "Hello")

    assert error.value.retry_after == dtm.timedelta(seconds=1)
    assert [call.status for call in fake_telegram.calls("sendMessage")] == [429, 200]
    assert fake_telegram.calls("sendMessage")[0].description == "Too Many Requests: retry after 1"


async def test_armed_error_can_be_any_telegram_answer(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    fake_telegram.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )

    with pytest.raises(telegram.error.Forbidden, match="bot was blocked"):
        await bot.send_message(alice_chat.id, "Hello")


async def test_injected_document_can_be_fetched_and_downloaded(
    fake_telegram: FakeBotApi, bot: telegram.Bot
) -> None:
    content = "Die Ministerin sagte: «Wir sparen.»\n".encode()
    fake_telegram.send_document(
        FakeChat.private(ALICE),
        ALICE,
        "article.txt",
        content,
        caption="/ingest",
        mime_type="text/plain",
    )

    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "article.txt"
    assert update.message.caption == "/ingest"
    file = await bot.get_file(update.message.document.file_id)

    assert file.file_path is not None and file.file_path.endswith(".txt")
    assert bytes(await file.download_as_bytearray()) == content


async def test_uploaded_document_arrives_as_multipart_and_is_stored(
    fake_telegram: FakeBotApi, bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    message = await bot.send_document(
        alice_chat.id,
        document=b"speaker,quote\n",
        filename="quotes.csv",
        caption="<b>Quotes</b> &amp; speakers",
        parse_mode=ParseMode.HTML,
    )

    upload = fake_telegram.calls("sendDocument")[0].params["document"]
    assert isinstance(upload, UploadedFile) and upload.content == b"speaker,quote\n"
    assert message.caption == "Quotes & speakers" and message.document is not None
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"speaker,quote\n"


async def test_unknown_file_id_is_rejected(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file")


async def test_chat_action_is_accepted_and_an_unknown_one_rejected(
    bot: telegram.Bot, alice_chat: FakeChat
) -> None:
    assert await bot.send_chat_action(alice_chat.id, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(alice_chat.id, "dancing")


async def test_wrong_token_is_unauthorized(fake_telegram: FakeBotApi) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with fake_telegram.make_bot(token="987654321:WrongToken"):
            pass

    assert fake_telegram.calls("getMe")[0].status == 401


async def test_unknown_method_is_not_found(fake_telegram: FakeBotApi, bot: telegram.Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")

    assert fake_telegram.calls("sendTelepathy")[0].status == 404


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
async def test_parameters_decode_the_same_from_json_form_and_query(
    fake_telegram: FakeBotApi, alice_chat: FakeChat, encoding: str
) -> None:
    markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more"}]]}
    params = {"chat_id": ALICE.id, "text": "123", "reply_markup": markup}
    # As python-telegram-bot sends them: strings as they are, everything else JSON-encoded.
    as_strings = {"chat_id": str(ALICE.id), "text": "123", "reply_markup": json.dumps(markup)}
    url = f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage"

    async with httpx.AsyncClient() as client:
        if encoding == "json":
            response = await client.post(url, json=params)
        elif encoding == "form":
            response = await client.post(url, data=as_strings)
        else:
            response = await client.get(url, params=as_strings)

    assert response.status_code == 200 and response.json()["ok"] is True
    assert fake_telegram.calls("sendMessage")[0].params == params


@pytest.mark.parametrize(
    ("path", "status", "description"),
    [
        ("{token}/sendMessage", 400, "Bad Request: chat_id is empty"),
        ("123:nope/getMe", 401, "Unauthorized"),
        ("{token}/noSuchMethod", 404, "Not Found"),
    ],
)
async def test_error_envelope_matches_telegram(
    fake_telegram: FakeBotApi, path: str, status: int, description: str
) -> None:
    url = fake_telegram.base_url + path.format(token=fake_telegram.token)

    async with httpx.AsyncClient() as client:
        response = await client.post(url, json={"text": "hi"})

    assert response.status_code == status
    assert response.json() == {"ok": False, "error_code": status, "description": description}
