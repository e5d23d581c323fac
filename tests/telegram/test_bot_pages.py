"""Long answers: pages under Telegram's limit, More/Back buttons editing in place, expiry."""

from bot.telegram import texts
from bot.telegram.pages import PAGE_TTL_SECONDS

from .fake_bot_api import ALICE, BOB, FakeChat, StoredMessage
from .harness import HARBOUR_SPEAKERS, RunningBot

ALICE_CHAT = FakeChat.private(ALICE)
NEWSROOM = FakeChat.supergroup(-1_001_234_567_890, "Newsroom")


async def long_answer(bot: RunningBot, chat: FakeChat = ALICE_CHAT) -> StoredMessage:
    since = bot.mark()
    bot.say(chat, "/ask Marmaris")
    return await bot.next_message(chat, since)


async def press(bot: RunningBot, message: StoredMessage, label_start: str) -> None:
    """Press the button whose label starts with `label_start` and wait for the page to turn."""
    [button] = [b for b in message.buttons() if b["text"].startswith(label_start)]
    since = bot.mark()
    bot.fake.press_button(message, button["callback_data"], BOB)
    await bot.next_call("editMessageText", since)


async def test_a_long_answer_pages_with_more_and_back_editing_in_place(bot: RunningBot) -> None:
    answer = await long_answer(bot)
    seen = [answer.text or ""]
    first_buttons = [button["text"] for button in answer.buttons()]

    while any(b["text"].startswith("More") for b in answer.buttons()):
        await press(bot, answer, "More")
        seen.append(answer.text or "")
    await press(bot, answer, "« Back")

    assert len(seen) > 2 and first_buttons == [f"More (2/{len(seen)}) »"]
    assert all(len(page) <= 4096 for page in seen)
    assert [button["text"] for button in answer.buttons()] == [
        "« Back",
        f"More ({len(seen)}/{len(seen)}) »",
    ]
    assert answer.text == seen[-2]
    # Every speaker is on some page, and the pages are one message edited in place.
    assert all(any(name in page for page in seen) for name in HARBOUR_SPEAKERS)
    assert len(bot.fake.sent_messages(ALICE_CHAT)) == 1


async def test_callback_data_fits_in_64_bytes(bot: RunningBot) -> None:
    answer = await long_answer(bot)

    assert answer.callback_data()
    assert all(len(data.encode()) <= 64 for data in answer.callback_data())


async def test_a_long_answer_in_a_group_shows_its_first_page_with_buttons(
    bot: RunningBot,
) -> None:
    since = bot.mark()
    question = bot.say(NEWSROOM, "/ask@whosaidbot Marmaris", user=BOB)
    answer = await bot.next_message(NEWSROOM, since)

    await press(bot, answer, "More")

    assert answer.reply_to is question
    assert answer.buttons()[0]["text"] == "« Back"


async def test_an_expired_button_says_so_and_goes_away(bot: RunningBot) -> None:
    answer = await long_answer(bot)
    bot.clock.advance(PAGE_TTL_SECONDS + 1)

    since = bot.mark()
    bot.fake.press_button(answer, answer.callback_data()[0], ALICE)
    removed = await bot.next_call("editMessageReplyMarkup", since)

    [notice] = bot.bot_calls("answerCallbackQuery", since)
    assert notice.params["text"] == texts.PAGE_EXPIRED and notice.params["show_alert"] is True
    assert removed.params["message_id"] == answer.message_id
    assert answer.buttons() == []
    assert bot.bot_calls("editMessageText", since) == []


async def test_a_button_pressed_twice_is_harmless(bot: RunningBot) -> None:
    answer = await long_answer(bot)
    more = answer.callback_data()[0]

    since = bot.mark()
    bot.fake.press_button(answer, more, ALICE)
    bot.fake.press_button(answer, more, ALICE)  # before the first press is handled
    first = await bot.fake.wait_for_call("editMessageText", since=since)
    second = await bot.fake.wait_for_call("editMessageText", since=first.index + 1)
    await assert_no_error_reported(bot, since)

    assert first.ok
    assert second.status == 400 and "message is not modified" in (second.description or "")


async def assert_no_error_reported(bot: RunningBot, since: int) -> None:
    """Updates are handled in order: once a later question is answered, any error notice
    for the earlier ones would have been sent."""
    bot.say(ALICE_CHAT, "Azaz")
    await bot.next_call("sendMessage", since, lambda call: "Zakharova" in call.params["text"])
    sent = [call.params["text"] for call in bot.bot_calls("sendMessage", since)]
    assert texts.SOMETHING_WENT_WRONG not in sent


async def test_a_button_answered_too_late_still_turns_the_page(bot: RunningBot) -> None:
    answer = await long_answer(bot)
    first_page = answer.text

    since = bot.mark()
    bot.fake.press_button(answer, answer.callback_data()[0], ALICE)
    bot.fake.expire_queries()  # Telegram gave up waiting before the bot answered
    await bot.next_call("editMessageText", since)

    [late] = bot.bot_calls("answerCallbackQuery", since)
    assert late.status == 400 and "query is too old" in (late.description or "")
    await assert_no_error_reported(bot, since)
    assert answer.text != first_page
