"""Page state: callback data within Telegram's 64 bytes, expiry, and bounded memory."""

import pytest

from bot.telegram.pages import (
    PageRequest,
    SentAnswers,
    callback_data,
    keyboard,
    parse_callback_data,
)

from .harness import Clock


def test_callback_data_round_trips_within_64_bytes() -> None:
    answers = SentAnswers(Clock())
    token = answers.keep_pages(("one", "two"))

    data = callback_data(token, 9999)

    assert len(data.encode()) <= 64
    assert parse_callback_data(data) == PageRequest(token, 9999)


@pytest.mark.parametrize("data", [None, "", "page:", "page:abc", "page:abc:x", "other:abc:1"])
def test_foreign_callback_data_is_not_a_page_request(data: str | None) -> None:
    assert parse_callback_data(data) is None


def test_pages_expire_after_their_time_to_live() -> None:
    clock = Clock()
    answers = SentAnswers(clock, ttl=60)
    token = answers.keep_pages(("one", "two"))
    answers.remember_reply(chat_id=5, question_id=10, answer_id=11)

    clock.advance(60)
    kept = answers.pages(token), answers.reply_to(5, 10)
    clock.advance(1)

    assert kept == (("one", "two"), 11)
    assert answers.pages(token) is None and answers.reply_to(5, 10) is None


def test_the_oldest_pages_go_first_beyond_capacity() -> None:
    answers = SentAnswers(Clock(), capacity=2)
    tokens = [answers.keep_pages((f"answer {n}", "more")) for n in range(3)]

    assert answers.pages(tokens[0]) is None
    assert answers.pages(tokens[1]) == ("answer 1", "more")
    assert answers.pages(tokens[2]) == ("answer 2", "more")


def test_an_answered_question_remembers_its_latest_answer() -> None:
    answers = SentAnswers(Clock(), capacity=2)
    answers.remember_reply(1, 10, 11)
    answers.remember_reply(1, 20, 21)
    answers.remember_reply(1, 10, 12)  # answered again: now the newest entry
    answers.remember_reply(1, 30, 31)

    assert answers.reply_to(1, 10) == 12
    assert answers.reply_to(1, 20) is None


@pytest.mark.parametrize(
    ("index", "count", "labels"),
    [
        (0, 1, None),
        (0, 3, ["More (2/3) »"]),
        (1, 3, ["« Back", "More (3/3) »"]),
        (2, 3, ["« Back"]),
    ],
)
def test_buttons_offer_the_neighbouring_pages(
    index: int, count: int, labels: list[str] | None
) -> None:
    markup = keyboard("tok", index, count)

    if labels is None:
        assert markup is None
        return
    assert markup is not None
    assert [button.text for row in markup.inline_keyboard for button in row] == labels
